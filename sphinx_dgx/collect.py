"""The inputs of a build, collected once at ``builder-inited`` into one frozen :class:`Snapshot`.

:func:`collect` reads the catalogue, measures each report file (from the cache in
``<doctreedir>/dgx-cache/`` when its content is known), warns about every problem on the way,
notes whether the last build was interrupted, and hands the whole to the domain, which only
stores it. The snapshot cannot change and pickles: it travels with the environment to the
processes of a parallel read, and to the next build, which compares its fingerprints with its
own to know which pages an edit of the catalogue touches.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sphinx.util.display import status_iterator

from . import catalogue as cat
from . import catalogue_cache, resume
from . import facts as facts_
from . import uses as uses_
from .config import DgxConfig, get_dgx_config, setting_location
from .domain import get_domain
from .logging import logger, warn, warn_problem
from .problems import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx

CACHE_DIR = "dgx-cache"
"""Folder in the doctree directory holding file facts and covers between builds."""

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A mapping that cannot change, and that pickles (``types.MappingProxyType`` does not)."""

    __slots__ = ("_items",)
    _items: dict[K, V]

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_items", dict(items))

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(frozenset(self._items.items()))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} cannot change")

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (self._items,))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"


def freeze(value: Any) -> Any:
    """*value* with every dict made a :class:`FrozenMap` and every list a tuple, however deep."""
    if isinstance(value, Mapping):
        return FrozenMap({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(freeze(item) for item in value)
    return value


FileResult = facts_.FileFacts | facts_.Unreadable
"""What a report's file is: measured whole, or why not (with the facts that could be read)."""


@dataclass(frozen=True)
class Snapshot:
    """The inputs of one build: the catalogue, what its files are, and what the next build compares."""

    catalogue: cat.Catalogue
    files: FrozenMap[str, FileResult]
    """Report id -> its file's facts, or why they fall short; every report that names a file."""
    covers: FrozenMap[str, facts_.Cover]
    """Report id -> the cover it shows: its own image, else the first page of its file."""
    fingerprints: FrozenMap[str, Any]
    """:func:`sphinx_dgx.uses.fingerprints` of the catalogue, frozen."""
    interrupted: bool
    """The last build of this builder did not finish: every page is read and written again."""
    texts: FrozenMap[str, str]
    """Report id -> the path of its file's text and outline (:func:`sphinx_dgx.facts.read_text`)."""

    def facts(self, report_id: str) -> facts_.FileFacts | None:
        """What was measured of a report's file: all of it, or the part that could be read."""
        found = self.files.get(report_id)
        return found.facts if isinstance(found, facts_.Unreadable) else found

    def file_problem(self, report_id: str) -> facts_.Unreadable | None:
        """Why a report's file falls short (None when it was measured whole, or the report names none)."""
        found = self.files.get(report_id)
        return found if isinstance(found, facts_.Unreadable) else None

    def downloadable(self, report_id: str) -> bool:
        """Whether a report has a file to offer: named, present, and a PDF (a damaged one too)."""
        found = self.files.get(report_id)
        return isinstance(found, facts_.FileFacts) or (found is not None and found.publishable)

    def cover(self, report_id: str) -> facts_.Cover | None:
        return self.covers.get(report_id)

    def text_path(self, report_id: str) -> str | None:
        """Where the text of a report's file is saved (None when it has none): the text is read there."""
        return self.texts.get(report_id)


# -- collecting ------------------------------------------------------------------


def collect(app: Sphinx) -> None:
    """``builder-inited``: collect the inputs of this build, before Sphinx decides what to read."""
    interrupted = resume.start(app)
    cache_dir = os.path.join(app.doctreedir, CACHE_DIR)
    catalogue = load_catalogue(app.confdir, get_dgx_config(app.config), cache_dir)
    config = get_dgx_config(app.config)
    measured = measure_files(catalogue, cache_dir, app.verbosity, config.processes(), needs_of(app))
    get_domain(app.env).set_snapshot(take_snapshot(catalogue, measured, interrupted))


def needs_of(app: Sphinx) -> frozenset[str]:
    """What this build shows of the report files beyond their facts and the cards' covers: what its
    report pages show (:data:`~sphinx_dgx.facts.PAGES`), what the handbook needs (``HANDBOOK``)."""
    from .publishing import makes_pages

    needs = set()
    if get_dgx_config(app.config).report_pages and makes_pages(app.builder):
        needs.add(facts_.PAGES)
    if app.builder.format == "latex":
        needs.add(facts_.HANDBOOK)
    return frozenset(needs)


def load_catalogue(
    confdir: str | os.PathLike[str], config: DgxConfig, cache_dir: str | os.PathLike[str] | None = None
) -> cat.Catalogue:
    """Read the catalogue that *config* names (from *cache_dir* when nothing it depends on changed:
    :mod:`catalogue_cache`); say what it holds and warn about each problem."""
    confdir = os.fspath(confdir)
    path = os.path.normpath(os.path.join(confdir, config.catalogue))
    files_dir = os.path.normpath(os.path.join(confdir, config.files_dir))
    loaded, kept = catalogue_cache.load(path, files_dir, config.catalogue_max_bytes, cache_dir)
    logger.info(
        "dgx: catalogue %s: %d working groups, %d reports, %d problems%s",
        os.path.relpath(path, confdir),
        len(loaded.groups),
        len(loaded.reports),
        len(loaded.problems),
        " (unchanged: from the cache)" if kept else "",
    )
    for problem in loaded.problems:
        if problem.line is None:  # the file itself: point at the setting that names it
            warn(problem.subtype, f"{problem.message} ({path})", setting_location(confdir, "dgx_catalogue"))
        else:
            warn_problem(problem)
    return loaded


def measure_files(
    catalogue: cat.Catalogue,
    cache_dir: str | os.PathLike[str],
    verbosity: int = 0,
    processes: int = 1,
    needs: frozenset[str] = facts_.EVERYTHING,
) -> dict[str, facts_.Measured]:
    """What each report's file and cover are, by report id: from the cache when their content is known
    with the parts *needs* names (:func:`~sphinx_dgx.facts.measure_file`).

    Files not in the cache are measured once per content, by *processes* processes (1: in this
    one); the results are the same, in the same order, either way. A file known without a part
    this build needs is measured again, with the parts it had. A report's own cover image,
    drawn again as a PNG, takes the place of the first page of its file. Says how many files were
    measured, and warns about each problem: at the line of the report's file for the file, at the
    report's line for its own cover.
    """
    cache = facts_.FactsCache(cache_dir)
    found, todo, gone = _known_files(catalogue, cache, needs)
    from_cache = len(found)
    contents = {key: (report, path) for report, key, path in reversed(todo)}  # the first report's
    contents = {key: contents[key] for key in dict.fromkeys(key for _, key, _ in todo)}
    measured = _measure(cache, contents, processes, verbosity, needs)
    for report, key, _ in todo:
        found[report.id] = measured[key]
    found.update(gone)
    for report in catalogue.reports:
        if report.id in found:
            found[report.id] = facts_.under_name(found[report.id], report.file or "")
            _warn_file(catalogue, report, found[report.id])
    for report in catalogue.reports:
        if report.cover is not None:
            _own_cover(catalogue, report, cache, found)
    cache.save()
    logger.info("dgx: report files: %d measured, %d from the cache", len(todo), from_cache)
    return found


def _measure(
    cache: facts_.FactsCache,
    contents: dict[str, tuple[cat.Report, str]],
    processes: int,
    verbosity: int,
    needs: frozenset[str],
) -> dict[str, facts_.Measured]:
    """Measure each content (key: its SHA-256) once, in a pool of *processes* when there are several."""
    keys = list(contents)
    if not keys:
        return {}
    folders = (cache.covers, cache.texts)
    args = [(*folders, key, contents[key][1], needs | cache.parts(key)) for key in keys]
    processes = min(processes, len(keys))
    if processes > 1:
        pool = ProcessPoolExecutor(processes)
        results: Iterable[tuple[facts_.Measured, bool]] = pool.map(_measure_one, args, chunksize=4)
    else:
        pool, results = None, map(_measure_one, args)
    try:
        progress = status_iterator(
            zip(keys, results, strict=True),
            "dgx: measuring report files... ",
            "darkgreen",
            len(keys),
            verbosity,
            stringify_func=lambda item: f"files/{contents[item[0]][0].file}",
        )
        measured = {}
        for key, (result, keep) in progress:
            measured[key] = cache.remember(key, result) if keep else result
        return measured
    finally:
        if pool is not None:
            pool.shutdown()


def _measure_one(args: tuple[Any, ...]) -> tuple[facts_.Measured, bool]:
    return facts_.measure_file(*args)


def _known_files(
    catalogue: cat.Catalogue, cache: facts_.FactsCache, needs: frozenset[str]
) -> tuple[dict[str, facts_.Measured], list[tuple[cat.Report, str, str]], dict[str, facts_.Measured]]:
    """By report id, the files known by their content; those to measure (report, key, path); those gone."""
    found: dict[str, facts_.Measured] = {}
    todo: list[tuple[cat.Report, str, str]] = []
    gone: dict[str, facts_.Measured] = {}
    for report in catalogue.reports:
        if report.file is None or not report.file_ok:
            continue
        path = os.path.join(catalogue.files_dir, report.file)
        try:
            key = cache.key(path)
        except OSError as error:  # gone (or no longer a file) since the catalogue looked
            gone[report.id] = facts_.Measured(None, facts_.cannot_read(error))
            continue
        cached = cache.get(key, needs)
        if cached is None:
            todo.append((report, key, path))
        else:
            found[report.id] = cached
    return found, todo, gone


def _warn_file(catalogue: cat.Catalogue, report: cat.Report, measured: facts_.Measured) -> None:
    """Each problem of a report's file, at the line of its ``file`` field."""
    where = file_location(catalogue, report)
    if measured.problem is not None:
        warn(measured.problem.subtype, f"{file_label(report)} {measured.problem.reason}", where)
    for caveat in measured.caveats:
        warn(caveat.subtype, f"{file_label(report)}: {caveat.reason}", where)


def _own_cover(
    catalogue: cat.Catalogue, report: cat.Report, cache: facts_.FactsCache, found: dict[str, facts_.Measured]
) -> None:
    """Put a report's own cover in *found* (drawn again as a PNG), or warn why not at the report's line.

    An image that cannot be used is a warning: the first page of the file stands in.
    """
    assert report.cover is not None
    cover = cache.image(os.path.join(catalogue.files_dir, report.cover))
    current = found.get(report.id, facts_.Measured(None))
    if isinstance(cover, facts_.Cover):
        found[report.id] = dataclasses.replace(current, cover=cover)
        return
    instead = (
        "the card shows the first page of its file instead" if current.cover else "the card shows no cover"
    )
    warn(
        cover.subtype,
        f"report {report.id!r}: cover {f'files/{report.cover}'!r} {cover.reason}; {instead}",
        f"{catalogue.path}:{report.line}",
    )


def take_snapshot(
    catalogue: cat.Catalogue, measured: Mapping[str, facts_.Measured], interrupted: bool
) -> Snapshot:
    """The snapshot of a catalogue and its measured files; a file the catalogue refused says why."""
    files: dict[str, FileResult] = {}
    covers: dict[str, facts_.Cover] = {}
    texts: dict[str, str] = {}
    for report in catalogue.reports:
        result = measured.get(report.id)
        if report.file is not None:
            whole = result is not None and (result.facts is not None or result.problem is not None)
            files[report.id] = result.outcome if whole else refused(catalogue, report)  # type: ignore[union-attr]
        if result is not None and result.cover is not None:
            covers[report.id] = result.cover
        if result is not None and result.text is not None and result.problem is None:
            texts[report.id] = result.text
    fingerprints = freeze(uses_.fingerprints(catalogue))
    return Snapshot(
        catalogue, FrozenMap(files), FrozenMap(covers), fingerprints, interrupted, FrozenMap(texts)
    )


def file_label(report: cat.Report) -> str:
    """``report 'x': file 'files/x.pdf'``: how a message about a report's file begins."""
    return f"report {report.id!r}: file {f'files/{report.file}'!r}"


def file_location(catalogue: cat.Catalogue, report: cat.Report) -> str:
    """``catalogue.yaml:LINE`` of the report's ``file`` field, where a problem with the file belongs."""
    return f"{catalogue.path}:{report.file_line or report.line}"


def refused(catalogue: cat.Catalogue, report: cat.Report) -> facts_.Unreadable:
    """Why the catalogue refused a report's file, as its warning said it (it was not measured)."""
    begins, where = file_label(report) + " ", file_location(catalogue, report)
    for problem in catalogue.problems:
        if problem.location == where and problem.message.startswith(begins):
            return facts_.Unreadable(problem.subtype, problem.message.removeprefix(begins))
    return facts_.Unreadable(Subtype.MISSING_FILE, "is not available")
