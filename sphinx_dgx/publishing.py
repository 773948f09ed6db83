"""Where reports are published and under which URLs: one place for every output.

- A report file is published by the site at ``files/<its name>`` (percent-encoded in URLs);
  covers at ``_dgx/covers/<content hash>.jpg`` (``.png``: a report's own image); the handbook
  copies the files it includes to ``dgx-reports/<report id>.pdf`` beside its ``.tex``.
- A URL is absolute on the published site (``html_baseurl``) when it is set; without it, the
  site's own pages link relatively and other outputs (the PDF, an EPUB book) have no link.
- A report can be downloaded when :meth:`DgxDomain.downloadable <sphinx_dgx.domain.DgxDomain.downloadable>`
  says so; nothing else decides it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import quote

from docutils import nodes
from sphinx.util.osutil import relative_uri

from .config import get_dgx_config
from .logging import warn
from .nodes import dgx_file_link, dgx_hidden
from .problems import Subtype
from .regular import (
    check_regular,
    create_temporary,
    keep,
    open_regular,
    read_bounded,
    temporary_beside,
    write_atomically,
)

if TYPE_CHECKING:
    from _typeshed import StrPath
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

    from .catalogue import Report
    from .domain import DgxDomain

FILES_URL_DIR = "files"
COVERS_URL_DIR = "_dgx/covers"
"""Where the site publishes cover thumbnails, named by content."""
APPENDIX_DIR = "dgx-reports"
"""Folder of the LaTeX output holding copies of the report files, named by report id."""


PAGES_DIR = "reports"
"""Where each report with a file has its own page, ``reports/<id>`` (reportpages.py)."""


def page_docname(report_id: str) -> str:
    """The document of a report's own page."""
    return f"{PAGES_DIR}/{report_id}"


def canonical(value: object) -> bytes:
    """The bytes of a key made of plain values and frozen dataclasses: their ``repr``, which equal
    values share (a pickle does not: it depends on which objects are shared)."""
    return repr(value).encode("utf-8")


def settings_key(app: Sphinx) -> tuple[object, ...]:
    """What any output of a build depends on beyond its content: the versions and the settings (a
    part of the keys of the outputs that are kept from one build to the next when unchanged)."""
    import docutils
    import sphinx

    from . import __version__

    builder, config = app.builder, app.config
    build_info = getattr(builder, "build_info", None)
    return (
        __version__,
        sphinx.__version__,
        docutils.__version__,
        builder.name,
        getattr(build_info, "config_hash", ""),
        getattr(build_info, "tags_hash", ""),
        repr((config.project, config.author, config.language, config.root_doc)),
        repr(get_dgx_config(app.env)),
    )


def has_page(domain: DgxDomain, report_id: str) -> bool:
    """Whether a report has a page of its own: pages are on and its file is published."""
    return domain.report_pages and domain.downloadable(report_id)


def makes_pages(builder: Builder) -> bool:
    """Whether the builder writes the report pages: the site's builders of a page per document (html,
    dirhtml); not singlehtml (one page) nor EPUB (a book)."""
    from sphinx.builders.singlehtml import SingleFileHTMLBuilder

    return (
        is_site(builder)
        and hasattr(builder, "handle_page")
        and not isinstance(builder, SingleFileHTMLBuilder)
    )


def shows_page(builder: Builder, domain: DgxDomain, report_id: str) -> bool:
    """Whether the output has the report's own page, ``reports/<id>``, to link to."""
    return makes_pages(builder) and has_page(domain, report_id)


# -- URLs ------------------------------------------------------------------------


def file_url(name: str) -> str:
    """The site-relative, percent-encoded URL of a report file: ``files/<name>``."""
    return f"{FILES_URL_DIR}/{quote(name)}"


def base_url(config: Config) -> str | None:
    """``html_baseurl``, the address of the published site, with one trailing slash (None if unset)."""
    base = (config.html_baseurl or "").strip()
    return base.rstrip("/") + "/" if base else None


def is_site(builder: Builder) -> bool:
    """Whether the builder publishes the web site (HTML format; EPUB packs its pages in a book instead)."""
    return builder.format == "html" and not builder.name.startswith("epub")


def page_path(builder: Builder, docname: str) -> str:
    """The site-relative path of the output page of *docname* (``""`` for dirhtml's root index)."""
    uri = builder.get_target_uri(docname)
    if uri.startswith("#"):  # singlehtml: every document is a part of the one page
        return builder.config.root_doc + builder.out_suffix  # type: ignore[attr-defined]
    return uri.split("#", 1)[0]


class Resolver:
    """Turns site-relative paths into the URLs an output uses."""

    def __init__(self, base: str | None, relative_to: str | None = None) -> None:
        self.base = base
        self.relative_to = relative_to
        """Without a base URL: the site-relative page the URLs are for (None: the site root).

        Only for file paths: ``relative_uri`` drops a fragment of *path*.
        """

    def __call__(self, path: str) -> str:
        if self.base is not None:
            return self.base + path
        if self.relative_to is not None:
            return relative_uri(self.relative_to, path)
        if not path or path.startswith("#"):  # dirhtml's root index: "" or "#anchor"
            return "./" + path
        return path

    def report(self, report: Report, downloadable: bool) -> str | None:
        """What opens the report: its published file or its url (None for a file not published)."""
        if report.file is None:
            return report.url
        return self(file_url(report.file)) if downloadable else None


def published_url(config: Config, domain: DgxDomain, report: Report) -> str | None:
    """The absolute address of a report: its url, or its file on the published site (None if unknown)."""
    base = base_url(config)
    if base is None and report.file is not None:
        return None
    return Resolver(base).report(report, domain.downloadable(report.id))


def resolve_file_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: turn each :class:`~sphinx_dgx.nodes.dgx_file_link` into what the builder can use.

    The site links to its own copy, ``files/<name>``, relative to the page; other builders
    (the PDF, an EPUB book) link to the published site, or give the text alone without
    ``html_baseurl``. Runs once references are resolved: resolving a role may create file links.
    """
    builder = app.builder
    site = is_site(builder)
    resolve = Resolver(base_url(app.config))
    for node in list(doctree.findall(dgx_file_link)):
        uri, classes = None, ["dgx-download"]
        page = node.get("page")
        if page and makes_pages(builder):
            # a report's own page: the title names the report, the download link has the rest
            uri, classes = builder.get_relative_uri(docname, page), ["dgx-report-page-link"]
            for note in list(node.findall(dgx_hidden)):
                note.parent.remove(note)
        elif node.get("download") and not site:
            pass  # the facts of a card: books list them as text, the title links to the file
        elif node.get("available", True):
            target, fragment = file_target(node), node.get("fragment")
            if site:
                uri = relative_uri(builder.get_target_uri(docname), target)
            elif resolve.base is not None:
                uri = resolve(target)
            if uri is not None and fragment:  # a page of the file: #page=3
                uri += f"#{fragment}"
        if uri is None:
            new: nodes.Element = nodes.inline("", "", *node.children)
        else:
            new = nodes.reference("", "", *node.children, refuri=uri, internal=site, classes=classes)
        new.source, new.line = node.source, node.line
        node.replace_self(new)


CITATIONS_URL_DIR = "_dgx/cite"
"""Where the site publishes the citation files of each report (``<id>.bib``, ``.ris``, ``.json``)."""


def file_target(node: dgx_file_link) -> str:
    """The site-relative path a file link opens: a report file, or a citation file."""
    if node.get("citation"):
        return f"{CITATIONS_URL_DIR}/{quote(node['file'])}"
    return file_url(node["file"])


# -- files -------------------------------------------------------------------------


def publish_files(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: copy each report file to ``<html>/files/<same name>``, and nothing stale.

    Only files :meth:`~sphinx_dgx.domain.DgxDomain.downloadable` says so of are published: PDFs
    under a name that ends in ``.pdf``. Files of reports that were renamed or removed since the
    last build are deleted, and so are the cover thumbnails no report has any more. Covers, every
    one drawn by the site itself, go to ``_dgx/covers/<content hash>.jpg`` (or ``.png``). A file that cannot
    be written is a warning at its report's line.
    """
    if exception is not None or not is_site(app.builder):
        return
    from .domain import get_domain

    domain = get_domain(app.env)
    catalogue = domain.catalogue
    files_root = os.path.join(app.outdir, FILES_URL_DIR)
    published = set()
    for report in catalogue.reports:
        if report.file is None or not domain.downloadable(report.id):
            continue
        target = os.path.join(files_root, report.file)
        published.add(target)
        where = f"{catalogue.path}:{report.file_line or report.line}"
        what = f"report {report.id!r}: file {f'files/{report.file}'!r}"
        publish_or_warn(os.path.join(catalogue.files_dir, report.file), target, where, what)
    remove_stale(files_root, keep=published)
    covers_root = os.path.join(app.outdir, COVERS_URL_DIR)
    covers: set[str] = set()
    for report in catalogue.reports:
        cover = domain.cover(report.id)
        if cover is None or os.path.join(covers_root, cover.name) in covers:
            continue
        for path in cover.files if has_page(domain, report.id) else (cover.path,):
            name = os.path.basename(path)
            target = os.path.join(covers_root, name)
            covers.add(target)
            what = f"report {report.id!r}: cover {f'{COVERS_URL_DIR}/{name}'!r}"
            where = f"{catalogue.path}:{report.line}"
            if not publish_or_warn(path, target, where, what, from_cache=True):
                break  # one warning for a cover and its copies
    remove_stale(covers_root, keep=covers)


def publish_or_warn(
    source: StrPath, target: StrPath, where: str, what: str, from_cache: bool = False
) -> bool:
    """:func:`publish` (:func:`link_atomically` for a file of the build's cache, *from_cache*); when it
    fails, a ``dgx.publish_failed`` warning at *where* naming *what*."""
    try:
        try:
            _publish(source, target, from_cache)
        except FileNotFoundError:  # its folder is not there yet (a fresh output folder)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _publish(source, target, from_cache)
    except OSError as error:
        warn(
            Subtype.PUBLISH_FAILED,
            f"{what} could not be written to the output folder ({error}): make the output folder "
            "writable (a file where a folder should be: remove it) and build again",
            location=where,
        )
        return False
    return True


def publish(source: StrPath, target: StrPath) -> None:
    """Copy *source* (a regular file) to *target* unless the copy of an earlier build is still the same.

    The content decides. A copy keeps its source's modification time, so a different size or
    time means a new copy without reading either file. The same size and time prove nothing (a
    file replaced by another of the same size, its time set back): when the source changed after
    the copy was made (its change time), the two are compared byte for byte. The copy is written
    under a temporary name and put in place, so a visitor never gets half a file.
    """
    here = check_regular(source)
    try:
        there = os.stat(target)
    except FileNotFoundError:
        there = None
    if there is not None and (here.st_size, here.st_mtime_ns) == (there.st_size, there.st_mtime_ns):
        if here.st_ctime_ns < there.st_ctime_ns:
            return  # the copy was made after the source last changed
        if same_content(source, target):
            os.utime(target, ns=(there.st_atime_ns, there.st_mtime_ns))  # its change time: now
            return
    copy_atomically(source, target, here)


def _publish(source: StrPath, target: StrPath, from_cache: bool) -> None:
    if not (from_cache and link_atomically(source, target)):
        publish(source, target)


def link_atomically(source: StrPath, target: StrPath) -> bool:
    """Make *target* a hard link to *source* (a file of the build's cache, or one the build wrote),
    put in place under a temporary name; False when *target*'s folder cannot hold one (another file
    system): copy it then.

    Neither the cache nor the build writes into a file it has (each writes a new one and puts it
    in place), so the link keeps the content it was made with; a link costs no copy of the data.
    The file is made readable by all, as a copy would be.
    """
    here = check_regular(source)
    with suppress(FileNotFoundError):
        there = os.stat(target, follow_symlinks=False)
        if (there.st_dev, there.st_ino) == (here.st_dev, here.st_ino):
            return True
    temporary = temporary_beside(target)
    try:
        os.link(source, temporary, follow_symlinks=False)
    except OSError:
        return False
    try:
        if here.st_mode & 0o777 != 0o644:
            os.chmod(source, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    return True


def keep_output(written: Path, kept: Path, data: bytes) -> None:
    """Keep an output file the build wrote (*written*, whose bytes are *data*) in the build's cache
    at *kept*: a hard link to it where they share a file system, else a copy. A cache that cannot
    be written only costs the next build the file."""
    with suppress(OSError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        if not link_atomically(written, kept):
            keep(kept, data)


def put_back(path: Path, kept: Path, digest: str, limit: int) -> bool:
    """Put an output file kept by :func:`keep_output` back at *path*, only as it was kept (its
    SHA-256 *digest*, read up to *limit* bytes): a link to it, else a copy. False when it is gone,
    too large or damaged: the build makes the file again."""
    try:
        data = read_bounded(kept, limit)
        if hashlib.sha256(data).hexdigest() != digest:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        if not link_atomically(kept, path):
            write_atomically(path, data)
    except (OSError, ValueError):  # gone, or larger than such a file is
        return False
    return True


def same_content(first: StrPath, second: StrPath) -> bool:
    """Whether two regular files hold the same bytes."""
    with open_regular(first) as one, open_regular(second) as other:
        while True:
            block = one.read(1 << 20)
            if block != other.read(1 << 20):
                return False
            if not block:
                return True


def copy_data(reading: BinaryIO, writing: BinaryIO) -> None:
    """Copy the rest of *reading* to *writing*: by the kernel where it can (Linux), else in blocks."""
    if sys.platform == "linux":
        with suppress(OSError):  # a file system that cannot: on in blocks, from where it stopped
            while os.sendfile(writing.fileno(), reading.fileno(), None, 1 << 30):
                pass
            return
    shutil.copyfileobj(reading, writing, 1 << 20)


def copy_atomically(source: StrPath, target: StrPath, stat: os.stat_result) -> None:
    """Copy *source* to *target* through a temporary name beside it, with the source's times."""
    descriptor, temporary = create_temporary(target)
    try:
        with open_regular(source) as reading, os.fdopen(descriptor, "wb") as writing:
            copy_data(reading, writing)
        os.chmod(temporary, 0o644)
        os.utime(temporary, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def remove_stale(root: StrPath, keep: set[str] | set[Path]) -> None:
    """Delete the files under *root* that are not in *keep*, and the folders left empty. Paths are
    compared normalised: ``files/./a.pdf`` and ``files//a.pdf`` (as a catalogue may write them)
    are ``files/a.pdf``."""
    kept = {os.path.normpath(path) for path in keep}
    top = os.path.normpath(root)
    for folder, _, files in os.walk(top, topdown=False):  # a folder after what it holds
        for name in files:
            path = os.path.join(folder, name)
            if path not in kept:
                os.unlink(path)
        if folder != top and not os.listdir(folder):
            os.rmdir(folder)


def in_appendix(domain: DgxDomain, report: Report) -> bool:
    """Whether the report's own pages are in the handbook's appendix: a published PDF it can include."""
    facts = domain.facts(report.id)
    return (
        domain.downloadable(report.id) and facts is not None and facts.pages is not None and facts.includable
    )


def copy_reports(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the files of the appendix, beside the .tex file, named by report id.

    Files left from an earlier build that the appendix no longer holds are removed.
    """
    if exception is not None or app.builder.format != "latex":
        return
    from .domain import get_domain

    target_dir = Path(app.outdir, APPENDIX_DIR)
    domain = get_domain(app.env)
    catalogue = domain.catalogue
    wanted: dict[Path, Report] = {}
    if get_dgx_config(app.config).handbook_appendix:
        for report in catalogue.reports:
            if in_appendix(domain, report):
                wanted[target_dir / f"{report.id}.pdf"] = report
    remove_stale(target_dir, keep=set(wanted))
    if not wanted and target_dir.is_dir() and not any(target_dir.iterdir()):
        target_dir.rmdir()
    for target, report in wanted.items():
        where = f"{catalogue.path}:{report.file_line or report.line}"
        what = f"report {report.id!r}: file {f'files/{report.file}'!r} (for the handbook)"
        publish_or_warn(Path(catalogue.files_dir, report.file or ""), target, where, what)
