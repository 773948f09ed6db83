"""A change to the site's navigation, built incrementally, gives the same bytes as a clean build."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import clean_build, recording, tree, warnings_of

NOTICE = "dgx: the site's navigation changed"


def add_page(src: Path) -> None:
    """A new year, which the home page lists through its glob toctree."""
    (src / "years" / "2022.md").write_text("# Working Groups 2022\n\nThe groups of 2022.\n", encoding="utf-8")


def remove_page(src: Path) -> None:
    (src / "years" / "2020.md").unlink()


def rename_page(src: Path) -> None:
    (src / "years" / "2020.md").rename(src / "years" / "2019.md")


def retitle_page(src: Path) -> None:
    """A page in a hidden toctree: only the sidebar of the other pages shows its title."""
    path = src / "about.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("# About", "# About the exchange"), encoding="utf-8")


CHANGES = {
    "a new page": add_page,
    "a removed page": remove_page,
    "a renamed page": rename_page,
    "a new title": retitle_page,
}
CASES = [*(("html", name) for name in CHANGES), ("dirhtml", "a removed page"), ("dirhtml", "a renamed page")]


def build(make_app, src: Path, builder: str = "html", **options):
    """Build *src*; return the app and the documents it wrote."""
    app = make_app(builder, srcdir=src, **options)
    with recording(app) as seen:
        app.build()
    assert warnings_of(app) == []
    app.cleanup()
    return app, sorted(seen.written)


def folders(root: Path) -> list[str]:
    """Every folder of an output folder: a clean build leaves no empty one behind."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


@pytest.fixture
def src(srcdir, make_app) -> Path:
    """The test's copy of the root (its `sphinx` marker), built once."""
    build(make_app, srcdir, freshenv=True)
    return srcdir


@pytest.mark.parametrize(("builder", "name"), CASES)
@pytest.mark.sphinx(testroot="navigation", srcdir="navigation-change")
def test_after_a_navigation_change_incremental_equals_clean(builder, name, srcdir, make_app):
    build(make_app, srcdir, builder, freshenv=True)
    CHANGES[name](srcdir)
    incremental, _ = build(make_app, srcdir, builder)
    clean = clean_build(make_app, srcdir, builder)
    assert warnings_of(clean) == []
    ours, theirs = Path(incremental.outdir), Path(clean.outdir)
    assert folders(ours) == folders(theirs)
    assert tree(ours) == tree(theirs)
    assert NOTICE in incremental._status.getvalue()


@pytest.mark.sphinx(testroot="navigation", srcdir="navigation-unchanged")
def test_a_rebuild_without_change_writes_no_page(src, make_app):
    app, written = build(make_app, src)
    assert written == []
    assert NOTICE not in app._status.getvalue()


@pytest.mark.sphinx(testroot="navigation", srcdir="navigation-edit")
def test_an_edit_that_leaves_the_navigation_alone_writes_only_its_page_and_parent(src, make_app):
    page = src / "years" / "2020.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThey met twice.\n", encoding="utf-8")
    app, written = build(make_app, src)
    assert written == ["index", "years/2020"]
    assert NOTICE not in app._status.getvalue()
