"""Inputs are checked before anything is sent (and billed): every problem at once, by the
argument you wrote and the name Wiro knows it by.

python examples/bad_inputs.py
"""

from wiro_client import Wiro
from wiro_client.errors import InvalidInputError


def main() -> None:
    with Wiro() as client:
        try:
            client.run(
                "wiro/instant-id",
                {"prompt": "a portrait", "steps": "many", "scheduler": "fastest", "sead": 1},
            )
        except InvalidInputError as error:
            print(error)
            for problem in error.problems:
                print(f"argument {problem.argument!r}, on the wire {problem.wire_name!r}")


if __name__ == "__main__":
    main()
