"""Builds of small roots: what the directives and roles put into each builder's output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from support import recording, shared_build, soup, visible, warnings_of

CLOUD_FILE = "Cloud Report 2021 - Final_v2.pdf"
CLOUD_URL = "files/Cloud%20Report%202021%20-%20Final_v2.pdf"
# The tests that only read the HTML build of test-basic share it
BASIC = shared_build("html", testroot="basic", freshenv=True)


def card_titles(container) -> list[str]:
    return [visible(h) for h in container.select(".dgx-report-card .dgx-heading")]


@BASIC
def test_good_root_builds_without_warnings(built, warning):
    assert warnings_of(warning) == []


@BASIC
def test_cards_are_ordered_newest_year_first_then_catalogue_order(built):
    lists = soup(built).select(".dgx-reports")
    assert card_titles(lists[0]) == [
        "Cloud, two years on",
        "Cloud governance",
        "Identity in response to COVID-19",
    ]


@BASIC
def test_filters_by_tag_group_and_kind(built):
    lists = soup(built).select(".dgx-reports")
    assert card_titles(lists[1]) == ["Cloud, two years on", "Cloud governance"]
    assert card_titles(soup(built, "other").select_one(".dgx-reports")) == [
        "Identity in response to COVID-19"
    ]


@BASIC
def test_card_shows_title_link_group_year_reference_summary_and_action(built):
    card = soup(built).select_one("#dgx-report-cloud-2021")
    link = card.select_one(".dgx-heading a")
    assert visible(link) == "Cloud governance"
    assert link["href"] == "reports/cloud-2021.html"  # the report's own page
    byline = card.select_one(".dgx-byline")
    assert byline.get_text(" ", strip=True) == "by the DGX Cloud WG · 2021"
    assert byline.select_one("a")["href"] == "#dgx-wg-cloud-2021"
    assert card.select_one(".dgx-reference").get_text(strip=True) == "Reference: ISBN 978-0-00-000000-0"
    assert card.select_one(".dgx-summary").get_text(strip=True) == "Baseline policies."
    assert visible(card.select_one(".dgx-meta")) == "PDF, 5.6 KB, 5 pages"
    assert card.select_one(".dgx-meta a")["href"] == CLOUD_URL  # the download
    abbr = card.select_one(".dgx-meta abbr")
    assert (abbr.get_text(), abbr["title"]) == ("PDF", "Portable Document Format")
    # sphinx-design card markup, and headings one level below the enclosing section (h2)
    assert "sd-card" in card["class"]
    assert card.select_one(".dgx-heading").name == "h3"


@BASIC
def test_url_report_links_out_in_a_new_tab(built):
    card = soup(built).select_one("#dgx-report-cloud-2022")
    link = card.select_one(".dgx-heading a")
    assert link["href"] == "https://example.org/cloud-2022"
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener", "noreferrer"]
    hidden = [span.get_text() for span in link.select(".dgx-visually-hidden")]
    assert hidden == [", web page at example.org", " (opens in a new tab)"]
    assert card.select_one(".dgx-meta").get_text(strip=True) == "Web page at example.org"


@BASIC
def test_every_external_link_opens_in_a_new_tab_and_says_so(built):
    page = soup(built)
    external = [a for a in page.select("article a") if a.get("href", "").startswith("http")]
    assert {a["href"] for a in external} >= {"https://example.org/page", "https://example.org/notes"}
    for a in external:
        assert a["target"] == "_blank" and a["rel"] == ["noopener", "noreferrer"], a
        assert "(opens in a new tab)" in a.get_text()
    for a in page.select("a.dgx-download"):
        assert "target" not in a.attrs


@BASIC
def test_screen_reader_notes_are_not_searched(built):
    """What only a screen reader says (a link's new tab, a card's web page) is not the page's text:
    a search for it finds nothing."""
    index = (Path(built.outdir) / "searchindex.js").read_text(encoding="utf-8")
    terms = json.loads(index[index.index("(") + 1 : index.rindex(")")])["terms"]
    assert {"cloud", "baselin"} <= set(terms)  # the pages' own words (stemmed)
    assert "tab" not in terms  # " (opens in a new tab)"


@pytest.mark.sphinx(
    "html", testroot="basic", freshenv=True, confoverrides={"dgx_external_links_new_tab": False}
)
def test_new_tab_can_be_turned_off(built):
    link = soup(built).select_one("#dgx-report-cloud-2022 .dgx-heading a")
    assert "target" not in link.attrs
    assert [span.get_text() for span in link.select(".dgx-visually-hidden")] == [", web page at example.org"]


@BASIC
def test_report_files_are_published_under_their_own_names(built):
    published = Path(built.outdir) / "files" / CLOUD_FILE
    assert published.read_bytes() == (Path(built.srcdir) / "files" / CLOUD_FILE).read_bytes()
    assert not (Path(built.outdir) / "_downloads").exists()
    # the link from a page in a sub-folder climbs back to the root
    hrefs = [a["href"] for a in soup(built, "other").select("a.dgx-download")]
    assert hrefs == ["files/identity.pdf"]


@pytest.mark.sphinx("dirhtml", testroot="basic", freshenv=True)
def test_dirhtml_links_reach_the_published_file(built):
    href = soup(built, "other/index").select_one("a.dgx-download")["href"]
    assert href == "../files/identity.pdf"
    assert (Path(built.outdir) / "other" / href).resolve().is_file()


@BASIC
def test_working_groups_link_to_their_reports_or_say_they_have_none(built):
    groups = soup(built).select(".dgx-working-group")
    assert [g["id"] for g in groups] == ["dgx-wg-cloud-2021", "dgx-wg-identity-2021", "dgx-wg-data-2021"]
    cloud, identity, data = groups
    assert cloud.select_one(".dgx-heading").get_text(strip=True) == "Cloud WG"
    assert cloud.select_one(".dgx-group-reports a")["href"] == "reports/cloud-2021.html"
    assert identity.select_one(".dgx-link a")["href"] == "https://example.org/notes"
    assert data.select_one(".dgx-group-reports").get_text(strip=True) == "No report yet."


@BASIC
def test_roles_cite_reports_and_groups_with_their_titles(built):
    text = soup(built, "other").select_one("article")
    links = {visible(a): a["href"] for a in text.select("p a")}
    assert links["Identity in response to COVID-19"] == "reports/identity-2021.html"  # its page
    assert links["Digital Identity WG"] == "index.html#dgx-wg-identity-2021"
    index_links = {visible(a): a["href"] for a in soup(built).select("p a")}
    assert index_links["the 2022 one"] == "#dgx-report-cloud-2022"


@BASIC
def test_myst_and_rst_directives_render_the_same_cards(built):
    myst = soup(built, "other").select_one(".dgx-reports")
    rst = soup(built, "rst").select_one(".dgx-reports")
    assert str(myst) == str(rst)
    assert "rst.html" not in str(rst)


@BASIC
def test_description_front_matter_becomes_the_meta_description(built):
    meta = soup(built).select_one('meta[name="description"]')
    assert meta["content"] == 'A test page <with> "quotes" & more.'
    raw = (Path(built.outdir) / "index.html").read_text()
    assert 'content="A test page &lt;with&gt; &quot;quotes&quot; &amp; more."' in raw
    assert soup(built, "other").select_one('meta[name="description"]') is None


@BASIC
def test_stylesheet_is_added_for_html(built):
    assert (Path(built.outdir) / "_static" / "dgx.css").is_file()
    assert soup(built).select_one('link[href*="dgx.css"]') is not None


@pytest.mark.parametrize("builder", ["text", "man", "texinfo", "latex", "singlehtml", "epub"])
@pytest.mark.sphinx(testroot="basic", freshenv=True)
def test_every_builder_gives_readable_output(make_app, app_params, builder):
    app = make_app(builder, **app_params.kwargs)  # each builder writes to _build/<builder>
    app.build()
    out = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in Path(app.outdir).rglob("*")
        if p.is_file() and p.suffix in {".txt", ".1", ".texi", ".tex", ".html", ".xhtml"}
    )
    out = re.sub(r"\s+", " ", out)
    for expected in ("Cloud governance", "Baseline policies.", "The data WG met and wrote no report."):
        assert expected in out, expected
    # the stylesheet goes with the HTML builders (singlehtml, epub) and with no other
    stylesheets = [p.name for p in Path(app.outdir).rglob("*.css") if p.name.startswith("dgx")]
    assert stylesheets == (["dgx.css"] if app.builder.format == "html" else [])


def test_setup_declares_parallel_safety_and_an_environment_tied_to_the_cache(monkeypatch):
    from sphinx_dgx import __version__, facts, setup

    class Recorder:
        def __getattr__(self, name):
            return lambda *args, **kwargs: None

    metadata = setup(Recorder())
    assert metadata == {
        "version": __version__,
        "env_version": metadata["env_version"],
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
    assert isinstance(metadata["env_version"], int)
    # a new format of the facts cache (covers named otherwise) is a new environment: every page read again
    monkeypatch.setattr(facts.FactsCache, "VERSION", facts.FactsCache.VERSION + 1)
    assert setup(Recorder())["env_version"] != metadata["env_version"]


@pytest.mark.slow
@pytest.mark.sphinx("html", testroot="basic", srcdir="build-parallel")
def test_parallel_build_matches_serial(srcdir, make_test_app):
    pages = [f"extra{i}" for i in range(8)]  # Sphinx reads in parallel only beyond 5 documents
    for page in pages:
        directive = "```{dgx-reports}\n:tag: cloud\n:no-index:\n```"
        (srcdir / f"{page}.md").write_text(f"# {page}\n\n{directive}\n\n{{dgx:report}}`identity-2021`\n")
    with (srcdir / "index.md").open("a") as index:
        index.write("\n```{toctree}\n" + "\n".join(pages) + "\n```\n")
    builds = {}
    for jobs in (1, 2):
        app = make_test_app(builddir=srcdir / "_build" / f"j{jobs}", freshenv=True, parallel=jobs)
        app.build()
        app.cleanup()  # restore docutils' registries before the next app
        assert warnings_of(app) == [], jobs
        builds[jobs] = app
    for page in ["index", "other", "rst", *pages]:
        serial, parallel = (str(soup(builds[j], page).select_one("article")) for j in (1, 2))
        assert serial == parallel, page
    assert 'href="reports/identity-2021.html"' in str(soup(builds[2], "extra7"))


@pytest.mark.sphinx("html", testroot="basic", srcdir="build-edit-catalogue", freshenv=True)
def test_editing_the_catalogue_rebuilds_the_pages_that_show_it(app, make_app):
    app.build()
    catalogue = Path(app.srcdir) / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text().replace("Baseline policies.", "Baseline policies, revised."))
    app.cleanup()
    again = make_app("html", srcdir=app.srcdir)
    with recording(again) as seen:
        again.build()
    # the page that shows the edited report is read again, other and rst are not; the report's
    # own page is written again (it is no document)
    assert seen.read == ["index"]
    assert seen.report_pages == ["reports/cloud-2021"]
    card = soup(again).select_one("#dgx-report-cloud-2021 .dgx-summary")
    assert card.get_text(strip=True) == "Baseline policies, revised."


def test_publish_copies_only_what_changed(tmp_path):
    from sphinx_dgx.publishing import publish

    source, target = tmp_path / "report.pdf", tmp_path / "out" / "report.pdf"
    target.parent.mkdir()
    source.write_bytes(b"%PDF-1 first")
    publish(source, target)
    assert target.read_bytes() == b"%PDF-1 first"
    stamp = target.stat().st_mtime_ns
    publish(source, target)  # unchanged: not copied again
    assert target.stat().st_mtime_ns == stamp
    source.write_bytes(b"%PDF-1 other")  # same size, new content and time
    publish(source, target)
    assert target.read_bytes() == b"%PDF-1 other"
