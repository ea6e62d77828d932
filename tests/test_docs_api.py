"""The API reference uses its own autosummary templates.

autosummary looks a ``:template: name`` up as ``autosummary/name.rst``;
``:template: name.rst`` is looked up as ``name.rst`` at the top of
``_templates``, which does not exist, so Sphinx falls back silently to its
bare default: no inherited methods (``score``, ``get_params``) and no
"Examples using ..." mini-gallery.
"""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
TEMPLATES = DOCS / "_templates" / "autosummary"
TEMPLATE_OPTION = re.compile(r"^\s*:template:\s*(\S+)\s*$", re.MULTILINE)


def test_every_template_option_names_a_shipped_template():
    pages = sorted(DOCS.rglob("*.rst"))
    pages = [p for p in pages if "_build" not in p.parts and "generated" not in p.parts]
    used = {
        (page.relative_to(DOCS).as_posix(), name)
        for page in pages
        for name in TEMPLATE_OPTION.findall(page.read_text(encoding="utf-8"))
    }
    assert used, "docs/api.rst has no autosummary :template: options"
    wrong = sorted(
        f"{page}: ':template: {name}' (write ':template: {Path(name).stem}')"
        for page, name in used
        if not (TEMPLATES / f"{name}.rst").is_file()
    )
    assert not wrong, "\n".join(wrong)
