"""A build measures what it shows of each file: cards, report pages (PAGES), the handbook (HANDBOOK).

The facts and the card's cover come from one opening of the file by pdfium; what only report
pages or the handbook need is measured when a build needs it, and kept with the rest.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from test_parallel_measure import make_site

from sphinx_dgx import collect
from sphinx_dgx import facts as facts_
from sphinx_dgx.facts import EVERYTHING, HANDBOOK, PAGE_COVER_WIDTHS, PAGES

NOTHING: frozenset[str] = frozenset()


def measuring(monkeypatch) -> list[frozenset[str]]:
    """The parts each file measured in this process is measured for, in order."""
    calls: list[frozenset[str]] = []
    measure = facts_.measure_file

    def counted(covers, texts, key, path, needs=EVERYTHING):
        calls.append(needs)
        return measure(covers, texts, key, path, needs)

    monkeypatch.setattr(collect.facts_, "measure_file", counted)
    return calls


def test_a_build_of_cards_measures_no_text_and_no_copies(tmp_path):
    catalogue = make_site(tmp_path / "site", 3)
    found = collect.measure_files(catalogue, tmp_path / "cache", needs=NOTHING)
    for ident in ("r0", "r1", "r2"):
        measured = found[ident]
        assert measured.parts == NOTHING and measured.text is None
        assert measured.facts.includable is None and measured.facts.pages == 1 + int(ident[1]) % 4
        assert measured.cover.copies == () and measured.cover.files == (measured.cover.path,)
    drawn = sorted(path.name for path in (tmp_path / "cache" / "covers").iterdir())
    assert drawn == sorted({Path(m.cover.path).name for m in found.values() if m.cover})  # no copies
    assert len(drawn) == 3
    assert not (tmp_path / "cache" / "texts").exists()


def test_a_drawn_cover_and_its_copies_are_jpegs_at_their_widths(tmp_path):
    from PIL import Image

    catalogue = make_site(tmp_path / "site", 1)
    cover = collect.measure_files(catalogue, tmp_path / "cache", needs=frozenset({PAGES}))["r0"].cover
    widths = {}
    for path in cover.files:
        assert path.endswith(facts_.DRAWN) and facts_.COVER_NAME.fullmatch(Path(path).name)
        with Image.open(path) as drawn:
            assert drawn.format == "JPEG" and drawn.mode == "RGB"
            widths[Path(path).name] = drawn.width
    stem = Path(cover.path).stem
    assert widths == {f"{stem}.jpg": facts_.COVER_WIDTH, f"{stem}-320.jpg": 320, f"{stem}-640.jpg": 640}


def test_a_part_a_build_needs_is_measured_then_kept_with_the_others(tmp_path, monkeypatch):
    catalogue = make_site(tmp_path / "site", 2)
    calls = measuring(monkeypatch)
    collect.measure_files(catalogue, tmp_path / "cache", needs=NOTHING)
    assert calls == [NOTHING] * 3  # r0, r1 and the broken file; the twin is r1's content
    del calls[:]

    pages = collect.measure_files(catalogue, tmp_path / "cache", needs=frozenset({PAGES}))
    assert calls == [frozenset({PAGES})] * 2  # the broken file has nothing more to measure
    assert pages["r1"].cover.copies == PAGE_COVER_WIDTHS and pages["r1"].text is not None
    assert all(Path(name).is_file() for name in pages["r1"].cover.files)
    del calls[:]

    # the handbook's build, on the same cache, keeps what report pages need: no back and forth
    handbook = collect.measure_files(catalogue, tmp_path / "cache", needs=frozenset({HANDBOOK}))
    assert calls == [EVERYTHING] * 2
    assert handbook["r1"].facts.includable is True and handbook["r1"].text == pages["r1"].text
    del calls[:]

    for needs in (NOTHING, frozenset({PAGES}), frozenset({HANDBOOK}), EVERYTHING):
        assert collect.measure_files(catalogue, tmp_path / "cache", needs=needs) == handbook
    assert calls == []


def test_the_cards_cover_is_the_same_whatever_else_is_measured(tmp_path):
    catalogue = make_site(tmp_path / "site", 4)
    cards = collect.measure_files(catalogue, tmp_path / "cards", needs=NOTHING)
    everything = collect.measure_files(catalogue, tmp_path / "all", needs=EVERYTHING)
    for ident in ("r0", "r1", "r2", "r3"):
        assert Path(cards[ident].cover.path).read_bytes() == Path(everything[ident].cover.path).read_bytes()
        assert cards[ident].facts == dataclasses.replace(everything[ident].facts, includable=None)


def three_pages(count: int | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(200, 300)
    if count is not None:
        writer._root_object["/Pages"][NameObject("/Count")] = NumberObject(count)
    data = io.BytesIO()
    writer.write(data)
    return data.getvalue()


def test_a_page_count_the_page_tree_does_not_hold_is_not_believed(tmp_path):
    path = tmp_path / "count.pdf"
    path.write_bytes(three_pages(count=1_000_000))
    measured, keep = facts_.measure_file(tmp_path / "covers", tmp_path / "texts", "k" * 64, str(path))
    assert keep and measured.facts.pages == 3
    text = facts_.read_text(measured.text)
    assert text is not None and len(text.pages) == 3


def test_a_pdf_locked_without_a_password_to_open_it_is_still_encrypted(tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(three_pages()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "locked.pdf"
    writer.write(path)
    assert PdfReader(path).decrypt("") != 0  # any reader opens it
    found = facts_.inspect(path)
    assert isinstance(found, facts_.Unreadable) and found.reason == "is encrypted (password-protected)"
    assert found.facts == facts_.FileFacts("PDF", path.stat().st_size)


LOADED = """
import sys
from sphinx.cmd.build import main
code = main(["-b", "html", "-q", sys.argv[1], sys.argv[2], "-d", sys.argv[3]])
print(code, *sorted(m for m in ("pypdf", "pypdfium2") if m in sys.modules))
"""


def test_a_build_that_measures_nothing_loads_no_pdf_library(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "roots" / "test-cards", site)
    command = [sys.executable, "-c", LOADED, str(site), str(tmp_path / "html"), str(tmp_path / "doctrees")]
    first = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert first.stdout.split()[0] == "0"  # files measured (by a pool of processes)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True)
    assert again.stdout.split() == ["0"], again.stderr  # every file known: neither is loaded


def test_a_file_whose_cover_or_text_left_the_cache_is_measured_again(tmp_path, monkeypatch):
    catalogue = make_site(tmp_path / "site", 3)
    first = collect.measure_files(catalogue, tmp_path / "cache", needs=frozenset({PAGES}))
    Path(first["r0"].cover.sized(640)).unlink()
    Path(first["r2"].text).unlink()
    calls = measuring(monkeypatch)
    again = collect.measure_files(catalogue, tmp_path / "cache", needs=frozenset({PAGES}))
    assert calls == [frozenset({PAGES})] * 2  # r0 and r2, not r1
    assert again == first
    assert Path(again["r0"].cover.sized(640)).is_file() and Path(again["r2"].text).is_file()


@pytest.mark.parametrize(
    ("builder", "overrides", "parts"),
    [
        ("html", {"dgx_report_pages": False}, []),
        ("html", {}, [PAGES]),
        ("singlehtml", {}, []),  # one page: no report pages
        ("latex", {}, [HANDBOOK]),
    ],
)
def test_each_build_measures_what_it_shows(make_app, tmp_path, builder, overrides, parts):
    site = tmp_path / "site"
    shutil.copytree(Path(__file__).parent / "roots" / "test-cards", site)
    app = make_app(builder, srcdir=site, freshenv=True, confoverrides=overrides)
    app.build()
    index = json.loads((Path(app.doctreedir) / "dgx-cache" / "index.json").read_text(encoding="utf-8"))
    measured = [e for e in index["entries"].values() if e.get("facts") and not e.get("problem")]
    assert measured and all(e["parts"] == parts for e in measured)
    assert all(bool(e.get("text")) == (PAGES in parts) for e in measured)
    assert all(
        e["cover"]["copies"] == ([320, 640] if PAGES in parts else []) for e in measured if e.get("cover")
    )
    assert all((e["facts"]["includable"] is None) == (HANDBOOK not in parts) for e in measured)
