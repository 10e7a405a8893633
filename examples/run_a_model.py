"""Run a model, wait for it to finish and download what it made.

python examples/run_a_model.py [OUT_DIR]
"""

import sys

from wiro_client import Wiro

PORTRAIT = "https://cdn.wiro.ai/uploads/sampleinputs/input-portrait-2.jpg"


def main(out: str) -> None:
    with Wiro() as client:  # WIRO_API_KEY and WIRO_API_SECRET (and WIRO_BASE_URL) from the env
        task = client.models.wiro.instant_id.run(
            input_image_url=PORTRAIT,
            prompt="a portrait in the style of a renaissance painting",
            steps=30,
        )
        print(f"started task {task.id}")
        result = task.wait(timeout=600, on_status=lambda r: print(f"  {r.status}"))
        print(f"done: {result.status}, cost ${result.cost or 0:.4f}")
        for output in result.outputs:
            print(f"saved {output.download(out)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "out/")
