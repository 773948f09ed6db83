"""Each report's text, page by page, and its outline: read once with its facts, bounded, cleaned, cached.

The PDFs are made here with fpdf2; a text layer with characters no core font has (a zero-width
space, terminal escapes, a bell) uses a font made here with fontTools, each character a box.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sys
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

from sphinx_dgx import collect, facts, pdflayout
from sphinx_dgx.config import DgxConfig
from sphinx_dgx.domain import get_domain
from sphinx_dgx.pdflayout import OutlineEntry

HOSTILE = (
    "<script>alert(1)</script>",
    "\x1b[31mred\x1b[0m",
    "bell\x07rings",
    "zero\u200bwidth",
    "\u202eflipped",
)
"""Lines of a page's text layer: markup, terminal escapes, a bell, a zero-width space, a bidi override."""


def dropped(line: str) -> str:
    """*line* without its control and format characters, as Unicode classes them."""
    return "".join(char for char in line if unicodedata.category(char) not in ("Cc", "Cf"))


def box_font(folder: Path, characters: str) -> Path:
    """A TrueType font drawing each of *characters* (and printable ASCII) as a box."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((450, 700))
    pen.lineTo((450, 0))
    pen.closePath()
    codes = sorted({*range(0x20, 0x7F), *map(ord, characters)})
    names = [".notdef", *(f"u{code:04X}" for code in codes)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({code: f"u{code:04X}" for code in codes})
    builder.setupGlyf({name: pen.glyph() for name in names})
    builder.setupHorizontalMetrics({name: (500, 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Boxes", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    path = folder / "boxes.ttf"
    builder.save(os.fspath(path))
    return path


def make_pdf(path: Path, pages: list[list[str] | None], sections=(), font: Path | None = None) -> Path:
    """A PDF of one page per item of *pages*: its lines of text, or (None) one picture and no text.

    *sections*: outline entries (level, title, page), in page order.
    """
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="pt", format=(400, 300))
    pdf.set_auto_page_break(False)
    if font is not None:
        pdf.add_font("Boxes", fname=os.fspath(font))
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 84, 122)).save(picture, format="PNG")
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        for level, title, page in sections:
            if page == number:
                pdf.start_section(title, level=level)
        if lines is None:
            picture.seek(0)
            pdf.image(picture, x=0, y=0, w=400, h=300)
            continue
        pdf.set_font("Boxes" if font is not None else "Helvetica", size=10)
        for row, line in enumerate(lines):
            pdf.text(20, 30 + 16 * row, line)
    path.write_bytes(bytes(pdf.output()))
    return path


def measured(tmp_path: Path, pdf: Path, folder: str = "cache") -> tuple[facts.FactsCache, facts.Measured]:
    cache = facts.FactsCache(tmp_path / folder)
    return cache, cache.measure(cache.key(os.fspath(pdf)), os.fspath(pdf))


@pytest.fixture
def opened(monkeypatch) -> list[object]:
    """Each document pypdfium2 opens, from here on."""
    found: list[object] = []
    original = pdfium.PdfDocument

    def counted(*args, **kwargs):
        found.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(pdfium, "PdfDocument", counted)
    return found


# -- reading ----------------------------------------------------------------------------------------


def test_each_pages_text_is_read_without_control_or_format_characters(tmp_path):
    font = box_font(tmp_path, "".join(HOSTILE))
    first = ["A report in two lines", "the second line"]
    pdf = make_pdf(tmp_path / "r.pdf", [first, None, list(HOSTILE)], font=font)
    cache, found = measured(tmp_path, pdf)
    assert found.facts.pages == 3 and found.cover is not None and found.caveats == ()
    text = facts.read_text(found.text)
    assert text.pages == ("\n".join(first), "", "\n".join(dropped(line) for line in HOSTILE))
    assert "<script>alert(1)</script>" in text.pages[2] and "[31mred[0m" in text.pages[2]
    assert text.cut is False and text.outline == ()
    saved = Path(found.text).read_text(encoding="utf-8")
    for character in ("\x1b", "\x07", "\u200b", "\u202e"):
        assert character not in saved and json.dumps(character) not in saved
    assert Path(found.text) == cache.texts / f"{cache.key(os.fspath(pdf))}.json"


def test_the_outline_is_read_with_the_facts(tmp_path):
    sections = [(0, "Introduction", 1), (1, "Details\x07 and\u200b more", 2), (0, "Findings", 3)]
    pdf = make_pdf(tmp_path / "r.pdf", [["one"], ["two"], ["three"]], sections)
    _, found = measured(tmp_path, pdf)
    text = facts.read_text(found.text)
    expected = tuple(OutlineEntry(level, dropped(title), page) for level, title, page in sections)
    assert text.outline == expected
    assert text.outline[1].title == "Details and more"
    assert [(e.level, e.page) for e in pdflayout.read_layout(pdf).outline] == [
        (e.level, e.page) for e in expected
    ]
    assert pdflayout.outline_entries(PdfReader(pdf)) == pdflayout.read_layout(pdf).outline


def test_a_damaged_outline_leaves_the_facts_and_the_text(tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"]], [(0, "Intro", 1)])

    def broken(reader):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pdflayout, "outline_entries", broken)
    _, found = measured(tmp_path, pdf)
    assert found.facts.pages == 1 and found.problem is None
    assert facts.read_text(found.text) == facts.ReportText(("one",), (), False)


# -- bounds ---------------------------------------------------------------------------------------

PAGES = [[f"page{n}" + "x" * 15] for n in range(1, 5)]
"""Four pages of 20 characters each, without spaces: a cut anywhere keeps what it keeps."""


def unlimited(tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    pdf = make_pdf(tmp_path / "r.pdf", PAGES)
    _, found = measured(tmp_path, pdf, "unlimited")
    return pdf, facts.read_text(found.text).pages


def test_pages_after_the_limit_are_empty_and_the_text_is_cut(tmp_path, monkeypatch):
    pdf, whole = unlimited(tmp_path)
    monkeypatch.setattr(facts, "MAX_TEXT_PAGES", 2)
    text = facts.read_text(measured(tmp_path, pdf)[1].text)
    assert text.pages == (*whole[:2], "", "") and text.cut is True


def test_a_page_is_read_up_to_its_limit(tmp_path, monkeypatch):
    pdf, whole = unlimited(tmp_path)
    monkeypatch.setattr(facts, "MAX_PAGE_CHARS", 10)
    text = facts.read_text(measured(tmp_path, pdf)[1].text)
    assert text.pages == tuple(page[:10] for page in whole) and text.cut is True


def test_a_file_is_read_up_to_its_limit(tmp_path, monkeypatch):
    pdf, whole = unlimited(tmp_path)
    monkeypatch.setattr(facts, "MAX_TEXT_CHARS", 25)
    text = facts.read_text(measured(tmp_path, pdf)[1].text)
    room, expected = 25, []
    for page in whole:
        expected.append(page[:room])
        room -= len(expected[-1])
    assert text.pages == tuple(expected) and text.cut is True
    assert sum(map(len, text.pages)) == 25 and text.pages[2:] == ("", "")


def test_a_text_within_the_limits_is_not_cut(tmp_path, monkeypatch):
    pdf, whole = unlimited(tmp_path)
    monkeypatch.setattr(facts, "MAX_TEXT_PAGES", len(whole))
    monkeypatch.setattr(facts, "MAX_PAGE_CHARS", max(map(len, whole)))
    monkeypatch.setattr(facts, "MAX_TEXT_CHARS", sum(map(len, whole)))
    assert facts.read_text(measured(tmp_path, pdf)[1].text) == facts.ReportText(whole, (), False)


def test_a_page_count_the_file_only_claims_is_not_read(tmp_path):
    """pdfium believes a page tree's /Count; the pages read are those pypdf finds."""
    pdf = make_pdf(tmp_path / "r.pdf", [["one"]])
    writer = PdfWriter(clone_from=pdf)
    writer.root_object["/Pages"].get_object()[NameObject("/Count")] = NumberObject(1_000_000)
    claimed = tmp_path / "claimed.pdf"
    writer.write(claimed)
    with facts.open_pdfium(claimed) as document:
        assert len(document) == 1_000_000
    _, found = measured(tmp_path, claimed)
    assert found.facts.pages == 1 and facts.read_text(found.text).pages == ("one",)


# -- cleaning -------------------------------------------------------------------------------------


def test_every_control_format_and_surrogate_character_is_dropped():
    unwanted = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs") and chr(code) not in "\n\t\r"
    ]
    noncharacters = [chr(code) for code in range(0xFDD0, 0xFDF0)] + ["\ufffe", "\uffff", "\U0010ffff"]
    assert facts.clean_text("a" + "".join(unwanted + noncharacters) + "b") == "ab"
    assert facts.clean_text("tab\tkept, and\u00a0no-break space, é, 漢字, 😀") == (
        "tab\tkept, and\u00a0no-break space, é, 漢字, 😀"
    )


def test_lines_end_without_spaces_and_blank_lines_are_folded():
    assert facts.clean_text("\r\n one  \r\ntwo\t\rthree\n\n\n\n \n\nfour\u2028five \n\n") == (
        " one\ntwo\nthree\n\nfour\nfive"
    )


@given(st.text())
def test_any_text_comes_out_clean(text):
    cleaned = facts.clean_text(text)
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Cs") or c in "\n\t" for c in cleaned), cleaned
    assert "\r" not in cleaned and "\n\n\n" not in cleaned and not cleaned.startswith("\n")
    assert all(line == line.rstrip() for line in cleaned.split("\n"))
    assert facts.clean_text(cleaned) == cleaned


# -- failures -------------------------------------------------------------------------------------


def test_a_file_whose_text_cannot_be_read_keeps_its_facts_and_cover(tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"], ["two"]])

    def broken(self, *args, **kwargs):
        raise pdfium.PdfiumError("Failed to load text page.")

    monkeypatch.setattr(pdfium.PdfPage, "get_textpage", broken)
    cache, found = measured(tmp_path, pdf)
    assert found.facts.pages == 2 and found.problem is None and found.caveats == ()
    assert found.cover is not None and Path(found.cover.path).is_file()
    assert found.text is None
    assert cache.save()
    assert facts.FactsCache(tmp_path / "cache").get(cache.key(os.fspath(pdf))) == found  # the file's doing
    assert not (tmp_path / "cache" / "texts").exists()


def test_a_cover_that_cannot_be_drawn_leaves_the_text(tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"]])

    def out_of_memory(*args, **kwargs):
        raise MemoryError("cannot allocate 5.8 GB")

    monkeypatch.setattr(facts, "render_cover", out_of_memory)
    _, found = measured(tmp_path, pdf)
    assert found.cover is None and [c.subtype.value for c in found.caveats] == ["no_cover"]
    assert facts.read_text(found.text).pages == ("one",)


def test_a_text_that_cannot_be_saved_is_not_remembered(tmp_path, monkeypatch):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"]])
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "texts").write_text("a file where the texts' folder should be")
    cache, found = measured(tmp_path, pdf)
    assert found.facts.pages == 1 and found.cover is not None and found.text is None
    assert cache.get(cache.key(os.fspath(pdf))) is None  # measured again next time


# -- the cache ------------------------------------------------------------------------------------


def test_a_known_content_is_not_read_again(tmp_path, opened):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"], ["two"]])
    cache, first = measured(tmp_path, pdf)
    assert len(opened) == 1  # the cover and the text, from one opening
    assert cache.save()
    again = facts.FactsCache(tmp_path / "cache")
    key = again.key(os.fspath(pdf))
    assert (again.get(key) or again.measure(key, os.fspath(pdf))) == first
    assert len(opened) == 1


def test_a_deleted_text_file_means_measuring_again(tmp_path, opened):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"]])
    cache, first = measured(tmp_path, pdf)
    assert cache.save()
    Path(first.text).unlink()
    again = facts.FactsCache(tmp_path / "cache")
    key = again.key(os.fspath(pdf))
    assert again.get(key) is None
    assert again.measure(key, os.fspath(pdf)) == first and len(opened) == 2
    assert facts.read_text(first.text).pages == ("one",)


def test_texts_no_entry_uses_are_removed_when_the_index_is_saved(tmp_path):
    one, two = make_pdf(tmp_path / "one.pdf", [["one"]]), make_pdf(tmp_path / "two.pdf", [["two"]])
    cache = facts.FactsCache(tmp_path / "cache")
    kept, gone = (cache.measure(cache.key(os.fspath(p)), os.fspath(p)) for p in (one, two))
    assert cache.save()
    other = cache.texts / ".other-build.json.tmp"
    other.write_text("{}")
    later = facts.FactsCache(tmp_path / "cache")
    assert later.get(later.key(os.fspath(one))) == kept
    assert later.save()
    assert sorted(p.name for p in cache.texts.iterdir()) == sorted([Path(kept.text).name, other.name])
    assert not Path(gone.text).exists()
    entry = json.loads(cache.index.read_text(encoding="utf-8"))["entries"][later.key(os.fspath(one))]
    assert entry["text"] == Path(kept.text).name


def test_an_index_of_the_last_version_is_measured_again(tmp_path):
    pdf = make_pdf(tmp_path / "r.pdf", [["one"]])
    cache, _ = measured(tmp_path, pdf)
    assert cache.save()
    saved = json.loads(cache.index.read_text(encoding="utf-8"))
    assert saved["version"] == facts.FactsCache.VERSION
    saved["version"] = facts.FactsCache.VERSION - 1
    cache.index.write_text(json.dumps(saved), encoding="utf-8")
    assert facts.FactsCache(tmp_path / "cache").entries == {}


def test_the_saved_text_is_the_same_for_the_same_file(tmp_path):
    pdf = make_pdf(tmp_path / "r.pdf", [["one", "two"], None, ["three"]], [(0, "Start", 1)])
    _, first = measured(tmp_path, pdf, "first")
    _, second = measured(tmp_path, pdf, "second")
    data = Path(first.text).read_bytes()
    assert data == Path(second.text).read_bytes()
    assert json.loads(data) == {
        "version": 1,
        "pages": ["one\ntwo", "", "three"],
        "outline": [[0, "Start", 1]],
        "cut": False,
    }
    text = facts.read_text(first.text)
    assert facts.text_json(text.pages, text.outline, text.cut) == data


# -- reading back ---------------------------------------------------------------------------------

GOOD = {"version": 1, "pages": ["one", ""], "outline": [[0, "Start", 1]], "cut": False}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe",
        b"[]",
        json.dumps({**GOOD, "version": 2}).encode(),
        json.dumps({**GOOD, "version": True}).encode(),
        json.dumps({**GOOD, "pages": "one"}).encode(),
        json.dumps({**GOOD, "pages": ["one", 2]}).encode(),
        json.dumps({**GOOD, "pages": ["bell\x07"]}).encode(),
        json.dumps({**GOOD, "outline": [[0, "Start"]]}).encode(),
        json.dumps({**GOOD, "outline": [[0, "Start", 0]]}).encode(),
        json.dumps({**GOOD, "outline": [[-1, "Start", 1]]}).encode(),
        json.dumps({**GOOD, "outline": [[0, "Sta\u202ert", 1]]}).encode(),
        json.dumps({**GOOD, "cut": "no"}).encode(),
        json.dumps({key: value for key, value in GOOD.items() if key != "cut"}).encode(),
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_malformed_text_file_gives_no_text(tmp_path, content):
    path = tmp_path / "text.json"
    path.write_bytes(content)
    assert facts.read_text(path) is None


def test_a_missing_oversized_or_irregular_text_file_gives_no_text(tmp_path, monkeypatch):
    path = tmp_path / "text.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert facts.read_text(path) == facts.ReportText(("one", ""), (OutlineEntry(0, "Start", 1),), False)
    monkeypatch.setattr(facts, "MAX_TEXT_FILE_BYTES", path.stat().st_size - 1)
    assert facts.read_text(path) is None
    assert facts.read_text(tmp_path / "missing.json") is None
    assert facts.read_text(tmp_path) is None
    os.mkfifo(tmp_path / "pipe.json")
    assert facts.read_text(tmp_path / "pipe.json") is None


# -- the snapshot and the domain ------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="cards", srcdir="report-text")
def test_the_snapshot_holds_where_each_text_is_and_the_domain_reads_it(srcdir, make_test_app, tmp_path):
    catalogue = collect.load_catalogue(srcdir, DgxConfig())
    prints = collect.fingerprints_of(catalogue)
    snapshot = collect.take_snapshot(
        catalogue, collect.measure_files(catalogue, tmp_path / "cache"), False, prints
    )
    path = snapshot.text_path("slides")
    text = facts.read_text(path)
    assert len(text.pages) == snapshot.facts("slides").pages and text.pages[0]
    for report in ("encrypted", "corrupt", "no-pages", "elsewhere", "unknown"):
        assert snapshot.text_path(report) is None
    assert snapshot.text_path("own-cover") is not None  # its own cover image; its file's text
    pickled = pickle.dumps(snapshot)
    assert path.encode() in pickled and text.pages[0][:40].encode() not in pickled
    domain = get_domain(make_test_app().env)  # the app collects its snapshot when it is made
    assert domain.report_text("slides") == text
    assert domain.report_text("elsewhere") is None and domain.report_text("unknown") is None


@pytest.mark.sphinx("html", testroot="cards", srcdir="report-text")
def test_a_second_collect_measures_nothing_and_reads_no_text(srcdir, tmp_path, opened, monkeypatch):
    catalogue = collect.load_catalogue(srcdir, DgxConfig())
    prints = collect.fingerprints_of(catalogue)
    first = collect.take_snapshot(
        catalogue, collect.measure_files(catalogue, tmp_path / "cache"), False, prints
    )
    assert opened
    opened.clear()

    def no_reading(*args, **kwargs):
        pytest.fail("read a text file")

    monkeypatch.setattr(facts, "read_text", no_reading)
    monkeypatch.setattr(facts, "read_bounded", no_reading)
    again = collect.take_snapshot(
        catalogue, collect.measure_files(catalogue, tmp_path / "cache"), False, prints
    )
    assert again == first and opened == []
