"""A change to the site's navigation, built incrementally, gives the same bytes as a clean build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_determinism import tree

from conftest import TESTS, warnings_of

ROOT = TESTS / "roots" / "test-navigation"
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
    written: list[str] = []
    app.connect("doctree-resolved", lambda _app, _doctree, docname: written.append(docname))
    app.build()
    assert warnings_of(app._warning) == []
    app.cleanup()
    return app, sorted(written)


def folders(root: Path) -> list[str]:
    """Every folder of an output folder: a clean build leaves no empty one behind."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def built_copy(tmp_path: Path, make_app, builder: str = "html") -> Path:
    """A copy of the test root, built once."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src)
    build(make_app, src, builder, freshenv=True)
    return src


@pytest.fixture
def src(tmp_path, make_app) -> Path:
    return built_copy(tmp_path, make_app)


@pytest.mark.parametrize(("builder", "name"), CASES)
def test_after_a_navigation_change_incremental_equals_clean(builder, name, tmp_path, make_app):
    src = built_copy(tmp_path, make_app, builder)
    CHANGES[name](src)
    incremental, _ = build(make_app, src, builder)
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean, _ = build(make_app, clean_src, builder, freshenv=True)
    ours, theirs = Path(incremental.outdir), Path(clean.outdir)
    assert folders(ours) == folders(theirs)
    assert tree(ours) == tree(theirs)
    assert NOTICE in incremental._status.getvalue()


def test_a_rebuild_without_change_writes_no_page(src, make_app):
    app, written = build(make_app, src)
    assert written == []
    assert NOTICE not in app._status.getvalue()


def test_an_edit_that_leaves_the_navigation_alone_writes_only_its_page_and_parent(src, make_app):
    page = src / "years" / "2020.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nThey met twice.\n", encoding="utf-8")
    app, written = build(make_app, src)
    assert written == ["index", "years/2020"]
    assert NOTICE not in app._status.getvalue()
