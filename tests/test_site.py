"""The real site in docs/: it builds with -W, and carries every sentence of the original 2021 page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from sites import SEED, SITES, make_site, normalise, seed_sentences

from sphinx_dgx.catalogue import Catalogue, load
from support import soup, visible

pytestmark = pytest.mark.slow

BLOCKS = ["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "td", "th", "dt", "dd"]


@pytest.fixture(scope="module", params=SITES)
def built_site(request, tmp_path_factory) -> tuple[Path, Catalogue]:
    """A copy of the real site, built with -W; and the catalogue it was built from."""
    root = tmp_path_factory.mktemp("site")
    docs = make_site(root, request.param)
    out = root / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html",
         "-d", str(out / "doctrees"), str(docs), str(out / "html")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out / "html", load(docs / "catalogue.yaml", root / "files")


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    return built_site[0]


@pytest.fixture(scope="module")
def catalogue(built_site) -> Catalogue:
    return built_site[1]


def anchored(site: Path) -> dict[str, str]:
    """Every ``id`` on the site's pages, with the page (relative to the site) that holds it."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        for element in soup(page).select("[id]"):
            found.setdefault(element["id"], page.relative_to(site).as_posix())
    return found


def page_text(path: Path) -> str:
    """The visible text of a page's article, blocks separated by spaces."""
    article = soup(path).select_one("article")
    for hidden in article.select(".dgx-visually-hidden, .headerlink"):
        hidden.decompose()
    for block in article.find_all(BLOCKS):
        block.insert_before(" ")
        block.insert_after(" ")
    return normalise(article.get_text(""))


def test_every_sentence_of_the_2021_page_is_on_the_site(site):
    text = page_text(site / "working-groups" / "2021.html")
    missing = [s for s in seed_sentences() if s not in text]
    assert missing == []


def test_the_2021_page_shows_its_groups_and_its_file_reports_as_cards(site, catalogue):
    page = soup(site / "working-groups" / "2021.html")
    groups = [g.id for g in catalogue.select_groups(years=[2021])]
    assert [block["id"] for block in page.select(".dgx-working-group")] == [f"dgx-wg-{g}" for g in groups]
    cards = page.select(".dgx-report-card")
    reports = catalogue.select_reports(years=[2021], kind="file")
    assert [card["id"] for card in cards] == [f"dgx-report-{r.id}" for r in reports]
    for card in cards:
        href = card.select_one("a.dgx-download")["href"]
        assert href.startswith("../files/") and " " not in href
        assert (site / "working-groups" / unquote(href)).resolve().is_file()


def test_every_year_has_its_page_with_its_groups_and_its_report_cards(site, catalogue):
    ids = anchored(site)
    for year in catalogue.years:
        pages = {ids.get(f"dgx-wg-{g.id}") for g in catalogue.select_groups(years=[year])}
        assert len(pages) == 1 and None not in pages, (year, pages)
        page = pages.pop()
        for report in catalogue.select_reports(years=[year], kind="file"):
            assert ids.get(f"dgx-report-{report.id}") == page, (year, report.id)


def test_every_report_published_elsewhere_is_linked_from_its_groups_summary(site, catalogue):
    ids = anchored(site)
    for report in catalogue.select_reports(kind="url"):
        page = soup(site / ids[f"dgx-wg-{report.group}"])
        links = page.select(f"#dgx-wg-{report.group} .dgx-group-reports a")
        assert report.url in [a["href"] for a in links], report.id


def test_the_home_page_lists_every_year_newest_first(site, catalogue):
    ids = anchored(site)
    pages = [ids[f"dgx-wg-{catalogue.select_groups(years=[year])[0].id}"] for year in catalogue.years]
    home = soup(site / "index.html").select("article .toctree-wrapper a")
    listed = [a["href"] for a in home]
    assert [p for p in listed if p in pages] == pages  # catalogue.years is newest first


def test_the_catalogue_page_lists_every_report_newest_year_first(site, catalogue):
    cards = soup(site / "catalogue.html").select(".dgx-report-card")
    shown = [card.select_one(".dgx-heading a") for card in cards]
    assert len(cards) == len(catalogue.reports) and None not in shown
    titles = [visible(card.select_one(".dgx-heading")) for card in cards]
    assert titles == [r.title for r in catalogue.select_reports()]


def test_description_front_matter_is_the_meta_description(site):
    page = soup(site / "working-groups" / "2021.html")
    seed_front = SEED.read_text(encoding="utf-8").split("---", 2)[1]
    expected = " ".join(seed_front.split("description: >", 1)[1].split())
    assert page.select_one('meta[name="description"]')["content"] == expected


def test_safe_travel_insights_link_to_the_un_desa_blog(site):
    page = soup(site / "working-groups" / "2021.html")
    link = page.select_one("#dgx-wg-safe-travel-2021 .dgx-group-reports a")
    assert link["href"] == "https://publicadministration.un.org/en/Home/Blog"
    assert link["target"] == "_blank" and link["rel"] == ["noopener", "noreferrer"]


def test_every_report_file_is_published_under_its_original_name(site, catalogue):
    files = Path(catalogue.files_dir)
    for report in catalogue.reports:
        if report.file:
            assert (site / "files" / report.file).read_bytes() == (files / report.file).read_bytes()


def test_reports_json_lists_exactly_the_catalogues_reports_in_order(site, catalogue):
    data = json.loads((site / "reports.json").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in data["reports"]] == [r.id for r in catalogue.select_reports()]
