"""Reference tables generated from sphinx_dgx itself, so the docs cannot drift from the code.

``dgx-doc-config``, ``dgx-doc-warnings`` and ``dgx-doc-options`` (argument: a directive name).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from sphinx_dgx.config import PREFIX, config_fields
from sphinx_dgx.directives import (
    DIRECTIVE_GROUPS,
    DIRECTIVE_REPORTS,
    ReportsDirective,
    WorkingGroupsDirective,
)
from sphinx_dgx.problems import Subtype


def _inline_rst(text: str) -> list[nodes.Node]:
    """Render ``double-backquoted`` parts as literals; the rest stays text."""
    parts = text.split("``")
    return [nodes.literal(p, p) if i % 2 else nodes.Text(p) for i, p in enumerate(parts) if p]


def _entry(term: str, *paragraphs: tuple[str, str]) -> nodes.definition_list_item:
    item = nodes.definition_list_item()
    item += nodes.term("", "", nodes.literal(term, term))
    definition = nodes.definition()
    for label, text in paragraphs:
        para = nodes.paragraph()
        if label:
            para += nodes.strong(label, label)
            para += nodes.Text(" ")
        para.extend(_inline_rst(text))
        definition += para
    item += definition
    return item


class ConfigReference(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        dl = nodes.definition_list()
        for f in config_fields():
            dl += _entry(
                f"{PREFIX}{f.name}",
                ("", f.metadata["help"]),
                ("Default:", f"``{list(f.default) if isinstance(f.default, tuple) else f.default!r}``"),
                (
                    "Changing it rebuilds:",
                    "every page (``env``)"
                    if f.metadata["rebuild"] == "env"
                    else "the HTML output (``html``)",
                ),
            )
        return [dl]


class WarningsReference(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        dl = nodes.definition_list()
        for subtype in Subtype:
            dl += _entry(
                f"dgx.{subtype.value}",
                ("", subtype.description),
                ("Example:", f"``{subtype.example}``"),  # what the build prints, as printed
                ("Fix:", subtype.fix),
            )
        return [dl]


class OptionsReference(SphinxDirective):
    required_arguments = 1
    classes: dict[str, Any] = {DIRECTIVE_REPORTS: ReportsDirective, DIRECTIVE_GROUPS: WorkingGroupsDirective}

    def run(self) -> list[nodes.Node]:
        cls = self.classes[self.arguments[0]]
        dl = nodes.definition_list()
        for option in cls.option_spec:
            dl += _entry(f":{option}:", ("", cls.option_help[option]))
        return [dl]


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("dgx-doc-config", ConfigReference)
    app.add_directive("dgx-doc-warnings", WarningsReference)
    app.add_directive("dgx-doc-options", OptionsReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
