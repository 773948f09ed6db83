"""Generate a synthetic DGX site for benchmarks, in two variants sharing one files folder.

``OUT/dgx/``
    conf.py with ``sphinx_dgx``, ``catalogue.yaml`` and one page per (year, working group),
    each showing that group's reports with a ``dgx-reports`` directive. conf.py leaves
    ``dgx_report_pages`` and ``dgx_report_text`` at their defaults; ``bench.py`` builds the site
    with and without report pages and their text by ``-D`` overrides (``-D dgx_report_pages=0``).
``OUT/hand/``
    The same pages with the cards written by hand in sphinx-design MyST (a grid of
    ``grid-item-card`` with a ``{download}`` link), as a Sphinx user writes them today; no
    ``sphinx_dgx``.
``OUT/files/``
    Stand-in PDFs: 15 to 41 pages each, in US Letter, A4 or a slide size (960x540 or 720x405 pt),
    every file's content distinct (its title is on the first page).

The PDFs are written as plain PDF syntax (one Helvetica font, an uncompressed text stream per
page), so 2,000 of them take seconds. Everything is drawn from one seeded random generator:
the same arguments give the same bytes.

Usage::

    python benchmarks/synthetic.py OUT --groups 100 --reports 2000 --years 5 --seed 1
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

FIRST_YEAR = 2021
PAGE_SIZES = {
    "US Letter": (612, 792),
    "A4": (595.28, 841.89),
    "slides 16:9": (960, 540),
    "slides 720x405": (720, 405),
}
TOPICS = [
    "Cloud", "Data Governance", "Digital Identity", "Digital Maturity", "Safe Travel",
    "Cybersecurity", "Open Data", "Artificial Intelligence", "Digital Payments", "GovTech Talent",
    "Service Design", "Procurement", "Interoperability", "Smart Cities", "Digital Inclusion",
    "Data Protection", "Emerging Technology", "Digital Health", "Trade Facilitation", "Legacy Systems",
    "Open Source", "Citizen Engagement", "Geospatial Data", "Digital Skills", "Resilience",
]  # fmt: skip
ADJECTIVES = [
    "Baseline", "Practical", "Emerging", "Shared", "Federated", "Trusted", "Secure", "Common",
    "Agile", "Sustainable", "Inclusive", "Open", "National", "Cross-Border", "Modern",
]  # fmt: skip
NOUNS = [
    "Policies", "Frameworks", "Practices", "Principles", "Guidelines", "Lessons", "Approaches",
    "Standards", "Models", "Playbook", "Roadmap", "Case Studies", "Benchmarks", "Toolkit",
]  # fmt: skip
SUBJECTS = [
    "member countries", "government agencies", "public service teams", "regulators",
    "digital service owners", "policy makers", "technology leaders", "city administrations",
]  # fmt: skip
VERBS = [
    "compares", "sets out", "summarises", "examines", "describes", "proposes", "reviews", "maps",
]  # fmt: skip
OBJECTS = [
    "risk management approaches", "adoption strategies", "governance structures", "funding models",
    "procurement practices", "shared platforms", "data-sharing agreements", "capability programmes",
    "maturity assessments", "mutual recognition arrangements", "open standards", "user research",
]  # fmt: skip
WORDS = (
    "government digital service data policy cloud identity citizen platform agency framework "
    "security trust interoperability standard adoption risk governance capability public sector "
    "member country working group report practice lesson model approach strategy outcome"
).split()


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    year: int
    summary: str


@dataclass(frozen=True)
class Report:
    id: str
    title: str
    group: Group
    summary: str
    file: str
    pages: int
    page_size: str


@dataclass(frozen=True)
class Project:
    root: Path
    groups: list[Group]
    reports: list[Report]

    @property
    def dgx(self) -> Path:
        return self.root / "dgx"

    @property
    def hand(self) -> Path:
        return self.root / "hand"

    @property
    def files(self) -> Path:
        return self.root / "files"

    def page(self, group: Group) -> str:
        """The docname of a group's page (the same in both variants)."""
        return f"wg/{group.year}/{group.id}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _sentence(rng: random.Random, topic: str, subject: str = "The report") -> str:
    return (
        f"{subject} {rng.choice(VERBS)} {rng.choice(OBJECTS)} of {rng.choice(SUBJECTS)} "
        f"in {topic.lower()}, with {rng.choice(['three', 'four', 'five', 'six', 'seven'])} "
        f"{rng.choice(['case studies', 'recommendations', 'country profiles', 'principles'])}."
    )


def plan(root: Path, groups: int, reports: int, years: int, seed: int) -> Project:
    """Decide every group, report, title, summary, file name and page count (no files written)."""
    rng = random.Random(seed)
    per_year = max(1, -(-groups // years))
    group_list: list[Group] = []
    for index in range(groups):
        year = FIRST_YEAR + index // per_year
        slot = index % per_year
        topic = TOPICS[slot % len(TOPICS)]
        name = topic if slot < len(TOPICS) else f"{topic} {slot // len(TOPICS) + 1}"
        summary = (
            f"The {name.lower()} WG brought {rng.choice(SUBJECTS)} together in {year} to share "
            f"{rng.choice(OBJECTS)} and {rng.choice(OBJECTS)}. " + _sentence(rng, topic, "The group")
        )
        group_list.append(Group(f"{_slug(name)}-{year}", name, year, summary))
    report_list: list[Report] = []
    counts: dict[str, int] = {}
    for index in range(reports):
        group = group_list[index % len(group_list)]
        number = counts[group.id] = counts.get(group.id, 0) + 1
        topic = group.name
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} for {topic} ({group.year}, part {number})"
        summary = " ".join(_sentence(rng, topic) for _ in range(rng.randint(1, 3)))
        # file names as they come: spaces, capitals, underscores and hyphens
        words = topic.replace(" ", rng.choice([" ", "_", "-", ""]))
        style = rng.randrange(4)
        if style == 0:
            name = f"DGX {words} Working Group Report {group.year} - Part {number}.pdf"
        elif style == 1:
            name = f"dgx_{_slug(topic).replace('-', '_')}_{group.year}_part-{number:02d}_FINAL.pdf"
        elif style == 2:
            name = f"{words}-WG-Report-{group.year}-{number:02d}_v{rng.randint(1, 4)}.pdf"
        else:
            name = f"{group.year} {words} WG - {rng.choice(NOUNS)} {number:02d}.pdf"
        report_list.append(
            Report(
                id=f"{group.id}-r{number:02d}",
                title=title,
                group=group,
                summary=summary,
                file=name,
                pages=rng.randint(15, 41),
                page_size=rng.choice(list(PAGE_SIZES)),
            )
        )
    names = [r.file for r in report_list]
    assert len(set(names)) == len(names), "file names must be unique"
    return Project(root, group_list, report_list)


# -- PDFs ----------------------------------------------------------------------


def _pdf_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(report: Report, rng: random.Random) -> bytes:
    """A stand-in PDF: title page, then pages of filler text; sizes vary with the filler."""
    width, height = PAGE_SIZES[report.page_size]
    objects: list[bytes] = []  # object n is objects[n - 1]
    page_refs: list[int] = []
    first_page = 5
    lines_per_page = rng.randint(8, 48)
    for number in range(1, report.pages + 1):
        parts = ["BT /F1 9 Tf 11 TL", f"40 {height - 40:.2f} Td"]
        if number == 1:
            parts += ["/F1 22 Tf 26 TL", f"({_pdf_text(report.title[:60])}) '", "/F1 12 Tf 15 TL"]
            parts += [f"({_pdf_text(report.group.name)} Working Group, {report.group.year}) '"]
            parts += ["(Stand-in PDF for the sphinx-dgx benchmarks) '"]
        else:
            parts += [f"(Page {number} of {report.pages}) '"]
            for _ in range(rng.randint(lines_per_page // 2, lines_per_page)):
                parts.append(f"({' '.join(rng.choices(WORDS, k=14))}) '")
        parts.append("ET")
        if number == 1:
            parts.append(f"0.2 0.4 0.6 rg 40 40 {width - 80:.2f} {height / 3:.2f} re f")
        stream = "\n".join(parts).encode("latin-1")
        page_obj = first_page + 2 * (number - 1)
        page_refs.append(page_obj)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % (str(width).encode(), str(height).encode(), page_obj + 1)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    kids = " ".join(f"{ref} 0 R" for ref in page_refs).encode()
    head = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, report.pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Title (%s) /Producer (sphinx-dgx benchmarks) >>" % _pdf_text(report.title).encode("latin-1"),
    ]
    objects = head + objects
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# -- The two variants ----------------------------------------------------------

CONF = '''"""Synthetic DGX site for benchmarks ({variant}); generated by benchmarks/synthetic.py."""

project = "DGX benchmark"
author = "Digital Government Exchange"
copyright = "2021-2026, Digital Government Exchange"
language = "en"
extensions = {extensions!r}
{dgx}
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "DGX benchmark"
html_last_updated_fmt = None
html_use_index = False
html_baseurl = "https://example.org/bench/"
'''

DGX_SETTINGS = """dgx_catalogue = "catalogue.yaml"
dgx_files_dir = "../files"
# dgx_report_pages and dgx_report_text keep their defaults (True) here: benchmarks/bench.py builds
# this site three ways by overriding them on the command line, never by editing this file:
#   -D dgx_report_pages=0                          cards only
#   -D dgx_report_pages=1 -D dgx_report_text=0     report pages without their text
#   -D dgx_report_pages=1 -D dgx_report_text=1     report pages with their text (the defaults)
# (for a bool setting, Sphinx takes -D values 0 and 1)"""

INDEX = """# DGX benchmark ({variant})

A synthetic site: {groups} working groups over {years} years, {reports} reports.

```{{toctree}}
:glob:
:maxdepth: 1

wg/*/*
```
"""

PAGE_HEAD = """# {name} WG {year}

{summary}

## Reports

"""


def yaml_string(text: str) -> str:
    """A YAML scalar on one line (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def catalogue_yaml(project: Project) -> str:
    lines = ["# Synthetic catalogue for the sphinx-dgx benchmarks.", "", "working_groups:"]
    for g in project.groups:
        lines += [f"  - id: {g.id}", f"    name: {yaml_string(g.name)}", f"    year: {g.year}"]
        lines += [f"    summary: {yaml_string(g.summary)}", ""]
    lines.append("reports:")
    for r in project.reports:
        lines += [f"  - id: {r.id}", f"    title: {yaml_string(r.title)}", f"    working_group: {r.group.id}"]
        lines += [f"    summary: {yaml_string(r.summary)}", f"    file: {yaml_string(r.file)}", ""]
    return "\n".join(lines)


def hand_card(report: Report, depth: int) -> str:
    path = "../" * depth + "../files/" + report.file
    return (
        f":::{{grid-item-card}} {report.title}\n"
        f"{report.group.name} WG · {report.group.year}\n\n"
        f"{report.summary}\n\n"
        f"{{download}}`Download the report (PDF) <{path}>`\n"
        ":::\n"
    )


def write(project: Project, rng: random.Random) -> dict[str, float]:
    """Write OUT/files, OUT/dgx and OUT/hand; returns timings."""
    timings: dict[str, float] = {}
    for folder in (project.dgx, project.hand, project.files):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    start = time.perf_counter()
    for report in project.reports:
        (project.files / report.file).write_bytes(make_pdf(report, rng))
    timings["pdfs"] = time.perf_counter() - start

    by_group: dict[str, list[Report]] = {}
    for report in project.reports:
        by_group.setdefault(report.group.id, []).append(report)
    years = len({g.year for g in project.groups})
    for variant, root in (("dgx", project.dgx), ("hand", project.hand)):
        dgx = DGX_SETTINGS if variant == "dgx" else ""
        extensions = ["myst_parser", "sphinx_design"] + (["sphinx_dgx"] if variant == "dgx" else [])
        (root / "conf.py").write_text(CONF.format(variant=variant, extensions=extensions, dgx=dgx))
        (root / "index.md").write_text(
            INDEX.format(
                variant=variant, groups=len(project.groups), years=years, reports=len(project.reports)
            )
        )
        for group in project.groups:
            page = root / f"{project.page(group)}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            text = PAGE_HEAD.format(name=group.name, year=group.year, summary=group.summary)
            if variant == "dgx":
                text += f"```{{dgx-reports}}\n:year: {group.year}\n:group: {group.id}\n```\n"
            else:
                text += "::::{grid} 1 1 2 2\n:gutter: 3\n\n"
                text += "\n".join(hand_card(r, depth=2) for r in by_group.get(group.id, []))
                text += "::::\n"
            page.write_text(text)
    (project.dgx / "catalogue.yaml").write_text(catalogue_yaml(project))
    timings["total"] = time.perf_counter() - start
    return timings


def generate(
    root: str | Path, groups: int = 100, reports: int = 2000, years: int = 5, seed: int = 1
) -> Project:
    """Plan and write the synthetic project under *root*; returns its plan."""
    project = plan(Path(root), groups, reports, years, seed)
    write(project, random.Random(seed + 1))
    return project


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write dgx/, hand/ and files/ into")
    parser.add_argument("--groups", type=int, default=100, help="working groups (default 100)")
    parser.add_argument("--reports", type=int, default=2000, help="reports (default 2000)")
    parser.add_argument("--years", type=int, default=5, help="years (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    project = plan(args.out, args.groups, args.reports, args.years, args.seed)
    timings = write(project, random.Random(args.seed + 1))
    size = sum(p.stat().st_size for p in project.files.iterdir())
    print(
        f"wrote {len(project.groups)} groups, {len(project.reports)} reports "
        f"({size / 2**20:.0f} MB of PDFs in {timings['pdfs']:.1f} s) to {args.out}"
    )


if __name__ == "__main__":
    main()
