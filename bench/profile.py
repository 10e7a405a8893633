"""Where the time goes: cProfile over a cold, a no-op and a one-changed ``wirogen generate``.

Each run is a fresh process profiled from its first import. The cold run builds in one process
(``jobs=1``) so every stage shows; the real command spreads the same work over the cores.
"""

from __future__ import annotations

import pstats
import shutil
import subprocess
import sys
from pathlib import Path

from .synth import ROOT

STAGES = [
    ("read spec files", "load/__init__.py", "read_sources"),
    ("read previous output", "write/writer.py", "read_previous"),
    ("fingerprint", "pipeline.py", "fingerprint"),
    ("YAML with locations", "yaml_source.py", "parse_yaml"),
    ("meta-schema check", "metaschema.py", "check_structure"),
    ("normalise to IR", "normalize/model.py", "build_model"),
    ("JSON Schemas", "emit/schemas.py", "schema_file"),
    ("input models (datamodel-code-generator)", "emit/types.py", "input_model_source"),
    ("client modules (Jinja)", "emit/client.py", "resource_file"),
    ("doc pages (Jinja)", "emit/docs.py", "model_page"),
    ("catalogue-wide files", "emit/units.py", "render_shared"),
    ("manifest", "write/manifest.py", "render_manifest"),
    ("write files", "write/writer.py", "write_output"),
    ("Jinja compiling templates (within the Jinja rows)", "jinja2/environment.py", "compile"),
]

_RUN = """
import cProfile, sys
profiler = cProfile.Profile()
profiler.enable()
from generator.cli import main
import generator.pipeline as pipeline
_render = pipeline.render_sources
pipeline.render_sources = lambda s, p=None, jobs=None: _render(s, p, jobs=1)
import generator.cli as cli
cli.render_sources = pipeline.render_sources
main(sys.argv[2:])
profiler.disable()
profiler.dump_stats(sys.argv[1])
"""


def _profile(stats_file: Path, args: list[str]) -> pstats.Stats:
    subprocess.run(
        [sys.executable, "-c", _RUN, str(stats_file), *args],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return pstats.Stats(str(stats_file))


def _stages(stats: pstats.Stats) -> tuple[float, list[tuple[str, float]]]:
    raw = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in raw.values())  # every profiled moment, imports included
    found = []
    for label, file_end, name in STAGES:
        cumulative = sum(
            ct
            for (filename, _, function), (_, _, _, ct, _) in raw.items()
            if function == name and filename.endswith(file_end)
        )
        if cumulative:
            found.append((label, cumulative))
    main = sum(
        ct
        for (filename, _, function), (_, _, _, ct, _) in raw.items()
        if function == "main" and filename.endswith("generator/cli.py")
    )
    if total - main > 0.001:  # cProfile's accounting can make this a hair negative when tiny
        found.append(("start-up: imports before main()", total - main))
    return total, found


def profile_report(specs: Path, work: Path) -> str:
    work.mkdir(parents=True, exist_ok=True)
    out = work / "out"
    shutil.rmtree(out, ignore_errors=True)
    args = ["generate", "--specs", str(specs), "--out", str(out)]
    runs = {"cold (one process)": _profile(work / "cold.prof", args)}
    runs["nothing changed"] = _profile(work / "noop.prof", args)
    victim = sorted((specs / "models").rglob("*.yaml"))[
        len(list((specs / "models").rglob("*.yaml"))) // 2
    ]
    original = victim.read_bytes()
    try:
        victim.write_bytes(original.replace(b"\ndescription: ", b"\ndescription: Profiled. ", 1))
        runs["one spec changed"] = _profile(work / "one.prof", args)
    finally:
        victim.write_bytes(original)
    models = len(list((specs / "models").rglob("*.yaml")))
    lines = [
        f"## Where the time goes ({models} models, cProfile, one process)",
        "",
        "Cumulative time per stage as a share of the profiled run (profiling roughly doubles "
        "Python-heavy stages; the shares are what matters). Imports made on first use (PyYAML, "
        "Jinja, datamodel-code-generator's ~0.5 s first call) count in the stage that needs them; "
        "what is not listed is glue.",
        "",
        "| run | profiled total | stage | time | share |",
        "| --- | --- | --- | --- | --- |",
    ]
    for run, stats in runs.items():
        total, stages = _stages(stats)
        for i, (label, seconds) in enumerate(sorted(stages, key=lambda s: -s[1])):
            head = f"| {run} | {total:.2f} s" if i == 0 else "| |"
            lines.append(f"{head} | {label} | {seconds:.3f} s | {seconds / total:.0%} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(profile_report(Path(sys.argv[1]), ROOT / "bench" / ".work" / "profile"))
