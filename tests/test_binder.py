"""Binder, simulated: an environment made from Binder's files alone runs every chapter.

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
  widgets included;
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
    failures, widgets = {}, {}
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

    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, linreg_mle; print(sys.prefix); print(linreg_mle.__file__)")])
    probe.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbclient.NotebookClient(probe, timeout=120).execute()
    prefix, package = probe.cells[0].outputs[0]["text"].split()
    print(json.dumps({"failures": failures, "widgets": widgets,
                      "kernel_prefix": prefix, "package": package}))
""")


def run(command, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


@pytest.fixture(scope="module")
def binder(tmp_path_factory) -> SimpleNamespace:
    """A fresh environment built from Binder's files, after `postBuild`."""
    root = tmp_path_factory.mktemp("binder")
    venv, home = root / "venv", root / "home"
    home.mkdir()
    # No variable of ours may leak packages into the new environment.
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("PYTHON", "VIRTUAL_ENV", "CONDA", "JUPYTER", "IPYTHON"))}
    run([sys.executable, "-m", "venv", str(venv)], env=clean)
    python = venv / "bin" / "python"
    # Binder's own command, from the repository root, where `-e ./code` points.
    # (--no-compile only skips writing .pyc files now; Python writes them on import.)
    run([str(python), "-m", "pip", "install", "--quiet", "--no-compile", "-r", "requirements.txt"],
        cwd=BOOK_ROOT, env=clean)
    # From here on, a Binder user's session: the environment first on PATH, a home
    # of its own (where `postBuild` writes), nothing else.
    session = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    run(["./postBuild"], cwd=BOOK_ROOT, env=session)
    return SimpleNamespace(venv=venv, python=python, home=home, env=session)


def test_binder_reads_the_root_files():
    # A `binder/` or `.binder/` folder would make Binder ignore the root files, and
    # an environment.yml or Pipfile would take precedence over requirements.txt.
    for shadowing in ("binder", ".binder", "environment.yml", "Pipfile"):
        assert not (BOOK_ROOT / shadowing).exists(), shadowing
    assert os.access(BOOK_ROOT / "postBuild", os.X_OK)
    python = (BOOK_ROOT / "runtime.txt").read_text().strip()
    assert python.startswith("python-3."), python


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
    assert len(CHAPTERS) == 5
    done = run([str(binder.python), "-c", RUN_CHAPTERS, *map(str, CHAPTERS)],
               cwd=BOOK_ROOT / "chapters", env=binder.env)
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["failures"] == {}
    # The chapters' ipywidgets explorer is live there (and only there: the HTML
    # book shows its static view, see test_browser.py).
    assert sum(report["widgets"].values()) >= 1, report["widgets"]
    # The kernel was the new environment's, and it imported this repository's package.
    assert Path(report["kernel_prefix"]).resolve() == binder.venv.resolve()
    assert Path(report["package"]).is_relative_to(BOOK_ROOT / "code" / "linreg_mle")
