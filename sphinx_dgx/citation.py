"""How to cite a report: a formatted citation, BibTeX, RIS, CSL-JSON, Highwire Press tags and schema.org.

Pure functions of one :class:`Citable`; this module imports no Sphinx. A report's page shows
:func:`formatted` under "Cite this report", offers :func:`bibtex`, :func:`ris` and :func:`csl_json`
as downloads, and carries :func:`highwire` (``<meta name="citation_…">``, read by Google Scholar and
Zotero) and :func:`schema_report` (JSON-LD) in its head.

Text is data, never markup. A :class:`Citable` holds each text field as one line of plain text:
control and format characters (C0, DEL, C1, bidi embeddings and overrides, U+FEFF...) and lone
surrogates are removed, except the zero-width joiner and non-joiner, which belong to words and emoji;
every run of white space, line breaks included (``\\n``, ``\\r``, U+0085, U+2028...), is one space.
A URL loses its control characters and its outer white space, and whatever a URL cannot hold as it
is (space, ``"``, ``<``, ``>``, braces, backslash, non-ASCII...) is percent-encoded. Then each
format escapes what it needs:

* BibTeX: LaTeX's special characters and quotes become commands, so that braces stay balanced,
  no value can end its field or entry, and LaTeX prints the text as written (:func:`bibtex_text`);
* RIS: nothing more: a value on one line cannot start a tag, ``ER  -`` included;
* CSL-JSON: JSON, with ``<``, ``>`` and ``&`` written ``\\u003c``, ``\\u003e``, ``\\u0026``, so that
  the same text may also be put inside a ``<script>`` element.

What callers must escape: :func:`formatted` and the values of :func:`highwire` are plain text, not
HTML: write them with ``html.escape(value, quote=True)`` (an element's text or an attribute value
in double quotes). :func:`schema_report` is a dict: write it into ``<script type="application/ld+json">``
with :func:`sphinx_dgx.feeds.script_json`, which keeps ``</script>`` and ``<!--`` in the text as
text, never with a bare ``json.dumps``. The downloads are files: serve them as they are, in UTF-8.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from .catalogue import Report, WorkingGroup

PDF_MIME = "application/pdf"
_REMOVED = frozenset({"Cc", "Cf", "Cs"})
"""Unicode categories taken out of text: control, format, and surrogate code points."""
_JOINERS = frozenset("\u200c\u200d")
"""Zero-width non-joiner and joiner: format characters that are part of words and emoji sequences."""
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"
"""What a URL keeps as it is besides letters, digits and ``-._``: RFC 3986's reserved characters,
``%`` of what is already encoded, and ``~``."""
_BIBTEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
        '"': r"\textquotedbl{}",
        "'": r"\textquotesingle{}",
        "`": r"\textasciigrave{}",
    }
)
"""LaTeX's special characters as commands, and the quotes that fonts would curl. ``\\{`` would not do:
BibTeX counts every brace, escaped or not, so a lone ``\\{`` would leave the value unbalanced; each
replacement here balances."""
_LIGATURE = re.compile(r"([-,])(?=\1)")
"""The first of ``--`` or ``,,``, which fonts would join into a dash or a low quote."""
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")
_LANGID = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
}
"""biblatex's ``langid`` (a babel language) of a language code; other languages get none."""


# -- text ----------------------------------------------------------------------------------------


def plain(text: str) -> str:
    """*text* as one line of plain text (see the module's docstring): what every format is given."""
    kept = "".join(
        char
        for char in text
        if char.isspace() or char in _JOINERS or unicodedata.category(char) not in _REMOVED
    )
    return " ".join(kept.split())


def web_address(url: str) -> str:
    """*url* without control characters or outer white space, and percent-encoded where a URL must be."""
    kept = "".join(char for char in url if unicodedata.category(char) not in _REMOVED).strip()
    return quote(kept, safe=_URL_SAFE)


@dataclass(frozen=True)
class Citable:
    """What a citation of a report is made of.

    Every text is kept as :func:`plain` gives it, every URL as :func:`web_address` does; a
    *reference* that holds nothing is None.
    """

    id: str
    title: str
    publisher: str
    """The institution that is the author, e.g. "Digital Government Exchange"."""
    group: str
    """The name of the working group, e.g. "Cloud WG"."""
    year: int
    page_url: str
    """The report's page: absolute when the site has a base URL, else site-relative."""
    pdf_url: str | None
    """The report's file (None: not published)."""
    summary: str
    reference: str | None = None
    """The report's own reference code."""
    language: str = "en"
    pages: int | None = None
    date_modified: str | None = None
    """When the report was last changed, as ISO 8601 (``2021-06-30``)."""

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise TypeError(f"year must be an int, not {self.year!r}")
        if self.pages is not None and (isinstance(self.pages, bool) or not isinstance(self.pages, int)):
            raise TypeError(f"pages must be an int or None, not {self.pages!r}")
        for name in ("id", "title", "publisher", "group", "summary", "language"):
            object.__setattr__(self, name, plain(getattr(self, name)))
        for name in ("reference", "date_modified"):
            value = getattr(self, name)
            object.__setattr__(self, name, None if value is None else plain(value) or None)
        object.__setattr__(self, "page_url", web_address(self.page_url))
        if self.pdf_url is not None:
            object.__setattr__(self, "pdf_url", web_address(self.pdf_url) or None)

    @property
    def kind(self) -> str:
        """What sort of report it is: ``"Cloud WG report"`` (BibTeX ``type``, RIS ``M3``, CSL ``genre``)."""
        return f"{self.group} report" if self.group else "Report"


def citable(
    report: Report,
    group: WorkingGroup,
    publisher: str,
    page_url: str,
    pdf_url: str | None,
    pages: int | None = None,
    *,
    date_modified: str | None = None,
    language: str = "en",
) -> Citable:
    """The :class:`Citable` of a report of the catalogue, written by *group* and published by *publisher*."""
    if report.group != group.id:
        raise ValueError(f"report {report.id!r} belongs to {report.group!r}, not to {group.id!r}")
    return Citable(
        id=report.id,
        title=report.title,
        publisher=publisher,
        group=group.name,
        year=report.year,
        page_url=page_url,
        pdf_url=pdf_url,
        summary=report.summary,
        reference=report.reference,
        language=language,
        pages=pages,
        date_modified=date_modified,
    )


# -- a formatted citation --------------------------------------------------------------------------


def _sentence(text: str) -> str:
    """*text* ended with a full stop, unless it ends with one already (or with ``?`` or ``!``)."""
    return text if text.endswith((".", "?", "!")) else text + "."


def formatted(c: Citable) -> str:
    """One citation as plain text, in APA style (7th edition) for a report by a group author.

    ``Digital Government Exchange. (2021). Cloud governance (Cloud WG report DGX-7).
    https://example.org/reports/cloud-2021.html``: the institution is the author; the kind of report
    and its number follow the title in parentheses; the publisher is not repeated, as it is the
    author; then the report's page. Italics (the title) are left to the page that shows it.
    """
    number = f"{c.kind} {c.reference}" if c.reference else c.kind
    work = f"{c.title} ({number})." if c.title else f"({number})."
    parts = [_sentence(c.publisher), f"({c.year}).", work] if c.publisher else [work, f"({c.year})."]
    if c.page_url:
        parts.append(c.page_url)
    return " ".join(parts)


# -- BibTeX ----------------------------------------------------------------------------------------


def bibtex_text(text: str) -> str:
    """*text* (plain) as the value of a BibTeX field, printed as written: special characters and quotes
    as LaTeX commands, ``--`` and ``,,`` split by ``{}`` (no dash, no low quote), UTF-8 kept."""
    return _LIGATURE.sub(r"\1{}", text.translate(_BIBTEX))


def _braced(value: str) -> str:
    """*value* (BibTeX text) in braces of its own: kept as it is, never case-changed or split into names.

    A group that starts with a command would be one "special character" to BibTeX, whose letters it
    may change: an empty group first keeps it a plain group.
    """
    return "{" + ("{}" if value.startswith("\\") else "") + value + "}"


def bibtex_key(ident: str) -> str:
    """A citation key from a report's id: ASCII letters, digits and ``-_.:`` (``report`` if none)."""
    ascii_only = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii")
    return _KEY_UNSAFE.sub("-", ascii_only).strip("-") or "report"


def bibtex(c: Citable) -> str:
    """A BibTeX entry: ``@techreport``, which BibTeX's standard styles and biblatex both know.

    biblatex reads ``@techreport`` as its ``@report`` (whose ``type`` our ``type`` field replaces);
    ``@report`` alone would be unknown to BibTeX's styles. ``author = {{…}}`` in double braces is one
    institution, never split into given and family names; the title in double braces keeps its
    case. ``type`` is the kind of report ("Cloud WG report"), ``number`` the reference; biblatex's
    ``pagetotal`` and ``langid`` are left out when unknown. Every text is :func:`bibtex_text`;
    non-ASCII is kept as UTF-8 (biber, and LaTeX's UTF-8 input); ``url`` is written as it is,
    percent-encoded, as BibTeX styles and biblatex read that field verbatim.
    """
    fields: list[tuple[str, str]] = [
        ("author", _braced(bibtex_text(c.publisher)) if c.publisher else ""),
        ("title", _braced(bibtex_text(c.title)) if c.title else ""),
        ("institution", bibtex_text(c.publisher)),
        ("type", bibtex_text(c.kind)),
        ("number", bibtex_text(c.reference or "")),
        ("year", str(c.year)),
        ("url", c.page_url),
        ("abstract", bibtex_text(c.summary)),
        ("pagetotal", str(c.pages) if c.pages is not None else ""),
        ("langid", _LANGID.get(c.language, "")),
    ]
    lines = [f"  {name} = {{{value}}}" for name, value in fields if value]
    return f"@techreport{{{bibtex_key(c.id)},\n" + ",\n".join(lines) + "\n}\n"


# -- RIS -------------------------------------------------------------------------------------------


def ris(c: Citable) -> str:
    """A RIS record, ``TY  - RPRT`` to ``ER  - ``, one tag a line, lines ended by CRLF.

    Tags as Zotero and EndNote read a report: ``AU`` the institution, ``PB`` the institution again
    (Zotero's *institution*), ``M3`` the kind of report, ``SN`` the reference (the report number of
    an ``RPRT``; Zotero files ``M1`` under *Extra*), ``UR`` the page, ``L1`` the PDF, ``AB`` the
    summary. Every value is one line (:func:`plain`), so none can start a tag or end the record.
    RIS has no mark for an institution: one whose name holds a comma is read as "family, given".
    """
    tags = [
        ("TY", "RPRT"),
        ("ID", bibtex_key(c.id)),
        ("AU", c.publisher),
        ("TI", c.title),
        ("PY", str(c.year)),
        ("PB", c.publisher),
        ("M3", c.kind),
        ("SN", c.reference or ""),
        ("UR", c.page_url),
        ("L1", c.pdf_url or ""),
        ("AB", c.summary),
        ("LA", c.language),
    ]
    lines = [f"{tag}  - {value}" for tag, value in tags if value]
    return "\r\n".join([*lines, "ER  - "]) + "\r\n"


# -- CSL-JSON --------------------------------------------------------------------------------------


def csl_item(c: Citable) -> dict[str, Any]:
    """The report as one CSL-JSON item (``type: report``), without the fields it has no value for."""
    item: dict[str, Any] = {
        "id": bibtex_key(c.id),
        "type": "report",
        "title": c.title,
        "author": [{"literal": c.publisher}] if c.publisher else [],
        "issued": {"date-parts": [[c.year]]},
        "publisher": c.publisher,
        "genre": c.kind,
        "number": c.reference,
        "URL": c.page_url,
        "abstract": c.summary,
        "language": c.language,
        "number-of-pages": c.pages,
    }
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def csl_json(c: Citable) -> str:
    """A CSL-JSON array of one :func:`csl_item`: sorted keys, two-space indent, UTF-8 text, ending in
    a new line; ``<``, ``>`` and ``&`` as JSON escapes (the same data, safe inside ``<script>``)."""
    text = json.dumps([csl_item(c)], ensure_ascii=False, indent=2, sort_keys=True)
    return text.translate(_SCRIPT_SAFE) + "\n"


# -- the head of a report's page ---------------------------------------------------------------------


def highwire(c: Citable) -> list[tuple[str, str]]:
    """Highwire Press ``<meta name="…" content="…">`` pairs, without those that have no value.

    Values are plain text: escape each with ``html.escape(value, quote=True)``. Google Scholar
    wants absolute URLs: ``citation_pdf_url`` and ``citation_public_url`` are as absolute as the
    :class:`Citable`'s.
    """
    pairs = [
        ("citation_title", c.title),
        ("citation_author", c.publisher),
        ("citation_publication_date", f"{c.year:04d}"),
        ("citation_pdf_url", c.pdf_url or ""),
        ("citation_public_url", c.page_url),
        ("citation_publisher", c.publisher),
        ("citation_technical_report_institution", c.publisher),
        ("citation_technical_report_number", c.reference or ""),
        ("citation_language", c.language),
    ]
    return [(name, value) for name, value in pairs if value]


def schema_report(c: Citable) -> dict[str, Any]:
    """A schema.org ``Report`` for JSON-LD (write it with :func:`sphinx_dgx.feeds.script_json`).

    The institution is ``author`` and ``publisher``; the working group, which wrote the report for
    it, is a ``contributor`` (not ``about``: the report is not about the group; not ``isPartOf``,
    which names a creative work). The PDF is the ``encoding``, a ``MediaObject``.
    """
    institution = {"@type": "Organization", "name": c.publisher}
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": c.title,
        "author": institution,
        "publisher": institution,
        "contributor": {"@type": "Organization", "name": c.group} if c.group else None,
        "datePublished": f"{c.year:04d}",
        "dateModified": c.date_modified,
        "url": c.page_url or None,
        "reportNumber": c.reference,
        "inLanguage": c.language or None,
        "abstract": c.summary or None,
        "numberOfPages": c.pages,
    }
    if c.pdf_url:
        item["encoding"] = {"@type": "MediaObject", "contentUrl": c.pdf_url, "encodingFormat": PDF_MIME}
    return {key: value for key, value in item.items() if value is not None}
