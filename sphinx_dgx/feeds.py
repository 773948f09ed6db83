"""Machine-readable outputs of the HTML site: reports.json, the Atom feed, JSON-LD and OpenGraph tags.

Only builders that publish a site (HTML format, not the packaged EPUB) get them:

* ``reports.json`` at the root of the output: the whole catalogue with measured file facts,
  as described by the JSON Schema in ``schemas/reports.schema.json``;
* ``reports.atom``: an Atom feed of the reports, newest first, announced on every page by a
  ``<link rel="alternate">``;
* schema.org JSON-LD in the head of each page that shows report cards;
* OpenGraph tags on each page that has a ``description`` in its front matter.

URLs are absolute when ``html_baseurl`` is set. Without it they are relative (to the site root in
reports.json and the feed, to the page in JSON-LD) and the build warns once (``dgx.no_base_url``).
Everything is written deterministically, so two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .collect import CACHE_DIR
from .domain import GROUP, REPORT, get_domain
from .nodes import dgx_report_card
from .publishing import (
    PAGES_DIR,
    Resolver,
    base_url,
    canonical,
    is_site,
    keep_output,
    page_docname,
    page_path,
    put_back,
    settings_key,
    shows_page,
)
from .regular import keep, write_atomically

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from .domain import DgxDomain

REPORTS_JSON = "reports.json"
REPORTS_ATOM = "reports.atom"
SCHEMA_FILE = Path(__file__).parent / "schemas" / "reports.schema.json"
ATOM_NS = "http://www.w3.org/2005/Atom"
PDF_MIME = "application/pdf"
GENERATOR = "sphinx-dgx"
FEEDS_VERSION = 1
"""Part of the key of the written feeds: change it when what they are made of changes."""
FEEDS = (REPORTS_JSON, REPORTS_ATOM)
FEEDS_DIR = "feeds"
"""Folder of the build's cache with each feed as last made (:func:`write_outputs`), by builder."""
FEEDS_KEY = "key.json"
"""What the kept feeds were made of (:func:`feeds_key`) and the SHA-256 of each."""
MAX_FEED_BYTES = 256 * 1024 * 1024
"""The most bytes of a kept feed read back (reports.json of 2,000 reports is 2.3 MB)."""

# characters XML 1.0 cannot hold, even escaped (YAML's "\x01" escapes can produce them): all but
# tab, newline, return, U+0020-D7FF, E000-FFFD and 10000-10FFFF, written as what they are (the
# negated set takes 5 ms to compile, at each start)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<[^>]*>")
# inside <script>, "</script" or "<!--" would end or change the element: JSON escapes keep them text
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})

# -- where things are --------------------------------------------------------------


def own_page(builder: Builder, domain: DgxDomain, report_id: str) -> str | None:
    """Site-relative path of a report's own page (``reports/<id>.html``), None when it has none."""
    if not shows_page(builder, domain, report_id):
        return None
    return page_path(builder, page_docname(report_id))


def report_place(builder: Builder, domain: DgxDomain, report_id: str) -> str | None:
    """Site-relative ``page#anchor`` where a report is shown, or None when no page shows it."""
    place = domain.place(REPORT, report_id)
    if place is None:
        return None
    return f"{page_path(builder, place.docname)}#{place.anchor}"


# -- reports.json ------------------------------------------------------------------


def reports_document(app: Sphinx) -> dict[str, Any]:
    """The content of reports.json (see ``schemas/reports.schema.json``)."""
    domain = get_domain(app.env)
    catalogue = domain.catalogue
    base = base_url(app.config)
    resolve = Resolver(base)
    reports = catalogue.select_reports()
    items = []
    for report in reports:
        group = catalogue.groups_by_id[report.group]
        item: dict[str, Any] = {
            "id": report.id,
            "title": report.title,
            "summary": report.summary,
            "year": report.year,
            "working_group": {"id": group.id, "name": group.name},
            "tags": list(report.tags),
            "reference": report.reference,
            "kind": report.kind,
            "url": resolve.report(report, domain.downloadable(report.id)),
        }
        own = own_page(app.builder, domain, report.id)
        if own is not None:  # the report's page; the file is the file's own url
            item["url"] = resolve(own)
        if report.file is not None:
            facts = domain.facts(report.id)
            item["file"] = {
                "url": resolve.report(report, domain.downloadable(report.id)),
                "name": report.file,
                "format": facts.format if facts else None,
                "format_name": facts.format_name if facts else None,
                "bytes": facts.bytes if facts else None,
                "size": facts.size if facts else None,
                "pages": facts.pages if facts else None,
            }
        place = report_place(app.builder, domain, report.id)
        item["page"] = resolve(place) if place is not None else None
        items.append(item)
    groups = [
        {
            "id": group.id,
            "name": group.name,
            "year": group.year,
            "summary": group.summary,
            "special_edition": group.special_edition,
            "reports": [r.id for r in reports if r.group == group.id],
        }
        for group in catalogue.select_groups()
    ]
    return {
        "generator": f"{GENERATOR} {__version__}",
        "site": base,
        "reports": items,
        "working_groups": groups,
    }


def dump_json(document: Any) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


# -- reports.atom ------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _NOT_XML.sub("", text)
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str | None = None) -> None:
    attributes = {"rel": rel, "href": href}
    if kind:
        attributes["type"] = kind
    ET.SubElement(parent, "link", attributes)


def tag_authority(project: str) -> str:
    """The authority of tag URIs when the site has no address: the project name as a DNS label."""
    return re.sub(r"[^a-z0-9]+", "-", project.lower()).strip("-") or GENERATOR


def updated(year: int) -> str:
    """A report's date for the feed: its year, so that every build gives the same feed."""
    return f"{year:04d}-01-01T00:00:00Z"


def atom_feed(app: Sphinx) -> bytes:
    """The Atom feed (RFC 4287) of every report, newest first."""
    domain = get_domain(app.env)
    catalogue = domain.catalogue
    base = base_url(app.config)
    resolve = Resolver(base)
    project = app.config.project or ""
    authority = tag_authority(project)
    reports = catalogue.select_reports()
    home = resolve(page_path(app.builder, app.config.root_doc))

    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    first_year = min((r.year for r in reports), default=1970)
    _text(feed, "id", base or f"tag:{authority},{first_year}:reports")
    _text(feed, "title", project)
    _text(feed, "subtitle", f"Reports of the {project} working groups" if project else "Reports")
    _text(feed, "updated", updated(reports[0].year) if reports else updated(1970))
    _link(feed, resolve(REPORTS_ATOM), "self", "application/atom+xml")
    _link(feed, home, "alternate", "text/html")
    _text(feed, "generator", GENERATOR, version=__version__)
    for report in reports:
        entry = ET.SubElement(feed, "entry")
        href = resolve.report(report, domain.downloadable(report.id))
        place = report_place(app.builder, domain, report.id)
        page = resolve(place) if place is not None else None
        absolute = href if href and "://" in href else None
        _text(entry, "id", absolute or f"tag:{authority},{report.year}:report/{report.id}")
        _text(entry, "title", report.title)
        own = own_page(app.builder, domain, report.id)
        if own is not None and href is not None:  # its page, and the file as an enclosure
            _link(entry, resolve(own), "alternate", "text/html")
            _link(entry, href, "enclosure", PDF_MIME)
        elif href is not None:
            _link(entry, href, "alternate", PDF_MIME if report.kind == "file" else "text/html")
            if page is not None:
                _link(entry, page, "related", "text/html")
        else:  # the file is not published: the page that shows the report, or the site
            _link(entry, page or home, "alternate", "text/html")
        _text(entry, "summary", report.summary)
        author = ET.SubElement(entry, "author")
        _text(author, "name", domain.title_of(GROUP, report.group))
        _text(entry, "updated", updated(report.year))
        for tag in report.tags:
            ET.SubElement(entry, "category", {"term": _NOT_XML.sub("", tag)})
    ET.indent(feed)
    text = ET.tostring(feed, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n").encode("utf-8")


# -- writing -----------------------------------------------------------------------


def write_if_changed(path: Path, data: bytes) -> None:
    """Write *data* unless the file already holds it (keeps its time for rsync and caches), as a new
    file put in place: never into the file there, which may be a link to the build's cache."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomically(path, data)


def write_outputs(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: reports.json and reports.atom at the root of a successful site build.

    They are made only when what they are made of changed (:func:`feeds_key`); each is kept in the
    build's cache (:func:`~sphinx_dgx.publishing.keep_output`), so that a fresh output folder gets
    them back without making them.
    """
    if exception is not None or not is_site(app.builder):
        return
    out = Path(app.outdir)
    folder = Path(app.doctreedir, CACHE_DIR, FEEDS_DIR, app.builder.name)
    key = feeds_key(app)
    kept = _kept_digests(folder, key)
    if kept is not None and all((out / name).is_file() for name in FEEDS):
        return  # made of the same as the ones written
    if kept is not None and all(put_back(out / n, folder / n, kept[n], MAX_FEED_BYTES) for n in FEEDS):
        return
    made = {REPORTS_JSON: dump_json(reports_document(app)), REPORTS_ATOM: atom_feed(app)}
    for name, data in made.items():
        write_if_changed(out / name, data)
        keep_output(out / name, folder / name, data)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in made.items()}
    # without it, the next build makes them again
    keep(folder / FEEDS_KEY, json.dumps({"key": key, "digests": digests}, sort_keys=True).encode("ascii"))


def _kept_digests(folder: Path, key: str) -> dict[str, str] | None:
    """The digest of each kept feed, if they were made of *key* (None: made of something else)."""
    try:
        kept = json.loads((folder / FEEDS_KEY).read_text(encoding="ascii"))
        if kept["key"] == key and isinstance(kept["digests"], dict) and set(kept["digests"]) == set(FEEDS):
            return {name: str(kept["digests"][name]) for name in FEEDS}
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none, or damaged: made again
    return None


def feeds_key(app: Sphinx) -> str:
    """A digest of what reports.json and the feed are made of: the catalogue, the files' facts and
    covers, where each entry is shown, the versions and settings."""
    domain = get_domain(app.env)
    snapshot = domain.snapshot
    parts = (
        FEEDS_VERSION,
        settings_key(app),
        snapshot.catalogue if snapshot else None,
        sorted(snapshot.files.items()) if snapshot else None,
        sorted(snapshot.covers.items()) if snapshot else None,
        domain.places_shown(),
    )
    return hashlib.sha256(canonical(parts)).hexdigest()


# -- the head of each page ------------------------------------------------------------


def script_json(document: Any) -> str:
    """JSON that stays text inside a ``<script>`` element."""
    return json.dumps(document, ensure_ascii=False).translate(_SCRIPT_SAFE)


def shown_reports(doctree: nodes.document | None) -> list[str]:
    """Ids of the reports whose cards the page shows, in page order, each once."""
    if doctree is None:
        return []
    return list(dict.fromkeys(node["report_id"] for node in doctree.findall(dgx_report_card)))


def json_ld(app: Sphinx, pagename: str, report_ids: list[str]) -> dict[str, Any]:
    """schema.org ``Report`` items of the reports shown on a page."""
    domain = get_domain(app.env)
    catalogue = domain.catalogue
    here = page_path(app.builder, pagename)
    resolve = Resolver(base_url(app.config), relative_to=here)
    publisher = {"@type": "Organization", "name": app.config.project or ""}
    graph = []
    for ident in report_ids:
        report = catalogue.reports_by_id.get(ident)
        if report is None:
            continue
        item: dict[str, Any] = {
            "@type": "Report",
            "name": report.title,
            "description": report.summary,
        }
        href = resolve.report(report, domain.downloadable(report.id))
        own = own_page(app.builder, domain, report.id)
        if own is not None:
            item["url"] = resolve(own)
        elif href is not None:
            item["url"] = href
        item["datePublished"] = str(report.year)
        item["author"] = {"@type": "Organization", "name": domain.title_of(GROUP, report.group)}
        item["publisher"] = publisher
        if report.tags:
            item["keywords"] = list(report.tags)
        if report.reference:
            item["identifier"] = report.reference
        facts = domain.facts(report.id)
        if report.file is not None and href is not None:
            media: dict[str, Any] = {"@type": "MediaObject", "contentUrl": href, "encodingFormat": PDF_MIME}
            if facts is not None:
                media["contentSize"] = facts.size
            item["encoding"] = media
            if facts is not None and facts.pages is not None:
                item["numberOfPages"] = facts.pages
        graph.append(item)
    return {"@context": "https://schema.org", "@graph": graph}


def plain_title(title: str) -> str:
    """A rendered title (HTML) as text."""
    return " ".join(unescape(_TAG.sub("", title)).split())


def open_graph(app: Sphinx, pagename: str, context: dict[str, Any], description: str) -> str:
    properties = [
        ("og:title", plain_title(context.get("title") or "")),
        ("og:description", " ".join(description.split())),
        ("og:type", "website"),
        ("og:site_name", app.config.project or ""),
    ]
    base = base_url(app.config)
    if base is not None:
        properties.append(("og:url", base + page_path(app.builder, pagename)))
    return "".join(
        f'\n    <meta property="{name}" content="{escape(value, quote=True)}" />'
        for name, value in properties
        if value
    )


def add_head(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: the feed link on every page, JSON-LD of its cards, OpenGraph tags."""
    if not is_site(app.builder):
        return
    tags = []
    title = escape(f"{app.config.project} reports".strip(), quote=True)
    href = escape(context["pathto"](REPORTS_ATOM, 1), quote=True)
    tags.append(f'\n    <link rel="alternate" type="application/atom+xml" title="{title}" href="{href}" />')
    reports = shown_reports(doctree)
    if reports and not pagename.startswith(f"{PAGES_DIR}/"):  # a report's page describes it itself
        data = script_json(json_ld(app, pagename, reports))
        tags.append(f'\n    <script type="application/ld+json">{data}</script>')
    description = app.env.metadata.get(pagename, {}).get("description")
    if isinstance(description, str) and description.strip():
        tags.append(open_graph(app, pagename, context, description))
    context["metatags"] = context.get("metatags", "") + "".join(tags)


# -- registration ------------------------------------------------------------------


def setup_feeds(app: Sphinx) -> None:
    """Connect the handlers of this module."""
    app.connect("html-page-context", add_head)
    app.connect("build-finished", write_outputs)
