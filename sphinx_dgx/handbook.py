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
import functools
import re
import shutil
import subprocess
import sys
import unicodedata
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


# -- the handbook's fonts -------------------------------------------------------------------------

TEXT_FONTS = {
    "body": (("FreeSerif", "Regular"),),
    "title": (
        ("FreeSerif", "Regular"),
        ("FreeSerif", "Bold"),
        ("FreeSerif", "Italic"),
        ("FreeSans", "Regular"),
        ("FreeSans", "Bold"),
    ),
}
"""The fonts Sphinx sets for xelatex, by the kind of text: a summary is set in the roman of the
main font; a title or a name also in bold (headings), italic (links to it) and the sans-serif of
the appendix's sections and page headers. A character must be in each."""
SCRIPT_FONTS = (
    # (first, last, family): runs of these characters switch to one font in every shape (dgx.sty)
    (0x0B80, 0x0BFF, "FreeSerif"),  # Tamil
    (0x2E80, 0x9FFF, "WenQuanYi Micro Hei"),  # CJK radicals, punctuation, kana, ideographs
    (0xF900, 0xFAFF, "WenQuanYi Micro Hei"),
    (0xFF00, 0xFFEF, "WenQuanYi Micro Hei"),
)
RIGHT_TO_LEFT_FONT = "FreeSerif"
"""Hebrew and Arabic: right-to-left runs are set in this font, with Arabic shaping (dgx.sty)."""


@functools.cache
def font_charset(family: str, style: str = "Regular") -> frozenset[int] | None:
    """The characters a font has, by fontconfig; None when fontconfig or the font is missing."""
    if shutil.which("fc-match") is None or shutil.which("fc-query") is None:
        return None
    found = subprocess.run(
        ["fc-match", "--format=%{family}\n%{file}", f"{family}:style={style}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    if len(found) != 2 or family not in found[0].split(","):
        return None  # fontconfig offered another font instead
    ranges = subprocess.run(
        ["fc-query", "--format=%{charset}", found[1]], capture_output=True, text=True, check=False
    ).stdout
    chars: set[int] = set()
    for item in ranges.split():
        first, _, last = item.partition("-")
        chars.update(range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(chars) or None


def font_for(char: str) -> str | None:
    """The font that a character of a script with a font of its own is set in (None: the text's)."""
    code = ord(char)
    if unicodedata.bidirectional(char) in ("R", "AL"):
        return RIGHT_TO_LEFT_FONT
    return next((family for first, last, family in SCRIPT_FONTS if first <= code <= last), None)


def invisible(char: str) -> bool:
    """White space, controls and formatting characters: nothing to draw, nothing to check."""
    return unicodedata.category(char)[0] in "ZC" or 0xFE00 <= ord(char) <= 0xFE0F


def glyphless(text: str, kind: str = "body") -> list[str] | None:
    """The characters of *text* that the handbook has no font for, each once, in order.

    *kind* is ``"body"`` (a summary) or ``"title"`` (a title or name, set in more fonts). None when
    the fonts cannot be read (no fontconfig): nothing can be said.
    """
    missing: list[str] = []
    for char in dict.fromkeys(text):
        if invisible(char):
            continue
        script = font_for(char)
        fonts = [(script, "Regular")] if script else TEXT_FONTS[kind]
        charsets = [font_charset(*font) for font in fonts]
        if any(charset is None for charset in charsets):
            return None
        if not all(ord(char) in charset for charset in charsets):  # type: ignore[operator]
            missing.append(char)
    return missing


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
    r"|.*Warning: \\headheight is too small.*"  # fancyhdr: a header taller than its room runs into the text
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
