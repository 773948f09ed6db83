extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
html_theme = "furo"
dgx_files_dir = "files"
dgx_contact_email = "tmo@tech.gov.sg"
html_baseurl = "https://example.org/cards/"
