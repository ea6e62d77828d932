"""Sphinx configuration of the sklstm documentation.

Build from the repository root with ``make docs`` (full example settings) or
``make docs-ci`` (``SKLSTM_DOCS_FAST=1``: the gallery examples shrink their
data, networks and epochs so that each runs in well under a minute on a
small CPU). Warnings are errors in both.

Intersphinx links to scikit-learn, skorch, PyTorch, NumPy, pandas and
Python need the network. Each inventory falls back to an empty one shipped in
``_intersphinx/``, so an offline build (CI has no network) succeeds with
those links left as plain text; set ``SKLSTM_DOCS_INTERSPHINX=0`` to skip
the download attempts altogether.
"""

import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "sphinxext"))

import sklstm  # noqa: E402

# -- Project ------------------------------------------------------------------
project = "sklstm"
author = "sklstm developers"
copyright = "sklstm developers"
release = sklstm.__version__
version = ".".join(release.split(".")[:2])

# -- General ------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]
templates_path = ["_templates"]
exclude_patterns = ["_build", "_intersphinx", "sphinxext", "Thumbs.db", ".DS_Store"]
default_role = "literal"
root_doc = "index"

# -- API reference ------------------------------------------------------------
autosummary_generate = True
autodoc_default_options = {"members": True}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# No numpydoc_xref_param_type: its default targets live in other projects'
# inventories, which an offline build does not have (each would warn).

# -- Intersphinx (offline-safe) -----------------------------------------------
_EMPTY_INVENTORY = "_intersphinx/empty.inv"
_ONLINE = os.environ.get("SKLSTM_DOCS_INTERSPHINX", "1") != "0"
_PROJECTS = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "pandas": "https://pandas.pydata.org/docs/",
    "sklearn": "https://scikit-learn.org/stable/",
    "skorch": "https://skorch.readthedocs.io/en/stable/",
    "torch": "https://docs.pytorch.org/docs/stable/",
    "matplotlib": "https://matplotlib.org/stable/",
}
# Locations are tried in order; when every remote one fails Sphinx warns, so
# the shipped empty inventory comes last and an offline build stays clean.
intersphinx_mapping = {
    name: (url, ((None, _EMPTY_INVENTORY) if _ONLINE else (_EMPTY_INVENTORY,)))
    for name, url in _PROJECTS.items()
}
intersphinx_timeout = 10

# -- Gallery ------------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "within_subsection_order": "gallery_order.ExampleOrder",
    "abort_on_example_error": True,
    "plot_gallery": "True",
    "doc_module": ("sklstm",),
    "backreferences_dir": "gen_modules/backreferences",
    "min_reported_time": 1,
    "remove_config_comments": True,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
}

# -- HTML -----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sklstm {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 7,
}
html_sidebars = {"install": [], "quickstart": [], "datasets": [], "api": []}


def _skip_metadata_request_setters(app, what, name, obj, skip, options):
    """Hide scikit-learn's generated ``set_*_request`` methods.

    They are metadata-routing plumbing that scikit-learn adds to every
    estimator, one per method argument.
    """
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


_REF = re.compile(r":ref:`(?:([^`<]*?)\s*<[^`>]*>|([^`]*))`")


def _unlink_sklearn_refs(app, what, name, obj, options, lines):
    """Turn ``:ref:`` links in inherited scikit-learn docstrings into text.

    The estimator pages list inherited methods (``score``, ``get_params``,
    ``set_output``...); their docstrings link to labels of scikit-learn's own
    documentation, which do not exist here (a warning each, and warnings are
    errors). The link text stays, naming scikit-learn's guide.
    """
    if not (getattr(obj, "__module__", None) or "").startswith("sklearn."):
        return

    def text(match):
        title = match.group(1)
        if title is None:
            return "scikit-learn's documentation"
        if title.lower() == "user guide":
            return "scikit-learn User Guide"
        return f"{title} (scikit-learn User Guide)"

    lines[:] = [_REF.sub(text, line) for line in lines]


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_setters)
    app.connect("autodoc-process-docstring", _unlink_sklearn_refs)
