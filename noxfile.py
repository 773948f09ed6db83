"""Development automation: build the site and the handbook, run the tests, lint, preview.

``nox -s docs`` builds the HTML site; ``nox -s pdf`` the PDF handbook; ``nox -s tests`` runs the tests.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_venv = "yes"

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
RTD_SLUG = "sphinx-dgx"


# -- Helpers -----------------------------------------------------------------


def install(session: nox.Session, *extras: str) -> None:
    """Install the project (editable) with the given extras."""
    target = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", target)


# -- Development sessions ----------------------------------------------------


@nox.session
def docs(session: nox.Session) -> None:
    """Build the HTML site into docs/_build/html; any warning fails the build."""
    install(session, "docs")
    args = session.posargs or ["-W", "--keep-going", "-b", "html"]
    session.run("sphinx-build", *args, "-d", str(BUILD / "doctrees"), str(DOCS), str(BUILD / "html"))


@nox.session
def pdf(session: nox.Session) -> None:
    """Build the PDF handbook into docs/_build/pdf/ (needs TeX: see the README)."""
    install(session)
    session.run("python", "-m", "sphinx_dgx.handbook", "pdf", str(DOCS), str(BUILD))


@nox.session
def rtd(session: nox.Session) -> None:
    """Replay ReadTheDocs' HTML and PDF builds, failing on any LaTeX problem it would let through."""
    install(session)
    work = BUILD / "rtd"
    session.run("python", "-m", "sphinx_dgx.handbook", "rtd", str(DOCS), str(work), "--slug", RTD_SLUG)


@nox.session(name="new-year")
def new_year(session: nox.Session) -> None:
    """Start a year: ``nox -s new-year -- 2022`` writes its page and prints what to add to the catalogue."""
    if not session.posargs:
        session.error("which year? Run, for example, `nox -s new-year -- 2022`")
    install(session)
    session.run("python", "-m", "sphinx_dgx.newyear", "docs", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite; arguments after -- go to pytest."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Build the site afresh and check it as visitors meet it: browser, axe, vnu, links, Lighthouse.

    Needs Chromium, Java and Node.js (see the README); the npm tools come from package-lock.json.
    """
    install(session, "test", "check")
    session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    out = BUILD / "check"
    session.run(
        "sphinx-build",
        "-E",
        "-W",
        "--keep-going",
        "-b",
        "html",
        "-d",
        str(out / "doctrees"),
        str(DOCS),
        str(out / "html"),
    )
    env = {"DGX_SITE": str(out / "html"), "DGX_ARTEFACTS": str(out / "artefacts")}
    session.run("pytest", "tests/check", *session.posargs, env=env)


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check the docs' external links with Sphinx's linkcheck (needs the network, so not in CI)."""
    install(session)
    out = BUILD / "linkcheck"
    session.run(
        "sphinx-build", "-b", "linkcheck", "-W", "--keep-going", "-d", str(out / "doctrees"),
        *session.posargs, str(DOCS), str(out),
    )  # fmt: skip


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark builds of a synthetic site against hand-written cards; arguments go to benchmarks/bench.py.

    For a quick run: ``nox -s bench -- --reports 200 --groups 10 --years 2 --runs 1``.
    """
    install(session)
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def instructions(session: nox.Session) -> None:
    """Count the instructions of a warm build and a rebuild, sphinx_dgx against hand-written cards,
    under callgrind (needs valgrind); arguments go to benchmarks/instructions.py."""
    install(session)
    session.run("python", "benchmarks/instructions.py", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and formatting with ruff."""
    session.install("ruff>=0.8")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def serve(session: nox.Session) -> None:
    """Live preview on http://127.0.0.1:8000, rebuilt when the docs, catalogue, files or extension change."""
    install(session, "docs")
    session.run(
        "sphinx-autobuild",
        "--host",
        "127.0.0.1",
        "--port",
        "8000",
        "--watch",
        str(ROOT / "sphinx_dgx"),
        "--watch",
        str(ROOT / "files"),
        "--re-ignore",
        r"_build/.*",
        "-d",
        str(BUILD / "doctrees-serve"),
        *session.posargs,
        str(DOCS),
        str(BUILD / "serve"),
    )
