"""The PDF handbook: built as `nox -s pdf` builds it, then read back with pypdf."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject
from sites import SITES, copy_site, make_site, seed_sentences

from sphinx_dgx import handbook
from sphinx_dgx.appendix import sheets
from sphinx_dgx.catalogue import load
from sphinx_dgx.pdflayout import read_layout
from support import REPO, require_tools

EPOCH = "1638316800"  # 2021-12-01
BASE_URL = "https://sphinx-dgx.readthedocs.io/en/latest/"


def letters(text: str) -> str:
    """Only letters and digits: PDF text extraction breaks lines, hyphenates and respaces."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def build(tmp: Path, which: str = SITES[0]) -> Path:
    require_tools(*handbook.TOOLS)
    return handbook.build_pdf(make_site(tmp, which), tmp / "build")


@pytest.fixture(scope="module", params=SITES)
def handbook_pdf(request, tmp_path_factory) -> Path:
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    os.environ.pop("READTHEDOCS_CANONICAL_URL", None)
    try:
        return build(tmp_path_factory.mktemp("handbook"), request.param)
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@pytest.fixture(scope="module")
def reader(handbook_pdf) -> PdfReader:
    return PdfReader(handbook_pdf)


@pytest.fixture(scope="module")
def catalogue(handbook_pdf):
    """The catalogue of the site the handbook was built from."""
    root = handbook_pdf.parent.parent.parent
    return load(root / "docs" / "catalogue.yaml", root / "files")


def appendix_reports(catalogue):
    """The reports in the appendix, in the documented order: newest year first, then the catalogue's."""
    return catalogue.select_reports(kind="file")


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every bookmark."""
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


@pytest.mark.slow
def test_the_handbook_is_written_where_the_readme_says(handbook_pdf):
    assert handbook_pdf.name == "dgx-working-groups.pdf"
    assert handbook_pdf.parent.name == "pdf"


@pytest.mark.slow
def test_the_prose_of_the_2021_page_is_in_the_handbook(reader):
    text = letters(" ".join(page.extract_text() for page in reader.pages))
    prose = [s for s in seed_sentences() if " by the DGX " not in s]
    assert [s for s in prose if letters(s) not in text] == []


@pytest.mark.slow
def test_the_outline_has_the_chapters_and_one_bookmark_per_report(reader, catalogue):
    marks = outline(reader)
    titles = [title for _, title, _ in marks]
    for chapter in ("Working Groups 2021", "Overview", "DGX WG Reports", "Catalogue of reports", "Reports"):
        assert chapter in titles
    appendix = titles.index("Reports")
    depth = marks[appendix][0] + 1
    under = [title for level, title, _ in marks[appendix + 1 :] if level == depth]
    reports = appendix_reports(catalogue)
    assert under[: len(reports)] == [r.title for r in reports]
    for report in reports:
        assert titles.count(report.title) == 1, report.title


def report_sheets(catalogue, report) -> list[list[int]]:
    return sheets(read_layout(Path(catalogue.files_dir) / report.file).pages)


@pytest.mark.slow
def test_the_appendix_holds_exactly_the_pages_of_each_report(reader, catalogue):
    marks = {title: page for _, title, page in outline(reader)}
    with_text = 0
    for report in appendix_reports(catalogue):
        source = PdfReader(Path(catalogue.files_dir) / report.file)
        first = marks[report.title]
        laid = report_sheets(catalogue, report)
        for index, sheet in enumerate(laid):
            shown = letters(reader.pages[first + index].extract_text())
            for number in sheet:
                expected = letters(source.pages[number - 1].extract_text())  # empty for an image-only slide
                with_text += bool(expected)
                assert expected in shown, (report.id, number)
        # the page after the report is not more of it
        after = reader.pages[first + len(laid)].extract_text()
        assert letters(f"page {len(source.pages)} of {len(source.pages)}") not in letters(after)
    assert with_text > 0
    sheets_in_all = sum(len(report_sheets(catalogue, r)) for r in appendix_reports(catalogue))
    assert marks["Reports published elsewhere"] == marks["Reports"] + 1 + sheets_in_all


def counted_links(path: Path) -> int:
    """The link annotations of a file that go somewhere: a web address or a page of the file."""
    found = 0
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A", {})
            found += annotation.get("/Subtype") == "/Link" and (
                "/Dest" in annotation or action.get("/S") in ("/URI", "/GoTo")
            )
    return found


@pytest.mark.slow
def test_every_report_keeps_its_links_in_the_appendix(reader, catalogue):
    marks = {title: page for _, title, page in outline(reader)}
    for report in appendix_reports(catalogue):
        first, count = marks[report.title], len(report_sheets(catalogue, report))
        kept = sum(
            len(reader.pages[i].get("/Annots", ArrayObject()).get_object())
            for i in range(first, first + count)
        )
        assert kept == counted_links(Path(catalogue.files_dir) / report.file), report.id


def link_targets(reader: PdfReader) -> tuple[set[str], dict[str, int]]:
    """The URIs of all link annotations, and the pages that named-destination links go to."""
    uris, goto = set(), {}
    destinations = reader.named_destinations
    for page in reader.pages:
        for annotation in page.get("/Annots", []) or []:
            action = annotation.get_object().get("/A", {})
            if action.get("/S") == "/URI":
                uris.add(action["/URI"])
            elif action.get("/S") == "/GoTo" and str(action["/D"]) in destinations:
                name = str(action["/D"])
                goto[name] = reader.get_destination_page_number(destinations[name])
    return uris, goto


@pytest.mark.slow
def test_report_links_point_to_the_published_files_and_to_the_appendix(reader, catalogue):
    uris, goto = link_targets(reader)
    marks = {title: page for _, title, page in outline(reader)}
    for report in catalogue.reports:
        if report.file:
            assert BASE_URL + "files/" + report.file.replace(" ", "%20") in uris, report.id
            assert goto[f"dgx-report-{report.id}.1"] == marks[report.title]
        else:
            assert report.url in uris


@pytest.mark.slow
def test_metadata_is_set(reader):
    meta = reader.metadata
    assert meta.title == "DGX Working Groups"
    assert meta.author == "Digital Government Exchange"
    assert meta.subject == "Reports of the Digital Government Exchange working groups"
    assert "working groups" in meta["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en"


@pytest.mark.slow
def test_pages_are_a4_in_the_body(reader):
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)


@pytest.mark.slow
def test_two_builds_give_identical_pdfs(handbook_pdf, tmp_path, request):
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        again = build(tmp_path, request.node.callspec.params["handbook_pdf"])
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert again.read_bytes() == handbook_pdf.read_bytes()


@pytest.mark.slow
def test_readthedocs_replay_passes(tmp_path):
    require_tools(*handbook.TOOLS)
    pdf = handbook.replay_readthedocs(copy_site(tmp_path), tmp_path / "rtd", "sphinx-dgx")
    assert pdf.name == "sphinx-dgx.pdf" and len(PdfReader(pdf).pages) > 10


# -- the log check and the tools check ---------------------------------------------------


def test_log_check_finds_what_shows_in_the_pdf(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(
        "Package cmap Warning: pdftex not detected - exiting.\n"
        "Overfull \\hbox (0.5pt too wide) in paragraph at lines 1--2\n"
        "Overfull \\hbox (12.3pt too wide) in paragraph at lines 3--4\n"
        "Missing character: There is no \u0b85 in font FreeSerif!\n"
        "LaTeX Warning: Reference `x' on page 1 undefined on input line 5.\n"
        "! Undefined control sequence.\n"
    )
    found = [p.line for p in handbook.check_log(log)]
    assert found == [3, 4, 5, 6]


def test_missing_tex_tools_stop_with_the_packages_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(handbook.shutil, "which", lambda tool: None)
    assert handbook.main(["pdf", str(REPO / "docs"), str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: the PDF handbook needs latexmk, xelatex, which is not installed")
    for package in handbook.DEBIAN_PACKAGES:
        assert package in error


# -- the LaTeX of the extension's nodes ------------------------------------------------------


@pytest.mark.sphinx("latex", testroot="basic", freshenv=True, confoverrides={"html_baseurl": BASE_URL})
def test_latex_of_the_extension_nodes(app, warning, file_regression):
    app.build()
    tex = (Path(app.outdir) / "projectnamenotset.tex").read_text()
    start = tex.index(r"\begin{dgxgroups}")
    end = tex.index(r"\end{dgxreports}", start) + len(r"\end{dgxreports}")
    file_regression.check(tex[start:end], extension=".tex")
    assert r"\chapter{Reports}" in tex and r"\dgxreportstart{cloud-2021}" in tex
    assert (Path(app.outdir) / "dgx.sty").is_file()
    assert (Path(app.outdir) / "dgx-reports" / "cloud-2021.pdf").is_file()
    assert "\\section" not in tex[start:end] and "\\subsection" not in tex[start:end]
    assert warning.getvalue() == ""


@pytest.mark.sphinx("latex", testroot="basic", freshenv=True, confoverrides={"html_baseurl": ""})
def test_latex_without_a_base_url_warns(app, warning):
    app.build()
    assert "WARNING: html_baseurl is not set: the handbook cannot link to the published report files" in (
        warning.getvalue()
    )
    assert "[dgx.no_base_url]" in warning.getvalue()


@pytest.mark.sphinx(
    "latex",
    testroot="basic",
    freshenv=True,
    confoverrides={"html_baseurl": BASE_URL, "dgx_handbook_appendix": False},
)
def test_the_appendix_can_be_turned_off(app):
    (Path(app.outdir) / "dgx-reports").mkdir(parents=True, exist_ok=True)  # as an earlier build leaves it
    app.build()
    tex = (Path(app.outdir) / "projectnamenotset.tex").read_text()
    assert r"\dgxsheet" not in tex and "In this handbook" not in tex
    assert not (Path(app.outdir) / "dgx-reports").exists()


@pytest.mark.slow
def test_a_title_page_then_the_contents(reader):
    title = reader.pages[0].extract_text()
    assert "DGX Working Groups" in title and "Digital Government Exchange" in title
    contents = reader.pages[1].extract_text()
    assert contents.lower().startswith("contents")
    for entry in ("Working Groups 2021", "Catalogue of reports", "Reports published elsewhere"):
        assert entry in contents
