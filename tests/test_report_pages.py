"""A page for every report with a file: its facts, contents, text, citation and neighbours."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from sphinx_dgx.catalogue import load
from sphinx_dgx.domain import get_domain
from support import accessible_name, clean_build, parse_warnings, recording, soup, visible

ROOT = Path(__file__).parent / "roots" / "test-report-pages"
CATALOGUE = load(ROOT / "catalogue.yaml", ROOT / "files")
BASE = "https://example.org/site/"
SECRET = "quokka"  # a word that is only inside the cloud report's PDF, on page 3
HOSTILE = "<script>alert(1)</script> \x1b[31m<b>bold</b>\x07"


def report_pdf(
    path: Path, pages: list[str], outline: dict[int, str] | None = None, size=(595.28, 841.89)
) -> None:
    """A PDF whose pages hold these texts ("" for a page that is only a picture)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=size)
    pdf.set_auto_page_break(False)
    for number, text in enumerate(pages, start=1):
        pdf.add_page()
        if number in (outline or {}):
            pdf.start_section(outline[number])
        if text:
            pdf.set_font("Helvetica", size=12)
            pdf.set_xy(40, 40)
            pdf.multi_cell(500, 16, text)
        else:
            pdf.set_fill_color(0, 84, 122)
            pdf.rect(0, 0, *size, style="F")
    path.write_bytes(bytes(pdf.output()))


CLOUD_PAGES = [
    "Cloud governance",
    "Contents",
    f"Findings. The {SECRET} appears only here.",
    "",
    "Recommendations.\n\nA second paragraph.",
]
CLOUD_OUTLINE = {3: "Findings", 5: "Recommendations"}


def make_files(srcdir: Path) -> None:
    files = srcdir / "files"
    files.mkdir(exist_ok=True)
    report_pdf(files / "cloud.pdf", CLOUD_PAGES, CLOUD_OUTLINE)
    report_pdf(files / "costs.pdf", ["Cloud costs", "What it saves."], size=(720, 405))  # slides
    report_pdf(files / "identity.pdf", ["Identity", HOSTILE.replace("\x1b", "").replace("\x07", "")])


PAGES = pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages", freshenv=True)


@pytest.fixture
def site(srcdir, make_test_app):
    make_files(srcdir)
    app = make_test_app()
    app.build()
    return app


def with_files() -> list[str]:
    return [report.id for report in CATALOGUE.reports if report.file]


@PAGES
def test_every_report_with_a_file_has_its_page_and_no_other_does(site):
    assert parse_warnings(site.warning) == []
    pages = sorted(p.stem for p in (Path(site.outdir) / "reports").glob("*.html"))
    assert pages == sorted(with_files())
    # made by the builder, like its index and search pages: no source, no document
    assert not (Path(site.srcdir) / "reports").exists()
    assert not [doc for doc in site.env.all_docs if doc.startswith("reports/")]


@PAGES
def test_a_report_page_shows_the_report(site):
    report = CATALOGUE.reports_by_id["cloud-2021"]
    page = soup(site, "reports/cloud-2021")
    assert visible(page.select_one("article h1")).rstrip("¶#") == report.title
    byline = page.select_one("article .dgx-byline")
    assert visible(byline) == "A report of the DGX Cloud WG, 2021."
    assert byline.select_one("a")["href"] == "../index.html#dgx-wg-cloud-2021"
    assert visible(page.select_one("article .dgx-summary")) == report.summary
    download = page.select_one("article .dgx-meta a")
    assert unquote(download["href"]) == "../files/cloud.pdf"
    assert accessible_name(download).startswith(f"Download {report.title}, PDF, ")
    assert visible(page.select_one(".dgx-request a")) == "Request an accessible format"
    assert page.select_one('meta[name="description"]')["content"] == report.summary


@PAGES
@pytest.mark.parametrize(
    ("report_id", "shape"), [("cloud-2021", 841.89 / 595.28), ("cloud-costs-2021", 405 / 720)]
)
def test_the_cover_is_readable_with_1x_and_2x_images(site, report_id, shape):
    from PIL import Image

    image = soup(site, f"reports/{report_id}").select_one("article img.dgx-page-cover")
    width, height = int(image["width"]), int(image["height"])
    assert width >= 300 and height == pytest.approx(width * shape, abs=1)
    one, two = (part.split() for part in image["srcset"].split(", "))
    assert (one[1], two[1]) == ("1x", "2x") and image["src"] == one[0]
    page = Path(site.outdir) / "reports"
    for source, density in (one, two):
        with Image.open(page / source) as png:
            assert png.width == width * int(density[0]) and png.height == pytest.approx(
                png.width * shape, abs=1
            )


@PAGES
def test_the_contents_open_the_pdf_at_each_entrys_page(site):
    page = soup(site, "reports/cloud-2021")
    links = [(visible(a), a["href"]) for a in page.select("#contents li a")]
    assert links == [(title, f"../files/cloud.pdf#page={n}") for n, title in CLOUD_OUTLINE.items()]


@PAGES
def test_the_text_of_each_page_is_under_its_anchor(site):
    page = soup(site, "reports/cloud-2021")
    assert "extracted from the PDF" in visible(page.select_one("#text"))
    for number, text in enumerate(CLOUD_PAGES, start=1):
        part = page.select_one(f"#page-{number}")
        opener = part.select_one("a.dgx-download")
        assert opener["href"] == f"../files/cloud.pdf#page={number}"
        assert visible(opener) == f"Open the PDF at page {number}"
        shown = [visible(p) for p in part.select("p")][1:]
        expected = [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]
        assert shown == (expected or ["This page has no text (it may be an image)."])


@PAGES
def test_text_from_a_pdf_is_text(site):
    page = soup(site, "reports/identity-2021")
    assert page.select_one("article script") is None and page.select_one("article b") is None
    assert "<script>alert(1)</script>" in visible(page.select_one("#page-2"))
    raw = (Path(site.outdir) / "reports" / "identity-2021.html").read_text(encoding="utf-8")
    assert "\x1b" not in raw and "\x07" not in raw


@PAGES
def test_cite_this_report(site):
    page = soup(site, "reports/cloud-2021")
    citation = visible(page.select_one("#cite .dgx-citation"))
    assert "Digital Government Exchange" in citation and "(2021)" in citation
    assert "Cloud governance" in citation and f"{BASE}reports/cloud-2021.html" in citation
    files = {visible(a): a["href"] for a in page.select("#cite .dgx-cite-files a")}
    assert files == {
        "BibTeX": "../_dgx/cite/cloud-2021.bib",
        "RIS": "../_dgx/cite/cloud-2021.ris",
        "CSL-JSON": "../_dgx/cite/cloud-2021.json",
    }
    out = Path(site.outdir) / "_dgx" / "cite"
    assert "@techreport{" in (out / "cloud-2021.bib").read_text(encoding="utf-8")
    assert (out / "cloud-2021.ris").read_text(encoding="utf-8").startswith("TY  - RPRT")
    [item] = json.loads((out / "cloud-2021.json").read_text(encoding="utf-8"))
    assert item["title"] == "Cloud governance" and item["URL"] == f"{BASE}reports/cloud-2021.html"
    assert sorted(p.stem for p in out.glob("*.bib")) == sorted(with_files())


@PAGES
def test_the_head_has_highwire_tags_and_json_ld(site):
    page = soup(site, "reports/cloud-2021")
    tags = {m["name"]: m["content"] for m in page.select("head meta[name^=citation_]")}
    assert tags["citation_title"] == "Cloud governance"
    assert tags["citation_author"] == "Digital Government Exchange"
    assert tags["citation_publication_date"] == "2021"
    assert tags["citation_pdf_url"] == f"{BASE}files/cloud.pdf"
    assert tags["citation_public_url"] == f"{BASE}reports/cloud-2021.html"
    [data] = [json.loads(s.string) for s in page.select('head script[type="application/ld+json"]')]
    assert data["@type"] == "Report" and data["url"] == f"{BASE}reports/cloud-2021.html"


@PAGES
def test_other_reports_of_the_group_and_year_are_linked(site):
    page = soup(site, "reports/cloud-2021")
    links = {visible(a): a["href"] for a in page.select("#other-reports li a")}
    assert links == {
        "Cloud costs": "cloud-costs-2021.html",
        "Identity in response to COVID-19": "identity-2021.html",
        "Identity on the web": "../index.html#dgx-report-identity-web-2021",
    }


@PAGES
def test_cards_and_roles_lead_to_the_page(site):
    index = soup(site, "index")
    card = index.select_one("#dgx-report-cloud-2021")
    assert card.select_one(".dgx-heading a")["href"] == "reports/cloud-2021.html"
    assert unquote(card.select_one(".dgx-meta a")["href"]) == "files/cloud.pdf"
    role = next(a for a in index.select("article p a") if visible(a) == "Cloud governance")
    assert role["href"] == "reports/cloud-2021.html"


def search_index(app) -> dict:
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text.split("(", 1)[1].rstrip(");\n"))


def found_by(app, word: str) -> list[str]:
    """The pages the site's search index gives for *word*."""
    index = search_index(app)
    found = index["terms"].get(word, [])
    found = [found] if isinstance(found, int) else found
    return [index["docnames"][n] for n in found]


@PAGES
def test_a_report_page_is_found_by_a_word_only_in_its_pdf(site):
    assert found_by(site, SECRET) == ["reports/cloud-2021"]


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-edit", freshenv=True)
def test_an_edit_writes_again_its_page_and_reads_the_pages_that_show_it(srcdir, make_test_app):
    make_files(srcdir)
    app = make_test_app()
    with recording(app) as seen:
        app.build()
    assert seen.report_pages == sorted(f"reports/{ident}" for ident in with_files())
    app.cleanup()
    again = make_test_app(freshenv=False)
    with recording(again) as seen:
        again.build()
    assert seen.read == [] and seen.report_pages == []
    assert found_by(again, SECRET) == ["reports/cloud-2021"]  # still in the search index
    catalogue = srcdir / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text().replace("What moving to the cloud saves.", "Savings."))
    again.cleanup()
    third = make_test_app(freshenv=False)
    with recording(third) as seen:
        third.build()
    assert sorted(seen.read) == ["index"]
    assert seen.report_pages == ["reports/cloud-costs-2021"]  # the others list its title, not its summary
    assert visible(soup(third, "reports/cloud-costs-2021").select_one(".dgx-summary")) == "Savings."


@pytest.mark.sphinx(
    "html", testroot="report-pages", srcdir="report-pages-off", confoverrides={"dgx_report_pages": False}
)
def test_report_pages_can_be_turned_off(srcdir, make_test_app):
    make_files(srcdir)
    (srcdir / "reports").mkdir()
    (srcdir / "reports" / "cloud-2021.md").write_text("% sphinx_dgx wrote this page from the catalogue\n")
    app = make_test_app()
    app.build()
    assert not (srcdir / "reports").exists()  # the generated source went with the setting
    card = soup(app, "index").select_one("#dgx-report-cloud-2021")
    assert unquote(card.select_one(".dgx-heading a")["href"]) == "files/cloud.pdf"
    assert not (Path(app.outdir) / "reports").exists()


@pytest.mark.sphinx(
    "html", testroot="report-pages", srcdir="report-pages-no-text", confoverrides={"dgx_report_text": False}
)
def test_the_text_can_be_left_out(srcdir, make_test_app):
    make_files(srcdir)
    app = make_test_app()
    app.build()
    page = soup(app, "reports/cloud-2021")
    assert page.select_one("#text") is None and page.select_one("#contents") is not None
    assert SECRET not in (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")


def source_at_page(srcdir: Path, text: str) -> Path:
    """The files, and a source at the address of the cloud report's page holding *text*."""
    make_files(srcdir)
    (srcdir / "reports").mkdir()
    source = srcdir / "reports" / "cloud-2021.md"
    source.write_text(text)
    return source


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-mine")
def test_a_page_of_the_editor_at_a_report_pages_address_is_kept(srcdir, make_test_app):
    mine = source_at_page(srcdir, "---\norphan: true\n---\n# My own page\n")
    app = make_test_app()
    app.build()
    [warning] = parse_warnings(app.warning)
    assert warning.subtype == "config" and warning.file.endswith("cloud-2021.md")
    assert "reports/cloud-2021 is a page of the site" in warning.message
    assert mine.read_text() == "---\norphan: true\n---\n# My own page\n"
    assert visible(soup(app, "reports/cloud-2021").select_one("article h1")).rstrip("¶#") == "My own page"


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-old-sources")
def test_sources_written_by_earlier_versions_are_removed(srcdir, make_test_app):
    source_at_page(srcdir, "% sphinx_dgx wrote this page from the catalogue (dgx_report_pages)\n")
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == []
    assert not (srcdir / "reports").exists()
    assert (Path(app.outdir) / "reports" / "cloud-2021.html").is_file()


@pytest.mark.sphinx("latex", testroot="report-pages", srcdir="report-pages-latex")
def test_the_handbook_has_no_report_pages(srcdir, make_test_app):
    make_files(srcdir)
    app = make_test_app()
    app.build()
    assert parse_warnings(app.warning) == []
    assert not (srcdir / "reports").exists()
    tex = next(Path(app.outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert SECRET not in tex and "Cite this report" not in tex


@pytest.mark.sphinx("dirhtml", testroot="report-pages", srcdir="report-pages-dirhtml")
def test_under_dirhtml_a_report_page_is_a_folder(srcdir, make_test_app):
    make_files(srcdir)
    app = make_test_app()
    app.build()
    assert (Path(app.outdir) / "reports" / "cloud-2021" / "index.html").is_file()
    card = soup(app, "index").select_one("#dgx-report-cloud-2021")
    assert card.select_one(".dgx-heading a")["href"] == "reports/cloud-2021/"
    page = soup(app, "reports/cloud-2021/index")
    assert page.select_one("#page-3 a.dgx-download")["href"] == "../../files/cloud.pdf#page=3"
    tags = {m["name"]: m["content"] for m in page.select("head meta[name^=citation_]")}
    assert tags["citation_public_url"] == f"{BASE}reports/cloud-2021/"


@pytest.mark.slow
@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-parallel")
def test_parallel_and_serial_builds_give_the_same_report_pages(srcdir, make_test_app):
    make_files(srcdir)
    pages = {}
    for jobs in (1, 2):
        app = make_test_app(builddir=srcdir / "_build" / f"j{jobs}", freshenv=True, parallel=jobs)
        app.build()
        app.cleanup()
        assert parse_warnings(app.warning) == [], jobs
        pages[jobs] = {
            path.name: path.read_bytes() for path in sorted((Path(app.outdir) / "reports").glob("*.html"))
        }
    assert sorted(pages[1]) == sorted(f"{ident}.html" for ident in with_files())
    assert pages[1] == pages[2]


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-new", freshenv=True)
def test_a_new_report_of_the_year_writes_again_the_pages_that_list_its_neighbours(srcdir, make_test_app):
    first_build(srcdir, make_test_app)
    catalogue = srcdir / "catalogue.yaml"
    catalogue.write_text(
        catalogue.read_text()
        + "  - id: cloud-new-2021\n    title: Cloud, again\n    working_group: cloud-2021\n"
        "    summary: More.\n    file: costs.pdf\n"
    )
    again = make_test_app(freshenv=False)
    with recording(again) as seen:
        again.build()
    assert sorted(seen.read) == ["index"]
    pages = [f"reports/{ident}" for ident in with_files()]  # each lists the reports of 2021
    assert seen.report_pages == sorted(["reports/cloud-new-2021", *pages])
    listed = [visible(a) for a in soup(again, "reports/cloud-2021").select("#other-reports li a")]
    assert "Cloud, again" in listed


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-navigation")
def test_report_pages_share_the_navigation_the_theme_would_give_each(srcdir, make_test_app, monkeypatch):
    from sphinx_dgx import reportpages

    make_files(srcdir)
    written = {}
    for shared in (True, False):
        if not shared:
            monkeypatch.setattr(reportpages, "skip_navigation", lambda *args: None)
        app = make_test_app(builddir=srcdir / "_build" / str(shared), freshenv=True)
        app.build()
        app.cleanup()
        written[shared] = {
            p.name: p.read_bytes() for p in sorted((Path(app.outdir) / "reports").glob("*.html"))
        }
    assert len(written[True]) == len(with_files())
    assert written[True] == written[False]


def first_build(srcdir: Path, make_test_app):
    """The files, and a first build of the site, finished (the next build is made anew)."""
    make_files(srcdir)
    app = make_test_app()
    app.build()
    app.cleanup()
    return app


def report_pages(app) -> dict[str, bytes]:
    folder = Path(app.outdir) / "reports"
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.html"))}


EDITS = {
    "a summary": ("summary: Baseline policies for cloud adoption.", "summary: Baselines, revised."),
    "another report's title": ("title: Cloud costs", "title: What the cloud costs"),
    "a working group's name": ("name: Digital Identity", "name: Identity"),
}


@pytest.mark.parametrize("edit", ["a summary", "another report's title", "a working group's name", "a page"])
@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-keys", freshenv=True)
def test_after_an_edit_the_report_pages_equal_a_clean_builds(srcdir, make_test_app, make_app, edit):
    """What a page is made of decides whether it is written again: after each edit, the pages an
    incremental build leaves equal those of a clean build, byte for byte."""
    first_build(srcdir, make_test_app)
    if edit == "a page":  # the navigation every page carries changes
        (srcdir / "more.md").write_text("# More\n\nText.\n")
        index = srcdir / "index.md"
        index.write_text(index.read_text() + "\n```{toctree}\nmore\n```\n")
    else:
        catalogue = srcdir / "catalogue.yaml"
        old, new = EDITS[edit]
        assert old in catalogue.read_text()
        catalogue.write_text(catalogue.read_text().replace(old, new))
    again = make_test_app(freshenv=False)
    with recording(again) as seen:
        again.build()
    assert parse_warnings(again.warning) == []
    assert seen.report_pages, edit  # each edit changes some page
    clean = clean_build(make_app, srcdir)
    assert report_pages(again) == report_pages(clean)
    assert search_index(again) == search_index(clean)


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-removed", freshenv=True)
def test_the_page_of_a_report_that_is_gone_is_removed(srcdir, make_test_app):
    first_build(srcdir, make_test_app)
    catalogue = srcdir / "catalogue.yaml"
    text = catalogue.read_text()
    start = text.index("  - id: cloud-costs-2021")
    end = text.index("  - id: identity-2021\n", start)
    catalogue.write_text(text[:start] + text[end:])
    again = make_test_app(freshenv=False)
    again.build()
    assert sorted(report_pages(again)) == ["cloud-2021.html", "identity-2021.html"]
    assert "reports/cloud-costs-2021" not in search_index(again)["docnames"]


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-restored", freshenv=True)
def test_a_fresh_output_folder_gets_the_same_pages_from_the_cache(srcdir, make_test_app):
    app = first_build(srcdir, make_test_app)
    first, index = report_pages(app), search_index(app)
    shutil.rmtree(app.outdir)
    again = make_test_app(freshenv=True)
    with recording(again) as seen:
        again.build()
    assert seen.report_pages == []  # written back as they were
    assert report_pages(again) == first
    assert search_index(again) == index


@pytest.mark.parametrize("damage", ["records", "texts", "pages"])
@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-damaged", freshenv=True)
def test_a_damaged_cache_is_made_again(srcdir, make_test_app, damage):
    app = first_build(srcdir, make_test_app)
    first = report_pages(app)
    cache = Path(app.doctreedir) / "dgx-cache"
    damaged = {
        "records": list(cache.glob("report-pages-*.pickle")),
        "texts": list((cache / "page-text").rglob("*.pickle.z")),
        "pages": list((cache / "report-pages").rglob("*.html")),
    }[damage]
    assert damaged
    for path in damaged:
        path.write_bytes(b"\x80\x04garbage")
    shutil.rmtree(app.outdir)
    again = make_test_app(freshenv=True)
    with recording(again) as seen:
        again.build()
    assert parse_warnings(again.warning) == []
    assert report_pages(again) == first
    if damage in ("records", "pages"):  # a page kept damaged is made again, like one not kept
        assert seen.report_pages == sorted(f"reports/{ident}" for ident in with_files())


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-moved", freshenv=True)
def test_a_cache_moved_to_another_folder_still_gives_the_pages(srcdir, make_test_app):
    """What a page is made of does not depend on where the cache is (CI restores it elsewhere)."""
    app = first_build(srcdir, make_test_app)
    first = report_pages(app)
    moved = srcdir / "_moved"
    (moved / "doctrees").mkdir(parents=True)
    shutil.copytree(Path(app.doctreedir) / "dgx-cache", moved / "doctrees" / "dgx-cache")
    again = make_test_app(builddir=moved, freshenv=True)
    with recording(again) as seen:
        again.build()
    assert parse_warnings(again.warning) == []
    assert seen.report_pages == []
    assert report_pages(again) == first


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-terms", freshenv=True)
def test_the_search_index_is_what_sphinx_s_own_feed_makes(srcdir, make_test_app, monkeypatch):
    """Pages put into the index from their record give the index Sphinx's feed gives them."""
    from sphinx_dgx import reportpages

    make_files(srcdir)
    indexes = []
    for parts in (reportpages.INDEX_PARTS, ("no such part",)):
        monkeypatch.setattr(reportpages, "INDEX_PARTS", parts)
        app = make_test_app(builddir=srcdir / "_build" / str(len(indexes)), freshenv=True)
        app.build()
        app.cleanup()
        indexes.append(search_index(app))
    assert found_by(app, SECRET) == ["reports/cloud-2021"]
    assert indexes[0] == indexes[1]


def test_other_reports_are_the_first_of_each_list_and_the_rest_counted():
    from types import SimpleNamespace

    from sphinx_dgx.catalogue import loads, shown_order
    from sphinx_dgx.reportpages import OTHERS_SHOWN, Neighbours

    sizes = {"a": 15, "b": 20, "c": 2}  # reports of each group, all of 2021
    text = "working_groups:\n" + "".join(
        f"  - {{id: {g}, name: Group {g}, year: 2021, summary: S}}\n" for g in sizes
    )
    text += "reports:\n" + "".join(
        f"  - {{id: {g}{n}, title: Report {g}{n}, working_group: {g}, summary: S, url: 'https://example.org/{g}{n}'}}\n"
        for g, count in sizes.items()
        for n in range(count)
    )
    catalogue = loads(text)
    assert not catalogue.problems
    neighbours = Neighbours(
        SimpleNamespace(catalogue=catalogue, title_of=lambda kind, ident: f"Group {ident}")
    )
    for report in catalogue.reports:
        of_group = [o for o in catalogue.reports if o.group == report.group and o.id != report.id]
        of_year = [o for o in shown_order(catalogue.reports) if o.group != report.group]
        assert neighbours.lists(report) == [
            (f"Of the Group {report.group}", of_group[:OTHERS_SHOWN], len(of_group)),
            ("Of 2021, by other working groups", of_year[:OTHERS_SHOWN], len(of_year)),
        ]


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-shared", freshenv=True)
def test_a_handbook_built_on_the_same_cache_writes_no_report_page_again(srcdir, make_test_app, make_app):
    app = first_build(srcdir, make_test_app)
    first = report_pages(app)
    # the handbook, in the same doctree folder, measures what only it needs: whether it can
    # include each file's pages (a fact no report page shows)
    handbook = make_app("latex", srcdir=srcdir)
    assert handbook.doctreedir == app.doctreedir
    handbook.build()
    assert get_domain(handbook.env).facts(with_files()[0]).includable is True
    handbook.cleanup()
    again = make_test_app()
    with recording(again) as seen:
        again.build()
    assert seen.report_pages == []
    assert report_pages(again) == first


@pytest.mark.sphinx("html", testroot="report-pages", srcdir="report-pages-linked", freshenv=True)
def test_a_kept_page_is_the_output_page_linked_and_never_written_into(srcdir, make_test_app):
    app = first_build(srcdir, make_test_app)
    kept = {
        path.read_bytes(): path
        for path in (Path(app.doctreedir) / "dgx-cache" / "report-pages").rglob("*.html")
    }
    page = Path(app.outdir) / "reports" / "cloud-costs-2021.html"
    before = page.read_bytes()
    old = kept[before]
    assert (page.stat().st_ino, page.stat().st_dev) == (old.stat().st_ino, old.stat().st_dev)
    inode = page.stat().st_ino
    catalogue = srcdir / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text().replace("What moving to the cloud saves.", "Savings."))
    again = make_test_app(freshenv=False)
    with recording(again) as seen:
        again.build()
    assert seen.report_pages == ["reports/cloud-costs-2021"]
    assert page.read_bytes() != before and b"Savings." in page.read_bytes()
    assert page.stat().st_ino != inode  # written as a new file, not into the kept page's link
    assert not old.exists() or old.read_bytes() == before  # the old key's page, pruned or as it was
    # an edit undone: the page comes back as it was, from a build that wrote it anew
    catalogue.write_text(catalogue.read_text().replace("Savings.", "What moving to the cloud saves."))
    third = make_test_app(freshenv=False)
    third.build()
    assert page.read_bytes() == before
