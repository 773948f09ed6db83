"""Benchmark sphinx_dgx against hand-written sphinx-design cards on a synthetic site.

Generates the synthetic project (``benchmarks/synthetic.py``), then times ``sphinx-build -b html``
subprocesses, interleaving the two variants (dgx, hand, dgx, hand, ...) and taking medians. The dgx
variant is built three ways, with ``-D`` overrides of its settings (conf.py is never rewritten):
cards only (``-D dgx_report_pages=0``), report pages without text (``-D dgx_report_text=0``) and
report pages with text (the defaults, passed as ``-D dgx_report_pages=1 -D dgx_report_text=1``).

- full builds, cold (fresh doctree and output folders; cards only) and warm, for each way (only
  the facts and covers cache ``<doctreedir>/dgx-cache`` kept from an earlier build; fresh
  environment and output), each warm build followed by a hand-written build;
- the size of ``searchindex.js`` and the pages written, for each way;
- a rebuild with no change (the same folders again): time, documents re-read, files measured;
  for cards only and for report pages with text;
- a rebuild after editing one report's summary in the catalogue: documents re-read (cards only:
  the page showing its card; with report pages: that page and the report's own page);
- peak memory (maximum resident set size of the sphinx-build process);
- a ``-j auto`` build (cards only), whose HTML output is compared byte for byte with the serial build's;
- how long the facts cache takes to tell that the files are unchanged: by their stamps, and by
  hashing every one;
- with ``--profile``, one more warm build with report pages and text under cProfile.

Prints a table, writes ``docs/_build/bench/results.json`` and, with ``--write-docs``, the table in
``docs/benchmarks.md`` between ``<!-- results:start -->`` and ``<!-- results:end -->``.

Usage::

    nox -s bench                                   # the default size, 3 runs
    nox -s bench -- --reports 200 --groups 10 --years 2 --runs 1
    nox -s bench -- --profile                      # also profile a warm build with report pages
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
"""A warm build of cards only takes at most this many times the hand-written build."""
PAGES_BUDGET = 0.5
"""Report pages add at most this much of the hand-written build's time to a warm build ..."""
PAGES_TARGET = WARM_TARGET + PAGES_BUDGET
"""... so a warm build with them takes at most this many times the hand-written build."""


@dataclass(frozen=True)
class Way:
    """One way to build the dgx variant: its settings, given to sphinx-build as ``-D`` overrides."""

    key: str
    label: str
    settings: dict[str, bool]
    target: float
    says: str
    """How the docs name its settings (what a conf.py sets to build this way)."""

    @property
    def overrides(self) -> list[str]:
        """``-D name=0|1``: Sphinx takes ``0`` and ``1`` for a bool setting (``Config.convert_overrides``)."""
        return [arg for name, on in self.settings.items() for arg in ("-D", f"{name}={int(on)}")]


CARDS = Way("cards", "cards only", {"dgx_report_pages": False}, WARM_TARGET, "`dgx_report_pages = False`")
PAGES_NO_TEXT = Way(
    "pages_no_text",
    "report pages without text",
    {"dgx_report_pages": True, "dgx_report_text": False},
    PAGES_TARGET,
    "`dgx_report_text = False`",
)
PAGES_TEXT = Way(
    "pages_text",
    "report pages with text",
    {"dgx_report_pages": True, "dgx_report_text": True},
    PAGES_TARGET,
    "the defaults",
)
WAYS = (CARDS, PAGES_NO_TEXT, PAGES_TEXT)

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
    search_index_bytes: int | None = None

    @property
    def reread(self) -> int:
        return len(self.read)


def sphinx_build(
    label: str, src: Path, out: Path, *extra: str, fresh: bool = True, profile: Path | None = None
) -> Build:
    """Run ``sphinx-build -b html`` on *src* into ``out/html`` (doctrees in ``out/doctrees``); with
    *profile*, under cProfile, its statistics saved there."""
    html, doctrees = out / "html", out / "doctrees"
    if fresh and html.exists():
        shutil.rmtree(html)
    out.mkdir(parents=True, exist_ok=True)
    log = out / f"{label.replace(' ', '-').replace(',', '')}.log"
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    command = [sys.executable, *profiler, "-m", "sphinx", "-b", "html", *extra, "-d", str(doctrees)]
    command += [str(src), str(html)]
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
        search_index_bytes=(html / "searchindex.js").stat().st_size
        if (html / "searchindex.js").exists()
        else None,
    )
    print(
        f"  {label:<42} {seconds:7.2f} s {build.max_rss_mb:6.0f} MB  read {build.reread:5d}"
        f"  written {build.written:5d}"
        + (f"  index {build.search_index_bytes / 2**20:6.2f} MB" if build.search_index_bytes else "")
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


def rebuild_edited(label: str, site: Path, out: Path, way: Way, report: synthetic.Report) -> Build:
    """Rebuild *out* after editing *report*'s summary in *site*'s catalogue (put back afterwards)."""
    catalogue = site / "catalogue.yaml"
    original = edit_summary(catalogue, report)
    try:
        return sphinx_build(label, site, out, *way.overrides, fresh=False)
    finally:
        catalogue.write_text(original, encoding="utf-8")


PHASES: list[tuple[str, tuple[str, str, int | None], tuple[str, str] | None]] = [
    # (name, (file, function, line or None) whose time counts, (file, function) of its caller or None)
    ("reading: parsing the MyST sources", ("myst_parser/parsers/sphinx_.py", "parse", None), None),
    ("  of which the dgx-report-page directive", ("sphinx_dgx/reportpages.py", "run", None), None),
    (
        "reading: transforms",
        ("sphinx/transforms/__init__.py", "apply_transforms", None),
        ("sphinx/util/docutils.py", "_parse_str_to_doctree"),
    ),
    ("  of which SmartQuotes", ("sphinx/transforms/__init__.py", "apply", 368), None),
    ("reading: doctree pickles", ("sphinx/builders/__init__.py", "write_doctree", None), None),
    (
        "writing: transforms and doctree-resolved",
        ("sphinx/environment/__init__.py", "get_and_resolve_doctree", None),
        None,
    ),
    (
        "  of which resolving cross-references",
        ("sphinx/transforms/post_transforms/__init__.py", "run", 67),
        None,
    ),
    ("  of which sphinx_dgx's file links", ("sphinx_dgx/publishing.py", "resolve_file_links", None), None),
    (
        "writing: HTML translation",
        ("docutils/nodes.py", "walkabout", None),
        ("sphinx/builders/html/__init__.py", "write_doc"),
    ),
    (
        "writing: page context (get_doc_context)",
        ("sphinx/builders/html/__init__.py", "get_doc_context", None),
        None,
    ),
    ("writing: page context and templates", ("sphinx/builders/html/__init__.py", "handle_page", None), None),
    ("  of which furo's html-page-context", ("furo/__init__.py", "_html_page_context", None), None),
    ("writing: search index", ("sphinx/builders/html/__init__.py", "index_page", None), None),
    (
        "  of which stemming",
        ("sphinx/search/__init__.py", "stem", None),
        ("sphinx/search/__init__.py", "feed"),
    ),
]
"""Parts of a profiled build (:func:`profile_summary`): the time spent in a function, with its callees
(only the calls from a given caller, when one is named). Lines starting with spaces are part of the one
above; the others do not overlap."""


def phases(raw: dict[Any, Any], total: float) -> dict[str, float]:
    """The seconds of each of :data:`PHASES` in a profile, and the rest."""
    found: dict[str, float] = {}
    for name, (path, function, line), caller in PHASES:
        seconds = 0.0
        for (file, number, func), (_, _, _, cumulative, callers) in raw.items():
            if not file.endswith(path) or func != function or (line is not None and number != line):
                continue
            if caller is None:
                seconds += cumulative
            else:
                seconds += sum(
                    timing[3]
                    for (c_file, _, c_func), timing in callers.items()
                    if c_file.endswith(caller[0]) and c_func == caller[1]
                )
        found[name] = seconds
    found["the rest (starting Sphinx, the environment, the catalogue, feeds, copying)"] = total - sum(
        seconds for name, seconds in found.items() if not name.startswith(" ")
    )
    return found


def profile_summary(stats_path: Path, build: Build, top: int = 30) -> dict[str, Any]:
    """The parts of a profiled build (:data:`PHASES`), and the functions that take the most time,
    with and without their callees."""
    import io
    import pstats

    stats = pstats.Stats(str(stats_path))
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]

    def name(func: tuple[str, int, str]) -> str:
        path, line, function = func
        for marker in ("site-packages/", "lib/python3"):
            if marker in path:
                path = path.split(marker, 1)[1]
        path = path.replace(str(ROOT) + "/", "")
        return f"{path}:{line}({function})" if line else function

    def ranked(index: int) -> list[dict[str, Any]]:
        # leave out the frames that hold the whole build (runpy, sphinx.cmd, Builder.build ...)
        chosen = sorted(
            (item for item in raw.items() if item[1][index] < 0.9 * total), key=lambda item: -item[1][index]
        )[:top]
        return [{"function": name(f), "seconds": v[index], "calls": v[1]} for f, v in chosen]

    text = io.StringIO()
    pstats.Stats(str(stats_path), stream=text).sort_stats("cumulative").print_stats(60)
    pstats.Stats(str(stats_path), stream=text).sort_stats("tottime").print_stats(60)
    stats_path.with_suffix(".txt").write_text(text.getvalue(), encoding="utf-8")
    summary = {
        "profiled_s": total,
        "wall_s": build.seconds,
        "phases_s": phases(raw, total),
        "cumulative": ranked(3),
        "own": ranked(2),
        "stats": str(stats_path),
    }
    print(f"  profiled build {build.seconds:.1f} s ({total:.1f} s of profiled time); its parts:")
    for part, seconds in summary["phases_s"].items():
        print(f"    {seconds:7.1f} s {seconds / total * 100:5.1f}%  {part}")
    print("  the most, with callees:")
    for row in summary["cumulative"][:20]:
        print(f"    {row['seconds']:7.2f} s  {row['function']}")
    print("  the most, in the function itself:")
    for row in summary["own"][:15]:
        print(f"    {row['seconds']:7.2f} s  {row['function']}  ({row['calls']} calls)")
    print(f"  statistics: {stats_path} (as text: {stats_path.with_suffix('.txt')})")
    return summary


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = args.work.resolve()
    print(f"Generating {args.reports} reports, {args.groups} groups, {args.years} years under {work} ...")
    started = time.perf_counter()
    load_before = os.getloadavg()
    project = synthetic.plan(work / "project", args.groups, args.reports, args.years, args.seed)
    timings = synthetic.write(project, random.Random(args.seed + 1))
    pdf_mb = sum(p.stat().st_size for p in project.files.iterdir()) / 2**20
    print(f"  {len(project.reports)} PDFs ({pdf_mb:.0f} MB) in {timings['pdfs']:.1f} s")
    # one copy of the dgx site for each way: the page sources sphinx_dgx writes under reports/ for
    # one way are then not removed and written again by a build of another way
    sites: dict[str, Path] = {}
    for way in WAYS:
        sites[way.key] = project.root / f"dgx-{way.key}"
        if sites[way.key].exists():
            shutil.rmtree(sites[way.key])
        shutil.copytree(project.dgx, sites[way.key])
    builds = work / "builds"
    if builds.exists():
        shutil.rmtree(builds)
    pages = len(project.groups) + 1

    series: dict[str, list[Build]] = {"dgx_cold": [], "hand_cold": []}
    for way in WAYS:
        series[f"dgx_warm_{way.key}"], series[f"hand_warm_{way.key}"] = [], []
    kept: dict[str, Path] = {}  # the last warm build of each way, for the rebuilds
    for i in range(args.runs):
        order = WAYS[i % len(WAYS) :] + WAYS[: i % len(WAYS)]  # each way takes each place in turn
        print(
            f"Run {i + 1} of {args.runs} (interleaved dgx, hand; warm: {', '.join(w.label for w in order)}):"
        )
        cold, hand_cold = builds / f"dgx-cold-{i}", builds / f"hand-cold-{i}"
        series["dgx_cold"].append(
            sphinx_build("dgx cold, cards only", sites[CARDS.key], cold, *CARDS.overrides)
        )
        series["hand_cold"].append(sphinx_build("hand cold", project.hand, hand_cold))
        done: list[Path | None] = [cold, hand_cold]
        for way in order:
            warm, hand = builds / f"dgx-warm-{way.key}-{i}", builds / f"hand-warm-{way.key}-{i}"
            copy_cache(cold, warm)
            series[f"dgx_warm_{way.key}"].append(
                sphinx_build(f"dgx warm, {way.label}", sites[way.key], warm, *way.overrides)
            )
            series[f"hand_warm_{way.key}"].append(sphinx_build("hand warm (= cold)", project.hand, hand))
            done += [hand, kept.get(way.key)]
            kept[way.key] = warm
        for folder in done:
            if folder is not None and not args.keep:
                shutil.rmtree(folder, ignore_errors=True)

    edited = project.reports[len(project.reports) // 2]
    shown_on = project.page(edited.group)

    print("Incremental and parallel builds (dgx, cards only):")
    cards_dir = kept[CARDS.key]
    noop = sphinx_build("rebuild, no change", sites[CARDS.key], cards_dir, *CARDS.overrides, fresh=False)
    parallel_dir = builds / "dgx-parallel"
    copy_cache(cards_dir, parallel_dir)
    parallel = sphinx_build("warm, -j auto", sites[CARDS.key], parallel_dir, *CARDS.overrides, "-j", "auto")
    differ = compare_trees(cards_dir / "html", parallel_dir / "html")
    print(f"  parallel output equals serial: {'yes' if not differ else 'no'}", end="")
    print(
        f" ({len(differ)} files differ: {', '.join(differ[:5])}{' ...' if len(differ) > 5 else ''})"
        if differ
        else ""
    )
    if not args.keep:
        shutil.rmtree(parallel_dir, ignore_errors=True)
    edit = rebuild_edited("rebuild, one summary edited", sites[CARDS.key], cards_dir, CARDS, edited)

    from sphinx_dgx.publishing import page_docname

    print("Incremental builds (dgx, report pages with text):")
    text_dir = kept[PAGES_TEXT.key]
    noop_pages = sphinx_build(
        "rebuild, no change", sites[PAGES_TEXT.key], text_dir, *PAGES_TEXT.overrides, fresh=False
    )
    edit_pages = rebuild_edited(
        "rebuild, one summary edited", sites[PAGES_TEXT.key], text_dir, PAGES_TEXT, edited
    )
    expected_pages = sorted([shown_on, page_docname(edited.id)])

    profile = None
    if args.profile:
        print("A warm build with report pages and text, under cProfile:")
        profile_dir = builds / "dgx-profile"
        copy_cache(text_dir, profile_dir)
        stats_path = RESULTS.parent / "profile-pages-text.prof"
        stats_path.parent.mkdir(parents=True, exist_ok=True)
        profiled = sphinx_build(
            "dgx warm, report pages with text, profiled",
            sites[PAGES_TEXT.key],
            profile_dir,
            *PAGES_TEXT.overrides,
            profile=stats_path,
        )
        try:
            profile = profile_summary(stats_path, profiled)
        except Exception as error:  # the measures above stand without it
            print(f"  the profile could not be summarised: {error!r}")
            profile = {"error": repr(error), "stats": str(stats_path)}
        if not args.keep:
            shutil.rmtree(profile_dir, ignore_errors=True)

    print("Telling unchanged files from changed ones (the facts cache):")
    fresh = freshness(project.files, builds / "freshness")

    med = {name: median(b) for name, b in series.items()}
    rss = {name: median(b, "max_rss_mb") for name, b in series.items()}
    ways: dict[str, dict[str, Any]] = {}
    for way in WAYS:
        dgx, hand = series[f"dgx_warm_{way.key}"], series[f"hand_warm_{way.key}"]
        ways[way.key] = {
            "label": way.label,
            "settings": way.settings,
            "overrides": way.overrides,
            "target": way.target,
            "warm_s": median(dgx),
            "hand_warm_s": median(hand),
            "ratio_warm": median(dgx) / median(hand),
            "max_rss_mb": median(dgx, "max_rss_mb"),
            "hand_max_rss_mb": median(hand, "max_rss_mb"),
            "pages": dgx[-1].reread,  # a fresh environment reads every page
            "written": dgx[-1].written,
            "hand_written": hand[-1].written,
            "search_index_bytes": dgx[-1].search_index_bytes,
            "hand_search_index_bytes": hand[-1].search_index_bytes,
            "search_index_sizes": sorted({b.search_index_bytes or 0 for b in dgx}),
            "files": [(b.measured, b.from_cache) for b in dgx],
        }
    for way in (PAGES_NO_TEXT, PAGES_TEXT):  # what report pages add to cards only, in hand-written builds
        w, cards = ways[way.key], ways[CARDS.key]
        w["added_s"] = w["warm_s"] - cards["warm_s"]
        w["added_ratio"] = w["ratio_warm"] - cards["ratio_warm"]
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "size": {
            "groups": len(project.groups),
            "reports": len(project.reports),
            "years": args.years,
            "pages": pages,
            "report_pages": ways[PAGES_TEXT.key]["pages"] - pages,
            "seed": args.seed,
            "pdf_mb": round(pdf_mb, 1),
            "runs": args.runs,
        },
        "medians_s": med,
        "max_rss_mb": rss,
        "ratio_cold": med["dgx_cold"] / med["hand_cold"],
        "ways": ways,
        "noop": asdict(noop) | {"reread": noop.reread},
        "edit": asdict(edit)
        | {"reread": edit.reread, "report": edited.id, "shown_on": [shown_on], "expected_reread": 1},
        "noop_pages": asdict(noop_pages) | {"reread": noop_pages.reread},
        "edit_pages": asdict(edit_pages)
        | {"reread": edit_pages.reread, "report": edited.id, "expected": expected_pages},
        "parallel": asdict(parallel) | {"equals_serial": not differ, "differing_files": differ},
        "freshness": fresh,
        "profile": profile,
        "runs": {name: [asdict(b) for b in builds_] for name, builds_ in series.items()},
        "wall_s": time.perf_counter() - started,
        "load_average": {"before": load_before, "after": os.getloadavg()},  # 1, 5 and 15 minutes
    }
    results["targets"] = {
        **{f"warm_{way.key}": ways[way.key]["ratio_warm"] <= way.target for way in WAYS},
        **{
            f"added_{way.key}": ways[way.key]["added_ratio"] <= PAGES_BUDGET
            for way in (PAGES_NO_TEXT, PAGES_TEXT)
        },
        "noop_rebuild": noop.reread == 0 and noop.measured == 0,
        "edit_one_report": edit.reread == 1,
        "noop_rebuild_pages": noop_pages.reread == 0 and noop_pages.measured == 0,
        "edit_one_report_pages": sorted(edit_pages.read) == expected_pages,
        "parallel_equals_serial": not differ,
    }
    return results


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str, str]]:
    """(measure, dgx, hand, ratio, target, result) rows shared by the console and the docs."""
    med, rss, t, ways = r["medians_s"], r["max_rss_mb"], r["targets"], r["ways"]
    noop, edit, par = r["noop"], r["edit"], r["parallel"]
    noop_pages, edit_pages = r["noop_pages"], r["edit_pages"]
    pages = r["size"]["pages"]
    all_pages = ways[PAGES_TEXT.key]["pages"]

    def mark(ok: bool) -> str:
        return "pass" if ok else "miss"

    def versus(ok: bool, value: float, target: float) -> str:
        return "pass" if ok else f"miss ({(value / target - 1) * 100:+.0f}% vs target)"

    def files(measured: int | None, from_cache: int | None) -> str:
        return f"{measured} measured, {from_cache} from the cache"

    def size(count: int | None) -> str:
        if count is None:
            return "none"
        shown = f"{count / 2**20:.2f} MB" if count >= 2**20 else f"{count / 2**10:.0f} KB"
        return f"{shown} ({count:,} bytes)"

    warm_files = {tuple(pair) for way in WAYS for pair in ways[way.key]["files"]}
    cold = r["runs"]["dgx_cold"][0]
    table: list[tuple[str, str, str, str, str, str]] = [
        (
            "Full build, cold, cards only (no facts cache)",
            f"{med['dgx_cold']:.1f} s",
            f"{med['hand_cold']:.1f} s",
            f"{r['ratio_cold']:.2f}x",
            "",
            "",
        )
    ]
    for way in WAYS:
        w = ways[way.key]
        table.append(
            (
                f"Full build, warm, {way.label} ({way.says})",
                f"{w['warm_s']:.1f} s; {w['written']} pages written",
                f"{w['hand_warm_s']:.1f} s; {w['hand_written']} pages",
                f"{w['ratio_warm']:.2f}x",
                f"≤ {way.target:.2f}x",
                versus(t[f"warm_{way.key}"], w["ratio_warm"], way.target),
            )
        )
    for way in (PAGES_NO_TEXT, PAGES_TEXT):
        w = ways[way.key]
        table.append(
            (
                f"Time report pages add to a warm build ({way.label.removeprefix('report pages ')}), "
                "in hand-written builds",
                f"{w['added_s']:+.1f} s",
                "",
                f"{w['added_ratio']:+.2f}x",
                f"≤ +{PAGES_BUDGET:.2f}x",
                mark(t[f"added_{way.key}"]),
            )
        )
    for way in WAYS:
        w = ways[way.key]
        dgx_bytes, hand_bytes = w["search_index_bytes"], w["hand_search_index_bytes"]
        table.append(
            (
                f"Search index (`searchindex.js`), {way.label}",
                size(dgx_bytes),
                size(hand_bytes),
                f"{dgx_bytes / hand_bytes:.2f}x" if dgx_bytes and hand_bytes else "",
                "",
                "",
            )
        )
    table += [
        (
            "Peak memory (max RSS), cold, cards only",
            f"{rss['dgx_cold']:.0f} MB",
            f"{rss['hand_cold']:.0f} MB",
            f"{rss['dgx_cold'] / rss['hand_cold']:.2f}x",
            "",
            "",
        ),
    ]
    for way in (CARDS, PAGES_TEXT):
        w = ways[way.key]
        table.append(
            (
                f"Peak memory (max RSS), warm, {way.label}",
                f"{w['max_rss_mb']:.0f} MB",
                f"{w['hand_max_rss_mb']:.0f} MB",
                f"{w['max_rss_mb'] / w['hand_max_rss_mb']:.2f}x",
                "",
                "",
            )
        )
    table += [
        ("Report files, cold build", files(cold["measured"], cold["from_cache"]), "", "", "", ""),
        (
            "Report files, warm builds (every way)",
            files(*next(iter(warm_files)))
            if len(warm_files) == 1
            else "; ".join(f"{way.label}: {files(*ways[way.key]['files'][-1])}" for way in WAYS),
            "",
            "",
            "",
            "",
        ),
        (
            "Rebuild with no change, cards only",
            f"{noop['seconds']:.1f} s; {noop['reread']} of {pages} pages re-read, "
            f"{noop['written']} written; {noop['measured']} files measured",
            "",
            "",
            "0 re-read, 0 measured",
            mark(t["noop_rebuild"]),
        ),
        (
            "Rebuild after editing one report's summary, cards only",
            f"{edit['seconds']:.1f} s; {edit['reread']} of {pages} pages re-read, {edit['written']} written",
            "",
            "",
            "1 re-read (the page showing its card)",
            mark(t["edit_one_report"]) + ("" if t["edit_one_report"] else f" ({edit['reread']}x the target)"),
        ),
        (
            "Rebuild with no change, report pages with text",
            f"{noop_pages['seconds']:.1f} s; {noop_pages['reread']} of {all_pages} pages re-read, "
            f"{noop_pages['written']} written; {noop_pages['measured']} files measured",
            "",
            "",
            "0 re-read, 0 measured",
            mark(t["noop_rebuild_pages"]),
        ),
        (
            "Rebuild after editing one report's summary, report pages with text",
            f"{edit_pages['seconds']:.1f} s; {edit_pages['reread']} of {all_pages} pages re-read, "
            f"{edit_pages['written']} written",
            "",
            "",
            "2 re-read (the page showing its card, its own page)",
            mark(t["edit_one_report_pages"])
            + ("" if t["edit_one_report_pages"] else f" (re-read: {', '.join(edit_pages['read'][:5])})"),
        ),
        (
            "Full build, warm, `-j auto`, cards only",
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
    return table


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
        f"{s['years']} years ({s['pages']} pages, and {s['report_pages']} report pages when they are on; "
        f"{s['pdf_mb']:.0f} MB of PDFs), median of {s['runs']} interleaved "
        f"run{'s' if s['runs'] != 1 else ''}; "
        "each warm build of sphinx_dgx is followed by a hand-written build, and its ratio is to the "
        "median of those.",
        "",
        *("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in table),
        "",
        f"Machine: {m.get('cpu')}, {m.get('nproc')} cores, {m.get('ram_gb')} GB RAM; Python "
        f"{m.get('python')}, Sphinx {m.get('sphinx')}, MyST-Parser {m.get('myst-parser')}, "
        f"sphinx-design {m.get('sphinx-design')}, Furo {m.get('furo')}, pypdf {m.get('pypdf')}, "
        f"pypdfium2 {m.get('pypdfium2')}; sphinx-dgx {m.get('sphinx-dgx')} at {m.get('commit')}."
        + load(r.get("load_average")),
    ]
    return "\n".join(lines)


def load(average: dict[str, list[float]] | None) -> str:
    """The machine's load average around the runs: anything else running shows here."""
    if not average:
        return ""
    return (
        f" Load average: {average['before'][0]:.2f} just before the runs; {average['after'][2]:.2f} "
        "over the last 15 minutes of them."
    )


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
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile a warm build with report pages and text (cProfile; statistics saved beside "
        "the results)",
    )
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
