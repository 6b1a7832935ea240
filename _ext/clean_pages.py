"""Faults of the generated pages that upstream packages leave in, fixed.

Each was found by the browser tests (tests/test_browser.py), which fail again
if one comes back:

- Jupyter Book always loads sphinx-thebe, even with `launch_buttons.thebe:
  false`: every page carried thebe's script and stylesheet, and a configuration
  naming a third-party CDN, for a "live code" button the book does not offer.
  The thebe assets are removed.
- Sphinx 7.4 writes an inline script added after the builder started twice (it
  stores it once with the file name `None` and once with `""`). For thebe's
  `const` declarations that raised "Identifier 'THEBE_JS_URL' has already been
  declared" on every page. Repeated scripts are dropped, whoever adds them.
- Docutils marks each entry of the bibliography's `role="list"` with the
  deprecated `role="doc-biblioentry"`, which is not a list item: a critical
  accessibility fault (axe-core's aria-required-children). Entries become
  `role="listitem"`.

The book's own styles (contrast, narrow screens) are in `_static/`.
"""

from docutils import nodes
from sphinx.application import Sphinx

THEBE_FILES = ("_static/sphinx-thebe.js", "_static/sphinx-thebe.css")
THEBE_MARKERS = ("THEBE_JS_URL", "text/x-thebe-config", "kernelName = ")


def is_thebe(asset) -> bool:
    return asset.filename in THEBE_FILES or any(
        marker in asset.attributes.get("body", "") for marker in THEBE_MARKERS
    )


def drop_thebe_config(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Remove the per-page thebe configuration that sphinx-thebe appends."""
    for raw in list(doctree.findall(nodes.raw)):
        if any(marker in raw.astext() for marker in THEBE_MARKERS):
            raw.parent.remove(raw)


def clean_page(app: Sphinx, pagename, templatename, context, doctree) -> None:
    unique = {}
    for script in context.get("script_files", []):
        if not is_thebe(script):
            key = (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))
            unique.setdefault(key, script)
    context["script_files"] = list(unique.values())
    context["css_files"] = [css for css in context.get("css_files", []) if not is_thebe(css)]
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def setup(app: Sphinx) -> dict:
    # After sphinx-thebe's own handlers (default priority 500) have run.
    app.connect("doctree-resolved", drop_thebe_config, priority=900)
    app.connect("html-page-context", clean_page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
