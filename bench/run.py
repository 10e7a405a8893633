"""``make bench``: every catalogue-scale target of issue 6, measured, in one table.

For N = 3 (the repository's specs), 300 and 1,000 (bench/synth.py) it times wirogen against
openapi-python-client and datamodel-code-generator on the same models in the same run, each
figure's median and range over several runs, and measures the generated package (import, first
access, memory, per-call overhead, the async client against FakeWiro, mypy --strict). The last
run's table, the machine and the date go to bench/RESULTS.md, with a profile of where the time
goes (bench/profile.py).

The comparison tools live in their own virtualenv (bench/.work/venv): openapi-python-client pins
its own ruff and typer, and datamodel-code-generator's black+isort formatting needs isort, none
of which wirogen's environment should carry.

Environment: BENCH_SIZES (default "3,300,1000"), BENCH_RUNS (default 5; the slow external tools
run max(3, BENCH_RUNS // 2) times), BENCH_MYPY=0 to skip the mypy row.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .openapi import json_schema_document, openapi_document
from .synth import ROOT, catalogue, write_catalogue

WORK = ROOT / "bench" / ".work"
VENV = WORK / "venv"
BENCH_TOOLS = [
    "openapi-python-client",
    "fastjsonschema",
    "jsonschema",
    "isort",
    "httpx",
    "pydantic>=2",
]
PYTHON = sys.executable


@dataclass
class Row:
    what: str
    n: int | str
    samples: list[float] = field(default_factory=list)
    unit: str = "s"
    target: str = ""
    limit: float | None = None
    """The target as a number in ``unit`` (met when the median is at most this)."""
    versus: str | None = None
    """``what`` of the row this one is compared with (ratio = this median / that median)."""
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None


@dataclass
class Bench:
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.what} [N={row.n}]: {_figure(row)}", flush=True)
        return row

    def find(self, what: str, n: int | str) -> Row | None:
        return next((r for r in self.rows if r.what == what and r.n == n), None)


def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "us":
        return f"{value:.1f} us"
    if unit == "MB":
        return f"{value:.1f} MB"
    return f"{value:g} {unit}"


def _figure(row: Row) -> str:
    if row.median is None:
        return row.note or "n/a"
    return _fmt(row.median, row.unit)


def timed(
    cmd: Sequence[str], runs: int, before: Callable[[], None] | None = None, **kw: object
) -> list[float]:
    """Wall seconds of ``cmd`` per run (``before`` runs untimed before each)."""
    samples = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, **kw)  # type: ignore[call-overload]
        samples.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, cmd))} failed:\n{proc.stdout}\n{proc.stderr}")
    return samples


# --- Set-up -------------------------------------------------------------------------------------


def bench_python() -> str:
    """The comparison tools' interpreter, installed on first use."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    dcg = _pinned("datamodel-code-generator")
    wanted = "\n".join([*BENCH_TOOLS, dcg])
    if not stamp.exists() or stamp.read_text() != wanted:
        print("bench: installing openapi-python-client and friends in bench/.work/venv", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *BENCH_TOOLS, dcg], check=True
        )
        stamp.write_text(wanted)
    return str(python)


def _pinned(name: str) -> str:
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    line = next(line for line in text.splitlines() if f'"{name}==' in line)
    return line.strip().strip('",')


def specs_for(n: int) -> Path:
    """A specs folder of ``n`` models: the repository's own for 3, synthetic otherwise."""
    if n == 3:
        return ROOT / "specs"
    folder = WORK / f"specs{n}"
    marker = folder / ".complete"
    # The catalogue copies the repository's provider specs: written again when they change.
    providers = sorted((ROOT / "specs" / "providers").glob("*.yaml"))
    key = hashlib.sha256(b"".join(p.read_bytes() for p in providers)).hexdigest()
    if not marker.exists() or marker.read_text() != key:
        shutil.rmtree(folder, ignore_errors=True)
        write_catalogue(n, folder)
        marker.write_text(key)
    return folder


def compile_bytecode(*folders: Path) -> None:
    """Write .pyc files, as an installed package has (PYTHONDONTWRITEBYTECODE may be set here)."""
    for folder in folders:
        subprocess.run(
            [PYTHON, "-m", "compileall", "-q", str(folder)], check=True, capture_output=True
        )


def wirogen(*args: str) -> list[str]:
    return [PYTHON, "-m", "generator", *args]


# --- Generator rows -----------------------------------------------------------------------------


def generator_rows(bench: Bench, n: int, runs: int, slow_runs: int, tools: str) -> Path:
    specs = specs_for(n)
    out = WORK / f"out{n}"
    spec_args = ["--specs", str(specs)]

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)

    bench.add(
        Row(
            "wirogen generate, cold (fresh output folder)",
            n,
            timed(wirogen("generate", *spec_args, "--out", str(out)), slow_runs, fresh, cwd=ROOT),
            target="<= 5 s at 1,000; faster than openapi-python-client",
            limit=5.0 if n == 1000 else None,
            versus="openapi-python-client, equivalent OpenAPI document",
        )
    )
    bench.add(
        Row(
            "wirogen generate, nothing changed",
            n,
            timed(wirogen("generate", *spec_args, "--out", str(out)), runs, cwd=ROOT),
            target="<= 0.3 s at 1,000",
            limit=0.3 if n == 1000 else None,
        )
    )
    clone = WORK / f"clone{n}"

    def fresh_clone() -> None:  # new files with new times: only the bytes are the same
        shutil.rmtree(clone, ignore_errors=True)
        shutil.copytree(out, clone, copy_function=shutil.copyfile)

    bench.add(
        Row(
            "wirogen generate, nothing changed, fresh clone",
            n,
            timed(
                wirogen("generate", *spec_args, "--out", str(clone)), runs, fresh_clone, cwd=ROOT
            ),
            target="<= 0.3 s at 1,000",
            limit=0.3 if n == 1000 else None,
        )
    )
    bench.add(
        Row(
            "wirogen check, nothing changed",
            n,
            timed(wirogen("check", *spec_args, "--out", str(out)), runs, cwd=ROOT),
            target="<= no-op budget + reading the files",
            limit=0.3 if n == 1000 else None,
        )
    )
    if n != 3:
        for label, edit in (
            ("its description", _edit_description),
            ("an input's help", _edit_help),
        ):
            victim = sorted((specs / "models").rglob("*.yaml"))[n // 2]
            original = victim.read_bytes()
            flips = iter(range(10_000))
            try:
                samples = timed(
                    wirogen("generate", *spec_args, "--out", str(out)),
                    runs,
                    _rewrite(victim, original, edit, flips),
                    cwd=ROOT,
                )
            finally:
                victim.write_bytes(original)
                subprocess.run(
                    wirogen("generate", *spec_args, "--out", str(out)),
                    cwd=ROOT,
                    capture_output=True,
                )
            bench.add(
                Row(
                    f"wirogen generate, one spec changed ({label})",
                    n,
                    samples,
                    target="<= 0.5 s at 1,000",
                    limit=0.5 if n == 1000 else None,
                )
            )
    if n != 3:
        diff_row(bench, n, runs)
        comparison_rows(bench, n, slow_runs, tools)
    return out


def diff_row(bench: Bench, n: int, runs: int) -> None:
    """``wirogen diff --base HEAD`` in a git repository of the catalogue, one spec edited."""
    repo = WORK / f"diff{n}"
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(specs_for(n), repo / "specs")
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "catalogue"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    victim = sorted((repo / "specs" / "models").rglob("*.yaml"))[n // 2]
    samples = timed(
        wirogen("diff", "--base", "HEAD", "--specs", str(repo / "specs")),
        runs,
        _rewrite(victim, victim.read_bytes(), _edit_help, iter(range(10_000))),
        cwd=ROOT,
    )
    bench.add(
        Row(
            "wirogen diff --base HEAD, one spec changed (an input's help)",
            n,
            samples,
            target="< 1 s at 1,000",
            limit=1.0 if n == 1000 else None,
        )
    )


def _rewrite(
    spec: Path, original: bytes, edit: Callable[[bytes, int], bytes], count: Iterator[int]
) -> Callable[[], None]:
    """Before each timed run: the spec with a new edit, so exactly one spec differs each time."""

    def rewrite() -> None:
        spec.write_bytes(edit(original, next(count)))

    return rewrite


def _edit_description(data: bytes, i: int) -> bytes:
    return data.replace(b"\ndescription: ", f"\ndescription: Edit {i}. ".encode(), 1)


def _edit_help(data: bytes, i: int) -> bytes:
    """A new help text for the first input: its input model changes too (the help is a field's
    description there), so datamodel-code-generator has to run."""
    text = data.decode("utf-8")
    lines = text.splitlines(keepends=True)
    for k, line in enumerate(lines):
        if line.lstrip().startswith("help: "):
            indent = line[: len(line) - len(line.lstrip())]
            lines[k] = f"{indent}help: Edited help text {i}.\n"
            return "".join(lines).encode()
    raise ValueError("no input with a help text to edit")


def comparison_rows(bench: Bench, n: int, runs: int, tools: str) -> None:
    specs = catalogue(n)
    doc = WORK / f"openapi{n}.json"
    doc.write_text(json.dumps(openapi_document(specs)), "utf-8")
    schema = WORK / f"schema{n}.json"
    schema.write_text(json.dumps(json_schema_document(specs)), "utf-8")
    bindir = str(Path(tools).parent)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"}
    opc_out = WORK / f"opc{n}"
    bench.add(
        Row(
            "openapi-python-client, equivalent OpenAPI document",
            n,
            timed(
                [
                    f"{bindir}/openapi-python-client",
                    "generate",
                    "--path",
                    str(doc),
                    "--output-path",
                    str(opc_out),
                    "--meta",
                    "none",
                    "--overwrite",
                ],
                runs,
                lambda: shutil.rmtree(opc_out, ignore_errors=True),
                env=env,
                cwd=WORK,
            ),
            note="its ruff post-hooks included",
        )
    )
    dcg = f"{bindir}/datamodel-codegen"
    base = [
        dcg,
        "--input",
        str(schema),
        "--input-file-type",
        "jsonschema",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--target-python-version",
        "3.11",
        "--disable-timestamp",
        "--output",
    ]
    variants = [("black+isort", ["--formatters", "black", "isort"])]
    if n == 1000:
        variants += [
            ("builtin formatter", ["--formatters", "builtin"]),
            ("no formatter", ["--no-formatters"]),
        ]
    for label, extra in variants:
        bench.add(
            Row(
                f"datamodel-code-generator, all models in one schema ({label})",
                n,
                timed([*base, str(WORK / f"dcg{n}.py"), *extra], runs, env=env, cwd=WORK),
            )
        )


# --- Generated package rows ---------------------------------------------------------------------


def probe(python: str, *args: str) -> dict[str, object]:
    proc = subprocess.run(
        [python, "-m", "bench.probes", *args], capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        raise RuntimeError(f"probe {args[0]} failed:\n{proc.stderr}")
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def package_rows(bench: Bench, n: int, out: Path, runs: int, tools: str) -> None:
    package = out / "python"
    compile_bytecode(package)
    imports = [probe(tools, "import", str(package)) for _ in range(max(runs, 7))]
    with_models = [probe(tools, "import", str(package), "models") for _ in range(max(runs, 7))]
    loaded = sorted({str(m) for p in imports for m in p["model_modules"]})  # type: ignore[attr-defined]
    bench.add(
        Row(
            "import httpx + pydantic (baseline)",
            n,
            [float(str(p["base"])) * 1000 for p in imports],
            unit="ms",
        )
    )
    bench.add(
        Row(
            "import wiro_client, on top of httpx + pydantic",
            n,
            [float(str(p["package"])) * 1000 for p in imports],
            unit="ms",
            target="<= 50 ms, no model module imported",
            limit=50.0 if n == 1000 else None,
            note=f"model modules imported: {len(loaded)}; includes pydantic's model machinery",
        )
    )
    bench.add(
        Row(
            "import httpx + pydantic with BaseModel loaded (baseline)",
            n,
            [float(str(p["base"])) * 1000 for p in with_models],
            unit="ms",
        )
    )
    bench.add(
        Row(
            "import wiro_client, on top of httpx + pydantic with BaseModel",
            n,
            [float(str(p["package"])) * 1000 for p in with_models],
            unit="ms",
            target="<= 50 ms, no model module imported",
            limit=50.0 if n == 1000 else None,
        )
    )
    owner, model = _a_model(out)
    firsts = [probe(tools, "first", str(package), owner, model) for _ in range(max(runs, 7))]
    bench.add(
        Row(
            f"first access of client.models.{owner}.{model}",
            n,
            [float(str(p["first_access"])) * 1000 for p in firsts],
            unit="ms",
            target="<= 5 ms",
            limit=5.0 if n == 1000 else None,
            note=f"via {firsts[0]['via']}",
        )
    )
    bench.add(
        Row(
            "memory after touching one model, above the bare import",
            n,
            [float(str(p["rss_delta_mb"])) for p in firsts],
            unit="MB",
            target="within a few MB",
            limit=5.0 if n == 1000 else None,
        )
    )


def _a_model(out: Path) -> tuple[str, str]:
    """The owner and model of instant-id when present, else of a model with a long select."""
    manifest = json.loads((out / ".wirogen-manifest.json").read_text("utf-8"))
    entries = [m["entry"] for m in manifest["models"].values()]
    chosen = next((e for e in entries if e["slug_attr"] == "instant_id"), None)
    chosen = chosen or next(
        e for e in sorted(entries, key=lambda e: e["source"]) if e["owner_attr"] == "wiro"
    )
    return chosen["owner_attr"], chosen["slug_attr"]


def client_rows(bench: Bench, tools: str) -> None:
    """Per-call overhead and the async swarm: the repository's package (instant-id is in it)."""
    package = ROOT / "generated" / "python"
    calls = [probe(tools, "percall", str(package)) for _ in range(3)]
    for key, label, target, limit in (
        (
            "overhead",
            "per call: client validate + serialise + sign (instant-id input)",
            "<= 20 us",
            20.0,
        ),
        ("client", "per call: run() through httpx, answered in memory (same input)", "", None),
    ):
        values = [c[key] for c in calls]
        bench.add(
            Row(
                label,
                "-",
                [float(str(v)) for v in values if isinstance(v, float)],
                unit="us",
                target=target,
                limit=limit,
                note=str(values[0]) if not isinstance(values[0], float) else "",
            )
        )
    for key, label in (
        ("pydantic", "per call: pydantic model_validate, same input"),
        ("fastjsonschema", "per call: fastjsonschema, same input"),
        ("json_dumps", "per call: json.dumps, same input"),
        ("jsonschema", "per call: jsonschema prebuilt validator, same input"),
    ):
        bench.add(Row(label, "-", [float(str(c[key])) for c in calls], unit="us"))
    for mode, label in (
        ("plain", "AsyncWiro, 1,000 concurrent run() + wait() vs FakeWiro"),
        ("batch", "AsyncWiro.run_many, 1,000 tasks, concurrency 1,000 vs FakeWiro"),
    ):
        swarm = probe(tools, "swarm", str(package), "1000", mode)
        if swarm.get("result") == "ok":
            per_task = float(str(swarm["detail_per_task"]))
            seconds = [float(str(swarm["seconds"]))]
            note = f"{per_task:.1f} Detail calls per task"
            bench.add(Row(label, 1000, seconds, target="no error, bounded connections", note=note))
        else:
            bench.add(Row(label, 1000, target="no error", note=str(swarm["result"])))


_TRACKING = """
import json, sys
from wiro_client.testing import Outcome
from wiro_client.testing.__main__ import measure
runs = int(sys.argv[1])
out = {}
for socket in (True, False):
    calls, seen = measure(60.0, runs, socket=socket)
    _, fatal = measure(2.0, runs, socket=socket, outcome=Outcome.fatal_error)
    out["socket" if socket else "polling"] = {"calls": calls, "seen": seen, "fatal": fatal}
print(json.dumps(out))
"""


def tracking_rows(bench: Bench, runs: int = 20) -> None:
    """Issue 12's figures on FakeWiro's virtual clock, through the repository's package: Detail
    calls per 60 s task, detection latency after the final status, and how soon a task that
    fails before running (task_error) is reported; on the socket and polling."""
    package = ROOT / "generated" / "python"
    done = subprocess.run(
        [PYTHON, "-c", _TRACKING, str(runs)],
        cwd=package,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout)
    for how, label in (("socket", "on the socket"), ("polling", "polling, no socket")):
        got = figures[how]
        on_socket = how == "socket"
        bench.add(
            Row(
                f"Detail calls per 60 s task, {label}",
                runs,
                [float(c) for c in got["calls"]],
                unit="calls",
                target="<= 3" if on_socket else "",
                limit=3.0 if on_socket else None,
            )
        )
        bench.add(
            Row(
                f"detection latency after the final status, {label}",
                runs,
                [float(v) for v in got["seen"]],
                target="< 0.5 s" if on_socket else "",
                limit=0.5 if on_socket else None,
            )
        )
        bench.add(
            Row(
                f"fatal task_error reported after, {label}",
                runs,
                [float(v) for v in got["fatal"]],
                target="< 10 s",
                limit=10.0,
            )
        )


def single_spec_rows(bench: Bench, runs: int) -> None:
    """Cold generation of one huge spec at three sizes: time per size and growth per doubling."""
    from .single import many_inputs, many_options, write_single

    for label, make, sizes in (
        ("one spec: a select of N options, generate cold", many_options, (1250, 2500, 5000)),
        ("one spec: a model of N inputs, generate cold", many_inputs, (75, 150, 300)),
    ):
        previous: float | None = None
        for size in sizes:
            specs = write_single(make(size), WORK / f"single-{size}-{make.__name__}")
            out = WORK / f"single-out-{size}-{make.__name__}"

            def fresh(out: Path = out) -> None:
                shutil.rmtree(out, ignore_errors=True)

            samples = timed(
                wirogen("generate", "--specs", str(specs), "--out", str(out)), runs, fresh, cwd=ROOT
            )
            median = statistics.median(samples)
            note = "" if previous is None else f"x{median / previous:.2f} for twice the size"
            bench.add(Row(label, size, samples, target="linear: about x2 per doubling", note=note))
            previous = median


def mypy_row(bench: Bench, out: Path, n: int) -> None:
    package = out / "python"
    cache = WORK / f"mypy-cache{n}"
    shutil.rmtree(cache, ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PYTHON, "-m", "mypy", "--strict", "--cache-dir", str(cache), "wiro_client"],
        cwd=package,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - t0
    verdict = "passes" if proc.returncode == 0 else "FAILS: " + proc.stdout.strip().splitlines()[-1]
    bench.add(
        Row(
            "mypy --strict over the generated package (cold cache)",
            n,
            [elapsed],
            target="passes",
            note=verdict,
        )
    )


# --- The table ----------------------------------------------------------------------------------


def table(bench: Bench) -> str:
    lines = [
        "| what | N | median | range | runs | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in bench.rows:
        if row.median is None:
            lines.append(f"| {row.what} | {row.n} | {row.note or 'n/a'} | | 0 | | {row.target} | |")
            continue
        spread = f"{_fmt(min(row.samples), row.unit)} - {_fmt(max(row.samples), row.unit)}"
        ratio = ""
        other = bench.find(row.versus, row.n) if row.versus else None
        if other is not None and other.median:
            ratio = f"{row.median / other.median:.2f}x vs {other.what.split(',')[0]}"
        met = ""
        if row.limit is not None:
            over = row.median - row.limit
            small = row.unit == "s" and over < 1
            excess = f"{over * 1000:.0f} ms" if small else _fmt(over, row.unit)
            met = "yes" if over <= 0 else f"no (+{excess})"
        if row.versus and other is not None and other.median and row.n != 3:
            faster = row.median < other.median
            met = (met + "; " if met else "") + ("faster" if faster else "slower") + " than it"
        figure = _fmt(row.median, row.unit) + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {row.what} | {row.n} | {figure} | {spread} | {len(row.samples)} | {ratio} | {row.target} | {met} |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    one, five, fifteen = os.getloadavg()
    load = f", load average {one:.2f} {five:.2f} {fifteen:.2f} at start"
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}{load}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def main() -> int:
    if sys.argv[1:] == ["tracking"]:  # python -m bench.run tracking: these rows alone
        bench = Bench()
        tracking_rows(bench)
        print(table(bench))
        return 0
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "3,300,1000").split(",")]
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    slow_runs = max(3, runs // 2)
    WORK.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now().astimezone()
    host = machine()
    tools = bench_python()
    compile_bytecode(ROOT / "generator")
    bench = Bench()
    outs: dict[int, Path] = {}
    for n in sizes:
        print(f"bench: N = {n}", flush=True)
        outs[n] = generator_rows(bench, n, runs, slow_runs, tools)
        package_rows(bench, n, outs[n], runs, tools)
    client_rows(bench, tools)
    tracking_rows(bench)
    single_spec_rows(bench, max(3, runs // 2))
    largest = max(sizes)
    if os.environ.get("BENCH_MYPY", "1") != "0":
        mypy_row(bench, outs[largest], largest)
    from .profile import profile_report

    profile = profile_report(specs_for(largest), WORK / "profile")
    text = table(bench)
    print()
    print(text)
    print()
    print(profile)
    results = (
        "# Benchmark results (`make bench`)\n\n"
        f"Last run: {started:%Y-%m-%d %H:%M %Z}; machine: {host}.\n\n"
        "Times are wall-clock medians over the runs shown, each run a fresh process; the range is "
        "min - max. Ratios compare the row with the tool named, in the same run. N = 3 is the "
        "repository's specs; 300 and 1,000 are bench/synth.py catalogues.\n\n"
        f"{text}\n\n{profile}\n"
    )
    (ROOT / "bench" / "RESULTS.md").write_text(results, "utf-8")
    print("bench: results in bench/RESULTS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
