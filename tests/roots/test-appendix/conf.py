extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
dgx_files_dir = "files"
latex_engine = "xelatex"
latex_documents = [("index", "appendix.tex", "Appendix", "DGX", "manual")]
latex_use_xindy = False
latex_domain_indices = False
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "extraclassoptions": "openany,oneside",
    "printindex": "",
}
html_baseurl = "https://example.org/appendix/"
