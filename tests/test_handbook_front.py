"""The front of the handbook and its entries: the title page, the page after the contents, covers.

The root test-handbook-front has groups and reports over several years, reports with a file (and so a
cover) and one published elsewhere (without). What the tests expect comes from its catalogue and its
conf.py.
"""

from __future__ import annotations

import os
import runpy
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from sphinx_dgx import handbook, latex
from sphinx_dgx.catalogue import Catalogue, load
from sphinx_dgx.facts import cover_name, digest_of
from support import TESTS, require_tools

ROOT = TESTS / "roots" / "test-handbook-front"
CATALOGUE = load(ROOT / "catalogue.yaml", ROOT / "files")
_, TEX_NAME, TITLE, PUBLISHER, _ = runpy.run_path(str(ROOT / "conf.py"))["latex_documents"][0]
JOB = Path(TEX_NAME).stem
EPOCH = "1638316800"  # 2021-12-01
COVERED = [report for report in CATALOGUE.reports if report.file]
"""The reports with a cover: each has a PDF, whose first page is drawn."""


def date_of(epoch: str) -> str:
    """The date of *epoch* as the title page gives it: ``1 December 2021``."""
    day = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return f"{day.day} {day:%B %Y}"


def expected_subtitle(catalogue: Catalogue) -> str:
    years = {group.year for group in catalogue.groups} | {report.year for report in catalogue.reports}
    span = f"{min(years)}\N{EN DASH}{max(years)}" if len(years) > 1 else str(min(years))
    return f"Reports of the working groups, {span}"


def words(text: str) -> str:
    return " ".join(text.split())


def cover_of(report) -> str:
    return cover_name(digest_of(ROOT / "files" / report.file))


def test_the_root_spans_years_and_has_reports_with_and_without_covers():
    assert len({report.year for report in CATALOGUE.reports}) > 1
    assert COVERED and len(COVERED) < len(CATALOGUE.reports)


def test_the_subtitle_names_the_years_of_the_catalogue():
    assert latex.subtitle(CATALOGUE) == expected_subtitle(CATALOGUE)
    first = min(group.year for group in CATALOGUE.groups)
    one_year = Catalogue("", "", groups=tuple(g for g in CATALOGUE.groups if g.year == first))
    assert latex.subtitle(one_year) == f"Reports of the working groups, {first}"
    assert latex.subtitle(Catalogue("", "")) == "Reports of the working groups"


def test_a_header_too_tall_is_a_problem_of_the_log(tmp_path):
    log = tmp_path / "x.log"
    log.write_text(
        "Package fancyhdr Warning: \\headheight is too small (12.0pt): \n"
        "(fancyhdr)                Make it at least 13.59999pt, for example:\n"
        "(fancyhdr)                \\setlength{\\headheight}{13.59999pt}.\n"
        "Package fancyhdr Warning: \\footskip is not too small here.\n"
    )
    problems = handbook.check_log(log)
    assert [problem.line for problem in problems] == [1]
    assert "\\headheight is too small" in str(problems[0])


# -- the LaTeX -----------------------------------------------------------------------------------


def card_of(tex: str, report_id: str) -> str:
    """The LaTeX of one report's entry."""
    start = tex.index(r"\label{\detokenize{index:dgx-report-" + report_id + "}}")
    return tex[start : tex.index(r"\end{dgxreport}", start)]


@pytest.mark.sphinx("latex", testroot="handbook-front", srcdir="handbook-front-tex", freshenv=True)
def test_the_title_page_and_the_covers_in_the_latex(make_test_app, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    app = make_test_app()
    app.build()
    outdir = Path(app.outdir)
    tex = (outdir / TEX_NAME).read_text(encoding="utf-8")
    covers = "".join(
        r"\dgxtitlecover{_dgx/covers/" + cover_of(r) + "}" for r in CATALOGUE.select_reports() if r.file
    )
    arguments = (expected_subtitle(CATALOGUE), date_of(EPOCH), covers)
    assert r"\dgxtitlepage" + "".join("{" + argument + "}" for argument in arguments) in tex
    assert r"\sphinxmaketitle" not in tex
    for report in CATALOGUE.reports:
        card = card_of(tex, report.id)
        if report in COVERED:
            name = cover_of(report)
            assert r"\begin{dgxbesidecover}{_dgx/covers/" + name + "}" in card
            copy = outdir / "_dgx" / "covers" / name
            assert copy.read_bytes() == (Path(app.doctreedir) / "dgx-cache" / "covers" / name).read_bytes()
        else:
            assert "dgxbesidecover" not in card and "includegraphics" not in card
    assert sorted(p.name for p in (outdir / "_dgx" / "covers").iterdir()) == sorted(map(cover_of, COVERED))
    assert app.warning.getvalue() == ""


@pytest.mark.sphinx(
    "latex",
    testroot="handbook-front",
    freshenv=True,
    confoverrides={"latex_elements": {"maketitle": r"\sphinxmaketitle"}},
)
def test_a_title_page_of_the_project_is_kept(app):
    app.build()
    tex = (Path(app.outdir) / TEX_NAME).read_text(encoding="utf-8")
    assert r"\sphinxmaketitle" in tex and r"\dgxtitlepage{" not in tex


# -- the handbook itself -------------------------------------------------------------------------


def build(tmp: Path) -> Path:
    """The root's handbook, as ``nox -s pdf`` builds it (failing on any LaTeX problem), at :data:`EPOCH`."""
    require_tools(*handbook.TOOLS)
    shutil.copytree(ROOT, tmp / "src")
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return handbook.build_pdf(tmp / "src", tmp / "build")
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@pytest.fixture(scope="module")
def handbook_pdf(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("front"))


@pytest.fixture(scope="module")
def reader(handbook_pdf) -> PdfReader:
    return PdfReader(handbook_pdf)


def images_on(page) -> int:
    """The images a page draws itself (not those inside the forms of included pages)."""
    xobjects = page["/Resources"].get("/XObject", {})
    return sum(xobjects[name].get_object()["/Subtype"] == "/Image" for name in xobjects)


def first_page_after_the_contents(reader: PdfReader) -> int:
    contents = next(
        n for n, page in enumerate(reader.pages) if page.extract_text().lower().startswith("contents")
    )
    return reader.page_labels.index("1", contents + 1)


@pytest.mark.slow
def test_the_title_page_says_what_when_and_by_whom(reader):
    lines = [words(line) for line in reader.pages[0].extract_text().splitlines() if line.strip()]
    assert lines == [TITLE, expected_subtitle(CATALOGUE), PUBLISHER, date_of(EPOCH)]
    assert images_on(reader.pages[0]) == len(COVERED)  # the covers
    assert reader.metadata.title == TITLE and reader.metadata.author == PUBLISHER


@pytest.mark.slow
def test_two_builds_at_the_same_date_give_the_same_title_page(reader, tmp_path):
    again = PdfReader(build(tmp_path))
    assert again.pages[0].extract_text() == reader.pages[0].extract_text()


@pytest.mark.slow
def test_the_page_after_the_contents_does_not_say_contents(reader):
    number = first_page_after_the_contents(reader)
    text = reader.pages[number].extract_text()
    assert "a few lines of introduction" in words(text)  # the home page's own text
    assert "contents" not in text.lower()
    assert text.splitlines()[0] == TITLE  # the header names the handbook


@pytest.mark.slow
def test_each_entry_with_a_cover_shows_it(reader):
    shown = set()
    for number in range(first_page_after_the_contents(reader), len(reader.pages)):
        page = reader.pages[number]
        text = words(page.extract_text())
        entries = [r for r in CATALOGUE.reports if f"{r.title} Working group" in text]
        if entries:
            assert images_on(page) == sum(r in COVERED for r in entries), number
            shown.update(r.id for r in entries)
    assert shown == set(CATALOGUE.reports_by_id)
