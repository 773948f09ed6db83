"""After an interrupted build, the next one redoes everything.

Sphinx keeps the environment it pickled before a build was killed, then writes only the pages
it thinks are out of date: the search index comes out incomplete, and output that was half
written may stay. A marker in the doctree folder, set when a build starts and removed when it
finishes cleanly, tells the next build to read and write every page again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .domain import get_domain
from .logging import logger

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

MARKER = "dgx-build-incomplete"


def _marker(app: Sphinx) -> Path:
    return Path(app.doctreedir, f"{MARKER}-{app.builder.name}")


def start(app: Sphinx) -> bool:
    """Mark this build as running; whether the last one did not finish (:mod:`~sphinx_dgx.collect` asks).

    The answer goes into the snapshot of the build's inputs, where :func:`outdated` reads it.
    """
    marker = _marker(app)
    interrupted = marker.exists()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    return interrupted


def outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """``env-get-outdated``: every document, when the last build did not finish."""
    if get_domain(env).last_build_interrupted():
        logger.info("dgx: the last build did not finish: reading and writing every page again")
        return sorted(env.found_docs)
    return []


def finish(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``: a build that ended without an error is complete."""
    if exception is None:
        _marker(app).unlink(missing_ok=True)
