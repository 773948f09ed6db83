"""Benchmark sphinx_dgx against hand-written sphinx-design cards on a synthetic site.

Generates the synthetic project (``benchmarks/synthetic.py``), then times ``sphinx-build -b html``
subprocesses. The dgx variant is built three ways, with ``-D`` overrides of its settings (conf.py is
never rewritten): cards only (``-D dgx_report_pages=0``), report pages without text
(``-D dgx_report_text=0``) and report pages with text (the defaults, passed as
``-D dgx_report_pages=1 -D dgx_report_text=1``). Report pages are not Sphinx documents: the builder
writes them at ``html-collect-pages``, so one copy of the dgx site serves every way.

Every measure that compares sphinx_dgx with the hand-written site is made of ``--runs`` pairs of
builds run back to back (dgx then hand, or hand then dgx, which goes first alternating from pair to
pair); each pair gives a ratio dgx/hand, and a measure reports the median, the least and the most of
those ratios, and the median seconds of each side. Targets are judged on the median ratio, except
the time targets of the two measures ``benchmarks/instructions.py`` counts (a warm build and a
rebuild with no change, cards only): when valgrind is installed (``--count``, the default then) they
are counted too, at the same size, and judged on the counts (:func:`judged`).

- full build, cold, cards only (fresh doctree and output folders, no cache) / a hand-written build;
- full build, warm, for each way (a fresh environment and output, with ``<doctreedir>/dgx-cache`` --
  facts, covers, texts, the HTML of each report's text and the report pages as written -- kept from
  an earlier build of that way in the same folder) / a hand-written build (fresh: it has no cache of
  its own);
- report pages made again: warm with report pages and text, but with the report pages
  (``dgx-cache/report-pages-*.pickle`` and ``report-pages/``) and the HTML of their text
  (``dgx-cache/page-text/``) removed
  from the cache, so every report page is built again, as after a change of the site's navigation
  / a hand-written build;
- a rebuild with no change (the same folders again), cards only and report pages with text / the
  hand-written site rebuilt with no change in its own folders; and the documents re-read, files
  measured and report pages written (all 0);
- a rebuild after editing one report's summary in the catalogue (cards only, and report pages with
  text): the documents re-read (the page showing its card) and the report pages written (its own);
- peak memory (maximum resident set size of the sphinx-build process) of each side of each measure;
- the size of ``searchindex.js`` for each way;
- a ``-j auto`` build (cards only), whose HTML output is compared byte for byte with the serial build's;
- how long the facts cache takes to tell that the files are unchanged: by their stamps, and by
  hashing every one;
- with ``--profile``, one more warm build with report pages and text under cProfile.

Prints the tables, writes ``docs/_build/bench/results.json`` and, with ``--write-docs``, the tables in
``docs/benchmarks.md`` between ``<!-- results:start -->`` and ``<!-- results:end -->``.

Usage::

    nox -s bench                                   # the default size, 5 pairs
    nox -s bench -- --reports 200 --groups 10 --years 2 --runs 1
    nox -s bench -- --profile                      # also profile a warm build with report pages
"""

from __future__ import annotations

import argparse
import compileall
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
from collections.abc import Callable
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
DASH = "\u2013"  # an en dash, between the least and the most of the ratios
COLD_TARGET = 1.5
"""A cold build (cards only, every file measured) takes at most this many times the hand-written build."""
CARDS_TARGET = 1.03
"""A warm build of cards only takes at most this many times the hand-written build."""
WARM_TARGET = 1.05
"""The base of the report pages' budget: the issue allows a warm build 1.05 times the hand-written one ..."""
PAGES_BUDGET = 0.5
"""... and report pages half of the hand-written build's time on top of that (the same half is added
to the no-change and memory targets of the builds with report pages: the hand-written site has no
report pages to compare them with) ..."""
PAGES_TARGET = WARM_TARGET + PAGES_BUDGET
"""... so a warm build with them (either way) takes at most 1.05 + 0.5 = 1.55 times the hand-written one."""
NOOP_TARGET = 1.10
"""A rebuild with no change takes at most this many times the hand-written site's rebuild with no change."""
MEMORY_TARGET = 1.3
"""The peak memory of a sphinx_dgx build is at most this many times the hand-written build's, in each
measure."""


@dataclass(frozen=True)
class Way:
    """One way to build the dgx variant: its settings, given to sphinx-build as ``-D`` overrides."""

    key: str
    label: str
    settings: dict[str, bool]
    target: float
    says: str
    """How the docs name its settings (what a conf.py sets to build this way)."""
    budget: float = 0.0
    """What this way's builds may add, as a share of the hand-written side's, to the targets of the
    other measures (a rebuild with no change, memory): :data:`PAGES_BUDGET` for report pages."""

    @property
    def overrides(self) -> list[str]:
        """``-D name=0|1``: Sphinx takes ``0`` and ``1`` for a bool setting (``Config.convert_overrides``)."""
        return [arg for name, on in self.settings.items() for arg in ("-D", f"{name}={int(on)}")]


CARDS = Way("cards", "cards only", {"dgx_report_pages": False}, CARDS_TARGET, "`dgx_report_pages = False`")
PAGES_NO_TEXT = Way(
    "pages_no_text",
    "report pages without text",
    {"dgx_report_pages": True, "dgx_report_text": False},
    PAGES_TARGET,
    "`dgx_report_text = False`",
    PAGES_BUDGET,
)
PAGES_TEXT = Way(
    "pages_text",
    "report pages with text",
    {"dgx_report_pages": True, "dgx_report_text": True},
    PAGES_TARGET,
    "the defaults",
    PAGES_BUDGET,
)
WAYS = (CARDS, PAGES_NO_TEXT, PAGES_TEXT)


@dataclass(frozen=True)
class Measure:
    """A comparison of sphinx_dgx with the hand-written site, made of pairs of builds."""

    key: str
    label: str
    target: float | None
    way: Way

    @property
    def memory_target(self) -> float:
        return MEMORY_TARGET + self.way.budget


MEASURES = (
    Measure("cold", "Full build, cold, cards only (no cache)", COLD_TARGET, CARDS),
    *(
        Measure(f"warm_{way.key}", f"Full build, warm, {way.label} ({way.says})", way.target, way)
        for way in WAYS
    ),
    Measure(
        "again",
        "Full build, warm, report pages with text made again (no report pages or page texts cached)",
        None,
        PAGES_TEXT,
    ),
    Measure("noop_cards", "Rebuild with no change, cards only", NOOP_TARGET, CARDS),
    Measure(
        "noop_pages_text",
        "Rebuild with no change, report pages with text",
        NOOP_TARGET + PAGES_TEXT.budget,
        PAGES_TEXT,
    ),
)
NOOPS = {"noop_cards": CARDS, "noop_pages_text": PAGES_TEXT}
"""The rebuilds with no change, and the way whose warm build each one builds again."""

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
READING = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (.+?)\s*$", re.M)
WRITING = re.compile(r"^writing output\.\.\. \[\s*\d+%\] (.+?)\s*$", re.M)
REPORT_PAGES = re.compile(r"^writing report pages\.\.\. \[\s*\d+%\] (.+?)\s*$", re.M)
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
    report_pages: list[str] = field(default_factory=list)
    """The report pages written (the ``writing report pages... [NN%] reports/<id>`` lines)."""
    updating: tuple[int, int, int] | None = None
    measured: int | None = None
    from_cache: int | None = None
    warnings: int = 0
    search_index_bytes: int | None = None

    @property
    def reread(self) -> int:
        return len(self.read)

    @property
    def pages_written(self) -> int:
        return len(self.report_pages)

    def record(self) -> dict[str, Any]:
        """For results.json: the report pages written counted, and named only when they are few."""
        record = asdict(self)
        record["report_pages_written"] = self.pages_written
        if self.pages_written > 10:
            record["report_pages"] = [*self.report_pages[:10], "..."]
        return record


def sphinx_build(
    label: str, src: Path, out: Path, *extra: str, fresh: bool = True, profile: Path | None = None
) -> Build:
    """Run ``sphinx-build -b html`` on *src* into ``out/html`` (doctrees in ``out/doctrees``); with
    *profile*, under cProfile, its statistics saved there. *fresh* removes the output folder first
    (the doctrees are the caller's to remove)."""
    html, doctrees = out / "html", out / "doctrees"
    if fresh and html.exists():
        shutil.rmtree(html)
    out.mkdir(parents=True, exist_ok=True)
    log = out / f"{label.replace(' ', '-').replace(',', '').replace('/', '-')}.log"
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    command = [sys.executable, *profiler, "-m", "sphinx", "-b", "html", *extra, "-d", str(doctrees)]
    command += [str(src), str(html)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    env.pop("SPHINXOPTS", None)
    env.pop("FORCE_COLOR", None)
    os.sync()  # the writes of what came before (a build, removing its folders) are not this build's
    with open(log, "w", encoding="utf-8") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # the rusage of this child alone
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
    text = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace")).replace("\r", "\n")
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
        report_pages=REPORT_PAGES.findall(text),
        updating=tuple(int(n) for n in updating.groups()) if updating else None,  # type: ignore[arg-type]
        measured=int(files.group(1)) if files else None,
        from_cache=int(files.group(2)) if files else None,
        warnings=text.count("WARNING:"),
        search_index_bytes=(html / "searchindex.js").stat().st_size
        if (html / "searchindex.js").exists()
        else None,
    )
    print(
        f"  {label:<56} {seconds:7.2f} s {build.max_rss_mb:6.0f} MB  read {build.reread:5d}"
        f"  written {build.written:5d}"
        + (f"  report pages {build.pages_written:5d}" if build.report_pages else "")
        + (f"  index {build.search_index_bytes / 2**20:6.2f} MB" if build.search_index_bytes else "")
        + (f"  files {build.measured} measured/{build.from_cache} cached" if files else "")
        + (f"  WARNINGS {build.warnings}" if build.warnings else ""),
        flush=True,
    )
    return build


def copy_cache(source: Path, target: Path) -> None:
    """A fresh build folder holding only the cache of *source*, ``doctrees/dgx-cache``: the facts,
    covers and texts of the files, the HTML of each report's text and the report pages as written."""
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
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "sphinx_dgx"],
            cwd=ROOT,
            capture_output=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},  # only look: take no lock on the index
        )
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


def drop_report_pages(out: Path) -> list[str]:
    """Remove from the cache in *out* the report pages as written and the HTML of their text, so a
    build makes every report page again (what a change of the site's navigation costs); what it
    removed, relative to the cache."""
    cache = out / "doctrees" / "dgx-cache"
    removed = []
    for path in [*sorted(cache.glob("report-pages-*.pickle")), cache / "report-pages", cache / "page-text"]:
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
        else:
            continue
        removed.append(path.relative_to(cache).as_posix())
    return removed


def median(builds: list[Build], attribute: str = "seconds") -> float:
    return statistics.median(getattr(b, attribute) for b in builds)


def spread(values: list[float]) -> dict[str, float]:
    """The least, the median and the most of *values*."""
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def judged(target: float | None, ratios: list[float], counted: dict[str, Any] | None) -> dict[str, Any]:
    """Whether a measure's target is met: on the instructions *counted* (``benchmarks/instructions.py``)
    when they were, else on the median of the timed pairs' *ratios*. On a shared machine the ratio
    of one timed pair ranges over more than the margin a target leaves (0.82x to 1.21x for the same
    two builds), so a median of five tells 1.03 from 1.10 by luck; a count does not drift."""
    if target is None:
        return {"met": None, "timed_met": None, "judged_on": "time", "instructions": counted}
    timed = statistics.median(ratios) <= target
    return {
        "met": timed if counted is None else counted["ratio"] <= target,
        "timed_met": timed,
        "judged_on": "time" if counted is None else "instructions",
        "instructions": counted,
    }


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
    (
        "writing: page context and templates, of the documents",
        ("sphinx/builders/html/__init__.py", "handle_page", None),
        ("sphinx/builders/html/__init__.py", "write_doc"),
    ),
    ("writing: search index", ("sphinx/builders/html/__init__.py", "index_page", None), None),
    (
        "  of which stemming",
        ("sphinx/search/__init__.py", "stem", None),
        ("sphinx/search/__init__.py", "feed"),
    ),
    ("writing: report pages (html-collect-pages)", ("sphinx_dgx/reportpages.py", "write_pages", None), None),
    ("  of which making pages (render_page)", ("sphinx_dgx/reportpages.py", "render_page", None), None),
    ("  of which feeding them to the search index", ("sphinx_dgx/reportpages.py", "index_pages", None), None),
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
    found["the rest (starting Sphinx, the environment, the catalogue, feeds, copying, other pages)"] = (
        total - sum(seconds for name, seconds in found.items() if not name.startswith(" "))
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


def save_caches(cold: Path, builds: Path, site: Path, warm: dict[str, Path]) -> dict[str, Path]:
    """For each way, a folder holding the ``dgx-cache`` its warm builds start from: the cold build's
    for cards only; for a way with report pages, the cache of a build of that way (not timed), made
    from the cold build's in that way's warm folder, so that it holds that way's report pages and
    page texts, made where the warm builds are made (the report pages' cache is kept for the folder
    it was made in, as after ``sphinx-build -E`` or a CI cache restored in place)."""
    print("Caches for the warm builds, from an earlier build of each way (not timed):")
    saved: dict[str, Path] = {}
    for way in WAYS:
        saved[way.key] = builds / f"cache-{way.key}"
        if way is CARDS:
            copy_cache(cold, saved[way.key])
            continue
        copy_cache(cold, warm[way.key])
        sphinx_build(f"dgx earlier build, {way.label}", site, warm[way.key], *way.overrides)
        copy_cache(warm[way.key], saved[way.key])
        shutil.rmtree(warm[way.key])
    return saved


def wait_until_settled() -> None:
    """Wait until the files just written are older than the facts cache's window for changes
    (:data:`sphinx_dgx.facts.RACY_NS`): a file changed within it of being hashed is hashed again by
    the next build, which every warm build and rebuild would then pay for files a user's site never
    has so new."""
    from sphinx_dgx.facts import RACY_NS

    time.sleep(RACY_NS / 1e9 + 0.5)


def compile_package() -> None:
    """Compile sphinx_dgx's modules, as installing its wheel does: an editable install under
    ``PYTHONDONTWRITEBYTECODE`` would compile them at every build (0.1 s), which Sphinx's own
    modules, installed, never are."""
    import sphinx_dgx

    if not compileall.compile_dir(Path(sphinx_dgx.__file__).parent, quiet=1):
        raise SystemExit("sphinx_dgx's modules do not compile")


def run(args: argparse.Namespace) -> dict[str, Any]:
    from sphinx_dgx.publishing import page_docname

    work = args.work.resolve()
    print(f"Generating {args.reports} reports, {args.groups} groups, {args.years} years under {work} ...")
    started = time.perf_counter()
    load_before = os.getloadavg()
    project = synthetic.plan(work / "project", args.groups, args.reports, args.years, args.seed)
    timings = synthetic.write(project, random.Random(args.seed + 1))
    pdf_mb = sum(p.stat().st_size for p in project.files.iterdir()) / 2**20
    print(f"  {len(project.reports)} PDFs ({pdf_mb:.0f} MB) in {timings['pdfs']:.1f} s")
    wait_until_settled()
    # one dgx site for every way: the report pages are written by the builder, not as sources
    site = project.dgx
    builds = work / "builds"
    if builds.exists():
        shutil.rmtree(builds)
    pages = len(project.groups) + 1
    compile_package()

    runs: dict[str, dict[str, list[Build]]] = {m.key: {"dgx": [], "hand": []} for m in MEASURES}

    def pair(i: int, key: str, dgx: Callable[[], Build], hand: Callable[[], Build]) -> None:
        """One pair of a measure, back to back; the hand-written build goes first in odd pairs."""
        sides = [("dgx", dgx), ("hand", hand)]
        if i % 2:
            sides.reverse()
        for side, build in sides:
            runs[key][side].append(build())
        d, h = runs[key]["dgx"][-1], runs[key]["hand"][-1]
        print(
            f"  {'':<56} dgx/hand {d.seconds / h.seconds:5.2f}x, memory {d.max_rss_mb / h.max_rss_mb:5.2f}x"
        )

    def hand_build(label: str, out: Path, fresh: bool = True) -> Callable[[], Build]:
        return lambda: sphinx_build(label, project.hand, out, fresh=fresh)

    def dgx_build(label: str, out: Path, way: Way, fresh: bool = True) -> Callable[[], Build]:
        return lambda: sphinx_build(label, site, out, *way.overrides, fresh=fresh)

    # each way's warm builds are made in one folder, pair after pair: see save_caches
    warm_dirs = {way.key: builds / f"dgx-warm-{way.key}" for way in WAYS}
    saved: dict[str, Path] = {}

    def keep_as(i: int) -> None:
        """With --keep, give pair *i*'s warm folders its number (the next warm builds reuse the names)."""
        for folder in warm_dirs.values():
            if folder.exists():
                shutil.rmtree(folder.with_name(f"{folder.name}-{i}"), ignore_errors=True)
                folder.rename(folder.with_name(f"{folder.name}-{i}"))

    for i in range(args.runs):
        order = WAYS[i % len(WAYS) :] + WAYS[: i % len(WAYS)]  # each way takes each place in turn
        print(
            f"Pair {i + 1} of {args.runs} ({'dgx' if i % 2 == 0 else 'hand'} first; "
            f"warm: {', '.join(w.label for w in order)}):"
        )
        cold = builds / f"dgx-cold-{i}"
        pair(
            i,
            "cold",
            dgx_build("dgx cold, cards only", cold, CARDS),
            hand_build("hand", builds / f"hand-cold-{i}"),
        )
        if not saved:
            saved = save_caches(cold, builds, site, warm_dirs)
        for way in order:
            copy_cache(saved[way.key], warm_dirs[way.key])
            pair(
                i,
                f"warm_{way.key}",
                dgx_build(f"dgx warm, {way.label}", warm_dirs[way.key], way),
                hand_build("hand", builds / f"hand-warm-{way.key}-{i}"),
            )
        again = builds / f"dgx-again-{i}"
        copy_cache(saved[PAGES_TEXT.key], again)
        drop_report_pages(again)
        pair(
            i,
            "again",
            dgx_build("dgx warm, report pages made again", again, PAGES_TEXT),
            hand_build("hand", builds / f"hand-again-{i}"),
        )
        for key, way in NOOPS.items():
            pair(
                i,
                key,
                dgx_build(f"dgx rebuild, no change, {way.label}", warm_dirs[way.key], way, fresh=False),
                hand_build("hand rebuild, no change", builds / f"hand-warm-{way.key}-{i}", fresh=False),
            )
        if not args.keep:
            for folder in builds.glob(f"*-{i}"):
                shutil.rmtree(folder, ignore_errors=True)
        elif i < args.runs - 1:
            keep_as(i)

    print("A parallel build (dgx, cards only):")
    cards_dir, text_dir = warm_dirs[CARDS.key], warm_dirs[PAGES_TEXT.key]
    parallel_dir = builds / "dgx-parallel"
    copy_cache(saved[CARDS.key], parallel_dir)
    parallel = sphinx_build(
        "dgx warm, -j auto, cards only", site, parallel_dir, *CARDS.overrides, "-j", "auto"
    )
    differ = compare_trees(cards_dir / "html", parallel_dir / "html")
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
    print(f"Rebuilds after editing the summary of {edited.id} (dgx; its card is on {shown_on}):")
    edits: dict[str, dict[str, Any]] = {}
    for key, way, out in (("edit_cards", CARDS, cards_dir), ("edit_pages_text", PAGES_TEXT, text_dir)):
        build = rebuild_edited(f"dgx rebuild, one summary edited, {way.label}", site, out, way, edited)
        expected_pages = [page_docname(edited.id)] if way.settings.get("dgx_report_pages") else []
        edits[key] = build.record() | {
            "way": way.key,
            "reread": build.reread,
            "report": edited.id,
            "expected_read": [shown_on],
            "expected_report_pages": expected_pages,
            "as_expected": sorted(build.read) == [shown_on] and sorted(build.report_pages) == expected_pages,
        }

    profile = None
    if args.profile:
        print("A warm build with report pages and text, under cProfile:")
        if args.keep:
            keep_as(args.runs - 1)
        profile_dir = warm_dirs[PAGES_TEXT.key]  # where its cache was made: its report pages are kept
        copy_cache(saved[PAGES_TEXT.key], profile_dir)
        stats_path = RESULTS.parent / "profile-pages-text.prof"
        stats_path.parent.mkdir(parents=True, exist_ok=True)
        profiled = sphinx_build(
            "dgx warm, report pages with text, profiled",
            site,
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

    counts: dict[str, dict[str, Any]] = {}
    valgrind = count_error = None
    if args.count:
        import instructions

        print("Instructions counted under callgrind, for the measures it counts:")
        try:
            counts = instructions.count(project, work / "instructions")
            valgrind = instructions.valgrind_version()
        except SystemExit as error:  # the timed measures stand without it: judged on time
            count_error = str(error)
            print(f"  counting failed, every target is judged on the timed pairs: {count_error}")

    measures: dict[str, dict[str, Any]] = {}
    for m in MEASURES:
        dgx, hand = runs[m.key]["dgx"], runs[m.key]["hand"]
        ratios = [d.seconds / h.seconds for d, h in zip(dgx, hand, strict=True)]
        memory = [d.max_rss_mb / h.max_rss_mb for d, h in zip(dgx, hand, strict=True)]
        measures[m.key] = {
            "label": m.label,
            "way": m.way.key,
            "overrides": m.way.overrides,
            "target": m.target,
            "pairs": len(ratios),
            "dgx_s": median(dgx),
            "hand_s": median(hand),
            "ratios": ratios,
            "ratio": spread(ratios),
            **judged(m.target, ratios, counts.get(m.key)),
            "dgx_max_rss_mb": median(dgx, "max_rss_mb"),
            "hand_max_rss_mb": median(hand, "max_rss_mb"),
            "memory_ratios": memory,
            "memory_ratio": spread(memory),
            "memory_target": m.memory_target,
            "memory_met": statistics.median(memory) <= m.memory_target,
            "read": [b.reread for b in dgx],
            "written": [b.written for b in dgx],
            "report_pages_written": [b.pages_written for b in dgx],
            "files": [(b.measured, b.from_cache) for b in dgx],
            "hand_read": [b.reread for b in hand],
            "hand_written": [b.written for b in hand],
            "search_index_bytes": dgx[-1].search_index_bytes,
            "hand_search_index_bytes": hand[-1].search_index_bytes,
            "search_index_sizes": sorted({b.search_index_bytes or 0 for b in dgx}),
        }
    noops = {
        key: {
            "reread": measures[key]["read"],
            "measured": [measured for measured, _ in measures[key]["files"]],
            "report_pages_written": measures[key]["report_pages_written"],
            "hand_reread": measures[key]["hand_read"],
        }
        for key in NOOPS
    }
    for noop in noops.values():
        noop["unchanged"] = all(
            reread == 0 and measured == 0 and written == 0
            for reread, measured, written in zip(
                noop["reread"], noop["measured"], noop["report_pages_written"], strict=True
            )
        )
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "size": {
            "groups": len(project.groups),
            "reports": len(project.reports),
            "years": args.years,
            "pages": pages,
            "report_pages": max(measures["again"]["report_pages_written"]),
            "seed": args.seed,
            "pdf_mb": round(pdf_mb, 1),
            "pairs": args.runs,
        },
        "target_values": {
            "cold": COLD_TARGET,
            "warm_cards": CARDS_TARGET,
            "warm_base": WARM_TARGET,
            "pages_budget": PAGES_BUDGET,
            "warm_pages": PAGES_TARGET,
            "noop": NOOP_TARGET,
            "memory": MEMORY_TARGET,
        },
        "valgrind": valgrind,
        "count_error": count_error,
        "measures": measures,
        "noop": noops,
        "edit": edits,
        "parallel": parallel.record() | {"equals_serial": not differ, "differing_files": differ},
        "freshness": fresh,
        "profile": profile,
        "runs": {
            key: {side: [b.record() for b in side_builds] for side, side_builds in sides.items()}
            for key, sides in runs.items()
        },
        "wall_s": time.perf_counter() - started,
        "load_average": {"before": load_before, "after": os.getloadavg()},  # 1, 5 and 15 minutes
    }
    results["targets"] = {
        **{m.key: measures[m.key]["met"] for m in MEASURES if m.target is not None},
        **{f"memory_{m.key}": measures[m.key]["memory_met"] for m in MEASURES},
        **{f"{key}_unchanged": noops[key]["unchanged"] for key in NOOPS},
        **{key: edit["as_expected"] for key, edit in edits.items()},
        "parallel_equals_serial": not differ,
    }
    return results


Row = tuple[str, ...]
Section = tuple[str, Row, list[Row]]


def sections(r: dict[str, Any]) -> list[Section]:
    """The tables shared by the console and the docs: (title, header, rows)."""
    ms, t, s = r["measures"], r["targets"], r["size"]
    pages, all_pages = s["pages"], s["report_pages"]

    def mark(ok: bool) -> str:
        return "pass" if ok else "miss"

    def versus(ok: bool, value: float, target: float) -> str:
        return "pass" if ok else f"miss ({(value / target - 1) * 100:+.0f}% vs target)"

    def ratio(spread: dict[str, float]) -> str:
        return f"{spread['median']:.2f}x ({spread['min']:.2f}{DASH}{spread['max']:.2f})"

    def each(values: list[Any], of: int | None = None) -> str:
        """Per-pair values: one when they are all the same."""
        total = f" of {of}" if of is not None else ""
        if len(set(values)) == 1:
            return f"{values[0]}{total}" + (f" (each of {len(values)} pairs)" if len(values) > 1 else "")
        return f"{', '.join(str(v) for v in values)}{total} (pair by pair)"

    def named(names: list[str], of: int | None = None) -> str:
        total = f" of {of}" if of is not None else ""
        shown = ", ".join(f"`{name}`" for name in names[:3]) + (" ..." if len(names) > 3 else "")
        return f"{len(names)}{total}" + (f": {shown}" if names else "")

    def size(count: int | None) -> str:
        if count is None:
            return "none"
        shown = f"{count / 2**20:.2f} MB" if count >= 2**20 else f"{count / 2**10:.0f} KB"
        return f"{shown} ({count:,} bytes)"

    def files(pair: tuple[int | None, int | None] | list[int | None]) -> str:
        return f"{pair[0]} measured, {pair[1]} from the cache"

    def verdict(x: dict[str, Any]) -> str:
        """The result of a time target: on the count when it was counted."""
        target = x["target"]
        if target is None:
            return ""
        if x.get("judged_on") == "instructions":
            return f"{versus(x['met'], x['instructions']['ratio'], target)}, counted"
        return versus(x["met"], x["ratio"]["median"], target)

    times: list[Row] = []
    memory: list[Row] = []
    for m in MEASURES:
        x = ms[m.key]
        target, counted = x["target"], x.get("instructions")
        times.append(
            (
                x["label"],
                f"{x['dgx_s']:.1f} s",
                f"{x['hand_s']:.1f} s",
                ratio(x["ratio"]),
                f"{counted['ratio']:.3f}x" if counted else "",
                f"≤ {target:.2f}x" if target is not None else "",
                verdict(x),
            )
        )
        memory.append(
            (
                x["label"],
                f"{x['dgx_max_rss_mb']:.0f} MB",
                f"{x['hand_max_rss_mb']:.0f} MB",
                ratio(x["memory_ratio"]),
                f"≤ {x['memory_target']:.2f}x",
                versus(x["memory_met"], x["memory_ratio"]["median"], x["memory_target"]),
            )
        )

    incremental: list[Row] = []
    for key, way in NOOPS.items():
        x, noop = ms[key], r["noop"][key]
        incremental.append(
            (
                f"No change, {way.label}",
                f"{x['dgx_s']:.1f} s (median)",
                each(noop["reread"], pages),
                each(noop["measured"]),
                each(noop["report_pages_written"]),
                "0 re-read, 0 measured, 0 report pages",
                mark(noop["unchanged"]),
            )
        )
    for key, edit in r["edit"].items():
        way = next(w for w in WAYS if w.key == edit["way"])
        expected_pages = edit["expected_report_pages"]
        incremental.append(
            (
                f"One report's summary edited ({edit['report']}), {way.label}",
                f"{edit['seconds']:.1f} s",
                named(edit["read"], pages),
                str(edit["measured"]),
                named(edit["report_pages"])
                if edit["report_pages_written"] <= 10
                else str(edit["report_pages_written"]),
                "1 re-read (the page showing its card)"
                + (", 1 report page (its own)" if expected_pages else ", no report page"),
                mark(t[key]),
            )
        )

    facts: list[Row] = []
    for way in WAYS:
        x = ms[f"warm_{way.key}"]
        dgx_bytes, hand_bytes = x["search_index_bytes"], x["hand_search_index_bytes"]
        facts.append(
            (
                f"Search index (`searchindex.js`), {way.label}",
                size(dgx_bytes),
                size(hand_bytes),
                f"{dgx_bytes / hand_bytes:.2f}x" if dgx_bytes and hand_bytes else "",
            )
        )
    cold_files = {tuple(f) for f in ms["cold"]["files"]}
    warm_files = {tuple(f) for way in WAYS for f in ms[f"warm_{way.key}"]["files"]}
    facts += [
        ("Report files, cold builds", "; ".join(files(f) for f in sorted(cold_files, key=str)), "", ""),
        (
            "Report files, warm builds (every way)",
            "; ".join(files(f) for f in sorted(warm_files, key=str)),
            "",
            "",
        ),
    ]
    for way in (PAGES_NO_TEXT, PAGES_TEXT):
        facts.append(
            (
                f"Report pages written, warm, {way.label} (0 expected: all from the cache)",
                each(ms[f"warm_{way.key}"]["report_pages_written"], all_pages),
                "",
                "",
            )
        )
    facts.append(
        (
            "Report pages written, made again",
            each(ms["again"]["report_pages_written"], all_pages),
            "",
            "",
        )
    )
    par, fresh = r["parallel"], r["freshness"]
    facts += [
        (
            "Full build, warm, `-j auto`, cards only",
            f"{par['seconds']:.1f} s; output equals serial: {'yes' if par['equals_serial'] else 'no'}"
            + (f" ({len(par['differing_files'])} files differ)" if par["differing_files"] else ""),
            "",
            "",
        ),
        (
            f"Telling {fresh['files']} files unchanged: size, times and inode checked",
            f"{fresh['stat_check_s'] * 1000:.0f} ms",
            "",
            "",
        ),
        (
            "The same by hashing every file (a first build, or files changed since)",
            f"{fresh['hash_all_s']:.1f} s",
            "",
            "",
        ),
    ]
    return [
        (
            "Build times",
            (
                "Measure",
                "sphinx_dgx",
                "hand-written",
                f"dgx/hand: median (min{DASH}max)",
                "instructions dgx/hand",
                "target",
                "result",
            ),
            times,
        ),
        (
            "Peak memory (max RSS)",
            ("Measure", "sphinx_dgx", "hand-written", f"dgx/hand: median (min{DASH}max)", "target", "result"),
            memory,
        ),
        (
            "Incremental builds (sphinx_dgx)",
            (
                "Rebuild",
                "time",
                "documents re-read",
                "files measured",
                "report pages written",
                "expected",
                "result",
            ),
            incremental,
        ),
        ("Search index and other figures", ("Figure", "sphinx_dgx", "hand-written", "ratio"), facts),
    ]


def console_table(r: dict[str, Any]) -> str:
    out: list[str] = []
    for title, header, body in sections(r):
        table = [header, *body]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        out += [f"{title}:", *lines, ""]
    return "\n".join(out).rstrip()


def markdown(r: dict[str, Any]) -> str:
    m, s, v = r["machine"], r["size"], r["target_values"]
    n = s["pairs"]
    by_count = [x for x in r["measures"].values() if x.get("judged_on") == "instructions"]
    counted = "; ".join(x["label"].split(" (")[0].lower() for x in by_count)
    pages_noop = r["measures"]["noop_pages_text"]
    lines = [
        f"Measured on {r['date']} ({r['wall_s'] / 60:.1f} minutes in all).",
        "",
        f"Machine: {m.get('cpu')}, {m.get('nproc')} cores, {m.get('ram_gb')} GB RAM; Python "
        f"{m.get('python')}, Sphinx {m.get('sphinx')}, MyST-Parser {m.get('myst-parser')}, "
        f"sphinx-design {m.get('sphinx-design')}, Furo {m.get('furo')}, pypdf {m.get('pypdf')}, "
        f"pypdfium2 {m.get('pypdfium2')}; sphinx-dgx {m.get('sphinx-dgx')} at "
        f"{m.get('commit') or 'an unknown commit'}." + load(r.get("load_average")),
        "",
        f"Size: {s['reports']} reports in {s['groups']} working groups over {s['years']} years: "
        f"{s['pages']} pages, and {s['report_pages']} report pages when they are on; "
        f"{s['pdf_mb']:.0f} MB of PDFs (seed {s['seed']}).",
        "",
        f"{n} pair{'s' if n != 1 else ''} of builds for each measure: a sphinx_dgx build and a "
        "hand-written build run back to back, which goes first alternating from pair to pair. Each "
        "pair gives a ratio dgx/hand; the tables show the median of each side and the median ratio, "
        "with the least and the most ratio in brackets, and a target is judged on the median ratio"
        + (
            f", except the time targets of the measures whose instructions were counted ({counted}; "
            f'counted with {r["valgrind"]}): they are judged on the count ("counted"), since the ratio of '
            "one timed pair ranges over more than the margin of a target."
            if counted
            else "."
        )
        + (
            " Counting the instructions failed, so no target is judged on a count: "
            f"{r['count_error'].splitlines()[0]}"
            if r.get("count_error")
            else ""
        ),
        f"The targets: a cold build at most {v['cold']:.2f} times the hand-written build; a warm build "
        f"of cards only {v['warm_cards']:.2f} times; a warm build with report pages, with or without "
        f"text, {v['warm_pages']:.2f} times ({v['warm_base']:.2f}, and report pages adding at most "
        f"{v['pages_budget']:.1f} of the hand-written build's time); a rebuild with no change "
        f"{v['noop']:.2f} times the hand-written site's rebuild with no change; the peak memory of "
        f"each measure {v['memory']:.2f} times the hand-written side's. With report pages, the "
        f"no-change and memory targets too allow the pages' {v['pages_budget']:.1f} on top "
        f"({pages_noop['target']:.2f}x and {pages_noop['memory_target']:.2f}x): the "
        "hand-written site has no report pages.",
        "",
        "Warm, for sphinx_dgx: a fresh environment and output folder, with `dgx-cache` (the facts, "
        "covers and texts of the files, the HTML of each report's text and the report pages as "
        "written) kept from an earlier build of the same way in the same folder.",
        "Warm, for the hand-written site: a fresh build, since it has no cache of its own.",
        "Made again: warm with report pages and text, but with the report pages and the HTML of "
        "their text removed from `dgx-cache`, so every report page is built and its text rendered "
        "again, as after a change of the site's navigation.",
        "A rebuild with no change builds again in the same folders; the hand-written side of it is "
        "the hand-written site built again in its own folders.",
    ]
    for title, header, body in sections(r):
        lines += ["", f"### {title}", ""]
        for row in (header, ("---",) * len(header), *body):
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
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
    replace_between(page, START, END, markdown(r))
    print(f"Rewrote the results in {page}")


def replace_between(page: Path, start: str, end: str, text: str) -> None:
    """Put *text* in *page* between the markers *start* and *end*, in place of what was there."""
    content = page.read_text(encoding="utf-8")
    if start not in content or end not in content:
        raise SystemExit(f"{page}: no {start} ... {end} markers")
    head, rest = content.split(start, 1)
    _, tail = rest.split(end, 1)
    page.write_text(f"{head}{start}\n\n{text}\n\n{end}{tail}", encoding="utf-8")


def size_arguments(parser: argparse.ArgumentParser, reports: int, groups: int) -> None:
    """The synthetic site's size and seed, as ``--reports``, ``--groups``, ``--years`` and ``--seed``."""
    parser.add_argument("--reports", type=int, default=reports, help=f"reports (default {reports})")
    parser.add_argument("--groups", type=int, default=groups, help=f"working groups (default {groups})")
    parser.add_argument("--years", type=int, default=5, help="years (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    size_arguments(parser, reports=2000, groups=100)
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="pairs of builds (sphinx_dgx and hand-written, back to back) for each measure; the ratio "
        "of each pair is taken, and their median, least and most reported (default 5)",
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "docs" / "_build" / "bench" / "scratch", help="scratch folder"
    )
    parser.add_argument("--keep", action="store_true", help="keep every build folder")
    parser.add_argument(
        "--count",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also count the instructions of a warm build and a rebuild with no change of cards only, "
        "under callgrind (about 11 minutes at the default size), and judge those two targets on the "
        "counts (default: when valgrind is installed)",
    )
    parser.add_argument("--write-docs", action="store_true", help=f"rewrite the results in {DOCS_PAGE.name}")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile a warm build with report pages and text (cProfile; statistics saved beside "
        "the results)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    has_valgrind = shutil.which("valgrind") is not None
    if args.count and not has_valgrind:
        parser.error("--count needs valgrind (Debian: apt-get install valgrind)")
    if args.count is None:
        args.count = has_valgrind
        if not has_valgrind:
            print(
                "valgrind is not installed (Debian: apt-get install valgrind): the warm and no-change "
                "targets of cards are judged on timed pairs, which cannot tell 1.03x from 1.10x here"
            )
    results = run(args)
    print()
    print(console_table(results))
    m = results["machine"]
    missed = [name for name, ok in results["targets"].items() if not ok]
    print(
        f"\ntargets missed: {', '.join(missed) if missed else 'none'}"
        f"\nmachine: {m.get('cpu')}, {m.get('nproc')} cores, {m.get('ram_gb')} GB; Python {m['python']}, "
        f"Sphinx {m['sphinx']}; {results['date']}; {results['size']['pairs']} pairs; "
        f"wall time {results['wall_s'] / 60:.1f} min"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"Results: {RESULTS}")
    if args.write_docs:
        write_docs(results)


if __name__ == "__main__":
    main()
