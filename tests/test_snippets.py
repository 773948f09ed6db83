"""The same page in MyST and in reStructuredText gives the same doctree, before and after post-transforms.

As sphinx-design does: the root test-snippets holds one page twice, index.md and index.rst (two groups,
report cards with a filter, the report and group roles). Each is built on its own, the other excluded,
and its doctree is compared with ONE expected file per stage in tests/test_snippets/, shared by both:

- ``snippet_pre.xml``: ``env.get_doctree``, the doctree as read, before post-transforms;
- ``snippet_post.xml``: ``env.get_and_resolve_doctree``, references resolved and post-transforms
  applied, as the HTML builder writes it.

After a deliberate change to the nodes, regenerate both files, read their diff, and run again to see
both sources pass against them::

    .nox/tests/bin/python -m pytest tests/test_snippets.py --regen-all
    git diff tests/test_snippets/
    .nox/tests/bin/python -m pytest tests/test_snippets.py
"""

from __future__ import annotations

import re

import pytest

from support import warnings_of

SOURCES = ["index.md", "index.rst"]


def only(source: str):
    """A case building the root with *source* as its page: the other source is excluded."""
    others = [other for other in SOURCES if other != source]
    excluded = pytest.mark.sphinx(confoverrides={"exclude_patterns": ["_build", *others]})
    return pytest.param(source, marks=excluded)


def normalised(doctree, app) -> str:
    """The doctree as text (``pformat``), with what legitimately differs between the sources made equal:

    - the folder of the build (each source is built in its own copy of the root) becomes ``<srcdir>``;
    - the document's ``source``, ``<srcdir>/index.md`` or ``<srcdir>/index.rst``, becomes ``<srcdir>/index``.

    Both pages have the document name ``index``, so nothing derived from the name differs.
    """
    text = doctree.pformat().replace(str(app.srcdir), "<srcdir>")
    return re.sub(r'\bsource="<srcdir>/index\.(?:md|rst)"', 'source="<srcdir>/index"', text)


@pytest.mark.parametrize("source", [only(source) for source in SOURCES])
@pytest.mark.sphinx("html", testroot="snippets", srcdir="snippets", freshenv=True)
def test_myst_and_rst_give_the_same_doctree(app, source, file_regression):
    app.build()
    assert warnings_of(app) == []
    assert app.env.doc2path("index").name == source
    read = app.env.get_doctree("index")
    file_regression.check(normalised(read, app), basename="snippet_pre", extension=".xml")
    resolved = app.env.get_and_resolve_doctree("index", app.builder, tags=app.tags)
    file_regression.check(normalised(resolved, app), basename="snippet_post", extension=".xml")
