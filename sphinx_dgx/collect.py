"""The inputs of a build, collected once at ``builder-inited`` into one frozen :class:`Snapshot`.

:func:`collect` reads the catalogue, measures each report file (from the cache in
``<doctreedir>/dgx-cache/`` when its content is known), warns about every problem on the way,
notes whether the last build was interrupted, and hands the whole to the domain, which only
stores it. The snapshot cannot change and pickles: it travels with the environment to the
processes of a parallel read, and to the next build, which compares its fingerprints with its
own to know which pages an edit of the catalogue touches.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from sphinx.util.display import status_iterator

from . import catalogue as cat
from . import catalogue_cache, resume
from . import facts as facts_
from . import uses as uses_
from .config import DgxConfig, get_dgx_config, setting_location
from .domain import get_domain
from .logging import logger, warn, warn_problem
from .problems import Subtype
from .regular import remove_stale_temporaries

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

CACHE_DIR = "dgx-cache"
"""Folder in the doctree directory holding what builds keep for the next: the catalogue read, the
files' facts, covers and texts, report pages and feeds as written (:func:`tidy_cache`)."""

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

    def get(self, key: K, default: V | None = None) -> V | None:  # type: ignore[override]
        return self._items.get(key, default)  # the dict's own: Mapping's raises and catches a KeyError

    def __contains__(self, key: object) -> bool:
        return key in self._items

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
    pending: Measuring | None = field(default=None, compare=False, repr=False)
    """While Sphinx reads: the files still being measured, which the maps above do not hold yet
    (a report's is waited for when asked: :meth:`Measuring.entry`). Never pickled: the snapshot
    is taken again, whole, before the environment is (:func:`finish_measuring`)."""

    def __reduce__(self) -> tuple[Any, ...]:
        assert self.pending is None, "a snapshot is pickled whole (finish_measuring)"
        values = tuple(getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "pending")
        return (type(self), values)

    def _entry(self, report_id: str) -> Entry:
        if self.pending is not None and report_id in self.pending:
            return self.pending.entry(report_id)
        return Entry(self.files.get(report_id), self.covers.get(report_id), self.texts.get(report_id))

    def facts(self, report_id: str) -> facts_.FileFacts | None:
        """What was measured of a report's file: all of it, or the part that could be read."""
        found = self._entry(report_id).file
        return found.facts if isinstance(found, facts_.Unreadable) else found

    def file_problem(self, report_id: str) -> facts_.Unreadable | None:
        """Why a report's file falls short (None when it was measured whole, or the report names none)."""
        found = self._entry(report_id).file
        return found if isinstance(found, facts_.Unreadable) else None

    def downloadable(self, report_id: str) -> bool:
        """Whether a report has a file to offer: named, present, and a PDF (a damaged one too)."""
        found = self._entry(report_id).file
        return isinstance(found, facts_.FileFacts) or (found is not None and found.publishable)

    def cover(self, report_id: str) -> facts_.Cover | None:
        return self._entry(report_id).cover

    def text_path(self, report_id: str) -> str | None:
        """Where the text of a report's file is saved (None when it has none): the text is read there."""
        return self._entry(report_id).text


class Entry(NamedTuple):
    """What a snapshot holds of one report's file: its facts or why not, its cover, its text's path
    (a tuple: one is made each time a card asks for one, several times a card)."""

    file: FileResult | None
    cover: facts_.Cover | None
    text: str | None


# -- collecting ------------------------------------------------------------------


def collect(app: Sphinx) -> None:
    """``builder-inited``: collect the inputs of this build, before Sphinx decides what to read.

    The files not known from the cache are measured while Sphinx reads (:class:`Measuring`);
    :func:`finish_measuring` completes the snapshot once it has read.
    """
    interrupted = resume.start(app)
    cache_dir = os.path.join(app.doctreedir, CACHE_DIR)
    catalogue = load_catalogue(app.confdir, get_dgx_config(app.config), cache_dir)
    config = get_dgx_config(app.config)
    measuring = Measuring(catalogue, cache_dir, app.verbosity, config.processes(), needs_of(app))
    prints = fingerprints_of(catalogue, measuring.digests)
    snapshot = take_snapshot(catalogue, measuring.so_far(), interrupted, prints, measuring)
    get_domain(app.env).set_snapshot(snapshot)


def finish_before_parallel_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """``env-before-read-docs``: when Sphinx reads in several processes (``-j``), they take the
    snapshot with them: it is made whole before they start."""
    if app.parallel > 1:
        finish_measuring(app, env)


def finish_measuring(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: wait for the files still being measured, and keep the whole snapshot."""
    domain = get_domain(env)
    snapshot = domain.snapshot
    if snapshot is not None and snapshot.pending is not None:
        measured = snapshot.pending.finish()
        whole = take_snapshot(snapshot.catalogue, measured, snapshot.interrupted, snapshot.fingerprints)
        domain.complete_snapshot(whole)


def abandon_measuring(app: Sphinx, error: Exception | None) -> None:
    """``build-finished``: a build that failed before it finished reading stops its measuring pool."""
    snapshot = get_domain(app.env).snapshot
    if snapshot is not None and snapshot.pending is not None:
        snapshot.pending.abandon()


LEFT_BY_OLDER_VERSIONS = re.compile(r"feeds-.+\.key")
"""Files at the top of the build's cache that earlier versions of sphinx_dgx kept and this one
does not use (the feeds' stamp, before the feeds were kept whole)."""


def tidy_cache(app: Sphinx, error: Exception | None) -> None:
    """``build-finished``: remove from the build's cache what builds that stopped while writing
    left there (:func:`~sphinx_dgx.regular.remove_stale_temporaries`), and the files of earlier
    versions (:data:`LEFT_BY_OLDER_VERSIONS`). Nothing else of the cache is touched."""
    root = Path(app.doctreedir, CACHE_DIR)
    remove_stale_temporaries(root)
    with contextlib.suppress(OSError), os.scandir(root) as entries:
        for entry in entries:
            if LEFT_BY_OLDER_VERSIONS.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)


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
    """What each report's file and cover are, by report id (:class:`Measuring`, waited for whole)."""
    return Measuring(catalogue, cache_dir, verbosity, processes, needs).finish()


class Measuring:
    """The report files of a build being measured, from the cache when their content is known with
    the parts *needs* names (:func:`~sphinx_dgx.facts.measure_file`).

    Files not in the cache are measured once per content, by *processes* processes (1: in this
    one), while Sphinx reads the pages. The pages do not wait: what a card shows of its file is
    bound after reading (:class:`sphinx_dgx.directives.BindFileFacts`). Whatever asks for a
    report's file before then waits for that file only (:meth:`entry`), measured at once in this
    process when the pool has not begun it. The results are the same, in the same order,
    whichever process measures a file. A file known
    without a part this build needs is measured again, with the parts it had. A report's own
    cover image, drawn again as a PNG, takes the place of the first page of its file.

    :meth:`finish` waits for the rest (with Sphinx's progress display), says how many files were
    measured, warns about each problem (at the line of the report's file for the file, at the
    report's line for its own cover) and saves the cache.
    """

    def __init__(
        self,
        catalogue: cat.Catalogue,
        cache_dir: str | os.PathLike[str],
        verbosity: int = 0,
        processes: int = 1,
        needs: frozenset[str] = facts_.EVERYTHING,
    ) -> None:
        self.catalogue, self.verbosity = catalogue, verbosity
        self.cache = facts_.FactsCache(cache_dir)
        self.known, todo, gone, self.digests = _known_files(catalogue, self.cache, needs)
        self.from_cache = len(self.known)
        self.known.update(gone)
        self.key_of = {report.id: key for report, key, _ in todo}
        firsts = {key: (report, path) for report, key, path in reversed(todo)}  # the first report's
        self.contents = {key: firsts[key] for key in dict.fromkeys(key for _, key, _ in todo)}
        folders = (self.cache.covers, self.cache.texts)
        self.args = {
            key: (*folders, key, path, needs | self.cache.parts(key))
            for key, (_, path) in self.contents.items()
        }
        self.measured: dict[str, facts_.Measured] = {}
        self.entries: dict[str, Entry] = {}
        self.own_covers: dict[str, facts_.Cover | facts_.Caveat] = {}
        for report in catalogue.reports:
            if report.cover is not None:
                path = os.path.join(catalogue.files_dir, report.cover)
                self.own_covers[report.id] = self.cache.image(path)
                with contextlib.suppress(OSError):  # unreadable: the image's caveat says so
                    self.digests[report.id] = f"{self.digests.get(report.id)} {self.cache.key(path)}"
        processes = min(processes, len(self.contents))
        self.pool = ProcessPoolExecutor(processes) if processes > 1 else None
        self.futures: dict[str, Future[tuple[facts_.Measured, bool]]] = {}
        if self.pool is not None:
            self.futures = {key: self.pool.submit(_measure_one, args) for key, args in self.args.items()}

    def __contains__(self, report_id: object) -> bool:
        """Whether a report's file is one this object measures (not known from the cache)."""
        return report_id in self.key_of

    def so_far(self) -> dict[str, facts_.Measured]:
        """What each report's file and cover are, by report id, for those known without measuring."""
        found = {}
        for report in self.catalogue.reports:
            if report.id not in self:
                shown = self.shown(report, self.known.get(report.id))
                if shown is not None:
                    found[report.id] = shown
        return found

    def entry(self, report_id: str) -> Entry:
        """What the snapshot will hold of a report's file, once it is measured (waits for it)."""
        found = self.entries.get(report_id)
        if found is None:
            report = self.catalogue.reports_by_id[report_id]
            measured = self.shown(report, self._measured(self.key_of[report_id]))
            found = self.entries[report_id] = entry_of(self.catalogue, report, measured)
        return found

    def _measured(self, key: str) -> facts_.Measured:
        """What the content *key* is: measured by the pool, or here when the pool has not begun it."""
        found = self.measured.get(key)
        if found is None:
            future = self.futures.pop(key, None)
            result, keep = (
                _measure_one(self.args[key]) if future is None or future.cancel() else future.result()
            )
            found = self.measured[key] = self.cache.remember(key, result) if keep else result
        return found

    def shown(self, report: cat.Report, measured: facts_.Measured | None) -> facts_.Measured | None:
        """A report's measured file as it is shown: under its name, with its own cover if it has one."""
        if measured is not None and report.file is not None:
            measured = facts_.under_name(measured, report.file)
        own = self.own_covers.get(report.id)
        if isinstance(own, facts_.Cover):
            measured = dataclasses.replace(measured or facts_.Measured(None), cover=own)
        return measured

    def finish(self) -> dict[str, facts_.Measured]:
        """What each report's file and cover are, by report id, all measured; warns about each problem."""
        try:
            # from the end: the pool begins with the first ones
            left = [key for key in reversed(self.contents) if key not in self.measured]
            progress = status_iterator(
                left,
                "dgx: measuring report files... ",
                "darkgreen",
                len(left),
                self.verbosity,
                stringify_func=lambda key: f"files/{self.contents[key][0].file}",
            )
            for key in progress:
                self._measured(key)
        finally:
            self.abandon()
        found = {}
        for report in self.catalogue.reports:
            key = self.key_of.get(report.id)
            measured = self.measured[key] if key is not None else self.known.get(report.id)
            shown = self.shown(report, measured)
            if measured is not None:
                _warn_file(self.catalogue, report, shown)  # type: ignore[arg-type]
            own = self.own_covers.get(report.id)
            if isinstance(own, facts_.Caveat):
                _warn_cover(self.catalogue, report, own, shown)
            if shown is not None:
                found[report.id] = shown
        self.cache.save()
        logger.info("dgx: report files: %d measured, %d from the cache", len(self.key_of), self.from_cache)
        return found

    def abandon(self) -> None:
        """Stop the pool: what it has not begun is not measured (a build that ends before reading does)."""
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.futures.clear()


def _measure_one(args: tuple[Any, ...]) -> tuple[facts_.Measured, bool]:
    return facts_.measure_file(*args)


def _known_files(
    catalogue: cat.Catalogue, cache: facts_.FactsCache, needs: frozenset[str]
) -> tuple[
    dict[str, facts_.Measured], list[tuple[cat.Report, str, str]], dict[str, facts_.Measured], dict[str, str]
]:
    """By report id, the files known by their content; those to measure (report, key, path); those
    gone; and the SHA-256 of each file's content (what the pages show of it, :func:`take_snapshot`)."""
    found: dict[str, facts_.Measured] = {}
    todo: list[tuple[cat.Report, str, str]] = []
    gone: dict[str, facts_.Measured] = {}
    digests: dict[str, str] = {}
    for report in catalogue.reports:
        if report.file is None or not report.file_ok:
            continue
        path = os.path.join(catalogue.files_dir, report.file)
        try:
            key = cache.key(path)
        except OSError as error:  # gone (or no longer a file) since the catalogue looked
            gone[report.id] = facts_.Measured(None, facts_.cannot_read(error))
            continue
        digests[report.id] = key
        cached = cache.get(key, needs)
        if cached is None:
            todo.append((report, key, path))
        else:
            found[report.id] = cached
    return found, todo, gone, digests


def _warn_file(catalogue: cat.Catalogue, report: cat.Report, measured: facts_.Measured) -> None:
    """Each problem of a report's file, at the line of its ``file`` field."""
    where = file_location(catalogue, report)
    if measured.problem is not None:
        warn(measured.problem.subtype, f"{file_label(report)} {measured.problem.reason}", where)
    for caveat in measured.caveats:
        warn(caveat.subtype, f"{file_label(report)}: {caveat.reason}", where)


def _warn_cover(
    catalogue: cat.Catalogue, report: cat.Report, caveat: facts_.Caveat, measured: facts_.Measured | None
) -> None:
    """Why a report's own cover image cannot be used, at the report's line: its file's first page
    (*measured*) stands in, if it has one."""
    instead = (
        "the card shows the first page of its file instead"
        if measured is not None and measured.cover
        else "the card shows no cover"
    )
    warn(
        caveat.subtype,
        f"report {report.id!r}: cover {f'files/{report.cover}'!r} {caveat.reason}; {instead}",
        f"{catalogue.path}:{report.line}",
    )


def fingerprints_of(
    catalogue: cat.Catalogue, digests: Mapping[str, str] | None = None
) -> FrozenMap[str, Any]:
    """:func:`sphinx_dgx.uses.fingerprints` of the catalogue, frozen; with *digests*, the content of
    each report's file and own cover image (:attr:`Measuring.digests`), so that a page showing a
    report whose file changed is read again, whatever the file's times."""
    return freeze(uses_.fingerprints(catalogue, digests))


def take_snapshot(
    catalogue: cat.Catalogue,
    measured: Mapping[str, facts_.Measured],
    interrupted: bool,
    fingerprints: FrozenMap[str, Any],
    pending: Measuring | None = None,
) -> Snapshot:
    """The snapshot of a catalogue and its measured files; a file the catalogue refused says why.
    *fingerprints*: :func:`fingerprints_of` the catalogue, taken once when measuring begins.
    *pending*: the files still being measured, which the snapshot asks for when a page does."""
    files: dict[str, FileResult] = {}
    covers: dict[str, facts_.Cover] = {}
    texts: dict[str, str] = {}
    for report in catalogue.reports:
        if pending is not None and report.id in pending:
            continue
        entry = entry_of(catalogue, report, measured.get(report.id))
        if entry.file is not None:
            files[report.id] = entry.file
        if entry.cover is not None:
            covers[report.id] = entry.cover
        if entry.text is not None:
            texts[report.id] = entry.text
    return Snapshot(
        catalogue, FrozenMap(files), FrozenMap(covers), fingerprints, interrupted, FrozenMap(texts), pending
    )


def entry_of(catalogue: cat.Catalogue, report: cat.Report, result: facts_.Measured | None) -> Entry:
    """What a snapshot holds of a report's file, measured as *result* (None: not measured)."""
    file = None
    if report.file is not None:
        whole = result is not None and (result.facts is not None or result.problem is not None)
        file = result.outcome if whole else refused(catalogue, report)  # type: ignore[union-attr]
    cover = result.cover if result is not None else None
    text = result.text if result is not None and result.problem is None else None
    return Entry(file, cover, text)


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
