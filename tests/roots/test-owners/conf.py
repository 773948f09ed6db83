extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
dgx_files_dir = "files"
html_theme = "furo"
html_baseurl = "https://example.org/owners/"
