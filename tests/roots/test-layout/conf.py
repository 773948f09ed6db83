extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
dgx_files_dir = "files"
html_theme = "furo"
html_baseurl = "https://example.org/layout/"
latex_engine = "xelatex"
latex_documents = [("index", "layout.tex", "Layout", "DGX", "manual")]
latex_show_urls = "footnote"
latex_use_xindy = False
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
}
