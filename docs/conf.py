"""Sphinx configuration for routecore's documentation site.

Build: ``python -m sphinx -W --keep-going -b html docs docs/_build/html`` (``pip install
".[docs]"``). The API reference comes from the docstrings (autodoc + numpydoc); the guides are
Markdown (MyST), and those that the README already tells are included from it, so each fact is
written once. The planner's tutorial (tutorial/planner.py) is run here, at build time, and its
output is shown under it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import routecore

DOCS = Path(__file__).resolve().parent

project = "routecore"
author = "routecore developers"
copyright = "routecore developers"
release = routecore.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "_generated/*.txt", "tutorial/*.py"]
root_doc = "index"

# The docstrings are numpydoc; autodoc reads them from the installed package (the one that
# ``import routecore`` gives), type hints go in the description rather than the signature.
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# No intersphinx: the build runs where only the package registries are reachable.

html_theme = "pydata_sphinx_theme"
html_title = f"routecore {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}


def _run_tutorial(app: object) -> None:
    """Run the planner's tutorial with this interpreter and keep its output for the page.

    A failure stops the build: the page would otherwise show output that the code no longer
    produces."""
    out = DOCS / "_generated"
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [sys.executable, str(DOCS / "tutorial" / "planner.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"docs/tutorial/planner.py failed:\n{result.stdout}{result.stderr}")
    (out / "planner-output.txt").write_text(result.stdout, encoding="utf-8")


def setup(app: object) -> None:
    app.connect("builder-inited", _run_tutorial)  # type: ignore[attr-defined]
