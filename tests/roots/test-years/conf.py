# No html_theme: the tests of this root read its warnings, which no theme changes (the default builds fastest).
extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
dgx_files_dir = "files"
html_baseurl = "https://example.org/years/"
