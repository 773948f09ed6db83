# A handbook with the title page sphinx_dgx makes: no maketitle of its own.
extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
dgx_files_dir = "files"
html_baseurl = "https://example.org/front/"
latex_engine = "xelatex"
latex_documents = [("index", "front.tex", "Front Matters", "Example Publishing House", "manual")]
latex_show_urls = "footnote"
latex_use_xindy = False
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
}
