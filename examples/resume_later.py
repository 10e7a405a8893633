"""Start a task in one process and collect it in another (a web request and a worker, or
today and tomorrow): the saved JSON holds ids, never credentials.

python examples/resume_later.py start task.json
python examples/resume_later.py finish task.json
"""

import json
import sys
from pathlib import Path

from wiro_client import Task, Wiro

PORTRAIT = "https://cdn.wiro.ai/uploads/sampleinputs/input-portrait-2.jpg"


def start(saved: Path) -> None:
    with Wiro() as client:
        task = client.models.wiro.instant_id.run(input_image_url=PORTRAIT)
        saved.write_text(json.dumps(task.to_dict()), encoding="utf-8")
        print(f"started task {task.id}; saved to {saved}")


def finish(saved: Path) -> None:
    with Wiro() as client:
        task = Task.from_dict(json.loads(saved.read_text(encoding="utf-8")), client)
        result = task.wait(timeout=600)
        print(f"task {task.id}: {result.status} -> {result.outputs[0].url}")


if __name__ == "__main__":
    command, path = sys.argv[1], Path(sys.argv[2])
    {"start": start, "finish": finish}[command](path)
