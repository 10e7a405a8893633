"""A batch: run one model over many inputs, a few tasks at a time; one outcome per input.

A failed input does not stop the others, and a Run refused for the project's concurrency
limit is submitted again after a pause.

python examples/run_many.py
"""

from wiro_client import Wiro

PORTRAIT = "https://cdn.wiro.ai/uploads/sampleinputs/input-portrait-2.jpg"
PROMPTS = ["a sailor", "an astronaut", "a knight", "a chef"]


def main() -> None:
    inputs = [{"input_image_url": PORTRAIT, "prompt": f"a portrait of {p}"} for p in PROMPTS]
    with Wiro() as client:
        items = client.run_many("wiro/instant-id", inputs, concurrency=2, timeout=900)
    for item in items:
        if item.ok and item.result is not None:
            print(f"{item.inputs['prompt']}: {item.result.outputs[0].url}")
        else:
            print(f"{item.inputs['prompt']}: failed: {item.error}")
    print(f"{sum(item.ok for item in items)} of {len(items)} succeeded")


if __name__ == "__main__":
    main()
