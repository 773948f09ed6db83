"""The snapshot of a build's inputs: collected once, frozen, picklable, and the same for the same files."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from sphinx_dgx import collect, resume
from sphinx_dgx.config import DgxConfig
from sphinx_dgx.domain import get_domain
from sphinx_dgx.facts import FileFacts
from sphinx_dgx.problems import Subtype
from support import recording

# Each test has its own copy of the cards root (conftest.py: a module's srcdir gets the test's name)
pytestmark = pytest.mark.sphinx("html", testroot="cards", srcdir="collect")

MORE = """  - id: fake
    title: Not a PDF
    working_group: cards-2021
    summary: A web page saved under a PDF's name.
    file: fake.pdf
  - id: gone
    title: Gone
    working_group: cards-2021
    summary: Its file was never copied.
    file: gone.pdf
"""


@pytest.fixture
def site(srcdir) -> Path:
    """The cards test root, with a report whose file is not a PDF and one whose file is missing."""
    src = srcdir
    (src / "files" / "fake.pdf").write_text("<html>not a pdf</html>")
    with (src / "catalogue.yaml").open("a", encoding="utf-8") as catalogue:
        catalogue.write(MORE)
    return src


def snapshot(src: Path, cache: Path, interrupted: bool = False) -> collect.Snapshot:
    catalogue = collect.load_catalogue(src, DgxConfig())
    return collect.take_snapshot(
        catalogue, collect.measure_files(catalogue, cache), interrupted, collect.fingerprints_of(catalogue)
    )


def test_a_snapshot_pickles_to_an_equal_one(site, tmp_path):
    taken = snapshot(site, tmp_path / "cache", interrupted=True)
    again = pickle.loads(pickle.dumps(taken))
    assert again == taken and hash(again) == hash(taken)
    assert again.interrupted is True
    assert again.facts("slides") == taken.facts("slides") and again.cover("slides") == taken.cover("slides")


def test_a_snapshot_cannot_change(site, tmp_path):
    taken = snapshot(site, tmp_path / "cache")
    with pytest.raises(dataclasses.FrozenInstanceError):
        taken.interrupted = True  # type: ignore[misc]
    with pytest.raises(TypeError):
        taken.files["slides"] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        taken.covers._items = {}  # type: ignore[misc]
    reports = taken.fingerprints["reports"]
    with pytest.raises(TypeError):
        reports["slides"] = ("a", "b")  # type: ignore[index]
    assert isinstance(taken.fingerprints["names"], tuple)


def test_the_same_files_give_the_same_facts_measured_or_from_the_cache(site, tmp_path):
    measured = snapshot(site, tmp_path / "cache")
    cached = snapshot(site, tmp_path / "cache")
    elsewhere = snapshot(site, tmp_path / "another cache")
    assert cached == measured
    assert elsewhere.files == measured.files
    assert {i: (c.name, c.width, c.height) for i, c in elsewhere.covers.items()} == {
        i: (c.name, c.width, c.height) for i, c in measured.covers.items()
    }


def test_what_a_report_file_is_is_decided_once(site, tmp_path):
    taken = snapshot(site, tmp_path / "cache")
    assert isinstance(taken.facts("slides"), FileFacts) and taken.facts("slides").pages == 6
    assert taken.downloadable("slides") and taken.file_problem("slides") is None
    # a damaged or locked PDF is still offered, with what could be read of it
    for broken in ("encrypted", "corrupt", "no-pages"):
        assert taken.downloadable(broken)
        assert taken.file_problem(broken).subtype is Subtype.BAD_PDF
    assert taken.facts("encrypted").bytes > 0
    # a file that is not a PDF, or is missing, is not
    assert not taken.downloadable("fake") and taken.facts("fake") is None
    assert (taken.file_problem("fake").subtype, taken.file_problem("fake").reason) == (
        Subtype.NOT_PDF,
        "is not a PDF",
    )
    assert not taken.downloadable("gone") and taken.file_problem("gone").subtype is Subtype.MISSING_FILE
    assert taken.file_problem("gone").reason.startswith("does not exist")
    # a report published elsewhere has no file, and so no problem with one
    assert not taken.downloadable("elsewhere") and taken.file_problem("elsewhere") is None
    # a report's own cover image wins over its first page
    own = taken.cover("own-cover")  # the 200 x 280 image, drawn again as a PNG named by content
    assert (own.width, own.height) == (200, 280) and own.name.endswith(".png")


def test_an_interrupted_build_is_in_the_next_snapshot(site, make_app):
    first = make_app("html", srcdir=site, freshenv=True)
    first.build()
    domain = get_domain(first.env)
    assert not domain.last_build_interrupted()
    assert domain.navigation("html") is not None
    assert not hasattr(first.env, "dgx_resume") and not hasattr(first.env, "dgx_navigation")
    first.cleanup()
    # as a build killed mid-way leaves it
    Path(first.doctreedir, f"{resume.MARKER}-html").touch()
    again = make_app("html", srcdir=site)
    with recording(again) as seen:
        again.build()
    assert get_domain(again.env).last_build_interrupted()
    assert sorted(seen.read) == sorted(again.env.found_docs)
    again.cleanup()
    last = make_app("html", srcdir=site)
    last.build()
    assert not get_domain(last.env).last_build_interrupted()
