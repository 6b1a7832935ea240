"""The student edition: the whole book without a single solution.

Run as a script, this file builds it, from clean and as strictly as the
instructor edition (warnings are errors, every reference is checked):

    python _ext/student_edition.py .          # writes _build/student/html

As a Sphinx extension (listed under `sphinx.local_extensions` in `_config.yml`)
it does nothing in the ordinary build. When the config value `student_edition`
is true, which only the script sets, it

- drops every sphinx-exercise solution from each page as the page is read, so
  that no solution text, code, output, figure, equation or label reaches the
  HTML, the search index or the inventory, and a reference into a solution
  fails the build. sphinx-exercise's own `hide_solutions` cannot do this: it
  crashes on gated solutions (sphinx-exercise issue #89), and ours contain
  code cells;
- turns off every download of a page's source: the `.md` (which holds the
  solutions) and the executed `.ipynb` (which holds them with their outputs);
- points each chapter's Binder button at the chapter's student notebook on the
  `student` branch, which holds no solution (see `linreg_mle.assignments`), and
  drops the Binder button of every other page, which would launch the main branch.

Solution cells still execute during the build, into `jupyter_execute/` beside
the `html/` folder; publish the `html/` folder only.

With `--execution-cache DIR`, the script takes each notebook's outputs from the
jupyter-cache in DIR when the notebook's code cells match one there (myst-nb's
`cache` mode), and executes only the others. The tests build the instructor
edition into a fresh cache, and the student edition from it: its chapters are
then not executed a second time. A cache keys on a notebook's own code cells
only, not on `linreg_mle` (see `execute_notebooks` in `_config.yml`): use one
made from the same sources and package, just before, or none.
"""

import argparse
import re
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_node

# The output folder, relative to the book, that the README documents.
DEFAULT_OUTPUT = Path("_build", "student")


class RemoveSolutions(SphinxTransform):
    """Remove every solution, with every label and id inside it."""

    # sphinx-exercise merges a gated solution (start, content, end) into one
    # solution node at priority 10; remove it right after, before any label,
    # image, download or equation inside it is registered.
    default_priority = 11

    def apply(self) -> None:
        if not self.config.student_edition:
            return
        document = self.document
        for solution in list(document.findall(solution_node)):
            removed_ids = {id_ for node in solution.findall(nodes.Element) for id_ in node["ids"]}
            # A reference to anything inside a solution must fail the strict
            # build instead of pointing to an anchor that no longer exists.
            for name, id_ in list(document.nameids.items()):
                if id_ in removed_ids:
                    del document.nameids[name]
                    document.nametypes.pop(name, None)
            for id_ in removed_ids:
                document.ids.pop(id_, None)
            # Equations (myst) and theorems (sphinx-proof) are registered while
            # the page is parsed: unregistered, a reference to one warns
            # instead of crashing the writer.
            labels = {node["label"] for node in solution.findall(nodes.Element) if node.get("label")}
            for registry in (self.env.get_domain("math").equations,
                             getattr(self.env, "proof_list", {}),
                             getattr(self.env, "sphinx_exercise_registry", {})):
                for label in labels:
                    registry.pop(label, None)
            solution.parent.remove(solution)


def turn_off_source_downloads(app: Sphinx, config) -> None:
    """No `_sources/` folder, no link to it, no download button.

    Without a copied source, sphinx-book-theme also stops copying each page's
    executed `.ipynb` into `_sources/` for its launch buttons.
    """
    if config.student_edition:
        config.html_copy_source = False
        config.html_show_sourcelink = False
        config.html_theme_options = {**config.html_theme_options, "use_download_button": False}


# A launch button's Binder link: `.../v2/gh/ORG/REPO/BRANCH?urlpath=lab/tree/PATH`.
BINDER_LINK = re.compile(r"(?P<repo>.*/v2/gh/[^/]+/[^/]+)/[^/?]+\?urlpath=(?P<ui>(?:lab/)?tree)/")


def launch_student_notebooks(app: Sphinx, pagename: str, templatename: str, context: dict,
                             doctree) -> None:
    """Binder buttons that open the student notebook, on the `student` branch."""
    if not app.config.student_edition:
        return
    from linreg_mle.assignments import STUDENT_BRANCH

    for group in context.get("header_buttons", []):
        if group.get("label") != "launch-buttons":
            continue
        kept = []
        for button in group["buttons"]:
            match = BINDER_LINK.match(button.get("url", ""))
            if match is None:
                kept.append(button)
            elif pagename.startswith("chapters/"):
                stem = pagename.split("/", 1)[1]
                button["url"] = (f"{match['repo']}/{STUDENT_BRANCH}?urlpath={match['ui']}/"
                                 f"chapters/{stem}.ipynb")
                kept.append(button)
        group["buttons"] = kept
    context["header_buttons"] = [group for group in context.get("header_buttons", [])
                                 if group.get("label") != "launch-buttons" or group["buttons"]]


def setup(app: Sphinx) -> dict:
    app.setup_extension("sphinx_exercise")
    app.add_config_value("student_edition", False, "env", bool)
    app.add_transform(RemoveSolutions)
    app.connect("config-inited", turn_off_source_downloads)
    # After sphinx-book-theme adds its launch buttons (priority 501).
    app.connect("html-page-context", launch_student_notebooks, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def build(source: Path, output: Path, execution_cache: Path | None = None) -> None:
    """Build the student edition of the book in `source` into `output/html`,
    executing every notebook, or only those not in `execution_cache`."""
    from click import Context
    from jupyter_book.cli.main import build as jupyter_book_build
    from jupyter_book.cli.main import builder_specific_actions
    from jupyter_book.sphinx import build_sphinx

    # From clean, in folders of its own: nothing is shared with the
    # instructor edition's doctrees or executed notebooks.
    for folder in ("html", ".doctrees", "jupyter_execute", ".jupyter_cache"):
        shutil.rmtree(output / folder, ignore_errors=True)
    # The Sphinx configuration exactly as `jupyter-book build -n` derives it
    # from `_config.yml` and `_toc.yml`; only the output folder differs.
    path_config, source, overrides = Context(jupyter_book_build).invoke(
        jupyter_book_build, path_source=str(source), nitpick=True, get_config_only=True
    )
    overrides = {**overrides, "student_edition": True}
    if execution_cache is not None:
        if not execution_cache.is_dir():
            raise FileNotFoundError(f"no jupyter-cache folder {execution_cache}")
        overrides.update(nb_execution_mode="cache", nb_execution_cache_path=str(execution_cache))
    result = build_sphinx(
        source,
        output / "html",
        noconfig=True,
        path_config=path_config,
        confoverrides=overrides,
        warningiserror=True,
        keep_going=True,
        freshenv=True,
    )
    builder_specific_actions(result, "html", output / "html", "book")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path_source", type=Path, help="the book's folder")
    parser.add_argument("--path-output", type=Path,
                        help=f"where to build (default: PATH_SOURCE/{DEFAULT_OUTPUT.as_posix()})")
    parser.add_argument("--execution-cache", type=Path, metavar="DIR",
                        help="take the outputs of each notebook found in this jupyter-cache "
                             "(one made just before, from the same sources and package) "
                             "instead of executing it")
    args = parser.parse_args(argv)
    source = args.path_source.resolve()
    build(source, (args.path_output or source / DEFAULT_OUTPUT).resolve(),
          args.execution_cache.resolve() if args.execution_cache else None)


if __name__ == "__main__":
    main()
