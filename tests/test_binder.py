"""Binder, simulated: an environment made from Binder's files alone runs every chapter,
and every student notebook of the `student` branch.

Learners launch the `student` branch (see `linreg_mle.assignments`), instructors and
readers the main one. The student branch's tree is assembled here by the README's
command, from the assignments built once per session, and the environment is
built from that tree; its Binder files are the main branch's, byte for byte, so the
same environment stands for both.

mybinder.org builds this repository with repo2docker. It installs the root
`requirements.txt` (with the Python of `runtime.txt`) into an environment that
already has JupyterLab, runs `postBuild` from the repository root, and then
opens the chapter that the launch button names, in JupyterLab. mybinder.org is
out of reach from a test, so these tests repeat each step that does not need it:

- a fresh virtual environment, with nothing but what `requirements.txt` installs
  (no system site-packages, which would hide a missing requirement);
- `postBuild`, with its own empty home folder, so that the developer's Jupyter
  settings are neither used nor touched;
- every chapter, opened through jupytext as a notebook and run by a kernel of
  that environment (nbclient stands in for JupyterLab's "Run All"), live
  widgets included; and every student notebook, unanswered, in the same way;
- the JupyterLab setting that `postBuild` wrote, and the Jupytext viewer it names.

The launch buttons themselves are checked on the built pages (test_browser.py).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from booktools import BOOK_ROOT
from linreg_mle.assignments import BINDER_FILES, NOT_ANSWERED
from linreg_mle.catalog import read_book

pytestmark = pytest.mark.binder

CHAPTERS = sorted((BOOK_ROOT / "chapters").glob("*.md"))
JUPYTEXT_VIEWER = "Jupytext Notebook"

# Run by the environment's own Python: each chapter read by jupytext and run as
# JupyterLab runs it, in its own folder and with the JPY_SESSION_NAME that
# jupyter_server gives the kernels it starts for a notebook (which is how a
# chapter knows a person has it open, and shows live widgets); then where the
# kernel's Python and `linreg_mle` come from. Prints a JSON report.
RUN_CHAPTERS = textwrap.dedent("""
    import json, os, sys
    from pathlib import Path
    import jupytext, nbclient, nbformat

    WIDGET = "application/vnd.jupyter.widget-view+json"
    failures, widgets, outputs = {}, {}, {}
    for path in map(Path, sys.argv[1:]):
        notebook = jupytext.read(path)
        try:
            nbclient.NotebookClient(notebook, timeout=120,
                                    resources={"metadata": {"path": str(path.parent)}}).execute(
                env={**os.environ, "JPY_SESSION_NAME": f"chapters/{path.name}"})
        except Exception as error:
            failures[path.name] = str(error)[-3000:]
        widgets[path.name] = sum(WIDGET in output.get("data", {})
                                 for cell in notebook.cells for output in cell.get("outputs", []))
        outputs[path.name] = json.dumps([cell.get("outputs", []) for cell in notebook.cells],
                                        ensure_ascii=False)

    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, linreg_mle; print(sys.prefix); print(linreg_mle.__file__)")])
    probe.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbclient.NotebookClient(probe, timeout=120).execute()
    prefix, package = probe.cells[0].outputs[0]["text"].split()
    print(json.dumps({"failures": failures, "widgets": widgets, "outputs": outputs,
                      "kernel_prefix": prefix, "package": package}))
""")


def run(command, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


@pytest.fixture(scope="module")
def binder(tmp_path_factory, assignments) -> SimpleNamespace:
    """The student branch's tree, and a fresh environment built from its Binder
    files, after `postBuild`."""
    assert assignments.returncode == 0, assignments.log[-5000:]
    root = tmp_path_factory.mktemp("binder")
    venv, home, tree = root / "venv", root / "home", root / "student-branch"
    home.mkdir()
    # The README's command, as the publishing workflow runs it.
    run([sys.executable, "-m", "linreg_mle.assignments", "student-branch", ".", str(tree),
         "--assignments", str(assignments.html)], cwd=BOOK_ROOT)
    # No variable of ours may leak packages into the new environment.
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "JUPYTER", "IPYTHON"))}
    run([sys.executable, "-m", "venv", str(venv)], env=clean)
    python = venv / "bin" / "python"
    # Binder's own command, from the repository root, where `-e ./code` points.
    # (--no-compile only skips writing .pyc files now; Python writes them on import.)
    run([str(python), "-m", "pip", "install", "--quiet", "--no-compile", "-r", "requirements.txt"],
        cwd=tree, env=clean)
    # From here on, a Binder user's session: the environment first on PATH, a home
    # of its own (where `postBuild` writes), nothing else.
    session = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    run(["./postBuild"], cwd=tree, env=session)
    return SimpleNamespace(venv=venv, python=python, home=home, env=session, tree=tree)


def test_binder_reads_the_root_files():
    # A `binder/` or `.binder/` folder would make Binder ignore the root files, and
    # an environment.yml or Pipfile would take precedence over requirements.txt.
    for shadowing in ("binder", ".binder", "environment.yml", "Pipfile"):
        assert not (BOOK_ROOT / shadowing).exists(), shadowing
    assert os.access(BOOK_ROOT / "postBuild", os.X_OK)
    python = (BOOK_ROOT / "runtime.txt").read_text().strip()
    assert python.startswith("python-3."), python


def test_the_student_branch_has_the_main_branchs_binder_files(binder):
    for name in BINDER_FILES:
        assert (binder.tree / name).read_bytes() == (BOOK_ROOT / name).read_bytes(), name
    assert os.access(binder.tree / "postBuild", os.X_OK)
    for shadowing in ("binder", ".binder", "environment.yml", "Pipfile"):
        assert not (binder.tree / shadowing).exists(), shadowing


def test_postbuild_makes_chapters_open_as_notebooks(binder):
    settings_file = binder.home / ".jupyter" / "labconfig" / "default_setting_overrides.json"
    settings = json.loads(settings_file.read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    # `.md` files are JupyterLab's "markdown" type; "myst" covers MyST's own extensions.
    assert viewers == {"markdown": JUPYTEXT_VIEWER, "myst": JUPYTEXT_VIEWER}
    # The viewer it names is the one that jupytext's JupyterLab extension adds, and
    # both halves of that extension are installed in the environment.
    lab_extension = binder.venv / "share" / "jupyter" / "labextensions" / "jupyterlab-jupytext"
    assert json.loads((lab_extension / "package.json").read_text())["name"] == "jupyterlab-jupytext"
    server_config = binder.venv / "etc" / "jupyter" / "jupyter_server_config.d" / "jupytext.json"
    assert json.loads(server_config.read_text())["ServerApp"]["jpserver_extensions"] == {
        "jupyterlab_jupytext": True}
    # And the file is in one of the folders where JupyterLab, in that session,
    # reads `labconfig/` settings: Jupyter's config folders.
    paths = json.loads(run(["jupyter", "--paths", "--json"], env=binder.env).stdout)
    assert str(settings_file.parent.parent) in paths["config"]


def test_every_chapter_runs_in_the_binder_environment(binder):
    # Every chapter of the table of contents, and nothing else.
    assert [path.stem for path in CHAPTERS] == sorted(c.name for c in read_book(BOOK_ROOT))
    done = run([str(binder.python), "-c", RUN_CHAPTERS, *map(str, CHAPTERS)],
               cwd=BOOK_ROOT / "chapters", env=binder.env)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["failures"] == {}
    # The chapters' ipywidgets explorer is live there (and only there: the HTML
    # book shows its static view, see test_browser.py).
    assert sum(report["widgets"].values()) >= 1, report["widgets"]
    # The kernel was the new environment's, and it imported the branch's package.
    assert Path(report["kernel_prefix"]).resolve() == binder.venv.resolve()
    assert Path(report["package"]).is_relative_to(binder.tree / "code" / "linreg_mle")


def test_every_student_notebook_runs_unanswered_in_the_student_branch(binder):
    notebooks = sorted((binder.tree / "chapters").glob("*.ipynb"))
    assert [path.stem for path in notebooks] == sorted(path.stem for path in CHAPTERS)
    done = run([str(binder.python), "-c", RUN_CHAPTERS, *map(str, notebooks)],
               cwd=binder.tree / "chapters", env=binder.env)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["failures"] == {}
    # Each coding question's check says so, instead of failing.
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        checks = sum("".join(cell["source"]).startswith("grader.check(") for cell in cells)
        assert report["outputs"][path.name].count(NOT_ANSWERED) >= checks, path.name
