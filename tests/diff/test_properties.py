"""Property tests of the report.

The one that matters: for random pairs of specs (a spec and the same spec after random edits),
every change the report does not call breaking keeps a call written for the old spec valid
against the client generated from the new one. Checked by running the calls (the generated
``run()``, the runtime's validation and FakeWiro's, in the new package) and by mypy --strict
on the call sites. Hypothesis draws the pairs; the calls are then checked together: one
generated package, one FakeWiro and one mypy run for all of them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diff import Kind, diff_catalogues
from generator.diff.render import to_json, to_markdown, to_text
from generator.emit.client import runtime_files
from generator.ir import Catalogue
from generator.load import SourceFile, Sources
from generator.pipeline import build_catalogue, render_sources
from tests.conftest import ROOT
from tests.diff.strategies import a_call, a_pair, a_spec, an_edit
from tests.support.checks import mypy_strict
from tests.test_fuzz_specs import _tables_are_well_formed as tables_are_well_formed
from tests.test_fuzz_specs import specs as hostile_specs

PROVIDERS = tuple(
    SourceFile(f"specs/providers/{p.name}", p.read_bytes())
    for p in sorted((ROOT / "specs" / "providers").glob("*.yaml"))
)
FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
PAIRS = 300 if FUZZ else 40
"""Pairs without a breaking change to run and type-check, in one generated package (about
half the pairs drawn have a breaking change and are not run)."""


def source(spec: dict[str, Any]) -> SourceFile:
    name = f"specs/models/{spec['endpoint']}.yaml"
    return SourceFile(name, yaml.safe_dump(spec, sort_keys=False).encode(), name)


def catalogue(*specs: dict[str, Any]) -> Catalogue | None:
    built, _ = build_catalogue(Sources(PROVIDERS, tuple(source(s) for s in specs)))
    return built


RUNNER = '''\
"""Every call against FakeWiro; prints the ones the new client or FakeWiro refused."""
import json
import sys

from wiro_client.testing import FakeWiro

import calls

refused = {}
with FakeWiro() as fake, fake.client() as client:
    for name in calls.NAMES:
        try:
            task = getattr(calls, name)(client)
            assert task.id, "no task id"
        except Exception as exc:
            refused[name] = f"{type(exc).__name__}: {exc}"
json.dump(refused, sys.stdout)
'''


@dataclass(frozen=True)
class Checked:
    """A pair whose report has no breaking change, and a call written for its old spec."""

    old: dict[str, Any]
    new: dict[str, Any]
    call: str
    imports: str
    report: str

    def explain(self) -> str:
        dump = partial(yaml.safe_dump, sort_keys=False)
        return (
            f"{self.call}\nreport:\n{self.report}\nold:\n{dump(self.old)}\nnew:\n{dump(self.new)}"
        )


def checked_pair(data: st.DataObject, index: int) -> Checked | None:
    old, new = data.draw(a_pair(index))
    old_catalogue, new_catalogue = catalogue(old), catalogue(new)
    assert old_catalogue is not None, old
    if new_catalogue is None:
        return None  # the edits broke a spec rule: no client to call
    report = diff_catalogues(old_catalogue, new_catalogue)
    if report.count(Kind.BREAKING):
        return None
    model = old_catalogue.models[0]
    types = f"types_{model.slug_attr}"
    arguments = ", ".join(f"{name}={value}" for name, value in data.draw(a_call(model, types)))
    module = f"wiro_client.types.{model.owner_attr}.{model.slug_attr}"
    return Checked(
        old,
        new,
        f"client.models.{model.owner_attr}.{model.slug_attr}.run({arguments})",
        f"import {module} as {types}" if types in arguments else "",
        to_text(report),
    )


def write_package(folder: Path, checked: list[Checked]) -> list[str]:
    """The package generated from the new specs, with the calls in ``calls.py``; their names."""
    result = render_sources(Sources(PROVIDERS, tuple(source(c.new) for c in checked)))
    assert result.ok, result.diagnostics
    for path, text in [*runtime_files(), *result.files.items()]:
        if path.startswith("python/"):
            target = folder.parent / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    names = [f"call_{i}" for i in range(len(checked))]
    lines = ["from wiro_client import Task, Wiro", *(c.imports for c in checked if c.imports)]
    for name, c in zip(names, checked, strict=True):
        lines += ["", "", f"def {name}(client: Wiro) -> Task:", f"    return {c.call}"]
    lines += ["", "", f"NAMES = {names!r}", ""]
    (folder / "calls.py").write_text("\n".join(lines), encoding="utf-8")
    (folder / "run_calls.py").write_text(RUNNER, encoding="utf-8")
    return names


def test_calls_for_the_old_spec_still_work_unless_the_report_says_breaking(
    tmp_path: Path,
) -> None:
    checked: list[Checked] = []
    drawn = iter(range(10**6))

    @settings(max_examples=PAIRS * 3, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def collect(data: st.DataObject) -> None:
        found = checked_pair(data, next(drawn))
        if found is not None and len(checked) < PAIRS:
            checked.append(found)

    collect()
    assert len(checked) > PAIRS // 2, "too few pairs without a breaking change to say anything"
    package = tmp_path / "python"
    names = write_package(package, checked)
    explain = {name: c.explain() for name, c in zip(names, checked, strict=True)}

    ran = subprocess.run(
        [sys.executable, "run_calls.py"], cwd=package, capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    refused = json.loads(ran.stdout)
    assert not refused, "\n\n".join(f"{refused[n]}\n{explain[n]}" for n in refused)
    typed = mypy_strict(package, tmp_path / ".mypy_cache", target="calls.py")
    failing = sorted({n for n in names if re.search(rf"\b{n}\b", typed.stdout)})
    assert typed.returncode == 0, typed.stdout + "\n\n".join(explain[n] for n in failing)


@given(spec=a_spec(0), data=st.data())
def test_a_spec_against_itself_reports_nothing_and_reports_are_deterministic(
    spec: dict[str, Any], data: st.DataObject
) -> None:
    one = catalogue(spec)
    assert one is not None
    assert list(diff_catalogues(one, one).changes()) == []
    other = catalogue(data.draw(an_edit(spec)))
    if other is not None:
        assert to_text(diff_catalogues(one, other)) == to_text(diff_catalogues(one, other))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(old=hostile_specs(), new=hostile_specs())
def test_hostile_spec_text_never_breaks_a_report(old: dict[str, Any], new: dict[str, Any]) -> None:
    """Names, labels, options and defaults full of quotes, backticks, pipes, newlines and bidi
    controls: every change stays on its line, Markdown tables keep their columns, JSON parses."""
    before, after = catalogue(old), catalogue(new)
    if before is None or after is None:
        return
    report = diff_catalogues(before, after)
    changes = list(report.changes())
    text = to_text(report)
    for change in changes:
        assert "\n" not in change.line and change.line in text
    assert len(text.splitlines()) == len(changes) + 2 * len(report.entries) + 1
    tables_are_well_formed(to_markdown(report))
    assert len([c for e in json.loads(to_json(report))["entries"] for c in e["changes"]]) == len(
        changes
    )
