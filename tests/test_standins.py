"""The stand-in generator (scripts/make_standin_pdfs.py): pages, links, outline, pictures, same bytes.

These build stand-ins of their own from specs made here, so they check the code, not the files in
files/; what each test expects comes from the spec it builds.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader
from sites import SLIDES_720, make_pdf, standin_generator

standins = standin_generator()
StandIn, Section, WebLink = standins.StandIn, standins.Section, standins.WebLink

SPECS = {
    "slides": StandIn(
        "Slides 2023.pdf",
        "Test slides",
        "DGX Test Working Group",
        SLIDES_720,
        9,
        year=2023,
        sections=(Section("Alpha", 3), Section("Beta", 5), Section("Gamma", 8)),
        web_links=(
            WebLink(4, "First (www.example.org)", "https://www.example.org/first"),
            WebLink(4, "Second (www.example.org)", "https://www.example.org/second"),
            WebLink(9, "DGX (www.dgx.io)", "https://www.dgx.io/"),
        ),
        image_only_pages=(6, 7),
    ),
    "report without outline": StandIn(
        "report.pdf",
        "Test report",
        "DGX Other Working Group",
        standins.A4,
        6,
        sections=(Section("One", 4), Section("Two", 6)),
        web_links=(WebLink(3, "Only (www.example.org)", "https://www.example.org/only"),),
        outline=False,
    ),
    "plain letter": StandIn("plain.pdf", "Plain", "DGX Plain Working Group", standins.US_LETTER, 3),
    "spread": standins.make_spec(
        "spread.pdf", "Spread", "DGX Spread Working Group", standins.A4, 17, sections=5, web_links=4
    ),
}


@pytest.fixture(params=SPECS.values(), ids=SPECS.keys())
def spec(request):
    return request.param


@pytest.fixture
def reader(spec, tmp_path) -> PdfReader:
    path = tmp_path / spec.file_name
    path.write_bytes(standins.build_pdf(spec))
    return PdfReader(path)


def link_annotations(reader: PdfReader) -> tuple[list[tuple[int, int]], list[tuple[int, str]]]:
    """The internal links as (page, page it goes to) and the web links as (page, URI); pages from 1."""
    numbers = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, start=1)}
    internal, web = [], []
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            assert annotation["/Subtype"] == "/Link"
            if "/Dest" in annotation:
                internal.append((number, numbers[annotation["/Dest"][0].idnum]))
            else:
                assert annotation["/A"]["/S"] == "/URI"
                web.append((number, annotation["/A"]["/URI"]))
    return internal, web


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_pages_have_the_size_and_count_of_the_spec(spec, reader):
    assert len(reader.pages) == spec.page_count
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == spec.page_size


def test_the_contents_page_links_to_where_each_section_starts(spec, reader):
    internal, _ = link_annotations(reader)
    assert internal == [(standins.CONTENTS_PAGE, section.page) for section in spec.sections]
    if spec.sections:
        contents = words(reader.pages[standins.CONTENTS_PAGE - 1].extract_text())
        assert "Contents" in contents
        for number, section in enumerate(spec.sections, start=1):
            assert f"{number}. {section.title}" in contents
            assert f"{number}. {section.title}" in words(reader.pages[section.page - 1].extract_text())


def test_the_web_links_are_on_their_pages(spec, reader):
    _, web = link_annotations(reader)
    assert web == [(link.page, link.url) for link in spec.web_links]
    for link in spec.web_links:
        assert link.text in words(reader.pages[link.page - 1].extract_text())


def test_the_outline_has_one_bookmark_per_section_at_its_start(spec, reader):
    marks = [(mark.title, reader.get_destination_page_number(mark) + 1) for mark in reader.outline]
    expected = [(section.title, section.page) for section in spec.sections]
    assert marks == (expected if spec.outline else [])


def test_image_only_pages_have_no_text_and_every_other_page_says_it_is_a_stand_in(spec, reader):
    for number, page in enumerate(reader.pages, start=1):
        text = words(page.extract_text())
        if number in spec.image_only_pages:
            assert text == "" and len(page.images) == 1, number
            assert "/Font" not in page["/Resources"], number
        else:
            assert standins.STANDIN_NOTE in text, number
            assert f"Page {number} of {spec.page_count}" in text, number


CODE_WORD = re.compile(r"\bdgx[a-z0-9]*p\d+\b")


def test_every_text_page_carries_a_code_word_of_its_own(spec, reader):
    found = {number: CODE_WORD.findall(page.extract_text()) for number, page in enumerate(reader.pages, 1)}
    expected = {
        number: [] if number in spec.image_only_pages else [spec.code_word(number)]
        for number in range(1, spec.page_count + 1)
    }
    assert found == expected
    words_found = [word for words_on_page in found.values() for word in words_on_page]
    assert all(word.isalnum() and word.islower() for word in words_found), words_found
    # none is another's start, so that a search for one (or its highlighting) finds no other
    assert not [(a, b) for a in words_found for b in words_found if a != b and b.startswith(a)]


def test_no_two_listed_stand_ins_share_code_words():
    standins.check_code_words(standins.STANDINS)
    stems = [spec.code_stem for spec in standins.STANDINS]
    assert len(set(stems)) == len(stems)
    assert [standins.STANDINS[0].code_word(n) for n in (3, 30)] == ["dgxcloud2021p03", "dgxcloud2021p30"]
    twin = replace(standins.STANDINS[0], file_name="Another cloud report.pdf")
    with pytest.raises(ValueError, match=re.escape("would share the code words dgxcloud2021p...")):
        standins.check_code_words([*standins.STANDINS, twin])


def test_the_metadata_and_the_bytes_are_fixed(spec, reader):
    assert reader.metadata.creation_date == spec.creation_date
    assert reader.metadata.title == spec.title
    assert standins.build_pdf(spec) == standins.build_pdf(spec)


def test_changing_the_spec_changes_the_bytes():
    spec = SPECS["slides"]
    other = replace(spec, image_only_pages=(7,))
    assert standins.build_pdf(other) != standins.build_pdf(spec)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"image_only_pages": (1,)}, "image-only page 1 is not a body page"),
        ({"image_only_pages": (5,)}, "section 'Beta' starts on page 5, not a body page with text"),
        ({"web_links": (WebLink(2, "x", "https://www.example.org/"),)}, "is on page 2, not a body page"),
        ({"sections": (Section("B", 5), Section("A", 3))}, "sections must start on increasing pages"),
        ({"sections": (Section("Late", 10),)}, "section 'Late' starts on page 10"),
        ({"page_count": 0, "sections": (), "web_links": (), "image_only_pages": ()}, "at least 1"),
    ],
)
def test_specs_whose_pages_do_not_fit_together_are_refused(change, message):
    spec = replace(SPECS["slides"], **change)
    with pytest.raises(ValueError, match=re.escape(message)):
        standins.build_pdf(spec)


@pytest.mark.parametrize(("sections", "links", "image_only"), [(6, 4, (7,)), (1, 1, ()), (8, 0, (3, 4, 5))])
def test_make_spec_spreads_sections_and_links_over_the_text_pages(sections, links, image_only):
    spec = standins.make_spec(
        "x.pdf", "X", "DGX X Working Group", SLIDES_720, 41, sections=sections, web_links=links,
        image_only_pages=image_only,
    )  # fmt: skip
    starts = [section.page for section in spec.sections]
    assert len(starts) == sections and starts[0] == spec.text_body_pages[0]
    assert len({link.url for link in spec.web_links}) == links
    assert not set(starts + [link.page for link in spec.web_links]) & set(image_only)
    gaps = [later - earlier for earlier, later in pairwise(starts)]
    assert not gaps or max(gaps) - min(gaps) <= 1 + len(image_only)
    standins.check_spec(spec)


def test_the_script_writes_each_listed_stand_in(tmp_path, capsys):
    assert standins.main(["--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(s.file_name for s in standins.STANDINS)
    for spec in standins.STANDINS:
        assert (tmp_path / spec.file_name).read_bytes() == standins.build_pdf(spec)
    assert capsys.readouterr().out.count("wrote ") == len(standins.STANDINS)


def test_the_second_year_deck_has_its_image_only_slide(tmp_path):
    slides = [(SLIDES_720, number != 7) for number in range(1, 42)]
    reader = PdfReader(make_pdf(Path(tmp_path) / "deck.pdf", "Deck", slides))
    assert len(reader.pages) == len(slides)
    assert [not page.extract_text().strip() for page in reader.pages] == [not text for _, text in slides]
    internal, web = link_annotations(reader)
    assert internal and web and len(reader.outline) == len(internal)
