"""A page for every report with a file: ``reports/<id>``, made from the catalogue.

Sphinx makes these pages the way it makes its own index and search pages (``html-collect-pages``):
no source to write, read, pickle and resolve for each report, so that a site of thousands of reports
stays close to the cost of its hand-written pages. Each page is a doctree built from the catalogue
and the measured file, resolved by Sphinx's post-transforms (references, file links), written by the
builder's own HTML translator and the theme's page template (with its navigation and "On this page"),
and given to the site's search index. A page is written again only when what it is made of changed
(its key, kept in ``<doctreedir>/dgx-cache/``) or its output is missing; the pages of reports that
are gone are removed. Only the site's builders of a page per document make them (html, dirhtml), so
the handbook, singlehtml and EPUB have none.

A page shows, from the catalogue and the measured file: the title, the working group and year, the
summary, the cover, the facts and download link, the PDF's outline, the text of each page (extracted
from the PDF: for search and screen readers, not a replacement), how to cite the report, and the
other reports of its working group and year.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Set
from copy import copy
from dataclasses import dataclass
from html import escape
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from sphinx import addnodes
from sphinx.environment.adapters.toctree import document_toc
from sphinx.search import WordCollector
from sphinx.transforms import SphinxTransformer
from sphinx.transforms.post_transforms import ReferencesResolver
from sphinx.util.display import status_iterator
from sphinx.util.osutil import relative_uri

from . import catalogue as cat
from .citation import Citable, bibtex, citable, csl_json, formatted, highwire, ris, schema_report
from .collect import CACHE_DIR
from .config import get_dgx_config
from .directives import ReportsDirective, bind_file_facts
from .domain import GROUP, REPORT, get_domain
from .feeds import script_json, write_if_changed
from .logging import warn
from .navigation import delete, fingerprint
from .nodes import dgx_file_link, dgx_reports
from .problems import Subtype
from .publishing import (
    CITATIONS_URL_DIR,
    PAGES_DIR,
    Resolver,
    base_url,
    canonical,
    file_url,
    has_page,
    is_site,
    keep_output,
    makes_pages,
    page_docname,
    page_path,
    put_back,
    remove_stale,
    resolve_file_links,
    settings_key,
)
from .regular import keep
from .transforms import ExternalLinks
from .uses import fingerprint as entry_fingerprint

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from .domain import DgxDomain
    from .facts import FileFacts

MARKER = "% sphinx_dgx wrote this page from the catalogue"
"""The first words of the sources that sphinx_dgx 0.1 wrote into ``<srcdir>/reports/``."""

BUILDERS: WeakKeyDictionary[Any, Builder] = WeakKeyDictionary()
"""The builder of each environment: citations name the page's address as this builder writes it."""


def note_builder(app: Sphinx) -> None:
    """``builder-inited``: remember the builder; remove the report sources earlier versions wrote."""
    BUILDERS[app.env] = app.builder
    folder = Path(app.srcdir, PAGES_DIR)
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.md")):
        if _generated(path):
            path.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


def _generated(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8") as handle:
            return MARKER in handle.read(4096)
    except (OSError, UnicodeDecodeError):
        return False


# -- the page's doctree ------------------------------------------------------------------------------


class PageCards(ReportsDirective):
    """The cards of ``dgx-reports``, made for a report's page: a page with no source to be read from.

    It answers what a directive asks of its place (the environment, the page, where its nodes come
    from: the report's entry in the catalogue, so a warning about them points there).
    """

    def __init__(self, env: BuildEnvironment, pagename: str, report: cat.Report) -> None:
        self._env, self._docname, self.report = env, pagename, report
        self.domain = get_domain(env)
        self.catalogue = self.domain.catalogue
        self.values: dict[str, Any] = {}

    @property
    def env(self) -> BuildEnvironment:  # type: ignore[override]
        return self._env

    @property
    def config(self) -> Any:  # type: ignore[override]
        return self._env.config

    @property
    def docname(self) -> str:
        return self._docname

    def get_source_info(self) -> tuple[str, int]:
        """The report's entry in the catalogue (Sphinx's ``set_source_info`` and ``get_location`` use it)."""
        return self.catalogue.path, self.report.line


SETTINGS: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()


def document_settings(env: BuildEnvironment) -> Any:
    """Docutils' settings of a document Sphinx reads, with the environment's (made once: it is slow)."""
    if env not in SETTINGS:
        settings = get_default_settings(Parser)
        for name, value in env.settings.items():
            setattr(settings, name, value)
        settings.env = env
        SETTINGS[env] = settings
    return SETTINGS[env]


def page_doctree(
    env: BuildEnvironment, report: cat.Report, pagename: str, neighbours: Neighbours
) -> tuple[nodes.document, Callable[[], nodes.section | None] | None]:
    """The page of *report* as a doctree, before references are resolved, and apart from it how to
    make the section of the report's text (most of a page's nodes: made only when its HTML is not
    in the :class:`TextCache`; None when the page shows no text)."""
    domain = get_domain(env)
    cards = PageCards(env, pagename, report)
    document = new_document(cards.catalogue.path, copy(document_settings(env)))
    section = nodes.section("", nodes.title("", report.title), ids=["report"], names=["report"])
    section += byline(cards, report)
    card = cards.entry(report, on_its_page=True)  # the cover, facts, download, summary
    bind_file_facts(domain, card)
    section += dgx_reports("", card, classes=["dgx-report-page-card"])
    text = domain.report_text(report.id)
    parts = [contents(report, text), citation(domain, report), others(neighbours, report, cards.xref)]
    section.extend(part for part in parts if part is not None)
    document += cards.sourced(section, document)
    if not domain.report_text_shown or text is None or not text.pages:
        return document, None
    return document, lambda: text_section(report, text)


def byline(cards: PageCards, report: cat.Report) -> nodes.paragraph:
    return nodes.paragraph(
        "",
        "A report of the DGX ",
        cards.xref(GROUP, report.group),
        nodes.Text(f", {report.year}."),
        classes=["dgx-byline"],
    )


def subsection(title: str, ident: str, *children: nodes.Node) -> nodes.section:
    return nodes.section("", nodes.title("", title), *children, ids=[ident], names=[ident])


def at_page(report: cat.Report, number: int, *children: nodes.Node) -> dgx_file_link:
    """A link to the report's file, opened at a page."""
    return dgx_file_link("", "", *children, file=report.file, fragment=f"page={number}", available=True)


def contents(report: cat.Report, text: Any) -> nodes.section | None:
    """The PDF's own outline, each entry opening the file at its page."""
    if text is None or not text.outline:
        return None
    top = nodes.bullet_list(classes=["dgx-contents"])
    lists = [top]
    for entry in text.outline:
        while len(lists) > entry.level + 1:
            lists.pop()
        while len(lists) < entry.level + 1:
            inner = nodes.bullet_list()
            if lists[-1].children:
                lists[-1].children[-1] += inner
            else:
                lists[-1] += nodes.list_item("", inner)
            lists.append(inner)
        link = at_page(report, entry.page, nodes.Text(entry.title))
        lists[-1] += nodes.list_item("", nodes.paragraph("", "", link, nodes.Text(f" (page {entry.page})")))
    return subsection("Contents", "contents", top)


TEXT_TITLE, TEXT_ID = "Text of the report", "text"
NO_TEXT = "This page has no text (it may be an image)."


def text_section(report: cat.Report, text: Any) -> nodes.section | None:
    """The text of each page, under an anchor ``page-N``, with a link that opens the PDF there."""
    if text is None or not text.pages:
        return None
    note = nodes.paragraph(
        "",
        "The text below was extracted from the PDF, page by page, so that the site's search finds "
        "it and screen readers can read it. It is not a replacement for the report: its layout, "
        "pictures and tables are in the PDF.",
        classes=["dgx-text-note"],
    )
    section = subsection(TEXT_TITLE, TEXT_ID, note)
    for number, page in enumerate(text.pages, start=1):
        part = subsection(f"Page {number}", f"page-{number}")
        part += nodes.paragraph("", "", at_page(report, number, nodes.Text(f"Open the PDF at page {number}")))
        paragraphs = paragraphs_of(page)
        if not paragraphs:
            part += nodes.paragraph("", NO_TEXT, classes=["dgx-no-text"])
        part.extend(nodes.paragraph("", block) for block in paragraphs)
        section += part
    if getattr(text, "cut", False):
        section += nodes.paragraph(
            "", "The text stops here: the rest of the report is in the PDF.", classes=["dgx-text-note"]
        )
    return section


SENTENCE_END = (".", "?", "!", ":", "\u3002")


def paragraphs_of(page: str) -> list[str]:
    """A page's text as paragraphs: PDFs keep lines, not paragraphs, so a paragraph ends at a blank
    line or at a line that ends a sentence; the lines within one are joined."""
    found: list[str] = []
    lines: list[str] = []
    for line in [*page.split("\n"), ""]:
        line = " ".join(line.split())
        if line:
            lines.append(line)
        if lines and (not line or line.endswith(SENTENCE_END)):
            found.append(" ".join(lines))
            lines = []
    return found


def citable_of(domain: DgxDomain, report: cat.Report) -> Citable:
    """What citations of a report say: its page and file as the site publishes them (absolute with
    ``html_baseurl``), and the publisher (``dgx_publisher``, else the project's ``author``)."""
    builder, config = BUILDERS[domain.env], domain.env.config
    resolve = Resolver(base_url(config))
    page = page_path(builder, page_docname(report.id)) if is_site(builder) else ""
    facts = domain.facts(report.id)
    publisher = get_dgx_config(config).publisher.strip() or project_author(config)
    group = domain.catalogue.groups_by_id[report.group]
    return citable(
        report,
        group,
        publisher,
        resolve(page),
        resolve(file_url(report.file or "")),
        facts.pages if facts else None,
    )


def project_author(config: Any) -> str:
    """The project's ``author``, unless it is Sphinx's placeholder; else the project's name."""
    author = str(config.author or "").strip()
    if author and author != "Author name not set":
        return author
    return str(config.project or "").strip()


def citation(domain: DgxDomain, report: cat.Report) -> nodes.section | None:
    """Cite this report: the formatted citation and the files of each format (see citation.py)."""
    cite = citable_of(domain, report)
    downloads = nodes.paragraph("", "Download the citation: ", classes=["dgx-cite-files"])
    for index, (label, suffix) in enumerate((label, suffix) for suffix, (label, _) in CITATION_FILES.items()):
        if index:
            downloads += nodes.Text(", ")
        downloads += dgx_file_link("", label, file=f"{report.id}.{suffix}", citation=True, available=True)
    return subsection(
        "Cite this report",
        "cite",
        nodes.paragraph("", formatted(cite), classes=["dgx-citation"]),
        downloads,
    )


OTHERS_SHOWN = 12
"""The most reports listed under each heading of "Other reports" (the rest are counted)."""


class Neighbours:
    """The reports each page lists under "Other reports", found once for all the pages of a build."""

    def __init__(self, domain: DgxDomain) -> None:
        self.domain = domain
        catalogue = domain.catalogue
        self.of_group: dict[str, list[cat.Report]] = {}
        self.of_year: dict[int, list[cat.Report]] = {}
        for report in catalogue.reports:  # catalogue order
            self.of_group.setdefault(report.group, []).append(report)
        self.in_year: Counter[tuple[int, str]] = Counter()
        for report in cat.shown_order(catalogue.reports):
            self.of_year.setdefault(report.year, []).append(report)
            self.in_year[report.year, report.group] += 1
        self.group_prints: dict[str, str] = {}

    def group_print(self, group: str) -> str:
        """The fingerprint of a working group (:func:`entry_fingerprint`), taken once for its pages."""
        if group not in self.group_prints:
            self.group_prints[group] = entry_fingerprint(self.domain.catalogue.groups_by_id[group])
        return self.group_prints[group]

    def lists(self, report: cat.Report) -> list[tuple[str, list[cat.Report], int]]:
        """Each heading, the first :data:`OTHERS_SHOWN` reports under it and how many there are: its
        working group's, then its year's by other groups (hundreds, in a year of a large site)."""
        of_group = [other for other in self.of_group[report.group] if other.id != report.id]
        of_year = self.of_year[report.year]
        others = (other for other in of_year if other.group != report.group)
        return [
            (f"Of the {self.domain.title_of(GROUP, report.group)}", of_group[:OTHERS_SHOWN], len(of_group)),
            (
                f"Of {report.year}, by other working groups",
                list(islice(others, OTHERS_SHOWN)),
                len(of_year) - self.in_year[report.year, report.group],
            ),
        ]


def others(
    neighbours: Neighbours, report: cat.Report, xref: Callable[[str, str], nodes.Node]
) -> nodes.section | None:
    """The other reports of its working group, then of its year from other groups, each linked to
    where it is; at most :data:`OTHERS_SHOWN` under each (a year of a large site has hundreds)."""
    section = subsection("Other reports", "other-reports")
    for heading, shown, count in neighbours.lists(report):
        if not shown:
            continue
        items = nodes.bullet_list()
        for other in shown:
            items += nodes.list_item("", nodes.paragraph("", "", xref(REPORT, other.id)))
        section += nodes.rubric("", heading)
        section += items
        if count > len(shown):
            more = count - len(shown)
            section += nodes.paragraph("", f"And {more} more.", classes=["dgx-more"])
    return section if len(section.children) > 1 else None


# -- what the site publishes beside the pages -----------------------------------------------------

CITATION_FILES: dict[str, tuple[str, Callable[[Citable], str]]] = {
    "bib": ("BibTeX", bibtex),
    "ris": ("RIS", ris),
    "json": ("CSL-JSON", csl_json),
}
"""The citation files of each report, by suffix: their name for readers and how they are written."""


def write_citations(outdir: Path, records: dict[str, PageRecord], written: Set[str]) -> None:
    """Each report page's citation files, ``_dgx/cite/<id>.bib``, ``.ris`` and ``.json``, from its
    record: those of pages just *written* (and any missing); those of reports with no page any more
    are removed."""
    folder = outdir / CITATIONS_URL_DIR
    try:
        there = set(os.listdir(folder))  # one look at the folder, not one at each file
    except OSError:
        there = set()
    wanted: set[Path] = set()
    for pagename, record in records.items():
        ident = pagename[len(PAGES_DIR) + 1 :]
        for suffix, text in record.citations:
            name = f"{ident}.{suffix}"
            wanted.add(folder / name)
            if pagename in written or name not in there:
                folder.mkdir(parents=True, exist_ok=True)
                write_if_changed(folder / name, text.encode("utf-8"))
    remove_stale(folder, keep=wanted)


def citation_tags(domain: DgxDomain, report: cat.Report) -> str:
    """The page's Highwire Press ``citation_*`` tags (read by Google Scholar and Zotero) and the
    report as schema.org JSON-LD, for its ``<head>``."""
    cite = citable_of(domain, report)
    tags = [f'<meta name="{escape(name)}" content="{escape(value)}" />' for name, value in highwire(cite)]
    tags.append(f'<script type="application/ld+json">{script_json(schema_report(cite))}</script>')
    return "".join(f"\n    {tag}" for tag in tags)


NAVIGATION: WeakKeyDictionary[Any, dict[int, str]] = WeakKeyDictionary()
"""Furo's navigation of the report pages of a builder, by the depth of the page's folder."""


def skip_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, before the theme: a report page whose navigation is known already (no
    table of contents holds a report page, so every one at a depth has the same) gives the theme
    no table of contents to turn into it again: at 2,000 reports, minutes of a build."""
    known = NAVIGATION.get(app.builder, {})
    if context.get(PAGE_FLAG) and pagename.count("/") in known and "toctree" in context:
        context["dgx_toctree"] = context.pop("toctree")


def share_navigation(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """``html-page-context``, after the theme: the report pages' navigation, made once."""
    if not context.get(PAGE_FLAG) or "furo_navigation_tree" not in context:
        return
    known = NAVIGATION.setdefault(app.builder, {})
    depth = pagename.count("/")
    if "dgx_toctree" in context:
        context["toctree"] = context.pop("dgx_toctree")
        context["furo_navigation_tree"] = known[depth]
    else:
        known[depth] = context["furo_navigation_tree"]


# -- writing the pages ------------------------------------------------------------------------------

PAGE_FLAG = "dgx_report_page"
"""Set in the template context of the report pages."""

RECORDS_VERSION = 5


@dataclass(frozen=True)
class SearchEntry:
    """What the search index holds of a page: its title, its sections and its words, each once."""

    title: str
    sections: tuple[tuple[str, str], ...]
    """(title, anchor) of each section the index names (the text's "Page N" sections are left out)."""
    words: str
    """Every word of the page, once, separated by spaces."""

    def doctree(self, settings: Any) -> nodes.document:
        """A doctree that gives Sphinx's indexer exactly these titles and words."""
        document = new_document("", settings)
        for title, ident in self.sections:
            document += nodes.section("", nodes.title("", title), ids=[ident])
        document += nodes.paragraph("", self.words)
        return document


@dataclass(frozen=True)
class PageRecord:
    key: str
    """A digest of everything the page is made of (:func:`page_key`)."""
    output: str
    """The page's file, relative to the output folder."""
    search: SearchEntry
    terms: Terms | None = None
    """What Sphinx's indexer makes of :attr:`search` (None without a search index)."""
    citations: tuple[tuple[str, str], ...] = ()
    """The citation files of the report: (suffix, text) of each of :data:`CITATION_FILES`."""
    digest: str = ""
    """The SHA-256 of the page as written, which its kept copy must have to be put back."""


@dataclass(frozen=True)
class Terms:
    """A page's entries in Sphinx's search index, as its ``IndexBuilder.feed`` makes them."""

    titles: tuple[tuple[str, str | None], ...]
    title_terms: tuple[str, ...]
    terms: tuple[str, ...]


INDEX_PARTS = ("_titles", "_filenames", "_all_titles", "_mapping", "_title_mapping", "_index_entries")
"""The parts of Sphinx's IndexBuilder that :func:`index_pages` fills; without them, it feeds each page."""


def terms_of(indexer: Any, pagename: str, entry: SearchEntry, settings: Any) -> Terms | None:
    """Feed *entry* to an empty copy of the site's indexer, and keep what it made."""
    if indexer is None or not all(hasattr(indexer, part) for part in INDEX_PARTS):
        return None
    scratch = copy(indexer)
    for part in INDEX_PARTS:
        setattr(scratch, part, {})
    scratch.feed(pagename, pagename, entry.title, entry.doctree(settings))
    return Terms(
        tuple(scratch._all_titles.get(pagename, ())),
        tuple(sorted(scratch._title_mapping)),
        tuple(sorted(scratch._mapping)),
    )


def search_entry(document: nodes.document, title: str, lang: Any) -> SearchEntry:
    """The search index's view of a page: Sphinx's own word collector, each word kept once."""
    collector = WordCollector(document, lang)
    document.walk(collector)
    sections = tuple(
        (text, ident or "") for text, ident in collector.found_titles if not (ident or "").startswith("page-")
    )
    words = dict.fromkeys([*collector.found_title_words, *collector.found_words])
    return SearchEntry(title, sections, " ".join(words))


def text_key(app: Sphinx) -> tuple[Any, ...]:
    """What any HTML a builder writes is made of, beyond its content: versions and settings (the
    key of the HTML of each report's text, :class:`TextCache`)."""
    return (RECORDS_VERSION, app.builder.get_translator_class().__qualname__, *settings_key(app))


def common_key(app: Sphinx) -> tuple[Any, ...]:
    """What every report page is made of beyond its report: :func:`text_key`, the navigation,
    where the catalogue's entries are shown, and the theme."""
    env, builder = app.env, app.builder
    return (
        *text_key(app),
        navigation_of(app),
        get_domain(env).places_shown(),
        # the theme: its templates (Sphinx writes every page again when one is newer) and assets
        builder.templates.newest_template_mtime() if hasattr(builder, "templates") else None,
        assets(builder, "css_files"),
        assets(builder, "script_files"),
    )


def navigation_of(app: Sphinx) -> str:
    """The fingerprint of the site's navigation, as this build recorded it (``navigation.py``)."""
    recorded = get_domain(app.env).navigation(app.builder.name)
    return recorded[0] if recorded is not None else fingerprint(app.env)


def assets(builder: Builder, name: str) -> list[tuple[str, str]]:
    """The theme's style sheets or scripts, as the pages link them: each file and its attributes."""
    found = getattr(builder, "globalcontext", {}).get(name) or []
    return [
        (str(getattr(asset, "filename", asset)), repr(sorted(getattr(asset, "attributes", {}).items())))
        for asset in found
    ]


def text_name(domain: DgxDomain, report: cat.Report) -> str | None:
    """The name of the report's text in the cache: its content's hash (not where the cache is)."""
    path = domain.snapshot.text_path(report.id) if domain.snapshot else None
    return os.path.basename(path) if path else None


def cover_name(domain: DgxDomain, report: cat.Report) -> tuple[str, int, int] | None:
    """The report's cover as its pages show it: named by content, and its size."""
    cover = domain.cover(report.id)
    return (cover.name, cover.width, cover.height) if cover else None


def shown_facts(facts: FileFacts | None) -> FileFacts | None:
    """The facts a page shows: not whether the handbook can include the file, which only the
    handbook's build looks at (a build of the site and one of the handbook may share the cache)."""
    return dataclasses.replace(facts, includable=None) if facts is not None else None


def page_key(common: bytes, neighbours: Neighbours, with_page: Set[str], report: cat.Report) -> str:
    """A digest of everything *report*'s page shows: its entry, its group, its file's facts, cover
    and text, the other reports it lists (and whether each has a page), and :func:`common_key`."""
    domain = neighbours.domain
    listed = [
        (heading, count, [(o.id, o.title, o.id in with_page) for o in shown])
        for heading, shown, count in neighbours.lists(report)
    ]
    parts = (
        entry_fingerprint(report),
        neighbours.group_print(report.group),
        shown_facts(domain.facts(report.id)),
        cover_name(domain, report),
        text_name(domain, report),
        listed,
    )
    return hashlib.sha256(common + canonical(parts)).hexdigest()


def toc_item(text: str, anchor: str, pagename: str, *children: nodes.Node) -> nodes.list_item:
    link = nodes.reference("", text, internal=True, refuri=pagename, anchorname=anchor)
    return nodes.list_item("", addnodes.compact_paragraph("", "", link), *children)


def local_toc(report: cat.Report, section: nodes.section, pagename: str) -> nodes.bullet_list:
    """The page's table of contents, as Sphinx keeps one for a document: its title, then its sections."""
    parts = nodes.bullet_list()
    for child in section.children:
        if isinstance(child, nodes.section):
            parts += toc_item(child[0].astext(), f"#{child['ids'][0]}", pagename)
    return nodes.bullet_list("", toc_item(report.title, "", pagename, parts))


TEXT_MARK = "<!--dgx-text-->"
"""Where a page's body takes the HTML of the report's text (an HTML comment: no word for the search)."""
TEXT_END = "<!--dgx-text-end-->"
TEXT_DIR = "page-text"
"""The HTML of each report's text, by builder, under ``<doctreedir>/dgx-cache/``."""
PAGES_CACHE_DIR = "report-pages"
"""Each report page as written, by builder and page key, under ``<doctreedir>/dgx-cache/``: a hard
link to the output page where they share a file system (the output is a link to it again when a
fresh output folder needs the page), else a copy."""
MAX_KEPT_PAGE = 64 * 1024 * 1024
"""The most bytes of a kept page read back (a page of the largest text the limits allow is less)."""


@dataclass(frozen=True)
class RenderedText:
    """The text of a report as its page shows it, and what the search index keeps of it."""

    html: str
    sections: tuple[tuple[str, str], ...]
    words: tuple[str, ...]


def resolve(app: Sphinx, document: nodes.document, pagename: str) -> None:
    """Resolve what a report's page holds: references to entries, external links and file links.

    A page is made of sphinx_dgx's nodes and docutils' plain ones; of the post-transforms, only
    these apply to them (a document gets them all, and ``doctree-resolved``, which other extensions
    may answer by looking for the document in the environment).
    """
    transformer = SphinxTransformer(document)
    transformer.set_environment(app.env)
    transformer.add_transforms([ReferencesResolver, ExternalLinks])
    transformer.apply_transforms()
    resolve_file_links(app, document, pagename)


def prepare_writer(builder: Builder, pagename: str) -> None:
    """What StandaloneHTMLBuilder.write_doc sets before it writes a document."""
    uri = builder.get_target_uri(pagename)
    builder.secnumbers, builder.fignumbers = {}, {}  # type: ignore[attr-defined]
    builder.imgpath = relative_uri(uri, "_images")  # type: ignore[attr-defined]
    builder.dlpath = relative_uri(uri, "_downloads")  # type: ignore[attr-defined]
    builder.current_docname = pagename  # type: ignore[attr-defined]


def html_of(builder: Builder, document: nodes.document) -> tuple[str, str]:
    """The body and meta tags the builder's own translator writes for *document*."""
    document.settings = builder.docsettings  # type: ignore[attr-defined]
    visitor = builder.create_translator(document, builder)
    document.walkabout(visitor)
    return "".join(visitor.fragment), "".join(visitor.meta[2:])  # type: ignore[attr-defined]


class KeptFiles:
    """Files of the build's cache in one folder, named by a key: those a build did not ask for can go."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder, self.suffix = folder, suffix
        self.used: set[str] = set()

    def path(self, name: str) -> Path:
        """The file of the key *name* (there or not), used by this build."""
        self.used.add(name)
        return self.folder / f"{name}{self.suffix}"

    def prune(self) -> None:
        """Remove the files this build did not ask for."""
        if self.folder.is_dir():
            for path in self.folder.glob(f"*{self.suffix}"):
                if path.name.removesuffix(self.suffix) not in self.used:
                    path.unlink(missing_ok=True)


class TextCache:
    """The HTML of each report's text, kept by what it is made of: a report's text is most of its
    page, and the same text at the same place gives the same HTML."""

    def __init__(self, app: Sphinx, common: bytes) -> None:
        self.app = app
        self.files = KeptFiles(Path(app.doctreedir, CACHE_DIR, TEXT_DIR, app.builder.name), ".pickle.z")
        self.common = common

    def get(
        self, report: cat.Report, pagename: str, text: Callable[[], nodes.section | None]
    ) -> RenderedText:
        domain = get_domain(self.app.env)
        where = (report.file, report.title, report.id, pagename.count("/"))
        name = hashlib.sha256(self.common + canonical((text_name(domain, report), where))).hexdigest()
        path = self.files.path(name)
        try:
            found = pickle.loads(zlib.decompress(path.read_bytes()))
            if isinstance(found, RenderedText):
                return found
        except Exception:  # none yet, or damaged: made again
            pass
        rendered = self.render(report, pagename, text())
        keep(path, zlib.compress(pickle.dumps(rendered), 1))
        return rendered

    def render(self, report: cat.Report, pagename: str, text: nodes.section | None) -> RenderedText:
        """The text's HTML, written where the page has it: a section of the page's top section."""
        app = self.app
        if text is None:
            return RenderedText("", (), ())
        document = new_document(get_domain(app.env).catalogue.path, copy(document_settings(app.env)))
        top = nodes.section("", nodes.title("", report.title), ids=["report"])
        top += nodes.raw("", TEXT_MARK, format="html")
        top += text
        top += nodes.raw("", TEXT_END, format="html")
        document += top
        resolve_file_links(app, document, pagename)
        body, _ = html_of(app.builder, document)
        html = body.split(TEXT_MARK, 1)[1].split(TEXT_END, 1)[0]
        lang = search_language(app.builder)
        if lang is None:
            return RenderedText(html, (), ())
        entry = search_entry(document, report.title, lang)
        return RenderedText(html, entry.sections[1:], tuple(entry.words.split()))


def search_language(builder: Builder) -> Any:
    indexer = getattr(builder, "indexer", None)
    return indexer.lang if indexer is not None else None


def render_page(
    app: Sphinx,
    report: cat.Report,
    pagename: str,
    key: str,
    neighbours: Neighbours,
    texts: TextCache,
    pages: KeptFiles,
) -> PageRecord:
    """Build, resolve and write the page of *report*, and keep it in *pages* under *key*; what the
    search index keeps of it."""
    env, builder = app.env, app.builder
    domain = get_domain(env)
    document, text = page_doctree(env, report, pagename, neighbours)
    resolve(app, document, pagename)
    section = document[0]
    toc = local_toc(report, section, pagename)
    if text is not None:
        section += nodes.raw("", TEXT_MARK, format="html")
        toc[0][1] += toc_item(TEXT_TITLE, f"#{TEXT_ID}", pagename)
    prepare_writer(builder, pagename)
    body, metatags = html_of(builder, document)
    lang = search_language(builder)
    search = (
        search_entry(document, report.title, lang) if lang is not None else SearchEntry(report.title, (), "")
    )
    if text is not None:
        rendered = texts.get(report, pagename, text)
        body = body.replace(TEXT_MARK, rendered.html, 1)
        words = dict.fromkeys([*search.words.split(), *rendered.words])
        search = SearchEntry(search.title, search.sections + rendered.sections, " ".join(words))
    context = {
        "parents": [],
        "prev": None,
        "next": None,
        "title": escape(report.title),
        "meta": {},
        "body": body,
        "metatags": metatags + citation_tags(domain, report),
        "rellinks": builder.globalcontext["rellinks"][:],  # type: ignore[attr-defined]
        "sourcename": "",
        "display_toc": True,
        "page_source_suffix": "",
        PAGE_FLAG: True,
    }
    # the theme reads the page's table of contents and metadata as it would a document's
    env.tocs[pagename], env.metadata[pagename] = toc, {"description": " ".join(report.summary.split())}
    try:
        context["toc"] = builder.render_partial(document_toc(env, pagename, builder.tags))["fragment"]  # type: ignore[attr-defined]
        written = Path(builder.get_outfilename(pagename))  # type: ignore[attr-defined]
        # the page there may be a kept page's link: the page is written as a new file, not into it
        written.unlink(missing_ok=True)
        builder.handle_page(pagename, context, event_arg=document)  # type: ignore[attr-defined]
    finally:
        del env.tocs[pagename], env.metadata[pagename]
    output = written.relative_to(builder.outdir).as_posix()
    terms = terms_of(getattr(builder, "indexer", None), pagename, search, copy(document_settings(env)))
    cite = citable_of(domain, report)
    citations = tuple((suffix, write(cite)) for suffix, (_, write) in CITATION_FILES.items())
    page = written.read_bytes()
    keep_output(written, pages.path(key), page)
    digest = hashlib.sha256(page).hexdigest()
    return PageRecord(key, output, search, terms, citations, digest)


def records_path(app: Sphinx) -> Path:
    return Path(app.doctreedir, CACHE_DIR, f"report-pages-{app.builder.name}.pickle")


def load_records(path: Path) -> dict[str, PageRecord]:
    """The pages of the last build (nothing when there is no readable record)."""
    try:
        with open(path, "rb") as handle:
            version, records = pickle.load(handle)
    except Exception:  # a missing, damaged or foreign file: the pages are written again
        return {}
    if version != RECORDS_VERSION or not isinstance(records, dict):
        return {}
    return {k: v for k, v in records.items() if isinstance(v, PageRecord)}


def save_records(path: Path, records: dict[str, PageRecord]) -> None:
    keep(path, pickle.dumps((RECORDS_VERSION, records)))  # without it, the next build writes every page


def restored(path: Path, kept: Path, digest: str) -> bool:
    """Whether the page is in its place: there already, or put back as it was kept."""
    return path.is_file() or put_back(path, kept, digest, MAX_KEPT_PAGE)


def write_pages(app: Sphinx) -> Iterable[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: write the report pages that changed, remove those that are gone, and
    give every page to the search index. Yields nothing: the pages are written here."""
    builder = app.builder
    if not makes_pages(builder):
        return []
    env = app.env
    domain = get_domain(env)
    path = records_path(app)
    last = load_records(path)
    common = hashlib.sha256(canonical(common_key(app))).digest()  # hashed once, not with each page's parts
    outdir = Path(builder.outdir)
    neighbours = Neighbours(domain)
    with_page = {report.id for report in domain.catalogue.reports if has_page(domain, report.id)}
    wanted: dict[str, tuple[cat.Report, str]] = {}
    for report in domain.catalogue.reports:
        pagename = page_docname(report.id)
        if report.id not in with_page:
            continue
        if pagename in env.all_docs:
            warn(
                Subtype.CONFIG,
                f"{pagename} is a page of the site: it is shown at the address of the report's own "
                "page, which is not made; move that page elsewhere, or set dgx_report_pages = False",
                (pagename, 1),
            )
            continue
        wanted[pagename] = (report, page_key(common, neighbours, with_page, report))
    records: dict[str, PageRecord] = {}
    todo = []
    pages = KeptFiles(Path(app.doctreedir, CACHE_DIR, PAGES_CACHE_DIR, builder.name), ".html")
    for pagename, (_, key) in wanted.items():
        record = last.get(pagename)
        if (
            record is None
            or record.key != key
            or not restored(outdir / record.output, pages.path(key), record.digest)
        ):
            todo.append(pagename)
        else:
            records[pagename] = record
    texts = TextCache(app, hashlib.sha256(canonical(text_key(app))).digest())
    for pagename in status_iterator(todo, "writing report pages... ", "darkgreen", len(todo), app.verbosity):
        report, key = wanted[pagename]
        records[pagename] = render_page(app, report, pagename, key, neighbours, texts, pages)
    gone = [record.output for name, record in last.items() if name not in records]
    delete(outdir, [name for name in gone if name not in {r.output for r in records.values()}])
    if todo or gone:
        texts.files.prune()
        pages.prune()
    ordered = {name: records[name] for name in wanted}
    if ordered != last:
        save_records(path, ordered)
    write_citations(outdir, ordered, set(todo))
    index_pages(builder, ordered)
    return []


def index_pages(builder: Builder, records: dict[str, PageRecord]) -> None:
    """Give the pages to the site's search index, and keep them there: Sphinx prunes its index to
    the documents it read before writing it."""
    indexer = getattr(builder, "indexer", None)
    if indexer is None:
        return
    settings = copy(document_settings(builder.env))
    for pagename, record in records.items():
        terms = record.terms
        if terms is None or not all(hasattr(indexer, part) for part in INDEX_PARTS):
            indexer.feed(pagename, pagename, record.search.title, record.search.doctree(settings))
            continue
        # what feed() does for the page, from what it made of it when the page was written
        indexer._titles[pagename] = record.search.title
        indexer._filenames[pagename] = pagename
        indexer._all_titles[pagename] = list(terms.titles)
        indexer._index_entries[pagename] = []
        for term in terms.title_terms:
            indexer._title_mapping.setdefault(term, set()).add(pagename)
        for term in terms.terms:
            indexer._mapping.setdefault(term, set()).add(pagename)
    prune = indexer.prune
    pages = frozenset(records)

    def keep_pages(docnames: Iterable[str]) -> None:
        prune({*docnames, *pages})
        # a word only a removed or changed page had would stay in an index updated in place, with
        # no page (a clean build has no such word): it goes
        for mapping in (getattr(indexer, "_mapping", {}), getattr(indexer, "_title_mapping", {})):
            for word in [word for word, names in mapping.items() if not names]:
                del mapping[word]

    indexer.prune = keep_pages


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", note_builder)
    app.connect("html-collect-pages", write_pages)
    app.connect("html-page-context", skip_navigation, priority=450)
    app.connect("html-page-context", share_navigation, priority=550)
