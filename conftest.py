"""Collect every MyST chapter in `chapters/` as a notebook, one test per code cell.

nbval only collects `.ipynb` files. Our chapters are MyST markdown notebooks, so
we read them with jupytext and hand the cells to nbval. The kernel starts in the
chapter's own folder, exactly as in the book build. The sources store no outputs,
so there is nothing to compare: a cell passes when it runs without error, and the
chapters' hidden `assert` cells are what check the mathematics.
"""

import os
from collections import defaultdict
from pathlib import Path

import jupytext
from nbval.plugin import IPyNbCell, IPyNbFile, find_metadata_tags

CHAPTERS = Path(__file__).parent / "chapters"


def pytest_configure(config):
    """One BLAS thread per process. The tests run in two processes at once
    (pytest.ini), beside the kernels of the builds and notebooks they start: on two
    cores, more threads gain nothing, and OpenBLAS's, which wait for work by
    spinning, then take turns on a busy core (a test could take ten times as long).
    Set before the test processes load NumPy, and inherited by the processes they
    start, except Binder's environment, which gets none of ours (test_binder.py).
    """
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(variable, "1")


class MystNotebook(IPyNbFile):
    """A MyST chapter, run cell by cell in a fresh kernel."""

    def collect(self):
        self.nb = jupytext.read(self.path)
        code_cells = (cell for cell in self.nb.cells if cell.cell_type == "code")
        for number, cell in enumerate(code_cells):
            # Tags such as `raises-exception` keep their nbval meaning.
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options["check"] = False
            yield IPyNbCell.from_parent(
                self, name=f"Cell {number}", cell_num=number, cell=cell, options=options
            )


def pytest_collect_file(file_path, parent):
    if file_path.suffix == ".md" and file_path.parent == CHAPTERS:
        return MystNotebook.from_parent(parent, path=file_path)
    return None

