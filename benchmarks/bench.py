"""Benchmark sphinx_dgx against hand-written sphinx-design cards on a synthetic site.

Generates the synthetic project (``benchmarks/synthetic.py``), then times ``sphinx-build -b html``
subprocesses, interleaving the two variants (dgx, hand, dgx, hand, ...) and taking medians:

- full builds, cold (fresh doctree and output folders) and warm (for dgx, only the facts and covers
  cache ``<doctreedir>/dgx-cache`` kept from an earlier build; fresh environment and output);
- a rebuild with no change (dgx, the same folders again): time, documents re-read, thumbnails drawn;
- a rebuild after editing one report's summary in the catalogue: documents re-read;
- peak memory (maximum resident set size of the sphinx-build process);
- a ``-j auto`` build, whose HTML output is compared byte for byte with the serial build's.
- how long the facts cache takes to tell that the files are unchanged: by their stamps, and by
  hashing every one.

Prints a table, writes ``docs/_build/bench/results.json`` and, with ``--write-docs``, the table in
``docs/benchmarks.md`` between ``<!-- results:start -->`` and ``<!-- results:end -->``.

Usage::

    nox -s bench                                   # the default size, 3 runs
    nox -s bench -- --reports 200 --groups 10 --years 2 --runs 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

RESULTS = ROOT / "docs" / "_build" / "bench" / "results.json"
DOCS_PAGE = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
WARM_TARGET = 1.05

READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (.+?)\s*$", re.M)
WRITING = re.compile(r"^writing output\.\.\. \[\s*\d+%\] (.+?)\s*$", re.M)
# an extension's message may come between "updating environment:" and the counts, on its own line
UPDATING = re.compile(r"updating environment: (?:[^\n]*\n)??[^\n]*?(\d+) added, (\d+) changed, (\d+) removed")
FILES = re.compile(r"dgx: report files: (\d+) measured, (\d+) from the cache")


@dataclass
class Build:
    """One sphinx-build run."""

    label: str
    seconds: float
    max_rss_mb: float
    read: list[str] = field(default_factory=list)
    written: int = 0
    updating: tuple[int, int, int] | None = None
    measured: int | None = None
    from_cache: int | None = None
    warnings: int = 0

    @property
    def reread(self) -> int:
        return len(self.read)


def sphinx_build(label: str, src: Path, out: Path, *extra: str, fresh: bool = True) -> Build:
    """Run ``sphinx-build -b html`` on *src* into ``out/html`` (doctrees in ``out/doctrees``)."""
    html, doctrees = out / "html", out / "doctrees"
    if fresh and html.exists():
        shutil.rmtree(html)
    out.mkdir(parents=True, exist_ok=True)
    log = out / f"{label}.log"
    command = [sys.executable, "-m", "sphinx", "-b", "html", *extra, "-d", str(doctrees), str(src), str(html)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("SPHINXOPTS", None)
    with open(log, "w", encoding="utf-8") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode:
        tail = "\n".join(text.splitlines()[-30:])
        raise SystemExit(f"sphinx-build failed ({label}, exit {process.returncode}; log {log}):\n{tail}")
    updating = UPDATING.search(text)
    files = FILES.search(text)
    build = Build(
        label=label,
        seconds=seconds,
        max_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        read=READING.findall(text),
        written=len(WRITING.findall(text)),
        updating=tuple(int(n) for n in updating.groups()) if updating else None,  # type: ignore[arg-type]
        measured=int(files.group(1)) if files else None,
        from_cache=int(files.group(2)) if files else None,
        warnings=text.count("WARNING:"),
    )
    print(
        f"  {label:<28} {seconds:7.2f} s {build.max_rss_mb:7.0f} MB  read {build.reread:4d}"
        f"  written {build.written:4d}"
        + (f"  files {build.measured} measured/{build.from_cache} cached" if files else "")
        + (f"  WARNINGS {build.warnings}" if build.warnings else ""),
        flush=True,
    )
    return build


def copy_cache(source: Path, target: Path) -> None:
    """A fresh build folder holding only the facts and covers cache of *source*."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source / "doctrees" / "dgx-cache", target / "doctrees" / "dgx-cache")


def compare_trees(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two folders (missing on one side, or other bytes)."""
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    differ = sorted(names_a ^ names_b)
    for name in sorted(names_a & names_b):
        if not filecmp.cmp(a / name, b / name, shallow=False):
            differ.append(name)
    return differ


def edit_summary(catalogue: Path, report: synthetic.Report) -> str:
    """Change one report's summary in the catalogue text; returns the original text."""
    original = catalogue.read_text(encoding="utf-8")
    start = original.index(f"  - id: {report.id}\n")
    line = f"    summary: {synthetic.yaml_string(report.summary)}\n"
    at = original.index(line, start)
    changed = synthetic.yaml_string(report.summary + " This summary was edited for the benchmark.")
    catalogue.write_text(
        original[:at] + f"    summary: {changed}\n" + original[at + len(line) :], encoding="utf-8"
    )
    return original


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version()}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 2**20, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = info.get("cpu") or platform.processor() or platform.machine()
    for package in ("sphinx", "myst-parser", "sphinx-design", "furo", "pypdf", "pypdfium2", "sphinx-dgx"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = None
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(["git", "status", "--porcelain", "sphinx_dgx"], cwd=ROOT, capture_output=True)
        info["commit"] = head.stdout.strip() + (" (sphinx_dgx/ modified)" if dirty.stdout.strip() else "")
    except OSError:
        info["commit"] = None
    return info


def freshness(files: Path, scratch: Path) -> dict[str, Any]:
    """How long the facts cache takes to tell that every file is unchanged: hashing each file's
    content (a first build, or a file changed since it was hashed) against the check of its size,
    times and inode that later builds make (:meth:`sphinx_dgx.facts.FactsCache.key`). The files
    were written before the builds, long enough ago for the check to trust them."""
    from sphinx_dgx.facts import FactsCache

    paths = sorted(str(path) for path in files.iterdir())
    shutil.rmtree(scratch, ignore_errors=True)
    cache = FactsCache(scratch)
    started = time.perf_counter()
    for path in paths:
        cache.key(path)
    hashed = time.perf_counter() - started
    started = time.perf_counter()
    for path in paths:
        cache.key(path)
    checked = time.perf_counter() - started
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"  {len(paths)} files: hashing every one {hashed:.2f} s; checking them {checked * 1000:.0f} ms")
    return {"files": len(paths), "hash_all_s": hashed, "stat_check_s": checked}


def median(builds: list[Build], attribute: str = "seconds") -> float:
    return statistics.median(getattr(b, attribute) for b in builds)


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = args.work.resolve()
    print(f"Generating {args.reports} reports, {args.groups} groups, {args.years} years under {work} ...")
    started = time.perf_counter()
    project = synthetic.plan(work / "project", args.groups, args.reports, args.years, args.seed)
    timings = synthetic.write(project, random.Random(args.seed + 1))
    pdf_mb = sum(p.stat().st_size for p in project.files.iterdir()) / 2**20
    print(f"  {len(project.reports)} PDFs ({pdf_mb:.0f} MB) in {timings['pdfs']:.1f} s")
    builds = work / "builds"
    if builds.exists():
        shutil.rmtree(builds)
    pages = len(project.groups) + 1

    series: dict[str, list[Build]] = {"dgx_cold": [], "hand_cold": [], "dgx_warm": [], "hand_warm": []}
    last_warm: Path | None = None
    for i in range(args.runs):
        print(f"Run {i + 1} of {args.runs} (interleaved dgx, hand, dgx, hand):")
        cold = builds / f"dgx-cold-{i}"
        series["dgx_cold"].append(sphinx_build("dgx cold", project.dgx, cold))
        series["hand_cold"].append(sphinx_build("hand cold", project.hand, builds / f"hand-cold-{i}"))
        warm = builds / f"dgx-warm-{i}"
        copy_cache(cold, warm)
        series["dgx_warm"].append(sphinx_build("dgx warm (facts cache kept)", project.dgx, warm))
        series["hand_warm"].append(
            sphinx_build("hand warm (= cold)", project.hand, builds / f"hand-warm-{i}")
        )
        for done in (cold, builds / f"hand-cold-{i}", builds / f"hand-warm-{i}", last_warm):
            if done is not None and not args.keep:
                shutil.rmtree(done, ignore_errors=True)
        last_warm = warm
    assert last_warm is not None

    print("Incremental and parallel builds (dgx):")
    noop = sphinx_build("rebuild, no change", project.dgx, last_warm, fresh=False)
    parallel_dir = builds / "dgx-parallel"
    copy_cache(last_warm, parallel_dir)
    parallel = sphinx_build("warm, -j auto", project.dgx, parallel_dir, "-j", "auto")
    differ = compare_trees(last_warm / "html", parallel_dir / "html")
    print(f"  parallel output equals serial: {'yes' if not differ else 'no'}", end="")
    print(
        f" ({len(differ)} files differ: {', '.join(differ[:5])}{' ...' if len(differ) > 5 else ''})"
        if differ
        else ""
    )
    if not args.keep:
        shutil.rmtree(parallel_dir, ignore_errors=True)

    edited = project.reports[len(project.reports) // 2]
    shown_on = project.page(edited.group)
    catalogue = project.dgx / "catalogue.yaml"
    original = edit_summary(catalogue, edited)
    try:
        edit = sphinx_build("rebuild, one summary edited", project.dgx, last_warm, fresh=False)
    finally:
        catalogue.write_text(original, encoding="utf-8")

    print("Telling unchanged files from changed ones (the facts cache):")
    fresh = freshness(project.files, builds / "freshness")

    med = {name: median(b) for name, b in series.items()}
    rss = {name: median(b, "max_rss_mb") for name, b in series.items()}
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "size": {
            "groups": len(project.groups),
            "reports": len(project.reports),
            "years": args.years,
            "pages": pages,
            "seed": args.seed,
            "pdf_mb": round(pdf_mb, 1),
            "runs": args.runs,
        },
        "medians_s": med,
        "max_rss_mb": rss,
        "ratio_cold": med["dgx_cold"] / med["hand_cold"],
        "ratio_warm": med["dgx_warm"] / med["hand_warm"],
        "noop": asdict(noop) | {"reread": noop.reread},
        "edit": asdict(edit)
        | {"reread": edit.reread, "report": edited.id, "shown_on": [shown_on], "expected_reread": 1},
        "parallel": asdict(parallel) | {"equals_serial": not differ, "differing_files": differ},
        "freshness": fresh,
        "runs": {name: [asdict(b) for b in builds_] for name, builds_ in series.items()},
        "wall_s": time.perf_counter() - started,
    }
    results["targets"] = {
        "warm_full_build": results["ratio_warm"] <= WARM_TARGET,
        "noop_rebuild": noop.reread == 0 and noop.measured == 0,
        "edit_one_report": edit.reread == 1,
        "parallel_equals_serial": not differ,
    }
    return results


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """(measure, dgx, hand, ratio, target, result) rows shared by the console and the docs."""
    med, rss, t = r["medians_s"], r["max_rss_mb"], r["targets"]
    noop, edit, par = r["noop"], r["edit"], r["parallel"]
    pages = r["size"]["pages"]

    def mark(ok: bool) -> str:
        return "pass" if ok else "miss"

    def files(build: dict[str, Any]) -> str:
        return f"{build['measured']} measured, {build['from_cache']} from the cache"

    cold_runs, warm_runs = r["runs"]["dgx_cold"], r["runs"]["dgx_warm"]
    return [
        (
            "Full build, cold (no facts cache)",
            f"{med['dgx_cold']:.1f} s",
            f"{med['hand_cold']:.1f} s",
            f"{r['ratio_cold']:.2f}x",
            "",
            "",
        ),
        (
            "Full build, warm (facts cache kept, fresh environment)",
            f"{med['dgx_warm']:.1f} s",
            f"{med['hand_warm']:.1f} s",
            f"{r['ratio_warm']:.2f}x",
            f"≤ {WARM_TARGET:.2f}x",
            f"{mark(t['warm_full_build'])} ({(r['ratio_warm'] / WARM_TARGET - 1) * 100:+.0f}% vs target)"
            if not t["warm_full_build"]
            else "pass",
        ),
        (
            "Peak memory (max RSS), cold",
            f"{rss['dgx_cold']:.0f} MB",
            f"{rss['hand_cold']:.0f} MB",
            f"{rss['dgx_cold'] / rss['hand_cold']:.2f}x",
            "",
            "",
        ),
        (
            "Peak memory (max RSS), warm",
            f"{rss['dgx_warm']:.0f} MB",
            f"{rss['hand_warm']:.0f} MB",
            f"{rss['dgx_warm'] / rss['hand_warm']:.2f}x",
            "",
            "",
        ),
        ("Report files, cold build", files(cold_runs[0]), "", "", "", ""),
        ("Report files, warm build", files(warm_runs[0]), "", "", "", ""),
        (
            "Rebuild with no change",
            f"{noop['seconds']:.1f} s; {noop['reread']} of {pages} pages re-read, "
            f"{noop['written']} written; {noop['measured']} thumbnails drawn",
            "",
            "",
            "0 re-read, 0 drawn",
            mark(t["noop_rebuild"]),
        ),
        (
            "Rebuild after editing one report's summary",
            f"{edit['seconds']:.1f} s; {edit['reread']} of {pages} pages re-read, {edit['written']} written",
            "",
            "",
            "1 re-read (the page showing it)",
            mark(t["edit_one_report"]) + ("" if t["edit_one_report"] else f" ({edit['reread']}x the target)"),
        ),
        (
            "Full build, warm, `-j auto`",
            f"{par['seconds']:.1f} s; output equals serial: {'yes' if par['equals_serial'] else 'no'}"
            + (f" ({len(par['differing_files'])} files differ)" if par["differing_files"] else ""),
            "",
            "",
            "equals serial",
            mark(t["parallel_equals_serial"]),
        ),
        (
            f"Telling {r['freshness']['files']} files unchanged: size, times and inode checked",
            f"{r['freshness']['stat_check_s'] * 1000:.0f} ms",
            "",
            "",
            "",
            "",
        ),
        (
            "The same by hashing every file (a first build, or files changed since)",
            f"{r['freshness']['hash_all_s']:.1f} s",
            "",
            "",
            "",
            "",
        ),
    ]


HEADER = ("Measure", "sphinx_dgx", "hand-written", "ratio", "target", "result")


def console_table(r: dict[str, Any]) -> str:
    table = [HEADER, *rows(r)]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown(r: dict[str, Any]) -> str:
    m, s = r["machine"], r["size"]
    table = [HEADER, ("---",) * len(HEADER), *rows(r)]
    lines = [
        f"Measured on {r['date']}: {s['reports']} reports in {s['groups']} working groups over "
        f"{s['years']} years ({s['pages']} pages, {s['pdf_mb']:.0f} MB of PDFs), median of "
        f"{s['runs']} interleaved run{'s' if s['runs'] != 1 else ''}.",
        "",
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table),
        "",
        f"Machine: {m.get('cpu')}, {m.get('nproc')} cores, {m.get('ram_gb')} GB RAM; Python "
        f"{m.get('python')}, Sphinx {m.get('sphinx')}, MyST-Parser {m.get('myst-parser')}, "
        f"sphinx-design {m.get('sphinx-design')}, Furo {m.get('furo')}, pypdf {m.get('pypdf')}, "
        f"pypdfium2 {m.get('pypdfium2')}; sphinx-dgx {m.get('sphinx-dgx')} at {m.get('commit')}.",
    ]
    return "\n".join(lines)


def write_docs(r: dict[str, Any], page: Path = DOCS_PAGE) -> None:
    text = page.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{page}: no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    page.write_text(f"{head}{START}\n\n{markdown(r)}\n\n{END}{tail}", encoding="utf-8")
    print(f"Rewrote the results in {page}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=2000, help="reports (default 2000)")
    parser.add_argument("--groups", type=int, default=100, help="working groups (default 100)")
    parser.add_argument("--years", type=int, default=5, help="years (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs; medians are reported")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "docs" / "_build" / "bench" / "scratch", help="scratch folder"
    )
    parser.add_argument("--keep", action="store_true", help="keep every build folder")
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite the results in {DOCS_PAGE.name}")
    args = parser.parse_args(argv)
    results = run(args)
    print()
    print(console_table(results))
    m = results["machine"]
    print(
        f"\nparallel output equals serial: {'yes' if results['parallel']['equals_serial'] else 'no'}"
        f"\nmachine: {m.get('cpu')}, {m.get('nproc')} cores, {m.get('ram_gb')} GB; Python {m['python']}, "
        f"Sphinx {m['sphinx']}; {results['date']}; wall time {results['wall_s'] / 60:.1f} min"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"Results: {RESULTS}")
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
