# The same page in MyST (index.md) and in reStructuredText (index.rst): tests/test_snippets.py
# builds one of them at a time, excluding the other.
extensions = ["myst_parser", "sphinx_dgx"]
exclude_patterns = ["_build"]
dgx_files_dir = "files"
html_baseurl = "https://example.org/snippets/"
