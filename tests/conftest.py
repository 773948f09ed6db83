"""Shared fixtures: Sphinx's own test kit, with the roots under tests/roots/; and what keeps it quick.

A test names its root with Sphinx's marker, ``@pytest.mark.sphinx("html", testroot="basic")``, and
takes ``app`` (or ``built``, the same app built). Sphinx's fixtures copy the root under the session's
temporary folder: to ``srcdir`` when the marker names one, else to a folder shared by the tests of
that root, which must then only read it. A test that changes the sources names its own ``srcdir``
(one copy per case or per test: :func:`pytest_collection_modifyitems`) and, to change them before
the app reads them, takes :func:`srcdir` and :func:`make_test_app`. Tests that only read a build
share it: ``support.shared_build`` (Sphinx's ``shared_result``: the first builds, the others read).

The helpers without fixtures are in support.py; test modules import them from there.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sphinx import jinja2glue
from sphinx.util import logging as sphinx_logging

from support import TESTS

pytest_plugins = ["sphinx.testing.fixtures"]

# The checks of the built site run under `nox -s check`, which builds it and sets DGX_SITE.
collect_ignore = [] if os.environ.get("DGX_SITE") else ["check"]

# Hypothesis: thorough by default (nox -s tests); the quick loop, -m "not slow", runs fewer examples.
settings.register_profile(
    "dgx", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dgx-quick", settings.get_profile("dgx"), max_examples=30)


def pytest_configure(config: pytest.Config) -> None:
    quick = re.search(r"\bnot\s+slow\b", config.getoption("markexpr", "") or "")
    settings.load_profile("dgx-quick" if quick else "dgx")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A ``srcdir`` names one copy of the root per test: in a parametrized test, the case's id is added
    to it; given to a whole module (``pytestmark``) or class, the test's name."""
    for item in items:
        srcdir = owner = None
        for node, marker in reversed(list(item.iter_markers_with_node("sphinx"))):  # as app_params reads
            if "srcdir" in marker.kwargs:
                srcdir, owner = marker.kwargs["srcdir"], node
        callspec = getattr(item, "callspec", None)
        if srcdir is None or (owner is item and callspec is None):
            continue
        suffix = callspec.id if owner is item else item.name
        suffix = re.sub(r"[^\w.-]+", "-", suffix).strip("-")
        item.add_marker(pytest.mark.sphinx(srcdir=f"{srcdir}-{suffix}"), append=False)


@pytest.fixture(scope="session", autouse=True)
def _templates_compiled_once():
    """Every HTML build compiles the theme's templates (pages and ``*_t`` static files) afresh in a new
    Jinja environment; the same source compiles to the same code, so the session compiles each once (half
    the time of a small build). Keyed by the source itself and the Jinja extensions; output is unchanged."""
    compiled: dict[tuple, object] = {}
    original = jinja2glue.BuiltinTemplateLoader.init

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        environment = self.environment
        compile_afresh = environment.compile
        extensions = tuple(sorted(environment.extensions))

        def compile_once(source, name=None, filename=None, raw=False, defer_init=False):
            if raw:  # Python source, not code
                return compile_afresh(source, name, filename, raw, defer_init)
            key = (extensions, source, name, filename, defer_init)
            if key not in compiled:
                compiled[key] = compile_afresh(source, name, filename, raw, defer_init)
            return compiled[key]

        environment.compile = compile_once

    jinja2glue.BuiltinTemplateLoader.init = init
    yield
    jinja2glue.BuiltinTemplateLoader.init = original


@pytest.fixture(scope="session", autouse=True)
def _no_log_records_below_those_shown():
    """Sphinx sets its logger to DEBUG and lets its handlers drop what the verbosity hides: a small
    build makes a thousand debug records (a sixth of its time) that nothing shows. The logger is set to
    the level its handlers show, so those records are not made. Status and warnings are unchanged."""
    original = sphinx_logging.setup

    def setup(app, status, warning, *args, **kwargs) -> None:
        original(app, status, warning, *args, **kwargs)
        verbosity = kwargs.get("verbosity", args[0] if args else 0)
        shown = sphinx_logging.VERBOSITY_MAP[max(verbosity, 0)]
        logging.getLogger(sphinx_logging.NAMESPACE).setLevel(shown)

    sphinx_logging.setup = setup
    yield
    sphinx_logging.setup = original


@pytest.fixture(scope="session")
def rootdir():
    return TESTS / "roots"


@pytest.fixture
def built(app):
    """The test root's app, built."""
    app.build()
    return app


@pytest.fixture
def srcdir(app_params) -> Path:
    """The test's copy of its root, to change before the app is made (see :func:`make_test_app`)."""
    return Path(app_params.kwargs["srcdir"])


@pytest.fixture
def make_test_app(make_app, app_params):
    """Makes the test's app as ``app`` does, but when called: after the test changed :func:`srcdir`
    (the app reads the catalogue when it is made). Keyword arguments override the marker's."""

    def make(**overrides):
        return make_app(*app_params.args, **{**app_params.kwargs, **overrides})

    return make
