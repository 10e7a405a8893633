"""Several tasks at once with AsyncWiro: start them all, then wait for them all.

python examples/run_concurrently.py
"""

import asyncio

from wiro_client import AsyncWiro

PORTRAIT = "https://cdn.wiro.ai/uploads/sampleinputs/input-portrait-2.jpg"
STYLES = ["an oil painting", "a charcoal sketch", "a stained-glass window"]


async def main() -> None:
    async with AsyncWiro() as client:
        model = client.models.wiro.instant_id
        tasks = [
            await model.run(input_image_url=PORTRAIT, prompt=f"a portrait as {style}")
            for style in STYLES
        ]
        results = await asyncio.gather(*(task.wait(timeout=600) for task in tasks))
        for style, result in zip(STYLES, results, strict=True):
            print(f"{style}: {result.status} -> {result.outputs[0].url}")


if __name__ == "__main__":
    asyncio.run(main())
