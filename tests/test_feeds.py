"""Machine-readable outputs of the HTML site: reports.json, its schema, the Atom feed, JSON-LD, OpenGraph."""

from __future__ import annotations

import copy
import functools
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from pypdf import PdfReader

from sphinx_dgx import __version__
from sphinx_dgx.feeds import SCHEMA_FILE
from support import clean_build, shared_build, soup, warnings_of

BASE = "https://example.org/site/"
CLOUD_FILE = "Cloud Report 2021 - Final_v2.pdf"
CLOUD_URL = BASE + "files/Cloud%20Report%202021%20-%20Final_v2.pdf"
HOSTILE = '</script><script>alert(1)</script> & "quotes"'
HOSTILE_TAG = "<tag>&'more'"  # a tag is one word (dgx.bad_tag): hostile, without spaces
DESCRIPTION = 'Reports of the <DGX> & "friends".'
NEWEST_FIRST = ["hostile-2023", "identity-2022", "cloud-2021"]
ATOM = "{http://www.w3.org/2005/Atom}"
PAGES = ["index", "other", "sub/deep", "genindex", "search"]
# The tests that only read the HTML build of test-feeds share it
FEEDS = shared_build("html", testroot="feeds", freshenv=True)


# -- helpers ---------------------------------------------------------------------------


def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """The schema's validator, made once (test_schema_is_valid_and_strict checks the schema itself)."""
    return jsonschema.Draft202012Validator(
        schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate(document: dict) -> None:
    validator().validate(document)


def reports_json(app) -> dict:
    return json.loads((Path(app.outdir) / "reports.json").read_text(encoding="utf-8"))


def by_id(document: dict) -> dict[str, dict]:
    return {r["id"]: r for r in document["reports"]}


def page_html(app, page: str) -> str:
    return (Path(app.outdir) / f"{page}.html").read_text(encoding="utf-8")


def json_ld(app, page: str) -> list[dict]:
    scripts = soup(app, page).select('head script[type="application/ld+json"]')
    return [json.loads(script.string) for script in scripts]


def atom(app) -> ET.Element:
    return ET.parse(Path(app.outdir) / "reports.atom").getroot()


def pdf_pages(app, name: str) -> int:
    return len(PdfReader(Path(app.srcdir) / "files" / name).pages)


def file_bytes(app, name: str) -> int:
    return os.path.getsize(Path(app.srcdir) / "files" / name)


# -- reports.json ----------------------------------------------------------------------


@FEEDS
def test_build_with_a_base_url_has_no_warnings(built, warning):
    assert warnings_of(warning) == []


@FEEDS
def test_reports_json_validates_and_holds_every_report_newest_first(built):
    document = reports_json(built)
    validate(document)
    assert document["generator"] == f"sphinx-dgx {__version__}"
    assert document["site"] == BASE
    assert [r["id"] for r in document["reports"]] == NEWEST_FIRST
    assert [g["id"] for g in document["working_groups"]] == ["security-2023", "identity-2022", "cloud-2021"]


@FEEDS
def test_reports_json_values_are_those_of_the_catalogue_and_the_files(built):
    reports = by_id(reports_json(built))
    assert reports["cloud-2021"] == {
        "id": "cloud-2021",
        "title": "Cloud governance",
        "summary": "Baseline policies.",
        "year": 2021,
        "working_group": {"id": "cloud-2021", "name": "Cloud"},
        "tags": ["cloud", "policy"],
        "reference": "ISBN 978-0-00-000000-0",
        "kind": "file",
        "url": BASE + "reports/cloud-2021.html",  # its own page; the file has its own url
        "file": {
            "url": CLOUD_URL,
            "name": CLOUD_FILE,
            "format": "PDF",
            "format_name": "Portable Document Format",
            "bytes": file_bytes(built, CLOUD_FILE),
            "size": "5.6 KB",
            "pages": pdf_pages(built, CLOUD_FILE),
        },
        "page": BASE + "index.html#dgx-report-cloud-2021",
    }
    hostile = reports["hostile-2023"]
    assert hostile["title"] == HOSTILE
    assert hostile["tags"] == ["security", HOSTILE_TAG]
    assert hostile["reference"] is None
    assert hostile["file"]["pages"] == pdf_pages(built, "identity.pdf")
    assert hostile["file"]["bytes"] == file_bytes(built, "identity.pdf")
    url_report = reports["identity-2022"]
    assert url_report["kind"] == "url"
    assert url_report["url"] == "https://example.org/identity?a=1&b=2"
    assert "file" not in url_report


@FEEDS
def test_reports_json_working_groups_list_their_reports(built):
    groups = {g["id"]: g for g in reports_json(built)["working_groups"]}
    assert groups["security-2023"] == {
        "id": "security-2023",
        "name": "Security",
        "year": 2023,
        "summary": "The security WG met once.",
        "special_edition": True,
        "reports": ["hostile-2023"],
    }
    assert groups["cloud-2021"]["special_edition"] is False
    assert groups["cloud-2021"]["reports"] == ["cloud-2021"]


@FEEDS
def test_file_urls_are_absolute_percent_encoded_and_name_the_published_file(built):
    document = reports_json(built)
    for report in document["reports"]:
        if report["kind"] != "file":
            continue
        parts = urlsplit(report["file"]["url"])
        assert (parts.scheme, parts.netloc) == ("https", "example.org")
        assert " " not in report["file"]["url"]
        published = Path(built.outdir) / unquote(parts.path.removeprefix("/site/"))
        assert published.read_bytes() == (Path(built.srcdir) / "files" / report["file"]["name"]).read_bytes()
        assert report["url"] == f"{BASE}reports/{report['id']}.html"
        assert (Path(built.outdir) / "reports" / f"{report['id']}.html").is_file()
        page, _, anchor = report["page"].removeprefix(BASE).partition("#")
        assert soup(built, page.removesuffix(".html")).find(id=anchor) is not None


def test_schema_is_valid_and_strict():
    jsonschema.Draft202012Validator.check_schema(schema())
    good = {
        "generator": "sphinx-dgx 1.0",
        "site": BASE,
        "reports": [
            {
                "id": "r",
                "title": "T",
                "summary": "S",
                "year": 2021,
                "working_group": {"id": "g", "name": "G"},
                "tags": [],
                "reference": None,
                "kind": "file",
                "url": BASE + "reports/r.html",
                "file": {
                    "url": BASE + "files/r.pdf",
                    "name": "r.pdf",
                    "format": "PDF",
                    "format_name": "Portable Document Format",
                    "bytes": 1,
                    "size": "1 byte",
                    "pages": 1,
                },
                "page": BASE + "index.html#dgx-report-r",
            }
        ],
        "working_groups": [
            {"id": "g", "name": "G", "year": 2021, "summary": "S", "special_edition": False, "reports": ["r"]}
        ],
    }
    validate(good)

    def breaks(change) -> None:
        bad = copy.deepcopy(good)
        change(bad)
        with pytest.raises(jsonschema.ValidationError):
            validate(bad)

    breaks(lambda d: d.update(extra=1))
    breaks(lambda d: d["reports"][0].update(extra=1))
    breaks(lambda d: d["reports"][0]["file"].update(extra=1))
    breaks(lambda d: d["working_groups"][0].pop("special_edition"))
    breaks(lambda d: d["reports"][0].pop("file"))  # a file report without its file
    breaks(
        lambda d: d["reports"][0].update(kind="url", url="https://example.org/r")
    )  # url report with a file
    breaks(lambda d: d["reports"][0].update(url="files/r.pdf"))  # relative although the site is known
    breaks(lambda d: d["reports"][0]["file"].update(url="files/r.pdf"))
    breaks(lambda d: d["reports"][0]["file"].pop("url"))
    breaks(lambda d: d["reports"][0].update(year="2021"))
    breaks(lambda d: d["reports"][0].update(id="Not An Id"))
    breaks(lambda d: d["reports"][0]["file"].update(pages=0))
    breaks(lambda d: d.update(site="example.org"))


# -- without html_baseurl ------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="feeds", freshenv=True, confoverrides={"html_baseurl": ""})
def test_without_base_url_urls_are_relative_and_the_build_warns_once(built, warning):
    lines = warnings_of(warning)
    assert len(lines) == 1, lines
    assert "conf.py:5: WARNING: html_baseurl is not set: reports.json and the reports.atom feed" in lines[0]
    assert "use relative URLs" in lines[0]
    assert lines[0].endswith("[dgx.no_base_url]")

    document = reports_json(built)
    validate(document)
    assert document["site"] is None
    reports = by_id(document)
    assert reports["cloud-2021"]["url"] == "reports/cloud-2021.html"
    assert reports["cloud-2021"]["file"]["url"] == "files/Cloud%20Report%202021%20-%20Final_v2.pdf"
    assert reports["cloud-2021"]["page"] == "index.html#dgx-report-cloud-2021"
    assert reports["identity-2022"]["url"] == "https://example.org/identity?a=1&b=2"
    # relative to the root, where reports.json is
    assert (Path(built.outdir) / unquote(reports["cloud-2021"]["url"])).is_file()

    entries = atom(built).findall(f"{ATOM}entry")
    assert (
        entries[2].find(f"{ATOM}link[@rel='enclosure']").get("href") == reports["cloud-2021"]["file"]["url"]
    )
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        "tag:dgx-feeds-test,2023:report/hostile-2023",
        "https://example.org/identity?a=1&b=2",
        "tag:dgx-feeds-test,2021:report/cloud-2021",
    ]
    assert atom(built).findtext(f"{ATOM}id") == "tag:dgx-feeds-test,2021:reports"
    assert entries[2].find(f"{ATOM}link[@rel='alternate']").get("href") == reports["cloud-2021"]["url"]

    # JSON-LD resolves against the page it is in: from the sub-folder, it climbs back to the root
    (deep,) = json_ld(built, "sub/deep")
    (cloud,) = deep["@graph"]
    assert cloud["url"] == "../reports/cloud-2021.html"
    assert (Path(built.outdir) / "sub" / unquote(cloud["url"])).resolve().is_file()
    assert cloud["encoding"]["contentUrl"] == "../files/Cloud%20Report%202021%20-%20Final_v2.pdf"
    assert (Path(built.outdir) / "sub" / unquote(cloud["encoding"]["contentUrl"])).resolve().is_file()
    assert soup(built).select_one('meta[property="og:url"]') is None


# -- JSON-LD ---------------------------------------------------------------------------------


@FEEDS
def test_json_ld_is_only_on_pages_that_show_cards(built):
    found = {page: len(json_ld(built, page)) for page in PAGES}
    assert found == {"index": 1, "other": 0, "sub/deep": 1, "genindex": 0, "search": 0}
    (deep,) = json_ld(built, "sub/deep")
    assert [item["name"] for item in deep["@graph"]] == ["Cloud governance"]


@FEEDS
def test_json_ld_describes_each_report_shown(built):
    (data,) = json_ld(built, "index")
    assert data["@context"] == "https://schema.org"
    items = {item["name"]: item for item in data["@graph"]}
    assert [item["name"] for item in data["@graph"]] == [HOSTILE, "Identity on the web", "Cloud governance"]
    assert items["Cloud governance"] == {
        "@type": "Report",
        "name": "Cloud governance",
        "description": "Baseline policies.",
        "url": BASE + "reports/cloud-2021.html",
        "datePublished": "2021",
        "author": {"@type": "Organization", "name": "Cloud WG"},
        "publisher": {"@type": "Organization", "name": "DGX Feeds Test"},
        "keywords": ["cloud", "policy"],
        "identifier": "ISBN 978-0-00-000000-0",
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": CLOUD_URL,
            "encodingFormat": "application/pdf",
            "contentSize": "5.6 KB",
        },
        "numberOfPages": pdf_pages(built, CLOUD_FILE),
    }
    web = items["Identity on the web"]
    assert web["url"] == "https://example.org/identity?a=1&b=2"
    assert "encoding" not in web and "numberOfPages" not in web


@FEEDS
def test_json_ld_keeps_hostile_text_as_text(built):
    raw = page_html(built, "index")
    assert "</script><script>" not in raw
    assert "alert(1)</script>" not in raw
    (data,) = json_ld(built, "index")
    hostile = data["@graph"][0]
    assert hostile["name"] == HOSTILE
    assert hostile["description"] == "A <b>summary</b> & an ]]> end of CDATA."
    assert hostile["keywords"] == ["security", HOSTILE_TAG]
    script = raw[raw.index('<script type="application/ld+json">') :]
    script = script[: script.index("</script>")]
    assert "\\u003c/script\\u003e" in script and "<" not in script.removeprefix("<script")
    assert "\\u0026" in script


# -- the Atom feed ------------------------------------------------------------------------------


@FEEDS
def test_atom_feed_lists_reports_newest_first(built):
    feed = atom(built)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE
    assert feed.findtext(f"{ATOM}title") == "DGX Feeds Test"
    assert feed.findtext(f"{ATOM}updated") == "2023-01-01T00:00:00Z"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == BASE + "reports.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == [
        "2023-01-01T00:00:00Z",
        "2022-01-01T00:00:00Z",
        "2021-01-01T00:00:00Z",
    ]
    cloud = entries[2]
    assert cloud.findtext(f"{ATOM}id") == CLOUD_URL
    assert cloud.findtext(f"{ATOM}title") == "Cloud governance"
    assert cloud.findtext(f"{ATOM}summary") == "Baseline policies."
    assert cloud.findtext(f"{ATOM}author/{ATOM}name") == "Cloud WG"
    # the report's page, and its file as an enclosure; the id stays the file's address
    assert cloud.find(f"{ATOM}link[@rel='alternate']").get("href") == BASE + "reports/cloud-2021.html"
    enclosure = cloud.find(f"{ATOM}link[@rel='enclosure']")
    assert (enclosure.get("href"), enclosure.get("type")) == (CLOUD_URL, "application/pdf")
    assert [c.get("term") for c in cloud.findall(f"{ATOM}category")] == ["cloud", "policy"]
    assert entries[1].find(f"{ATOM}link[@rel='alternate']").get("href") == (
        "https://example.org/identity?a=1&b=2"
    )


@FEEDS
def test_atom_feed_escapes_hostile_text(built):
    raw = (Path(built.outdir) / "reports.atom").read_text(encoding="utf-8")
    assert "<script>" not in raw and "</script>" not in raw
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in raw
    hostile = atom(built).find(f"{ATOM}entry")
    assert hostile.findtext(f"{ATOM}title") == HOSTILE
    assert hostile.findtext(f"{ATOM}summary") == "A <b>summary</b> & an ]]> end of CDATA."
    assert [c.get("term") for c in hostile.findall(f"{ATOM}category")] == ["security", HOSTILE_TAG]


# -- the head of each page -----------------------------------------------------------------------


@FEEDS
def test_every_page_links_to_the_feed(built):
    feed = (Path(built.outdir) / "reports.atom").resolve()
    for page in PAGES:
        links = soup(built, page).select('head link[rel="alternate"][type="application/atom+xml"]')
        assert len(links) == 1, page
        assert links[0]["title"] == "DGX Feeds Test reports"
        target = (Path(built.outdir) / page).parent / links[0]["href"]
        assert target.resolve() == feed, page
    deep = soup(built, "sub/deep").select_one('link[type="application/atom+xml"]')
    assert deep["href"] == "../reports.atom"


@FEEDS
def test_open_graph_tags_on_pages_with_a_description(built):
    def og(page: str) -> dict[str, str]:
        return {m["property"]: m["content"] for m in soup(built, page).select('head meta[property^="og:"]')}

    assert og("index") == {
        "og:title": "Reports & feeds of the DGX",
        "og:description": DESCRIPTION,
        "og:type": "website",
        "og:site_name": "DGX Feeds Test",
        "og:url": BASE + "index.html",
    }
    assert 'content="Reports of the &lt;DGX&gt; &amp; &quot;friends&quot;."' in page_html(built, "index")
    assert og("other") == {}
    assert og("sub/deep") == {}


# -- builders ------------------------------------------------------------------------------------


@pytest.mark.sphinx("dirhtml", testroot="feeds", freshenv=True)
def test_dirhtml_urls_point_at_folders(built):
    reports = by_id(reports_json(built))
    assert reports["cloud-2021"]["page"] == BASE + "#dgx-report-cloud-2021"
    assert reports["cloud-2021"]["url"] == BASE + "reports/cloud-2021/"
    assert reports["cloud-2021"]["file"]["url"] == CLOUD_URL
    page = soup(built, "sub/deep/index")
    assert page.select_one('link[type="application/atom+xml"]')["href"] == "../../reports.atom"
    assert soup(built).select_one('meta[property="og:url"]')["content"] == BASE


@pytest.mark.sphinx("singlehtml", testroot="feeds", freshenv=True)
def test_singlehtml_places_are_anchors_of_the_one_page(built):
    reports = by_id(reports_json(built))
    assert reports["cloud-2021"]["page"] == BASE + "index.html#dgx-report-cloud-2021"
    assert len(json_ld(built, "index")) == 1


@pytest.mark.parametrize("builder", ["text", "latex", "epub"])
@pytest.mark.sphinx(testroot="feeds", freshenv=True)
def test_other_builders_write_no_feeds(make_app, app_params, builder):
    app = make_app(builder, **app_params.kwargs)  # each builder writes to _build/<builder>
    app.build()
    out = Path(app.outdir)
    assert not (out / "reports.json").exists()
    assert not (out / "reports.atom").exists()
    for page in out.rglob("*html"):
        text = page.read_text(encoding="utf-8")
        assert "application/ld+json" not in text and "application/atom+xml" not in text, page


@pytest.mark.sphinx("html", testroot="feeds", srcdir="feeds-unavailable", freshenv=True)
def test_unavailable_file_has_no_url_and_the_feed_links_to_its_page(srcdir, make_test_app):
    catalogue = srcdir / "catalogue.yaml"
    catalogue.write_text(
        catalogue.read_text() + "  - id: missing-2021\n"
        "    title: Not yet here\n"
        "    working_group: cloud-2021\n"
        "    summary: Coming soon.\n"
        "    file: missing.pdf\n"
    )
    app = make_test_app()
    app.build()
    document = reports_json(app)
    validate(document)
    missing = by_id(document)["missing-2021"]
    assert missing["url"] is None
    assert missing["file"] == {
        "url": None,
        "name": "missing.pdf",
        "format": None,
        "format_name": None,
        "bytes": None,
        "size": None,
        "pages": None,
    }
    entry = atom(app).findall(f"{ATOM}entry")[-1]
    assert entry.findtext(f"{ATOM}id") == "tag:dgx-feeds-test,2021:report/missing-2021"
    assert (
        entry.find(f"{ATOM}link[@rel='alternate']").get("href") == BASE + "index.html#dgx-report-missing-2021"
    )
    (data,) = json_ld(app, "index")
    item = next(i for i in data["@graph"] if i["name"] == "Not yet here")
    assert "url" not in item and "encoding" not in item


# -- reproducible output ----------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="feeds", srcdir="feeds-twice", freshenv=True)
def test_two_builds_give_the_same_bytes(app, make_app):
    app.build()
    again = clean_build(make_app, Path(app.srcdir))  # from a copy in another folder
    outputs = [
        ((Path(a.outdir) / "reports.json").read_bytes(), (Path(a.outdir) / "reports.atom").read_bytes())
        for a in (app, again)
    ]
    assert outputs[0] == outputs[1]
    assert outputs[0][0].endswith(b"}\n") and outputs[0][1].endswith(b"</feed>\n")


@pytest.mark.sphinx("html", testroot="feeds", srcdir="feeds-unchanged", freshenv=True)
def test_unchanged_outputs_are_not_rewritten(app, make_app):
    src = Path(app.srcdir)
    app.build()
    files = [Path(app.outdir) / "reports.json", Path(app.outdir) / "reports.atom"]
    for path in files:
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    again = make_app("html", srcdir=src)
    again.build()
    assert [p.stat().st_mtime_ns for p in files] == [1_000_000_000, 1_000_000_000]
    catalogue = src / "catalogue.yaml"
    catalogue.write_text(catalogue.read_text().replace("Baseline policies.", "Baseline policies, revised."))
    third = make_app("html", srcdir=src)
    third.build()
    assert all(p.stat().st_mtime_ns != 1_000_000_000 for p in files)
    assert by_id(reports_json(third))["cloud-2021"]["summary"] == "Baseline policies, revised."


# -- registration ------------------------------------------------------------------------------------


@pytest.mark.parametrize("change", ["nothing", "a summary", "a file", "html_baseurl", "a place"])
@pytest.mark.sphinx("html", testroot="feeds", srcdir="feeds-key", freshenv=True)
def test_the_feeds_are_made_again_only_when_what_they_show_changed(app, make_app, monkeypatch, change):
    """A rebuild makes reports.json and the feed only when something they are made of changed, and
    then they equal a clean build's."""
    from sphinx_dgx import feeds

    src = Path(app.srcdir)
    app.build()
    made = []
    real = feeds.reports_document
    monkeypatch.setattr(feeds, "reports_document", lambda a: made.append(1) or real(a))
    overrides = {}
    if change == "a summary":
        catalogue = src / "catalogue.yaml"
        catalogue.write_text(catalogue.read_text().replace("Baseline policies.", "Baselines."))
    elif change == "a file":
        pdf = next((src / "files").glob("*.pdf"))
        pdf.write_bytes(pdf.read_bytes() + b"\n% one more line\n")
    elif change == "html_baseurl":
        overrides = {"html_baseurl": "https://elsewhere.example/site/"}
    elif change == "a place":  # the cards move to another page
        index, other = src / "index.md", src / "other.md"
        assert "```{dgx-reports}\n```" in index.read_text()
        index.write_text(
            index.read_text().replace("```{dgx-reports}\n```", "```{dgx-reports}\n:no-index:\n```")
        )
        other.write_text(other.read_text() + "\n```{dgx-reports}\n```\n")
    again = make_app("html", srcdir=src, confoverrides=overrides)
    again.build()
    assert made == ([] if change == "nothing" else [1])
    clean = clean_build(make_app, src) if not overrides else None
    if clean is not None:
        for name in ("reports.json", "reports.atom"):
            assert (Path(again.outdir) / name).read_bytes() == (Path(clean.outdir) / name).read_bytes()


@pytest.mark.parametrize("kept", ["whole", "damaged", "gone"])
@pytest.mark.sphinx("html", testroot="feeds", srcdir="feeds-kept", freshenv=True)
def test_a_fresh_output_folder_gets_the_feeds_kept_in_the_cache(app, make_app, monkeypatch, kept):
    """The feeds as last made are kept in the build's cache and put back into a fresh output folder,
    only as they were made (their digest): a damaged or missing copy is made again."""
    from sphinx_dgx import feeds

    app.build()
    names = ("reports.json", "reports.atom")
    made_first = {name: (Path(app.outdir) / name).read_bytes() for name in names}
    folder = Path(app.doctreedir) / "dgx-cache" / "feeds" / "html"
    assert {name: (folder / name).read_bytes() for name in names} == made_first
    if kept == "damaged":
        (folder / "reports.json").write_bytes(made_first["reports.json"].replace(b"Cloud", b"Clown"))
    elif kept == "gone":
        (folder / "reports.atom").unlink()
    shutil.rmtree(app.outdir)
    made = []
    real = feeds.reports_document
    monkeypatch.setattr(feeds, "reports_document", lambda a: made.append(1) or real(a))
    again = make_app("html", srcdir=Path(app.srcdir))
    again.build()
    assert made == ([] if kept == "whole" else [1])
    assert {name: (Path(again.outdir) / name).read_bytes() for name in names} == made_first
    for name in names:  # kept as a link to the output (one file system here), not a second copy
        assert (Path(again.outdir) / name).stat().st_ino == (folder / name).stat().st_ino


def test_the_feed_leaves_out_exactly_the_characters_xml_cannot_hold():
    """XML 1.0's Char: tab, newline, return, U+0020-D7FF, E000-FFFD, 10000-10FFFF; every other code
    point is left out of the feed's text, and no allowed one is."""
    from sphinx_dgx.feeds import _text

    allowed = {0x9, 0xA, 0xD, *range(0x20, 0xD800), *range(0xE000, 0xFFFE), *range(0x10000, 0x110000)}
    every = "".join(map(chr, range(0x110000)))
    kept = _text(ET.Element("feed"), "title", every).text
    assert kept == "".join(chr(point) for point in sorted(allowed))
