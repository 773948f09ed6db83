"""Builder-neutral nodes: what the directives show, never how.

Each node subclasses a standard docutils node, so a builder without a dedicated
visitor (text, man, texinfo, ...) renders it as that standard node: a readable
block or paragraph. HTML visitors live in :mod:`sphinx_dgx.html`.
"""

from __future__ import annotations

from docutils import nodes


class dgx_reports(nodes.container):
    """The list of report cards of one ``dgx-reports`` directive."""


class dgx_report_card(nodes.container):
    """One report; attribute ``report_id``; ``unbound`` (``card`` or ``page``: on the report's own
    page) until what it shows of its file is put in after reading
    (:class:`sphinx_dgx.directives.BindFileFacts`), so no builder meets it."""


class dgx_card_body(nodes.container):
    """The main part of a card: title, byline, summary."""


class dgx_card_footer(nodes.container):
    """The end of a card: what following its link gives (a download, a site)."""


class dgx_working_groups(nodes.container):
    """The working-group summaries of one ``dgx-working-groups`` directive."""


class dgx_working_group(nodes.container):
    """One working group; attribute ``group_id``."""


class dgx_heading(nodes.paragraph):
    """The title of a card or a group: a heading one level below its section in HTML."""


class dgx_cover(nodes.General, nodes.Element):
    """A report's cover thumbnail, decorative (the title names the report), for the web site only.

    Attributes: ``src`` (the image file), ``name`` (its published name), ``width`` and
    ``height`` (as shown, in CSS pixels).
    """


class dgx_file_link(nodes.inline):
    """A link to a report file; attribute ``file`` is its name under ``files/``.

    Once references are resolved it becomes a link for the builder at hand
    (:func:`sphinx_dgx.transforms.resolve_file_links`).
    """


class dgx_field(nodes.inline):
    """One fact of a card, as a reader sees it: attributes ``name`` and ``label``.

    The HTML card shows the fields inside its sentences ("by the DGX Cloud WG · 2021"); the
    handbook lists them as labelled rows (Working group, Year, File, ...). Its children are
    the value, as inline nodes.
    """


class dgx_hidden(nodes.inline):
    """Text for screen readers only: part of a link's accessible name that the page does not show;
    attribute ``note``.

    HTML writes it in a visually hidden span; builders without screen readers leave it out. A leaf
    (the note is an attribute, not a child): it is no part of the page's text as Sphinx reads it
    (the search index), and a card holds two nodes fewer for every transform to walk.
    """


ALL_NODES = (
    dgx_reports,
    dgx_report_card,
    dgx_card_body,
    dgx_card_footer,
    dgx_working_groups,
    dgx_working_group,
    dgx_heading,
    dgx_cover,
    dgx_file_link,
    dgx_field,
    dgx_hidden,
)
