"""Sphinx configuration of the DGX Working Groups site."""

import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "_ext"))

project = "DGX Working Groups"
author = "Digital Government Exchange"
copyright = "2021-2026, Digital Government Exchange"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_dgx",
    "dgx_docs",
]

# sphinx_dgx: the catalogue beside this file, the report files at the top of the repository
dgx_catalogue = "catalogue.yaml"
dgx_files_dir = "../files"
dgx_contact_email = "tmo@tech.gov.sg"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_title_to_header = True
myst_heading_anchors = 3

exclude_patterns = ["_build", "README.md"]
html_theme = "furo"
html_title = "DGX Working Groups"
html_last_updated_fmt = None
html_use_index = False  # the site has no index entries: no empty index page
html_favicon = "_static/favicon.svg"

# The published site: links in the PDF handbook point here (ReadTheDocs sets the variable).
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://sphinx-dgx.readthedocs.io/en/latest/")

# -- The PDF handbook ----------------------------------------------------------
HANDBOOK = "dgx-working-groups"
latex_engine = "xelatex"
latex_documents = [
    ("index", f"{HANDBOOK}.tex", "DGX Working Groups", "Digital Government Exchange", "manual"),
]
latex_use_xindy = False
latex_domain_indices = False
latex_show_urls = "footnote"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
    # Sphinx names the contents after the home page's first toctree caption; they are "Contents"
    "tableofcontents": r"\renewcommand{\contentsname}{Contents}\sphinxtableofcontents",
    "preamble": r"""
\hypersetup{
  pdfsubject={Reports of the Digital Government Exchange working groups},
  pdfkeywords={Digital Government Exchange, DGX, working groups, reports, digital government},
  pdflang={en},
}
""",
}
