"""Build the PDF handbook and check its LaTeX log; replay ReadTheDocs' PDF build.

ReadTheDocs runs the LaTeX builder without ``-W`` and keeps any PDF that
latexmk writes, even after LaTeX errors, so a broken handbook can pass there.
These commands fail instead::

    python -m sphinx_dgx.handbook pdf docs docs/_build          # the handbook, checked
    python -m sphinx_dgx.handbook rtd docs /tmp/rtd --slug NAME  # ReadTheDocs' steps, checked

Both stop with one clear message when the TeX tools are missing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TOOLS = ("latexmk", "xelatex")
DEBIAN_PACKAGES = (
    "latexmk",
    "texlive-xetex",
    "texlive-latex-recommended",
    "texlive-latex-extra",
    "texlive-fonts-recommended",
    "fonts-freefont-otf",
    "fonts-wqy-microhei",
)
INSTALL_HINT = "sudo apt-get install " + " ".join(DEBIAN_PACKAGES)
OVERFULL_TOLERANCE_PT = 1.0
"""Overfull boxes up to this much are invisible in print; beyond it text runs into the margin."""


class HandbookError(Exception):
    """The handbook cannot be built, or its build went wrong; the message says why."""


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def require_tools() -> None:
    missing = missing_tools()
    if missing:
        raise HandbookError(
            f"the PDF handbook needs {', '.join(missing)}, which is not installed. "
            f"On Debian or Ubuntu: {INSTALL_HINT}"
        )


@dataclass(frozen=True)
class LogProblem:
    line: int
    text: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.text}"


_FATAL = re.compile(
    r"^(?:! .*"
    r"|Missing character: .*"
    r"|.*LaTeX Warning: (?:Reference|Citation|Hyper reference) .* undefined.*"
    r"|.*LaTeX Warning: There were undefined references.*"
    r"|.*LaTeX Warning: Label\(s\) may have changed.*"
    r"|.*Font Warning: Font shape .* undefined.*"
    r"|Overfull \\vbox .*)$"
)
_OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\)")


def check_log(log: Path, tolerance_pt: float = OVERFULL_TOLERANCE_PT) -> list[LogProblem]:
    """The errors and warnings of a LaTeX log that show in the PDF."""
    problems = []
    text = log.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        overfull = _OVERFULL.match(line)
        if overfull:
            if float(overfull["pt"]) > tolerance_pt:
                problems.append(LogProblem(number, line.strip()))
        elif _FATAL.match(line):
            problems.append(LogProblem(number, line.strip()))
    return problems


def run(command: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(command), flush=True)
    return subprocess.run(command, cwd=cwd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def jobname_of(latex_dir: Path) -> str:
    """The name of the (one) LaTeX document Sphinx wrote."""
    tex = sorted(latex_dir.glob("*.tex"))
    if len(tex) != 1:
        raise HandbookError(
            f"expected one .tex file in {latex_dir}, found {len(tex)}: set one latex_documents entry"
        )
    return tex[0].stem


def latexmk(latex_dir: Path, jobname: str) -> Path:
    """ReadTheDocs' latexmk command; returns the PDF, after checking the log."""
    require_tools()
    result = run(
        [
            "latexmk",
            "-r",
            "latexmkrc",
            "-pdf",
            "-f",
            "-dvi-",
            "-ps-",
            f"-jobname={jobname}",
            "-interaction=nonstopmode",
            f"{jobname_of(latex_dir)}.tex",
        ],
        cwd=latex_dir,
    )
    pdf, log = latex_dir / f"{jobname}.pdf", latex_dir / f"{jobname}.log"
    if not log.is_file():
        raise HandbookError(f"latexmk wrote no log:\n{result.stdout[-3000:]}")
    problems = check_log(log)
    if problems or result.returncode != 0 or not pdf.is_file():
        listed = "\n".join(f"  {p}" for p in problems) or result.stdout[-3000:]
        raise HandbookError(f"the LaTeX build of {jobname} has problems ({log}):\n{listed}")
    return pdf


def sphinx(builder: str, source: Path, out: Path, doctrees: Path, *extra: str) -> None:
    result = run(
        [sys.executable, "-m", "sphinx", *extra, "-b", builder, "-d", str(doctrees), str(source), str(out)]
    )
    print(result.stdout[-4000:])
    if result.returncode != 0:
        raise HandbookError(f"sphinx-build -b {builder} failed")


def build_pdf(source: Path, build: Path) -> Path:
    """``build/latex`` with ``-W``, then latexmk; the handbook is copied to ``build/pdf/<name>.pdf``."""
    require_tools()
    latex_dir = build / "latex"
    sphinx("latex", source, latex_dir, build / "doctrees", "-W", "--keep-going")
    name = jobname_of(latex_dir)
    pdf = latexmk(latex_dir, name)
    target = build / "pdf" / f"{name}.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pdf, target)
    return target


def replay_readthedocs(source: Path, work: Path, slug: str) -> Path:
    """ReadTheDocs' steps for ``formats: [pdf]`` with ``fail_on_warning``, failing where it would not."""
    require_tools()
    doctrees = work / "doctrees"
    sphinx("html", source, work / "html", doctrees, "-T", "-W", "--keep-going")
    sphinx("latex", source, work / "latex", doctrees, "-T")
    return latexmk(work / "latex", slug)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sphinx_dgx.handbook", description=__doc__.split("\n\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    pdf = commands.add_parser("pdf", help="build the handbook and check its LaTeX log")
    pdf.add_argument("source", type=Path)
    pdf.add_argument("build", type=Path)
    rtd = commands.add_parser("rtd", help="replay ReadTheDocs' PDF build and check it")
    rtd.add_argument("source", type=Path)
    rtd.add_argument("work", type=Path)
    rtd.add_argument("--slug", required=True, help="the ReadTheDocs project slug (latexmk's -jobname)")
    args = parser.parse_args(argv)
    try:
        if args.command == "pdf":
            written = build_pdf(args.source, args.build)
        else:
            written = replay_readthedocs(args.source, args.work, args.slug)
    except HandbookError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"handbook: {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
