"""The manifest: which files generation wrote, with their hashes, in a stable text form."""

from __future__ import annotations

import hashlib
import json

from .. import __version__

MANIFEST = ".wirogen-manifest.json"


def render_manifest(files: dict[str, str]) -> str:
    entries = {
        path: hashlib.sha256(text.encode("utf-8")).hexdigest()
        for path, text in sorted(files.items())
    }
    document = {"generator": f"wirogen {__version__}", "files": entries}
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def manifest_files(text: str) -> list[str]:
    """Paths a manifest lists; an unreadable manifest lists nothing (nothing will be removed)."""
    try:
        document = json.loads(text)
        files = document["files"]
    except (ValueError, KeyError, TypeError):
        return []
    if not isinstance(files, dict):
        return []
    return sorted(str(path) for path in files)
