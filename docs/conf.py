"""Sphinx configuration for the smtpteach tutorial site."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "smtpteach"
author = "the smtpteach developers"
copyright = "2026, the smtpteach developers"
language = "en"

extensions = [
    "myst_nb",
    "smtpteach.sphinx",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "performance",
    # Kernels on Unix sockets, not TCP ports that another process can take first.
    "unix_kernels",
]

# The lessons live once, in ../notebooks; docs/lessons is a link to that folder,
# so they publish at lessons/<notebook-stem>.html with no second copy. Their
# Vietnamese twins (../notebooks/vi) publish through docs/vi/lessons at
# vi/lessons/<notebook-stem>.html, never a second time under lessons/vi/.
exclude_patterns = ["_build", "_ext", "jupyter_execute", "**/.ipynb_checkpoints", "lessons/README.md",
                    "lessons/vi"]

# Execute every notebook at build time; a failing cell fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "deflist", "attrs_block", "attrs_inline"]
myst_heading_anchors = 3

# smtpteach's own extension writes a page per code and per confused pair,
# in English and Vietnamese, from the catalogue (see smtpteach/sphinx/_pages.py).
smtpteach_generate_pages = True

# Each lesson page links to the lesson in the site's JupyterLite, which `make site`
# builds into lite/ with tools/lite.py (see smtpteach/sphinx/_lite.py).
smtpteach_lite = "lite"

html_theme = "furo"
html_title = "smtpteach"
html_favicon = "favicon.svg"  # an envelope; without one, every browser asks for /favicon.ico and gets a 404
html_static_path: list[str] = []
html_show_sourcelink = False
html_copy_source = False
