"""The handbook's appendix: reports' pages laid out as sheets, their links and outline kept."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from sphinx.testing.util import SphinxTestApp

from sphinx_dgx import handbook, pdflayout
from sphinx_dgx.appendix import sheets
from sphinx_dgx.pdflayout import LayoutError, PageLayout, read_layout
from support import parse_warnings, require_tools

A4 = (595.28, 841.89)
SLIDE = (720.0, 405.0)
LONG_TITLE = (
    "MVP - good practice for new AI products and services for governments and central government departments"
)


# -- stand-ins with the shapes of the published reports ---------------------------------------------


def report_pdf(
    size: tuple[float, float], count: int, sections: dict[int, str], image_only=(), web=()
) -> bytes:
    """A report: page 2 is a contents page linking to each section's page; *web* pages have a web
    link; *image_only* pages are a picture without text; an outline entry (and a sub-entry) per section."""
    from fpdf import FPDF
    from PIL import Image

    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(False)
    picture = io.BytesIO()
    Image.new("RGB", (64, 36), (0, 84, 122)).save(picture, format="PNG")
    links = {page: None for page in sections}
    for number in range(1, count + 1):
        pdf.add_page(format=size)
        if number in image_only:
            picture.seek(0)
            pdf.image(picture, x=0, y=0, w=size[0], h=size[1])
            continue
        pdf.set_font("Helvetica", size=12)
        pdf.set_xy(36, 24)
        pdf.cell(300, 16, f"Stand-in page {number} of {count}")
        if number == 2:
            for row, (page, title) in enumerate(sections.items()):
                links[page] = pdf.add_link()
                pdf.set_xy(36, 60 + 20 * row)
                pdf.cell(240, 16, f"{title} .... {page}", link=links[page])
        if number in links:
            pdf.set_link(links[number], page=number)
            pdf.start_section(sections[number], level=0)
            pdf.start_section(f"{sections[number]}: details", level=1)
        if number in web:
            pdf.set_xy(36, size[1] - 60)
            pdf.cell(200, 16, "Read more online", link=f"https://www.example.org/page-{number}?a=1&b=%20#x")
    return bytes(pdf.output())


PORTRAIT_SECTIONS = {3: "Introduction", 4: "Findings", 6: "Recommendations"}
SLIDE_SECTIONS = {5: "Context", 20: "Good practice", 39: "Next steps"}


def shipped_links(path: Path) -> tuple[int, dict[tuple[int, int], int]]:
    """Counted in the file itself: its web links, and its internal links as (page, n-th) -> target page."""
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    web, internal = 0, {}
    for number, page in enumerate(reader.pages, 1):
        for nth, annotation in enumerate(page.get("/Annots") or []):
            annotation = annotation.get_object()
            action = annotation.get("/A", {})
            if action.get("/S") == "/URI":
                web += 1
            elif "/Dest" in annotation:
                internal[(number, nth)] = pages[annotation["/Dest"][0].idnum]
    return web, internal


# -- reading a report's layout ----------------------------------------------------------------------


def test_links_and_outline_are_read_in_the_shown_pages_coordinates(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(A4, 7, PORTRAIT_SECTIONS, web=(5,)))
    layout = read_layout(path)
    assert len(layout.pages) == 7 and all((p.width, p.height) == A4 for p in layout.pages)
    contents = layout.pages[1].links
    assert [link.page for link in contents] == list(PORTRAIT_SECTIONS)
    assert all(0 < link.x < 100 and A4[1] - 120 < link.y < A4[1] for link in contents)  # near the top
    [web] = layout.pages[4].links
    assert web.uri == "https://www.example.org/page-5?a=1&b=%20#x" and web.y < 100
    assert [(e.level, e.title, e.page) for e in layout.outline] == [
        entry
        for page, title in PORTRAIT_SECTIONS.items()
        for entry in ((0, title, page), (1, f"{title}: details", page))
    ]
    assert sum(len(page.links) for page in layout.pages) == len(PORTRAIT_SECTIONS) + 1


def annotate(path: Path, rotate: int, *annotations: dict) -> None:
    """Put raw link annotations on the first page of *path*, turned by *rotate* degrees."""
    writer = PdfWriter(clone_from=PdfReader(path))
    page = writer.pages[0]
    if rotate:
        page[NameObject("/Rotate")] = FloatObject(rotate)
    page[NameObject("/Annots")] = ArrayObject(
        writer._add_object(DictionaryObject({NameObject(k): v for k, v in a.items()})) for a in annotations
    )
    with open(path, "wb") as out:
        writer.write(out)


def link(rect, action: dict) -> dict:
    return {
        "/Type": NameObject("/Annot"),
        "/Subtype": NameObject("/Link"),
        "/Rect": ArrayObject(FloatObject(v) for v in rect),
        "/A": DictionaryObject({NameObject(k): v for k, v in action.items()}),
    }


def uri(address: str) -> dict:
    return {"/S": NameObject("/URI"), "/URI": TextStringObject(address)}


def test_only_links_a_reader_can_follow_safely_are_kept(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(A4, 2, {}))
    annotate(
        path,
        0,
        link((10, 10, 60, 30), uri("https://example.org/kept")),
        link((10, 40, 60, 60), uri("mailto:dgx@example.org")),
        link((10, 70, 60, 90), uri("javascript:alert(1)")),
        link((10, 100, 60, 120), uri("file:///etc/passwd")),
        link((10, 130, 60, 150), {"/S": NameObject("/Launch"), "/F": TextStringObject("calc.exe")}),
        link((10, 160, 60, 180), {"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}),
        link((10, 190, 10, 190), uri("https://example.org/no-area")),
    )
    kept = read_layout(path).pages[0].links
    assert [link.uri for link in kept] == ["https://example.org/kept", "mailto:dgx@example.org"]


@pytest.mark.parametrize(
    ("rotate", "expected"),
    [(0, (10, 20, 50, 10)), (90, (20, A4[0] - 60, 10, 50)), (180, (A4[0] - 60, A4[1] - 30, 50, 10))],
)
def test_a_turned_page_has_its_links_where_they_are_shown(tmp_path, rotate, expected):
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(A4, 1, {}))
    annotate(path, rotate, link((10, 20, 60, 30), uri("https://example.org/")))
    page = read_layout(path).pages[0]
    assert (page.width, page.height) == (A4[1], A4[0]) if rotate % 180 else A4
    [found] = page.links
    assert (found.x, found.y, found.width, found.height) == pytest.approx(expected)


def test_links_are_bounded_per_page(tmp_path, monkeypatch):
    monkeypatch.setattr(pdflayout, "MAX_LINKS_PER_PAGE", 3)
    path = tmp_path / "r.pdf"
    path.write_bytes(report_pdf(A4, 1, {}))
    annotate(
        path, 0, *(link((10, 10 + 20 * n, 60, 25 + 20 * n), uri(f"https://e.org/{n}")) for n in range(9))
    )
    assert len(read_layout(path).pages[0].links) == 3


def test_a_file_pypdf_cannot_read_is_a_layout_error(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"
    )
    with pytest.raises(LayoutError):
        read_layout(path)


# -- sheets ------------------------------------------------------------------------------------------


def test_slides_go_two_to_a_sheet_and_other_pages_alone():
    slide, portrait = PageLayout(*SLIDE), PageLayout(*A4)
    assert len(sheets((slide,) * 41)) == 21
    assert sheets((slide,) * 3) == [[1, 2], [3]]
    assert sheets((portrait,) * 3) == [[1], [2], [3]]
    assert sheets((slide, portrait, slide, slide)) == [[1], [2], [3, 4]]


@given(st.lists(st.tuples(st.floats(1, 5000), st.floats(1, 5000)), max_size=60))
def test_sheets_hold_every_page_once_in_order(shapes):
    pages = tuple(PageLayout(w, h) for w, h in shapes)
    laid = sheets(pages)
    assert [n for sheet in laid for n in sheet] == list(range(1, len(pages) + 1))
    assert all(len(sheet) == 1 or all(pages[n - 1].slide for n in sheet) for sheet in laid)


# -- the handbook --------------------------------------------------------------------------------------


def make_reports(srcdir: Path) -> None:
    files = srcdir / "files"
    (files / "portrait.pdf").write_bytes(report_pdf(A4, 7, PORTRAIT_SECTIONS, web=(3, 5)))
    (files / "slides.pdf").write_bytes(report_pdf(SLIDE, 41, SLIDE_SECTIONS, image_only=(7,), web=(2, 30)))


@pytest.mark.sphinx("latex", testroot="appendix", srcdir="appendix-tex", freshenv=True)
def test_each_sheet_is_written_with_its_pages_and_links(srcdir, make_test_app):
    make_reports(srcdir)
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == []
    tex = (Path(app.outdir) / "appendix.tex").read_text(encoding="utf-8")
    assert tex.count(r"\dgxsheet{") == 7 + 21
    assert r"\dgxsheet{pages 41" not in tex and r"\dgxsheet{page 41 of 41}" in tex
    assert tex.count(r"\dgxuri{") == 4 and tex.count(r"\dgxgoto{") == len(PORTRAIT_SECTIONS) + len(
        SLIDE_SECTIONS
    )
    assert tex.count(r"\bookmark[") == 2 * (len(PORTRAIT_SECTIONS) + len(SLIDE_SECTIONS))


@pytest.mark.sphinx("latex", testroot="appendix", srcdir="appendix-damaged", freshenv=True)
def test_links_that_cannot_be_read_are_one_warning_and_the_pages_stay(srcdir, make_test_app, monkeypatch):
    make_reports(srcdir)
    app = make_test_app()

    def damaged(path):
        raise LayoutError("PdfReadError: Invalid destination")

    monkeypatch.setattr("sphinx_dgx.pdflayout.read_layout", damaged)
    app.build()
    warnings = parse_warnings(app.warning)
    assert [(w[0], w[2]) for w in warnings] == [("catalogue.yaml", "links_lost")] * 2
    assert "its links and outline cannot be read (PdfReadError: Invalid destination)" in warnings[0][3]
    tex = (Path(app.outdir) / "appendix.tex").read_text(encoding="utf-8")
    assert tex.count(r"\dgxsheet{") == 28 and r"\dgxuri{" not in tex


@pytest.fixture(scope="module")
def built(tmp_path_factory, rootdir):
    """The test root's handbook, built with xelatex: (the PDF, its reader, the source files)."""
    require_tools(*handbook.TOOLS)
    srcdir = tmp_path_factory.mktemp("appendix") / "src"
    shutil.copytree(rootdir / "test-appendix", srcdir)
    make_reports(srcdir)
    app = SphinxTestApp("latex", srcdir=srcdir, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    pdf = handbook.latexmk(Path(app.outdir), "appendix")
    return pdf, PdfReader(pdf), srcdir / "files"


def sheet_starts(reader: PdfReader) -> dict[str, int]:
    """The handbook page index where each report's sheets start, by its bookmark."""
    starts = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif item.title in ("A portrait report", LONG_TITLE):
                starts[item.title] = reader.get_destination_page_number(item)

    walk(reader.outline)
    return starts


def handbook_links(reader: PdfReader, first: int, count: int) -> list[tuple[int, dict]]:
    return [
        (index, annotation.get_object())
        for index in range(first, first + count)
        for annotation in reader.pages[index].get("/Annots") or []
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("title", "name", "per_sheet"), [("A portrait report", "portrait", 1), (LONG_TITLE, "slides", 2)]
)
def test_every_link_of_a_report_works_in_the_handbook(built, title, name, per_sheet):
    _pdf, reader, files = built
    web, internal = shipped_links(files / f"{name}.pdf")
    pages = len(PdfReader(files / f"{name}.pdf").pages)
    first = sheet_starts(reader)[title]
    found = handbook_links(reader, first, -(-pages // per_sheet))
    uris = [a for _, a in found if a["/A"]["/S"] == "/URI"]
    gotos = [a for _, a in found if a["/A"]["/S"] == "/GoTo"]
    assert len(uris) == web and len(gotos) == len(internal)
    destinations = reader.named_destinations
    for annotation, target in zip(gotos, internal.values(), strict=True):
        landed = reader.get_destination_page_number(destinations[str(annotation["/A"]["/D"])])
        assert landed == first + (target - 1) // per_sheet


@pytest.mark.slow
def test_slides_keep_their_width_two_to_a_page(built):
    _pdf, reader, files = built
    starts = sheet_starts(reader)
    after = [index for index in sorted(starts.values()) if index > starts[LONG_TITLE]]
    sheets_of_deck = (after[0] if after else len(reader.pages)) - starts[LONG_TITLE]
    assert sheets_of_deck == 21
    # the scale of a slide, from one of its links: a slide alone on an A4 page was 0.88 of its width
    [(_, annotation)] = [
        (i, a) for i, a in handbook_links(reader, starts[LONG_TITLE], 1) if a["/A"]["/S"] == "/URI"
    ]
    x0, _, x1, _ = (float(v) for v in annotation["/Rect"])
    source = read_layout(files / "slides.pdf").pages[1].links[0]
    assert (x1 - x0) / source.width * SLIDE[0] >= 0.88 * A4[0]


@pytest.mark.slow
def test_each_sheet_has_one_handbook_number_and_names_the_reports_page(built):
    _pdf, reader, _files = built
    start = sheet_starts(reader)[LONG_TITLE]
    for sheet in range(21):
        text = reader.pages[start + sheet].extract_text()
        pages = f"{2 * sheet + 1}\N{EN DASH}{2 * sheet + 2}" if sheet < 20 else "41"
        assert re.search(rf"Report pages? {pages} of 41", text), text[:200]
        # the handbook's number, as its page label says, once: in the footer, as on every other page
        assert re.findall(r"Appendix: Reports\s+(\d+)\s*$", text) == [reader.page_labels[start + sheet]]
        assert len(re.findall(r"Report pages? ", text)) == 1


@pytest.mark.slow
def test_a_title_longer_than_the_header_is_cut_and_the_header_stays_one_line(built):
    pdf, reader, _files = built
    assert handbook.check_log(pdf.with_suffix(".log")) == []
    assert "headheight is too small" not in pdf.with_suffix(".log").read_text(
        encoding="utf-8", errors="replace"
    )
    header = reader.pages[sheet_starts(reader)[LONG_TITLE]].extract_text()
    assert "MVP - good practice" in header and LONG_TITLE not in header.replace("\n", " ")


@pytest.mark.slow
def test_a_reports_outline_is_under_its_bookmark(built):
    _pdf, reader, _files = built

    def children(items, title):
        at = next(n for n, item in enumerate(items) if not isinstance(item, list) and item.title == title)
        return items[at + 1] if at + 1 < len(items) and isinstance(items[at + 1], list) else []

    under = children(children(reader.outline, "Reports"), "A portrait report")
    assert [item.title for item in under if not isinstance(item, list)] == list(PORTRAIT_SECTIONS.values())
    start = sheet_starts(reader)["A portrait report"]
    for item, page in zip((i for i in under if not isinstance(i, list)), PORTRAIT_SECTIONS, strict=True):
        assert reader.get_destination_page_number(item) == start + page - 1
        assert [sub.title for sub in children(under, item.title)] == [f"{item.title}: details"]


def test_an_outline_that_loops_is_read_once_and_quietly(tmp_path, caplog):
    writer = PdfWriter()
    for _ in range(2):
        writer.add_blank_page(595, 842)
    outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    top = writer._add_object(outlines)
    item = DictionaryObject(
        {
            NameObject("/Title"): TextStringObject("Loop"),
            NameObject("/Parent"): top,
            NameObject("/Dest"): ArrayObject([writer.pages[1].indirect_reference, NameObject("/Fit")]),
        }
    )
    ref = writer._add_object(item)
    item[NameObject("/Next")] = ref  # the entry after it is itself
    outlines[NameObject("/First")] = outlines[NameObject("/Last")] = ref
    writer._root_object[NameObject("/Outlines")] = top
    path = tmp_path / "loop.pdf"
    with open(path, "wb") as out:
        writer.write(out)
    caplog.clear()
    assert [(e.title, e.page) for e in read_layout(path).outline] == [("Loop", 2)]
    assert caplog.records == []
