"""After a change to the site's navigation, the next build writes every page again.

Every page carries the whole navigation: furo's sidebar shows the site's toctree with each
page's title, and each page links the previous and next pages by their titles. Sphinx writes
only the pages it read again, so after a page is added, removed or renamed, or a title or a
toctree changes, the other pages keep the old navigation; and the output of a removed page
stays. A fingerprint of the navigation (the documents with their titles and tables of contents,
toctrees included), kept in the domain's data for each builder, tells the next build to write
every page again when it changed, and the search index from nothing (the last build's would keep
the words no page has any more). HTML builders also delete what they wrote for documents that
are gone (the page and its copied source), so an incremental build gives what a clean one does.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.environment.collectors import EnvironmentCollector

from .domain import get_domain
from .logging import logger
from .publishing import is_site

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment


def fingerprint(env: BuildEnvironment) -> str:
    """A digest of what the navigation is made of: the root document, then each document's title and toc.

    A table of contents holds the document's section titles and copies of its toctree nodes (entries,
    caption, options), so it covers the toctree structure as well as what any theme's toctree shows.
    """
    docs = [[doc, str(env.titles.get(doc, "")), str(env.tocs.get(doc, ""))] for doc in sorted(env.found_docs)]
    text = json.dumps([env.config.root_doc, docs], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def writes_pages(builder: Builder) -> bool:
    """Whether the builder writes a page for each document into the site's output folder (not EPUB)."""
    return is_site(builder) and hasattr(builder, "get_outfilename")


def output_files(builder: Builder, env: BuildEnvironment) -> list[str]:
    """The files an HTML builder writes for the documents, relative to its output folder.

    The page, where the builder itself puts it (``get_outfilename``: dirhtml's ``name/index.html``
    too), and the copy of the source under ``_sources/``, named as Sphinx names it.
    """
    if not writes_pages(builder):
        return []
    config, outdir = builder.config, Path(builder.outdir)
    copy_source = getattr(builder, "copysource", False) and config.html_copy_source
    files = set()
    for doc in env.found_docs:
        files.add(Path(builder.get_outfilename(doc)).relative_to(outdir).as_posix())
        if copy_source:
            suffix = str(env.doc2path(doc, False))[len(doc) :]
            link_suffix = config.html_sourcelink_suffix if suffix != config.html_sourcelink_suffix else ""
            files.add(f"_sources/{doc}{suffix}{link_suffix}")
    return sorted(files)


def delete(outdir: Path, names: Iterable[str]) -> None:
    """Delete the files *names* (relative to *outdir*), and the folders they leave empty; nothing outside."""
    root = outdir.resolve()
    for name in names:
        path = root / name
        if not (path.resolve().is_relative_to(root) and path.is_file()):
            continue
        path.unlink()
        for folder in path.parents:
            if folder == root or any(folder.iterdir()):
                break
            folder.rmdir()


class NavigationCollector(EnvironmentCollector):
    """Keeps nothing for each document: after reading, compares the whole navigation with the last build's."""

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        pass

    def merge_other(
        self, app: Sphinx, env: BuildEnvironment, docnames: Set[str], other: BuildEnvironment
    ) -> None:
        pass

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        """``env-get-updated`` (main process, after every merge): every document when the navigation changed.

        Also deletes the output of documents that are gone. Without a record for this builder (a
        fresh environment reads everything anyway), every document too. Sphinx's own collectors,
        registered first, have numbered the sections by now: the tables of contents are complete.
        """
        builder, domain = app.builder, get_domain(env)
        digest, files = fingerprint(env), output_files(builder, env)
        last = domain.navigation(builder.name)
        domain.note_navigation(builder.name, digest, files)
        if last is None:
            return sorted(env.found_docs)
        stale = set(last[1]) - set(files)
        changed = last[0] != digest
        if changed and writes_pages(builder):
            # every page is indexed again: the last build's index would keep the terms that are gone
            stale.add(builder.searchindex_filename)  # type: ignore[attr-defined]
        delete(Path(builder.outdir), sorted(stale))
        if not changed:
            return []
        logger.info("dgx: the site's navigation changed: writing every page again")
        return sorted(env.found_docs)


def setup_navigation(app: Sphinx) -> None:
    """Register the collector of this module."""
    app.add_env_collector(NavigationCollector)
