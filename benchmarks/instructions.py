"""Count the instructions of sphinx_dgx builds and hand-written builds of a synthetic site (callgrind).

Time on a shared machine drifts by tens of percent from one build to the next, so five pairs of
timed builds (``benchmarks/bench.py``) cannot tell 1.03 from 1.10 reliably. The number of machine
instructions a build executes does not drift: counted by valgrind's callgrind, the same build
gives the same count to within a small fraction of a percent, whatever else the machine runs.
It is not time (a cache miss costs more than an instruction, and waiting for the disk costs
none), but it tells whether a change made a build do less work, and by how much.

The site has ``--reports`` reports (default 400: twenty pages of twenty cards, the timed
benchmark's density at a fifth of its size: a build runs some fifty times slower under callgrind).
The measures, each a sphinx_dgx build and a hand-written build run side by side (one per core):

- warm, cards only (``-D dgx_report_pages=0``): a fresh environment and output folder, with the
  ``dgx-cache`` of an earlier build in the same folder kept / a fresh hand-written build;
- a rebuild with no change of each, in the same folders.

Both run with ``PYTHONHASHSEED=0``, and sphinx_dgx's modules compiled first. The files are written
more than :data:`sphinx_dgx.facts.RACY_NS` before the first build, so that no build hashes them
again (a file changed within two seconds of a build is hashed again by the next one).

Needs valgrind (Debian: ``apt-get install valgrind``). Writes ``docs/_build/bench/instructions-N.json``
(N: the number of reports) and, with ``--write-docs``, the table in ``docs/benchmarks.md`` between
``<!-- instructions:start -->`` and ``<!-- instructions:end -->``. ``nox -s bench`` counts the same
measures at its own size and judges their targets on the counts (``benchmarks/bench.py``).

Usage::

    nox -s instructions
    nox -s instructions -- --reports 200 --groups 10 --write-docs
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
import synthetic  # noqa: E402

RESULTS = bench.ROOT / "docs" / "_build" / "bench" / "instructions-{reports}.json"
"""Where a run's counts are saved, by the number of reports (a run at one size keeps another's)."""
START, END = "<!-- instructions:start -->", "<!-- instructions:end -->"
COLLECTED = re.compile(r"^==\d+== Collected : (\d+)\s*$", re.M)


def command(src: Path, out: Path, *extra: str) -> list[str]:
    """``sphinx-build -b html`` of *src* into ``out/html`` (doctrees in ``out/doctrees``)."""
    return [
        sys.executable, "-m", "sphinx", "-q", "-b", "html", *extra,
        "-d", str(out / "doctrees"), str(src), str(out / "html"),
    ]  # fmt: skip


def environment() -> dict[str, str]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "NO_COLOR": "1"}
    env.pop("SPHINXOPTS", None)
    return env


def build(src: Path, out: Path, *extra: str) -> None:
    """A build as a user runs it, not counted (to make the cache a warm build starts from)."""
    done = subprocess.run(command(src, out, *extra), env=environment(), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(
            f"sphinx-build failed ({src} into {out}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
        )


def counted(builds: dict[str, list[str]], logs: Path) -> dict[str, int]:
    """Run each command under callgrind, all at once (one per core); the instructions of each. When
    one fails, the others are stopped (a failed count is no figure)."""
    logs.mkdir(parents=True, exist_ok=True)
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
    running: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for side, argv in builds.items():
            with open(logs / f"{side}.log", "wb") as log:  # the child keeps its own copy of the file
                command = [*valgrind, *argv]
                running[side] = subprocess.Popen(command, stdout=log, stderr=log, env=environment())
        counts = {}
        for side, process in running.items():
            status = process.wait()
            text = (logs / f"{side}.log").read_text(encoding="utf-8", errors="replace")
            found = COLLECTED.search(text)
            if status or found is None:
                raise SystemExit(f"{side}: the build under callgrind failed (exit {status}):\n{text[-3000:]}")
            counts[side] = int(found.group(1))
            print(f"  {side:<5} {counts[side] / 1e9:8.3f} billion instructions", flush=True)
        return counts
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()


MEASURES = {
    "warm_cards": "Full build, warm, cards only",
    "noop_cards": "Rebuild with no change, cards only",
}
"""The measures counted: the keys of the timed benchmark's measures they count (``bench.MEASURES``)."""


def count(project: synthetic.Project, work: Path) -> dict[str, dict[str, Any]]:
    """Count each of :data:`MEASURES` on *project* (written more than
    :data:`sphinx_dgx.facts.RACY_NS` ago), in folders under *work*: its label, the instructions of
    each side and their ratio."""
    cards = bench.CARDS.overrides
    dgx, hand = work / "dgx", work / "hand"
    for folder in (dgx, hand):
        shutil.rmtree(folder, ignore_errors=True)
    print("An earlier build of sphinx_dgx (not counted), whose cache the warm build keeps ...")
    build(project.dgx, dgx, *cards)
    shutil.rmtree(dgx / "html")
    for entry in (dgx / "doctrees").iterdir():
        if entry.name != "dgx-cache":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    measures: dict[str, dict[str, Any]] = {}
    for key, label in MEASURES.items():
        print(f"{label}, under callgrind (dgx and hand side by side) ...")
        counts = counted(
            {"dgx": command(project.dgx, dgx, *cards), "hand": command(project.hand, hand)},
            work / "logs" / key,
        )
        measures[key] = {"label": label, **counts, "ratio": counts["dgx"] / counts["hand"]}
        print(f"  dgx/hand {measures[key]['ratio']:.3f}x")
    return measures


def valgrind_version() -> str:
    return subprocess.run(["valgrind", "--version"], capture_output=True, text=True).stdout.strip()


def run(args: argparse.Namespace) -> dict[str, Any]:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    work = args.work.resolve()
    started = time.perf_counter()
    print(f"Generating {args.reports} reports, {args.groups} groups, {args.years} years under {work} ...")
    project = synthetic.plan(work / "project", args.groups, args.reports, args.years, args.seed)
    synthetic.write(project, random.Random(args.seed + 1))
    bench.compile_package()
    bench.wait_until_settled()
    measures = count(project, work)
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": bench.machine(),
        "size": {
            "reports": len(project.reports),
            "groups": len(project.groups),
            "years": args.years,
            "pages": len(project.groups) + 1,
            "seed": args.seed,
        },
        "valgrind": valgrind_version(),
        "measures": measures,
        "wall_s": time.perf_counter() - started,
    }


def markdown(r: dict[str, Any]) -> str:
    s, m = r["size"], r["machine"]
    lines = [
        f"Counted on {r['date']} with {r['valgrind']} ({r['wall_s'] / 60:.1f} minutes in all), "
        f"sphinx-dgx at {m.get('commit') or 'an unknown commit'}; {s['reports']} reports in "
        f"{s['groups']} working groups over {s['years']} years ({s['pages']} pages, seed {s['seed']}).",
        "",
        "| Measure | sphinx_dgx | hand-written | dgx/hand |",
        "| --- | --- | --- | --- |",
    ]
    for measure in r["measures"].values():
        lines.append(
            f"| {measure['label']} | {measure['dgx'] / 1e9:.2f} billion "
            f"| {measure['hand'] / 1e9:.2f} billion | {measure['ratio']:.3f}x |"
        )
    return "\n".join(lines)


def write_docs(r: dict[str, Any], page: Path = bench.DOCS_PAGE) -> None:
    bench.replace_between(page, START, END, markdown(r))
    print(f"Rewrote the instruction counts in {page}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    bench.size_arguments(parser, reports=400, groups=20)
    parser.add_argument(
        "--work",
        type=Path,
        default=bench.ROOT / "docs" / "_build" / "bench" / "instructions",
        help="scratch folder",
    )
    parser.add_argument(
        "--write-docs", action="store_true", help=f"rewrite the counts in {bench.DOCS_PAGE.name}"
    )
    args = parser.parse_args(argv)
    results = run(args)
    saved = Path(str(RESULTS).format(reports=results["size"]["reports"]))
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(markdown(results))
    print(f"Results: {saved}")
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
