"""Every link in the built site leads somewhere: an offline crawl of the files, no server.

For each page, every URL in an attribute (``href``, ``src``, ``srcset``, ``action``, ``poster``,
``xlink:href``...), in inline CSS, in OpenGraph tags and in JSON-LD is resolved against the
page's published address (the Highwire ``citation_*`` URLs of a report's page too); unless it
leaves the site (another host, ``mailto:``, ``tel:``,
``data:``) the file it names must exist, and its ``#fragment`` must be an ``id`` (or an
``<a name>``) of the page it names. ``javascript:`` URLs are failures wherever they are. The same
goes for ``url()`` and ``@import`` in the stylesheets, source maps, the links of ``reports.json``
and ``reports.atom``, and where the search page sends a result (``searchindex.js``).

The published address is the site's base URL (``html_baseurl``, read from the home page's
canonical link), so absolute links into the site are checked like relative ones. The figures
go to ``artefacts/links.json`` and are printed (``pytest -rA`` or ``-s``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

# Where a crawled page lives when the site does not say (no html_baseurl): any absolute URL
FALLBACK_BASE = "https://site.invalid/"
# Attributes that hold one URL (``data`` only on <object>, see below)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "xlink:href", "data")
SKIPPED_SCHEMES = {"mailto", "tel", "data", "about", "blob"}
# OpenGraph / Twitter / Highwire Press (citation_*) tags whose content is a URL
URL_METAS = re.compile(
    r"^(og:(url|image|image:url|image:secure_url|video|audio)|twitter:image"
    r"|citation_(pdf_url|public_url|abstract_html_url|fulltext_html_url))$"
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""", re.I)
CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
SOURCE_MAP = re.compile(r"[#@]\s*sourceMappingURL=(\S+?)\s*(?:\*/)?\s*$", re.M)


@dataclass(frozen=True)
class Problem:
    """A reference that leads nowhere: where it is, in which attribute, the URL, and why."""

    kind: str  # missing | outside | anchor | javascript | canonical
    source: str  # the page or file, relative to the site
    attribute: str  # e.g. "a href", "img srcset", "css url()", "reports.json url"
    url: str
    why: str

    def __str__(self) -> str:
        return f"{self.source}: {self.attribute}={self.url!r}: {self.why}"


@dataclass(frozen=True)
class Link:
    """A reference that was checked, and what it reached."""

    source: str
    attribute: str
    url: str
    target: str  # the file, relative to the site
    fragment: str | None  # the fragment checked, if any


@dataclass
class Crawl:
    """The crawl of one built site: what was checked and what failed."""

    site: Path
    pages: list[str]
    base: str = FALLBACK_BASE
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # external host / scheme -> count
    sources: set[str] = field(default_factory=set)  # every file whose references were read
    _soups: dict[str, BeautifulSoup] = field(default_factory=dict, repr=False)
    _ids: dict[str, set[str]] = field(default_factory=dict, repr=False)

    # -- the pages, parsed once ---------------------------------------------------------

    def soup(self, page: str) -> BeautifulSoup:
        if page not in self._soups:
            text = (self.site / page).read_text(encoding="utf-8", errors="replace")
            self._soups[page] = BeautifulSoup(text, "html.parser")
        return self._soups[page]

    def ids(self, page: str) -> set[str]:
        """The fragments a page answers to: every ``id``, and the ``name`` of every ``<a>``."""
        if page not in self._ids:
            soup = self.soup(page)
            found = {str(tag["id"]) for tag in soup.find_all(id=True)}
            found |= {str(tag["name"]) for tag in soup.find_all("a", attrs={"name": True})}
            self._ids[page] = found
        return self._ids[page]

    def url_of(self, relative: str) -> str:
        """The published address of a file of the site."""
        return self.base + relative

    # -- one reference ------------------------------------------------------------------

    def check(self, source: str, attribute: str, raw: str, at: str | None = None) -> None:
        """Check one URL found in *source* (relative to the address *at*, the source's by default)."""
        url = re.sub(r"[\t\n\r]", "", raw.strip())  # as browsers parse URLs: "java\tscript:" too
        if re.match(r"^javascript:", url, re.I):
            self.problems.append(Problem("javascript", source, attribute, raw, "a javascript: URL"))
            return
        absolute = urljoin(at or self.url_of(source), url)
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        if scheme in SKIPPED_SCHEMES:
            self.skipped[f"{scheme}:"] += 1
            return
        base = urlsplit(self.base)
        relative_url = not urlsplit(url).scheme and not url.startswith("//")
        inside = (
            scheme == base.scheme and parts.netloc.lower() == base.netloc.lower()
        ) and parts.path.startswith(base.path)
        if not inside:
            if relative_url:
                self.problems.append(
                    Problem("outside", source, attribute, raw, f"leads out of the site: {absolute}")
                )
            else:
                self.skipped[f"{scheme}://{parts.netloc}" if parts.netloc else f"{scheme}:"] += 1
            return
        target = unquote(parts.path[len(base.path) :])
        if target == "" or target.endswith("/"):
            target += "index.html"
        path = self.site / target
        if path.is_dir() and (path / "index.html").is_file():
            target, path = f"{target.rstrip('/')}/index.html", path / "index.html"
        if ".." in Path(target).parts or not path.is_file():
            self.problems.append(
                Problem("missing", source, attribute, raw, f"no file {target!r} in the site")
            )
            return
        fragment = unquote(parts.fragment) if parts.fragment else None
        checked = fragment
        if fragment is not None and target.endswith((".html", ".htm")):
            if (
                fragment.lower() != "top"
                and not fragment.startswith(":~:")
                and fragment not in self.ids(target)
            ):
                why = f"no element with id {fragment!r} in {target}"
                self.problems.append(Problem("anchor", source, attribute, raw, why))
                return
        elif fragment is not None:
            checked = None  # a fragment of a PDF or an image is not an id
            self.skipped["fragment of a non-HTML file"] += 1
        self.links.append(Link(source, attribute, raw, target, checked))

    # -- the kinds of file --------------------------------------------------------------

    def html(self, page: str) -> None:
        """Every URL of one page: attributes, srcset, inline CSS, OpenGraph, JSON-LD, canonical."""
        self.sources.add(page)
        soup = self.soup(page)
        here = self.url_of(page)
        base_tag = soup.find("base", href=True)
        if base_tag is not None:
            here = urljoin(here, str(base_tag["href"]))
        for tag in soup.find_all(True):
            for attribute in URL_ATTRIBUTES:
                if attribute == "data" and tag.name != "object":
                    continue
                if tag.has_attr(attribute) and not (tag.name == "base" and attribute == "href"):
                    self.check(page, f"{tag.name} {attribute}", str(tag[attribute]), at=here)
            for attribute in ("srcset", "imagesrcset"):
                for candidate in srcset_urls(str(tag.get(attribute, ""))):
                    self.check(page, f"{tag.name} {attribute}", candidate, at=here)
            if tag.has_attr("style"):
                for found in css_urls(str(tag["style"])):
                    self.check(page, f"{tag.name} style url()", found, at=here)
            if tag.name == "style" and tag.string:
                for found in css_urls(tag.string):
                    self.check(page, "style url()", found, at=here)
            if tag.name == "meta" and URL_METAS.match(str(tag.get("property") or tag.get("name") or "")):
                name = tag.get("property") or tag.get("name")
                self.check(page, f"meta {name} content", str(tag.get("content", "")), at=here)
            if tag.name == "script" and tag.get("type") == "application/ld+json" and tag.string:
                for key, value in json_urls(json.loads(tag.string)):
                    self.check(page, f"JSON-LD {key}", value, at=here)
        self.canonical(page, soup)

    def canonical(self, page: str, soup: BeautifulSoup) -> None:
        """A page's canonical link, og:url and citation_public_url name the page itself (else search
        engines and reference managers file it under another address)."""
        if self.base == FALLBACK_BASE:
            return
        for tag, attribute, label in (
            (soup.find("link", rel="canonical"), "href", "link canonical"),
            (soup.find("meta", property="og:url"), "content", "meta og:url"),
            (soup.find("meta", attrs={"name": "citation_public_url"}), "content", "meta citation_public_url"),
        ):
            if tag is not None and str(tag.get(attribute)) != self.url_of(page):
                why = f"names {tag.get(attribute)!r}, not this page ({self.url_of(page)!r})"
                self.problems.append(Problem("canonical", page, label, str(tag.get(attribute)), why))

    def css(self, relative: str) -> None:
        self.sources.add(relative)
        text = (self.site / relative).read_text(encoding="utf-8", errors="replace")
        for found in SOURCE_MAP.findall(text):
            self.check(relative, "css sourceMappingURL", found)
        for found in css_urls(text):
            self.check(relative, "css url()", found)

    def javascript(self, relative: str) -> None:
        self.sources.add(relative)
        text = (self.site / relative).read_text(encoding="utf-8", errors="replace")
        for found in SOURCE_MAP.findall(text[-2000:]):
            self.check(relative, "js sourceMappingURL", found)

    def reports_json(self, relative: str = "reports.json") -> None:
        self.sources.add(relative)
        for key, value in json_urls(json.loads((self.site / relative).read_text(encoding="utf-8"))):
            self.check(relative, f"{relative} {key}", value)

    def atom(self, relative: str = "reports.atom") -> None:
        self.sources.add(relative)
        root = ET.parse(self.site / relative).getroot()
        for element in root.iter():
            name = element.tag.rsplit("}", 1)[-1]
            if element.get("href") is not None:
                self.check(relative, f"atom {name} href", element.get("href"))
            if name in ("icon", "logo") and element.text:
                self.check(relative, f"atom {name}", element.text)

    def search_index(self, relative: str = "searchindex.js") -> None:
        """Where the search page sends each result, rebuilt as ``_static/searchtools.js`` does."""
        self.sources.add(relative)
        text = (self.site / relative).read_text(encoding="utf-8")
        index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
        options = (self.site / "_static" / "documentation_options.js").read_text(encoding="utf-8")
        suffix = re.search(r"LINK_SUFFIX:\s*'([^']*)'", options)
        suffix = suffix.group(1) if suffix else ".html"
        docs = [f"{name}{suffix}" for name in index["docnames"]]
        for doc in docs:
            self.check(relative, "search docname", doc, at=self.base)
        for title, places in index.get("alltitles", {}).items():
            for doc, anchor in places:
                url = docs[doc] + (f"#{anchor}" if anchor else "")
                self.check(relative, f"search title {title!r}", url, at=self.base)
        for entry, places in index.get("indexentries", {}).items():
            for place in places:
                url = docs[place[0]] + (f"#{place[1]}" if place[1] else "")
                self.check(relative, f"search index entry {entry!r}", url, at=self.base)
        names = index.get("objnames", {})
        for prefix, objects in index.get("objects", {}).items():
            for doc, kind, _priority, anchor, name in objects:
                fullname = f"{prefix}.{name}" if prefix else name
                if anchor == "":
                    anchor = fullname
                elif anchor == "-":
                    anchor = f"{names[str(kind)][1]}-{fullname}"
                self.check(relative, f"search object {fullname!r}", f"{docs[doc]}#{anchor}", at=self.base)

    # -- the whole site -----------------------------------------------------------------

    def run(self) -> Crawl:
        self.base = site_base(self.site)
        for page in self.pages:
            self.html(page)
        for path in sorted(self.site.rglob("*.css")):
            self.css(path.relative_to(self.site).as_posix())
        for path in sorted((self.site / "_static").rglob("*.js")):
            self.javascript(path.relative_to(self.site).as_posix())
        if (self.site / "reports.json").is_file():
            self.reports_json()
        if (self.site / "reports.atom").is_file():
            self.atom()
        if (self.site / "searchindex.js").is_file():
            self.search_index()
        return self

    def of(self, *kinds: str, sources: Iterator[str] | None = None) -> list[Problem]:
        wanted = set(sources) if sources is not None else None
        return [p for p in self.problems if p.kind in kinds and (wanted is None or p.source in wanted)]

    def reachable(self, start: str = "index.html") -> set[str]:
        """The pages a visitor reaches from *start* by following links and submitting forms."""
        clicks = defaultdict(set)
        for link in self.links:
            if link.attribute.split(" ")[0] in ("a", "area", "form") and link.target.endswith(".html"):
                clicks[link.source].add(link.target)
        seen, todo = {start}, [start]
        while todo:
            for target in clicks[todo.pop()] - seen:
                seen.add(target)
                todo.append(target)
        return seen


def site_pages(site: Path) -> list[str]:
    """The pages of a site, as the ``pages`` fixture lists them."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_static" not in p.parts)


def site_base(site: Path) -> str:
    """The published address of the site: the home page's canonical link, less ``index.html``."""
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    tag = soup.find("link", rel="canonical")
    href = str(tag["href"]) if tag is not None and tag.has_attr("href") else ""
    if href.startswith(("http://", "https://")) and href.endswith("/index.html"):
        return href[: -len("index.html")]
    return FALLBACK_BASE


def srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset``: comma-separated candidates, each a URL and an optional descriptor."""
    return [
        candidate.split()[0] for candidate in re.split(r",\s+|,(?=\S)", value.strip()) if candidate.split()
    ]


def css_urls(text: str) -> list[str]:
    """Every ``url()`` and ``@import "..."`` of a stylesheet, outside comments."""
    text = CSS_COMMENT.sub("", text)
    found = ["".join(match) for match in CSS_URL.findall(text)]
    found += ["".join(match) for match in CSS_IMPORT.findall(text)]
    return [url for url in found if url.strip()]


def json_urls(document: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every string of a JSON document that is an absolute http(s) URL, with its key."""
    if isinstance(document, dict):
        for name, value in document.items():
            if name != "@context":
                yield from json_urls(value, name)
    elif isinstance(document, list):
        for value in document:
            yield from json_urls(value, key)
    elif isinstance(document, str) and document.startswith(("http://", "https://")):
        yield key, document


def listing(problems: list[Problem]) -> str:
    return f"{len(problems)} broken:\n" + "\n".join(f"  {problem}" for problem in problems)


# Pages known to have no visible link to them; each has an xfail(strict=True) test below
KNOWN_ORPHANS: set[str] = set()


# -- Fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def crawl(site, pages) -> Crawl:
    return Crawl(site, pages).run()


# -- The checker can fail ------------------------------------------------------------------

BROKEN_SITE = {
    "index.html": """<!DOCTYPE html>
<html lang="en"><head><title>Home</title>
<link rel="canonical" href="https://example.test/docs/index.html">
<link rel="stylesheet" href="_static/site.css?v=1">
<meta name="citation_pdf_url" content="https://example.test/docs/files/gone.pdf">
<script src="_static/gone.js"></script>
</head><body>
<p id="here">Here</p>
<a href="sub/page.html">fine</a>
<a href="sub/page.html#there">fine, with its anchor</a>
<a href="sub/missing.html">a missing page</a>
<a href="sub/page.html#nowhere">a missing anchor on another page</a>
<a href="#here">fine, on this page</a>
<a href="#gone">a missing anchor on this page</a>
<a href="files/a%20report.pdf">fine: a file with a space</a>
<a href="files/another%20report.pdf">a missing file with a space</a>
<a href="javascript:void(0)">a script</a>
<button onclick="go()" formaction="JavaScript:go()">a script, in capitals</button>
<a href="https://example.org/x">another site</a>
<a href="https://example.test/docs/sub/page.html#there">fine, absolute</a>
<a href="mailto:someone@example.org">mail</a>
<img src="_images/cover.png" srcset="_images/cover.png 1x, _images/cover@2x.png 2x" alt="">
<form action="search.html"></form>
</body></html>
""",
    "sub/page.html": """<!DOCTYPE html>
<html lang="en"><head><title>Page</title></head><body>
<h2 id="there">There</h2>
<a href="../index.html#here">fine</a>
<a href="../../outside.html">out of the site</a>
<a name="old-anchor"></a><a href="#old-anchor">fine</a>
<svg><use href="#no-symbol"></use></svg>
</body></html>
""",
    "_static/site.css": """/* url(commented-out.woff2) */
@font-face { src: url("fonts/font.woff2") format("woff2"), url(fonts/font.woff) format("woff"); }
.icon { background: url('data:image/svg+xml;utf8,<svg xmlns="http://www.w3.org/2000/svg"/>'); }
/*# sourceMappingURL=site.css.map */
""",
    "_static/fonts/font.woff2": "",
    "_images/cover.png": "",
    "files/a report.pdf": "",
}
BROKEN_EXPECTED = {
    ("missing", "index.html", "script src", "_static/gone.js"),
    ("missing", "index.html", "meta citation_pdf_url content", "https://example.test/docs/files/gone.pdf"),
    ("missing", "index.html", "a href", "sub/missing.html"),
    ("anchor", "index.html", "a href", "sub/page.html#nowhere"),
    ("anchor", "index.html", "a href", "#gone"),
    ("missing", "index.html", "a href", "files/another%20report.pdf"),
    ("javascript", "index.html", "a href", "javascript:void(0)"),
    ("javascript", "index.html", "button formaction", "JavaScript:go()"),
    ("missing", "index.html", "img srcset", "_images/cover@2x.png"),
    ("missing", "index.html", "form action", "search.html"),
    ("outside", "sub/page.html", "a href", "../../outside.html"),
    ("anchor", "sub/page.html", "use href", "#no-symbol"),
    ("missing", "_static/site.css", "css url()", "fonts/font.woff"),
    ("missing", "_static/site.css", "css sourceMappingURL", "site.css.map"),
}


def test_the_crawl_finds_what_is_broken_in_a_site_broken_on_purpose(tmp_path):
    for name, text in BROKEN_SITE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    crawl = Crawl(tmp_path, site_pages(tmp_path)).run()
    assert crawl.base == "https://example.test/docs/"
    found = {(p.kind, p.source, p.attribute, p.url) for p in crawl.problems}
    assert found == BROKEN_EXPECTED, listing(crawl.problems)
    fine = {(link.source, link.url) for link in crawl.links}
    assert ("index.html", "files/a%20report.pdf") in fine
    assert ("index.html", "https://example.test/docs/sub/page.html#there") in fine
    assert ("sub/page.html", "#old-anchor") in fine
    assert crawl.skipped["https://example.org"] == 1 and crawl.skipped["mailto:"] == 1
    assert crawl.skipped["data:"] == 1  # the data: URL in the stylesheet is skipped, not reported
    assert crawl.reachable() == {"index.html", "sub/page.html"}


# -- The site ------------------------------------------------------------------------------


def test_every_internal_link_leads_to_a_file(crawl, pages):
    broken = crawl.of("missing", "outside", sources=pages)
    assert not broken, listing(broken)


def test_every_fragment_names_an_element(crawl, pages):
    broken = crawl.of("anchor", sources=pages)
    assert not broken, listing(broken)


def test_no_javascript_urls(crawl):
    assert not crawl.of("javascript"), listing(crawl.of("javascript"))


def test_stylesheets_and_scripts_reference_files_that_exist(crawl):
    assets = [source for source in crawl.sources if source.endswith(".css") or source.startswith("_static/")]
    assert any(source.startswith("_static/") and source.endswith(".css") for source in assets)
    broken = crawl.of("missing", "outside", "anchor", sources=assets)
    assert not broken, listing(broken)


def test_feeds_link_to_files_and_cards_of_the_site(crawl):
    feeds = ["reports.json", "reports.atom"]
    assert set(feeds) <= crawl.sources
    broken = crawl.of("missing", "outside", "anchor", sources=feeds)
    assert not broken, listing(broken)
    from_feeds = [link for link in crawl.links if link.source in feeds]
    assert any(link.target.startswith("files/") for link in from_feeds)
    assert any(link.fragment and link.fragment.startswith("dgx-report-") for link in from_feeds)


def test_search_finds_pages_and_titles_that_exist(crawl):
    found = crawl.of("missing", "anchor", sources=["searchindex.js"])
    broken = [p for p in found if not p.attribute.startswith("search object")]
    assert not broken, listing(broken)


def test_search_results_for_reports_and_working_groups_lead_to_their_cards(crawl):
    objects = [link for link in crawl.links if link.attribute.startswith("search object")]
    found = crawl.of("missing", "anchor", sources=["searchindex.js"])
    broken = [p for p in found if p.attribute.startswith("search object")]
    assert objects or broken, "the search index has no dgx objects"
    assert not broken, listing(broken)


def test_pages_name_themselves_canonical(crawl):
    assert crawl.base != FALLBACK_BASE, "the home page has no canonical link under html_baseurl"
    assert not crawl.of("canonical"), listing(crawl.of("canonical"))


def test_every_page_is_reachable_from_the_home_page(crawl, pages):
    """Following links and the search form from the home page reaches every page (but the known below)."""
    unreachable = sorted(set(pages) - crawl.reachable() - KNOWN_ORPHANS)
    assert not unreachable, f"no link leads to {unreachable}"


def test_the_general_index_is_linked_or_not_published(crawl, pages):
    orphans = sorted(KNOWN_ORPHANS & (set(pages) - crawl.reachable()))
    assert not orphans, f"no link leads to {orphans}"


def test_every_report_file_is_linked(crawl, site, pages):
    files = {path.relative_to(site).as_posix() for path in (site / "files").iterdir() if path.is_file()}
    linked = {link.target for link in crawl.links if link.source in pages and link.attribute == "a href"}
    assert files, "no report files were published"
    assert not files - linked, f"no page links to {sorted(files - linked)}"


def test_the_crawl_covers_every_kind_of_link(crawl, pages):
    """The crawl is not vacuous: it checked links of each kind the site has."""
    links = [link for link in crawl.links if link.source in pages]
    reached = {link.target for link in links}

    def some(description, condition):
        assert any(condition(link) for link in links), f"no {description} was checked"

    some("link from a page in a sub-folder", lambda link: "/" in link.source and link.url.startswith("../"))
    some("download with a percent-encoded space", lambda link: "%20" in link.url and " " in link.target)
    some("cover in _dgx/covers/", lambda link: link.target.startswith("_dgx/covers/"))
    some(
        "stylesheet in _static/",
        lambda link: link.target.startswith("_static/") and link.target.endswith(".css"),
    )
    some(
        "script in _static/", lambda link: link.target.startswith("_static/") and link.target.endswith(".js")
    )
    some("anchor on the same page", lambda link: link.fragment and link.url.startswith("#"))
    some("anchor on another page", lambda link: link.fragment and not link.url.startswith("#"))
    some("absolute link into the site", lambda link: link.url.startswith(crawl.base))
    some("search form", lambda link: link.attribute == "form action" and link.target == "search.html")
    some(
        "link from a card to a report's page",
        lambda link: link.target.startswith("reports/") and not link.source.startswith("reports/"),
    )
    some(
        "link opening a report's PDF at a page",
        lambda link: "#page=" in link.url and link.target.startswith("files/"),
    )
    some("citation file of a report", lambda link: link.target.startswith("_dgx/cite/"))
    some("Highwire citation_pdf_url", lambda link: link.attribute == "meta citation_pdf_url content")
    assert {"reports.atom", "search.html", "index.html"} <= reached
    assert "genindex.html" in reached or "genindex.html" not in pages
    assert {"reports.json", "reports.atom", "searchindex.js"} <= crawl.sources
    titles = [link for link in crawl.links if link.attribute.startswith("search title") and link.fragment]
    assert any(link.target.startswith("reports/") for link in titles), "no search title of a report's page"


def test_crawl_figures(crawl, pages, artefacts):
    """The figures of the crawl, printed and kept in ``links.json``."""
    anchors = sum(1 for link in crawl.links if link.fragment)
    figures = {
        "base": crawl.base,
        "pages": len(pages),
        "files read": len(crawl.sources),
        "references checked": len(crawl.links) + len(crawl.problems),
        "links to files checked": len(crawl.links),
        "anchors checked": anchors + len(crawl.of("anchor")),
        "distinct targets": len({link.target for link in crawl.links}),
        "problems": [str(problem) for problem in crawl.problems],
        "skipped": dict(crawl.skipped.most_common()),
        "by attribute": dict(Counter(link.attribute.split(" '")[0] for link in crawl.links).most_common()),
    }
    (artefacts / "links.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    assert figures["links to files checked"] > 0
