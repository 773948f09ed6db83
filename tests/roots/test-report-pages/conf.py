extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
project = "DGX Report Pages Test"
author = "Digital Government Exchange"
html_theme = "furo"
html_baseurl = "https://example.org/site/"
dgx_contact_email = "tmo@tech.gov.sg"
