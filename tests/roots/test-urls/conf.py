extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_baseurl = "https://example.org/urls/"
