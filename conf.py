# Sphinx configuration for "Async Context Managers in C++20".
#
# The source directory is the repository root so that the project's extension can
# read exercises/, solutions/ and examples/ next to the pages; only docs/ holds pages.
# Build:  /usr/bin/python3 -m sphinx -W --keep-going -b html . _build/html
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "docs", "_ext"))

project = "Async Context Managers in C++20"
author = "The course authors"
copyright = "2026, the course authors"

extensions = [
    "acm_course",          # kata / example / kata-progress directives
    "sphinx_copybutton",   # copy button on code blocks (Debian: python3-sphinx-copybutton)
]

root_doc = "docs/index"

# Only docs/ contains pages. include_patterns keeps README.md, ARCHITECTURE.md and the
# markdown hints out of the source set; exclude_patterns prunes big trees from the walk.
include_patterns = ["docs/**"]
exclude_patterns = [
    "_build", "build", "node_modules", ".git",
    "exercises", "solutions", "examples", "include", "src", "tests", "wasm", "bench",
    "README.md", "ARCHITECTURE.md",
    "docs/_ext", "docs/_static",
]

# The pages are about C++: unmarked code and roles default to it.
highlight_language = "cpp"
primary_domain = "cpp"
pygments_style = "friendly"
pygments_dark_style = "monokai"

html_theme = "furo"
html_title = "Async Context Managers in C++20"
html_static_path = ["docs/_static"]
html_favicon = "docs/_static/favicon.svg"
html_css_files = ["acm-pages.css"]
html_theme_options = {
    # Off: Sphinx's page-turning arrow keys ignore contenteditable elements, so an arrow key in
    # a kata's editor (CodeMirror) would leave the page and the learner's place in it.
    "navigation_with_keys": False,
}
html_show_sourcelink = False

# Copy only the code, not the prompts or the "Output" blocks' leading markers.
copybutton_exclude = ".linenos, .gp, .go"
