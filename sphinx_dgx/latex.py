"""LaTeX output: report entries and working-group blocks from dgx.sty (the appendix: appendix.py),
and the handbook's title page.

Every visitor writes from the nodes it is given. The rows that only the handbook has (the
report's address online and its page in the appendix) are added to each card by
:class:`HandbookRows`, a post-transform for LaTeX. :class:`HandbookText` sets text the way the
handbook can print it: right-to-left runs in their direction, break points in tokens too long for
a line, no invisible bidi controls, and no character the handbook has no font for (each such
character in the catalogue is one warning at its entry, from :func:`check_glyphs`).

An entry with a cover shows the site's thumbnail beside its title and facts, copied from the facts
cache beside the .tex file (:func:`copy_covers`). The title page (:func:`title_page`) says what the
handbook holds and for which years, from the catalogue, who publishes it and when.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import texescape
from sphinx.util.i18n import format_date

from . import handbook
from . import nodes as dgx
from .config import get_dgx_config
from .directives import SUMMARY
from .domain import get_domain
from .facts import COVER_NAME
from .logging import warn
from .problems import Subtype
from .publishing import COVERS_URL_DIR, in_appendix, publish_or_warn, published_url, remove_stale

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.latex import LaTeXTranslator

    from .catalogue import Catalogue

TEXINPUTS = Path(__file__).parent / "texinputs"
PACKAGE = "dgx"
PACKAGES = (PACKAGE, "dgxappendix")
"""The packages shipped with every LaTeX build: dgx.sty loads dgxappendix.sty (the appendix)."""


def appendix_target(report_id: str) -> str:
    return f"dgx-report-{report_id}"


# -- visitors ------------------------------------------------------------------


NOT_SHOWN = (nodes.footnote, nodes.footnote_reference)
"""The footnotes LaTeX adds for the addresses of links (``latex_show_urls``). A screen-reader note
(:class:`~sphinx_dgx.nodes.dgx_hidden`) has no text to leave out: its note is an attribute."""


def shown_latex(self: LaTeXTranslator, node: nodes.Node) -> str:
    """The LaTeX of the text of *node* that the entry shows: without footnotes (nor screen-reader
    notes, which hold no text).

    Text is encoded; the raw LaTeX that :class:`HandbookText` put in its place is kept as it is.
    """
    parts = []
    for part in node.findall(lambda n: isinstance(n, (nodes.Text, nodes.raw))):
        if _inside(part, (*NOT_SHOWN, nodes.raw), node):
            continue
        if isinstance(part, nodes.raw):
            parts.append(part.astext() if "latex" in part.get("format", "").split() else "")
        else:
            parts.append(self.encode(part.astext()))
    return "".join(parts)


URI_SPECIALS = {"%": r"\%", "#": r"\#", "^": r"\^{}", "\\": "%5C", "{": "%7B", "}": "%7D"}
"""How an address is written in ``\\sphinxhref`` and ``\\sphinxurl``: TeX reads it again as a URL,
where every other character stands for itself (``^`` as ``\\^{}``, so that ``^^41`` stays as it is)."""


def latex_uri(uri: str) -> str:
    """An address for ``\\sphinxhref``/``\\sphinxurl``: the link and its text are the address as given."""
    return "".join(URI_SPECIALS.get(char, char) for char in uri)


def _inside(node: nodes.Node, kinds: tuple[type, ...], top: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None and parent is not top:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


def field_value(self: LaTeXTranslator, field: dgx.dgx_field) -> str:
    """A field's value as LaTeX: a link within the handbook, an address, raw LaTeX, or text."""
    [child] = field.children if len(field.children) == 1 else [None]
    if isinstance(child, nodes.raw):
        return child.astext()
    if isinstance(child, nodes.reference) and (child.get("refid") or child.get("refuri", "").startswith("%")):
        if child.get("refid"):  # on the same page
            docname, anchor = self.curfilestack[-1], child["refid"]
        else:
            docname, _, anchor = child["refuri"][1:].partition("#")
        return self.hyperlink(f"{docname}:{anchor}") + shown_latex(self, child) + "}}"
    if isinstance(child, nodes.reference) and child.get("refuri"):
        return r"\sphinxurl{%s}" % latex_uri(child["refuri"])
    return shown_latex(self, field)


def visit_report_card(self: LaTeXTranslator, node: dgx.dgx_report_card) -> None:
    """A report entry: title (linked to the report online), its facts as labelled rows, summary; its
    cover, if it has one, beside the title and facts."""
    heading = next(node.findall(dgx.dgx_heading))
    title = shown_latex(self, heading)
    link = next((n for n in heading.findall(nodes.reference) if not n.get("internal")), None)
    if link is not None and link.get("refuri"):
        title = r"\sphinxhref{%s}{%s}" % (latex_uri(link["refuri"]), title)
    fields = list(node.findall(dgx.dgx_field))
    rows = "".join("\\dgxfact{%s}{%s}\n" % (f["label"], field_value(self, f)) for f in fields if f["label"])
    summary = "".join(shown_latex(self, p) for p in node.findall(nodes.paragraph) if SUMMARY in p["classes"])
    top = "\\dgxreporttitle{%s}\n\\begin{dgxfacts}\n%s\\end{dgxfacts}\n" % (title, rows)
    cover = cover_file(node)
    if cover is not None:
        top = "\\begin{dgxbesidecover}{%s}\n%s\\end{dgxbesidecover}\n" % (cover, top)
    self.body.append(
        "\n\\begin{dgxreport}"
        + self.hypertarget_to(node, anchor=True)
        + "\n"
        + top
        + "\\dgxsummary{%s}\n\\end{dgxreport}\n" % summary
    )
    raise nodes.SkipNode


def cover_file(card: dgx.dgx_report_card) -> str | None:
    """The copy of the card's cover beside the .tex file (:func:`copy_covers`), None without a cover.

    The site's own thumbnail, from the facts cache: the handbook draws no cover of its own.
    """
    cover = next(card.findall(dgx.dgx_cover), None)
    if cover is None or not COVER_NAME.fullmatch(cover.get("name", "")):
        return None
    return f"{COVERS_URL_DIR}/{cover['name']}"


class HandbookRows(SphinxPostTransform):
    """Add to each report entry of the handbook its address online and its page in the appendix."""

    default_priority = 800
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        appendix = get_dgx_config(self.config).handbook_appendix
        for card in self.document.findall(dgx.dgx_report_card):
            report = domain.catalogue.reports_by_id.get(card["report_id"])
            if report is None:
                continue
            rows = nodes.paragraph(classes=["dgx-handbook"])
            url = published_url(self.config, domain, report)
            if url:
                link = nodes.reference("", url, refuri=url, internal=False)
                rows += dgx.dgx_field("", "", link, name="url", label="Online" if report.file else "Web page")
            if appendix and in_appendix(domain, report):
                target = appendix_target(report.id)
                page = r"\hyperlink{%s.1}{page~\pageref*{%s}}" % (target, target)
                rows += dgx.dgx_field(
                    "", "", nodes.raw("", page, format="latex"), name="page", label="In this handbook"
                )
            if rows.children:
                next(card.findall(dgx.dgx_heading)).parent += rows


# -- text the handbook can print ------------------------------------------------------------------

INVISIBLE = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufe00-\ufe0f]")
"""Bidi controls (the handbook sets right-to-left runs itself) and variation selectors (its fonts
have one form of each character): invisible, and without a glyph in the handbook's fonts."""
LONGEST_UNBROKEN = 40
"""Longer runs of characters without a space (tokens, addresses, compounds) may break anywhere."""
LONG_TOKEN = re.compile(rf"(\S{{{LONGEST_UNBROKEN + 1},}})")
RIGHT_TO_LEFT = ("R", "AL")


def direction_runs(text: str) -> Iterator[tuple[str, bool]]:
    """*text* as runs of ``(text, right_to_left)``: a right-to-left run goes from a Hebrew or Arabic
    letter to the last such letter before a left-to-right one, with the spaces, digits and
    punctuation between (Unicode's rule for neutral characters between strong ones, simplified)."""
    start = end = None
    done = 0
    for index, char in enumerate(text):
        direction = unicodedata.bidirectional(char)
        if direction in RIGHT_TO_LEFT:
            start = index if start is None else start
            end = index + 1
        elif direction == "L" and start is not None:
            yield from ((text[done:start], False), (text[start:end], True))
            done, start = end, None
    if start is not None:
        yield from ((text[done:start], False), (text[start:end], True))
        done = end
    yield text[done:], False


def breakable(text: str, escape: Callable[[str], str]) -> str:
    """*text* as LaTeX, with a break point between the characters of each overlong token."""
    return "".join(
        r"\dgxbreak{}".join(map(escape, piece)) if index % 2 else escape(piece)
        for index, piece in enumerate(LONG_TOKEN.split(text))
    )


def handbook_latex(text: str, escape: Callable[[str], str], leave_out: str = "") -> str | None:
    """*text* as the handbook prints it (see the module's docstring); None when escaping it is enough.

    *leave_out*: characters the handbook has no font for, already reported.
    """
    kept = "".join(char for char in INVISIBLE.sub("", text) if char not in leave_out)
    runs = [(piece, rtl) for piece, rtl in direction_runs(kept) if piece]
    if kept == text and not any(rtl for _, rtl in runs) and not LONG_TOKEN.search(kept):
        return None
    return "".join(
        r"\dgxrtl{%s}" % breakable(piece, escape) if rtl else breakable(piece, escape) for piece, rtl in runs
    )


def text_kind(node: nodes.Node) -> str | None:
    """What a piece of text is: ``"title"`` or ``"body"`` of a catalogue entry (see
    :data:`handbook.TEXT_FONTS`), None when it is the page's own."""
    kind = None
    parent = node.parent
    while parent is not None:
        if isinstance(parent, dgx.dgx_heading) or "dgx-xref" in parent.get("classes", ()):
            return "title"
        if isinstance(parent, dgx.ALL_NODES):
            kind = "body"
        parent = parent.parent
    return kind


def prose_kind(node: nodes.Node) -> str:
    """The fonts a page's own text is set in: a heading's (``"title"``) or the body's."""
    return "title" if _inside(node, (nodes.title,), None) else "body"


def as_written(text: nodes.Text) -> bool:
    """Text printed as written: code, raw output, or an address shown as the link's own text."""
    parent = text.parent
    if isinstance(parent, nodes.reference) and parent.get("refuri") == text.astext():
        return True
    while parent is not None:
        if isinstance(parent, (nodes.FixedTextElement, nodes.literal, nodes.raw, nodes.math)):
            return True
        parent = parent.parent
    return False


def safe_uri(uri: str) -> str:
    """An external address that Sphinx's own LaTeX links carry intact: the characters Sphinx would
    spell as TeX text (``^`` as ``\\textasciicircum{}``) percent-encoded, as a browser sends them."""
    if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", uri):
        return uri  # within the handbook
    return re.sub(r"[\^\\{}]", lambda special: f"%{ord(special[0]):02X}", uri)


class HandbookText(SphinxPostTransform):
    """Text the way the handbook can print it (see the module's docstring), and intact link addresses.

    Each text that needs more than escaping becomes raw LaTeX; the entries' visitors keep it.
    """

    default_priority = 350  # before Sphinx's footnotes with the addresses of links (400)
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        engine = self.config.latex_engine

        def escape(text: str) -> str:
            return texescape.escape(text, engine)

        for reference in self.document.findall(nodes.reference):
            if reference.get("refuri") and not _inside(reference, (dgx.dgx_report_card,), self.document):
                reference["refuri"] = safe_uri(reference["refuri"])
        fonts_known = knows_fonts(self.config)
        for text in list(self.document.findall(nodes.Text)):
            if as_written(text):
                continue
            kind = text_kind(text)
            missing = handbook.glyphless(text.astext(), kind or prose_kind(text)) if fonts_known else None
            if missing and kind is None:  # the page's own text; the catalogue's is reported by check_glyphs
                warn(
                    Subtype.NO_GLYPH,
                    f"the PDF handbook has no font for {', '.join(map(described, missing))}: write it in "
                    "words or remove it (the handbook leaves it out; the web site shows it)",
                    text.parent,
                )
            latex = handbook_latex(text.astext(), escape, "".join(missing or ()))
            if latex is not None:
                text.parent.replace(text, nodes.raw("", latex, format="latex"))


def knows_fonts(config: Config) -> bool:
    """Whether the handbook's fonts are known: xelatex with Sphinx's fonts (:data:`handbook.TEXT_FONTS`)."""
    return config.latex_engine == "xelatex" and "fontpkg" not in config.latex_elements


def check_glyphs(app: Sphinx) -> None:
    """``builder-inited``: one warning for each catalogue entry with characters the handbook has no
    font for (when :func:`knows_fonts`)."""
    if app.builder.format != "latex" or not knows_fonts(app.config):
        return
    catalogue = get_domain(app.env).catalogue
    for kind, entries, fields in (
        ("working group", catalogue.groups, (("name", "title"), ("summary", "body"))),
        ("report", catalogue.reports, (("title", "title"), ("summary", "body"), ("reference", "body"))),
    ):
        for entry in entries:
            texts = [(name, getattr(entry, name) or "", font) for name, font in fields]
            texts += [(f"link {link.title!r}", link.title, "body") for link in getattr(entry, "links", ())]
            found = [(name, handbook.glyphless(text, font)) for name, text, font in texts]
            listed = [f"{', '.join(map(described, chars))} in its {name}" for name, chars in found if chars]
            if listed:
                warn(
                    Subtype.NO_GLYPH,
                    f"{kind} {entry.id!r}: the PDF handbook has no font for {'; '.join(listed)}: write it "
                    "in words or remove it (the handbook leaves it out; the web site shows it)",
                    f"{catalogue.path}:{entry.line}",
                )


def described(char: str) -> str:
    """``'🚀' (U+1F680 ROCKET)``."""
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


def _environment(name: str) -> tuple[Any, Any]:
    def visit(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f"\n\\begin{{{name}}}" + self.hypertarget_to(node, anchor=bool(node["ids"])) + "\n")

    def depart(self: LaTeXTranslator, node: nodes.Element) -> None:
        self.body.append(f"\n\\end{{{name}}}\n")

    return visit, depart


def visit_heading(self: LaTeXTranslator, node: dgx.dgx_heading) -> None:
    self.body.append("\n\\dgxheading{")


def depart_heading(self: LaTeXTranslator, node: dgx.dgx_heading) -> None:
    self.body.append("}\n")


LATEX_VISITORS: dict[type[nodes.Element], tuple[Any, Any]] = {
    dgx.dgx_reports: _environment("dgxreports"),
    dgx.dgx_report_card: (visit_report_card, None),
    dgx.dgx_working_groups: _environment("dgxgroups"),
    dgx.dgx_working_group: _environment("dgxgroup"),
    dgx.dgx_heading: (visit_heading, depart_heading),
    dgx.dgx_field: (lambda self, node: None, lambda self, node: None),
}


# -- the title page and the covers ------------------------------------------------------------

HOLDS = "Reports of the working groups"
"""What the handbook holds: the first words of its subtitle, the years follow."""
DATE_FORMAT = "%-d %B %Y"
"""The date on the title page, ``1 December 2021``, unless the project sets ``today`` or ``today_fmt``."""
TITLE_COVERS = 8
"""The most covers the title page shows, the newest reports': two rows of four."""


def subtitle(catalogue: Catalogue) -> str:
    """What the handbook holds and for which years: ``Reports of the working groups, 2021`` for one
    year, the first and the last joined by an en dash for more (the years of the catalogue's groups
    and reports)."""
    years = catalogue.years
    if not years:
        return HOLDS
    first, last = min(years), max(years)
    return f"{HOLDS}, {first}" if first == last else f"{HOLDS}, {first}\N{EN DASH}{last}"


def title_date(config: Config) -> str:
    """The date on the title page: ``today``, else the build's date (that of ``SOURCE_DATE_EPOCH``
    when it is set) in ``today_fmt`` or :data:`DATE_FORMAT`."""
    if config.today:
        return config.today
    return format_date(config.today_fmt or DATE_FORMAT, language=config.language)


def title_page(app: Sphinx, env: BuildEnvironment | None = None) -> None:
    """``env-updated`` (once the files are measured: it shows covers): the handbook's title page,
    ``\\dgxtitlepage`` in dgx.sty, unless the project sets its own (``latex_elements['maketitle']``)
    or a document is not a ``manual``."""
    config = app.config
    if app.builder.format != "latex" or "maketitle" in config.latex_elements:
        return
    if any(len(document) < 5 or document[4] != "manual" for document in config.latex_documents):
        return
    domain = get_domain(app.env)
    names = [cover.name for r in domain.catalogue.select_reports() if (cover := domain.cover(r.id))]
    covers = "".join(
        f"\\dgxtitlecover{{{COVERS_URL_DIR}/{name}}}"
        for name in list(dict.fromkeys(names))[:TITLE_COVERS]
        if COVER_NAME.fullmatch(name)
    )
    escape = functools.partial(texescape.escape, latex_engine=config.latex_engine)
    app.builder.context["maketitle"] = "\\dgxtitlepage{%s}{%s}{%s}" % (
        escape(subtitle(domain.catalogue)),
        escape(title_date(config)),
        covers,
    )


def copy_covers(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: the reports' covers beside the .tex file, at ``_dgx/covers/<name>`` as on
    the site: copies of the thumbnails in the facts cache. Covers of an earlier build that no report
    has any more are removed."""
    if exception is not None or app.builder.format != "latex":
        return
    domain = get_domain(app.env)
    catalogue = domain.catalogue
    root = Path(app.outdir, COVERS_URL_DIR)
    wanted = {}
    for report in catalogue.reports:
        cover = domain.cover(report.id)
        if cover is not None:
            wanted.setdefault(root / cover.name, (Path(cover.path), report))
    remove_stale(root, keep=set(wanted))
    for target, (source, report) in wanted.items():
        what = f"report {report.id!r}: cover {f'{COVERS_URL_DIR}/{target.name}'!r} (for the handbook)"
        publish_or_warn(source, target, f"{catalogue.path}:{report.line}", what)


# -- set-up and files ------------------------------------------------------------


def add_package(app: Sphinx, config: Config) -> None:
    """``config-inited``: ship dgx.sty with every LaTeX build and load it; and, for the LaTeX builder,
    set the handbook's text (:class:`HandbookText`), check the catalogue's characters against its
    fonts (:func:`check_glyphs`), make its title page (:func:`title_page`) and copy the covers of its
    entries (:func:`copy_covers`)."""
    for package in PACKAGES:
        sty = os.fspath(TEXINPUTS / f"{package}.sty")
        if sty not in config.latex_additional_files:
            config.latex_additional_files.append(sty)
    app.add_latex_package(PACKAGE, after_hyperref=True)
    app.add_post_transform(HandbookText)
    app.connect("builder-inited", check_glyphs)
    app.connect("env-updated", title_page, priority=600)  # after the files are measured (100)
    app.connect("build-finished", copy_covers)
