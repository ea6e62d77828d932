"""Toctree entries written ``?name`` appear only when ``name.rst`` exists.

Some pages are optional (written later, or by another part of the build); a
plain toctree entry for a missing page is a warning, and so is a glob that
matches nothing, and the docs build treats warnings as errors. This source
filter drops the ``?name`` line of a missing page and turns the line into a
plain ``name`` entry when the page exists, so the page keeps its place in the
table of contents.
"""

import posixpath
import re
from pathlib import Path

__all__ = ["setup"]

_OPTIONAL_ENTRY = re.compile(r"^([ \t]+)\?(\S+)[ \t]*$", re.MULTILINE)


def _filter_optional_entries(app, docname, source):
    folder = posixpath.dirname(docname)

    def keep_if_present(match):
        indent, name = match.groups()
        target = posixpath.normpath(posixpath.join(folder, name))
        exists = (Path(app.srcdir) / f"{target}.rst").is_file()
        return f"{indent}{name}" if exists else ""

    source[0] = _OPTIONAL_ENTRY.sub(keep_if_present, source[0])


def _reread_pages_with_optional_entries(app, env, added, changed, removed):
    """Re-read such pages on every build: an optional page may have appeared."""
    return [
        docname
        for docname in env.found_docs
        if _OPTIONAL_ENTRY.search(
            Path(env.doc2path(docname)).read_text(encoding="utf-8")
        )
    ]


def setup(app):
    """Register the source filter with Sphinx."""
    app.connect("source-read", _filter_optional_entries)
    app.connect("env-get-outdated", _reread_pages_with_optional_entries)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
