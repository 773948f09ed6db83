"""What the test modules share, without fixtures (those are in conftest.py).

Paths and the rule for missing tools; reading a build's HTML (:func:`soup`, :func:`visible`), its
files (:func:`tree`) and its warnings (:func:`warnings_of`, :func:`parse_warnings`, :func:`located`);
one build shared by the tests that only read it (:func:`shared_build`); what a build reads and writes
(:func:`recording`); and a clean build to compare an incremental one with (:func:`clean_build`).
Copies of the real site (docs/ and files/) are made by tests/sites.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest

TESTS = Path(__file__).parent
REPO = TESTS.parent
IN_CI = bool(os.environ.get("CI"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def require_tools(*tools: str) -> None:
    """Skip when a system tool is missing on a developer's machine; under CI=true, fail instead."""
    require([tool for tool in tools if shutil.which(tool) is None])


def require(missing: list[str]) -> None:
    """Skip (fail under CI=true) when anything is *missing*; names what, and where to get it."""
    if not missing:
        return
    message = f"needs {', '.join(missing)} (see the README for what to install)"
    if IN_CI:
        pytest.fail(f"CI is set and this test {message}")
    pytest.skip(message)


# -- HTML ----------------------------------------------------------------------------------------


def soup(source: Any, page: str = "index"):
    """Parsed HTML, from a file (a :class:`~pathlib.Path`), from HTML text (a ``str``), or from a
    built app: its output page *page* (``"other"``, ``"sub/deep"``; ``.html`` is added)."""
    from bs4 import BeautifulSoup

    if hasattr(source, "outdir"):
        source = Path(source.outdir) / f"{page}.html"
    if isinstance(source, Path):
        source = source.read_text(encoding="utf-8")
    return BeautifulSoup(source, "html.parser")


def accessible_name(link) -> str:
    """The name a screen reader announces for a link: all its text, hidden notes included."""
    return re.sub(r"\s+", " ", link.get_text()).strip()


def visible(element) -> str:
    """The text a sighted reader sees: without the notes for screen readers, white space folded."""
    copy = soup(str(element))
    for hidden in copy.select(".dgx-visually-hidden"):
        hidden.decompose()
    return re.sub(r"\s+", " ", copy.get_text()).strip()


def tree(folder: Path) -> dict[str, str]:
    """Every file of an output folder and the hash of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- warnings ------------------------------------------------------------------------------------

WARNING = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+)?:? ?WARNING: (?P<message>.*) \[dgx\.(?P<subtype>\w+)\]$"
)


class Warned(NamedTuple):
    """One warning of the extension: the name of the file it names, its line (0 if none), its subtype."""

    file: str
    line: int
    subtype: str
    message: str


def warnings_of(source: Any) -> list[str]:
    """The warning lines of a build, colour codes removed: of an app, its warning stream, or text."""
    source = getattr(source, "warning", source)
    text = source if isinstance(source, str) else source.getvalue()
    return [line for line in ANSI.sub("", text).splitlines() if line.strip()]


def parse_warnings(source: Any) -> list[Warned]:
    """Every warning of a build (as :func:`warnings_of` takes it), each of which must be the
    extension's (``[dgx.<subtype>]``) and name its file."""
    found = []
    for line in warnings_of(source):
        match = WARNING.match(line)
        assert match, f"not one located dgx warning: {line!r}"
        file, line = Path(match["file"]).name, int(match["line"] or 0)
        found.append(Warned(file, line, match["subtype"], match["message"]))
    return found


def located(source: Any) -> list[tuple[str, int, str]]:
    """``(file name, line, subtype)`` of every warning of a build, sorted (see :func:`parse_warnings`)."""
    return sorted(warned[:3] for warned in parse_warnings(source))


# -- builds --------------------------------------------------------------------------------------


def shared_build(buildername: str = "html", **options: Any) -> Callable[[Callable], Callable]:
    """Marks a test that only reads the build of its root: Sphinx's marker, ``@pytest.mark.sphinx(
    buildername, **options)``, and Sphinx's ``test_params(shared_result=...)``, whose key is the same for
    the tests of a module with the same marker: the first of them builds, the others read its output
    (and its warnings) without building again. ``BASIC = shared_build("html", testroot="basic")``."""

    def mark(test: Callable) -> Callable:
        digest = hashlib.sha256(repr((buildername, sorted(options.items()))).encode()).hexdigest()[:8]
        key = f"{test.__module__}-{options.get('testroot', 'root')}-{buildername}-{digest}"
        return pytest.mark.sphinx(buildername, **options)(pytest.mark.test_params(shared_result=key)(test))

    return mark


@dataclass
class Recorded:
    """The documents a build read (``env-before-read-docs``) and wrote (``doctree-resolved``), and the
    pages it wrote that are no document (``html-page-context``: report pages, search, ...), in order."""

    read: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    @property
    def report_pages(self) -> list[str]:
        """The report pages written, by name (``reports/<id>``)."""
        return sorted(page for page in self.pages if page.startswith("reports/"))


@contextmanager
def recording(app) -> Iterator[Recorded]:
    """Records what *app* reads and writes in the block: ``with recording(app) as seen: app.build()``."""
    seen = Recorded()
    listeners = [
        app.connect("env-before-read-docs", lambda _app, _env, docnames: seen.read.extend(docnames)),
        app.connect("doctree-resolved", lambda _app, _doctree, docname: seen.written.append(docname)),
        app.connect(
            "html-page-context",
            lambda _app, page, *_: None if page in _app.env.all_docs else seen.pages.append(page),
        ),
    ]
    try:
        yield seen
    finally:
        for listener in listeners:
            app.disconnect(listener)


def clean_build(make_app, src: Path, builder: str = "html"):
    """A clean build of what *src* holds now: a copy of it without its ``_build``, in a fresh environment.

    The copy sits next to *src* (``<src>-clean``), so an incremental build of *src* can be compared with it.
    """
    copy = src.with_name(f"{src.name}-clean")
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("_build"))
    app = make_app(builder, srcdir=copy, freshenv=True)
    app.build()
    return app
