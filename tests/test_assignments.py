"""Assignments with otter-grader: built from the chapters, graded without Docker.

The chain, end to end: the README's command builds every chapter's assignment
(`otter assign`, which grades the solutions with the autograder and fails unless
they get full marks); an untouched student notebook gets less; a notebook with one
typical wrong answer loses exactly that question's points, and its learner reads
the self-check's own message; the gradebook command grades a folder of
submissions into one CSV. No student notebook holds a piece of a solution.

Most of it runs twice: on the real chapters, whatever they are, and on a demo
chapter of our own (`fixtures/assignment_chapter.md`) whose exercises cover every
case, with right and wrong answers we know. The publishing workflow is linted by
actionlint, and the student edition's Binder buttons are checked on its build.
"""

import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from contextlib import redirect_stdout
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup

from booktools import ASSIGNMENTS_COMMAND, BOOK_ROOT, STUDENT_EDITION_COMMAND, Build, copy_book_settings
from linreg_mle import assignments, checks
from linreg_mle.catalog import Chapter, read_book, read_chapter

DEMO_CHAPTER = Path(__file__).parent / "fixtures" / "assignment_chapter.md"
WORKFLOW = BOOK_ROOT / ".github" / "workflows" / "publish.yml"
ACTIONLINT = Path(sys.executable).with_name("actionlint")
# Shorter pieces of a solution (letters and digits only) are too common to tell.
SHORTEST_PIECE = 10
# The tests that build or grade assignments (a few seconds per notebook).
slow = pytest.mark.assignments


# ---- helpers ---------------------------------------------------------------------------


def squash(text: str) -> str:
    """Letters and digits only, lower case: markup and spacing vanish."""
    return re.sub(r"[\W_]+", "", text).lower()


def strings(node) -> list[str]:
    """Every string in a notebook's JSON: sources, outputs, metadata (public tests)."""
    if isinstance(node, str):
        return [node]
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return [s for value in values for s in strings(value)]


@cache
def notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def student_notebook(folder: Path, name: str) -> Path:
    return folder / name / "student" / f"{name}.ipynb"


def solution_notebook(folder: Path, name: str) -> Path:
    return folder / name / "autograder" / f"{name}.ipynb"


def answer_cells(path: Path) -> list[nbformat.NotebookNode]:
    return [c for c in notebook(path).cells if "otter_answer_cell" in c.metadata.get("tags", [])]


def distinctive_pieces(chapter: Chapter, given: set[str]) -> dict[str, set[str]]:
    """Each solution's lines, squashed, as the chapter has them and as a notebook
    shows them (cross-references made links), that the chapter has nowhere outside
    its solutions and that are not `given` to learners on purpose."""
    outside = chapter.path.read_text(encoding="utf-8")
    for solution in chapter.solutions:
        outside = outside.replace(solution.text, "")
    elsewhere = squash(outside)
    book = assignments.Book.read(chapter.path.parents[1])
    return {s.exercise: {piece for line in s.text.splitlines()
                         for piece in (squash(line), squash(assignments.plain_markdown(line, book)))
                         if len(piece) >= SHORTEST_PIECE and piece not in elsewhere and piece not in given}
            for s in chapter.solutions}


def assert_no_solution_in_student_notebook(chapter: Chapter, folder: Path) -> None:
    student = student_notebook(folder, chapter.name)
    # The answer function's signature is given to learners on purpose.
    given = {squash(cell.source.splitlines()[0]) for cell in answer_cells(student) if cell.source}
    in_student = squash(" ".join(strings(notebook(student))))
    in_solution = squash(" ".join(strings(notebook(solution_notebook(folder, chapter.name)))))
    for label, pieces in distinctive_pieces(chapter, given).items():
        assert pieces, f"{chapter.name} {label}: no piece of its solution is distinctive"
        # The search looks for things that exist: the solution notebook has them.
        assert pieces & {p for p in pieces if p in in_solution}, f"{chapter.name} {label}"
        leaked = {piece for piece in pieces if piece in in_student}
        assert not leaked, f"{chapter.name} {label}: in the student notebook: {sorted(leaked)}"
    assert all(not cell.get("outputs") for cell in notebook(student).cells)


def assert_layout_and_points(chapter: Chapter, folder: Path) -> None:
    """otter's layout, with a question per exercise worth its stars: an autograded one
    (tests in the zip) per coding exercise, a manually graded one per other."""
    student, solution = student_notebook(folder, chapter.name), solution_notebook(folder, chapter.name)
    assert student.exists() and solution.exists()
    with zipfile.ZipFile(assignments.autograder_zip(folder / chapter.name)) as archive:
        tests = {Path(name).stem: archive.read(name).decode() for name in archive.namelist()
                 if name.startswith("tests/")}
        listed = json.loads(archive.read(f"files/{assignments.QUESTIONS_FILE}"))
        assert f"files/{assignments.PACKAGE_FOLDER}/linreg_mle/checks/__init__.py" in archive.namelist()
    coding = [e for e in chapter.exercises if e.kind == "coding"]
    assert set(tests) == {e.label for e in coding}
    for exercise in coding:
        assert re.search(rf"^points = {exercise.difficulty}$", tests[exercise.label], re.M)
        assert "all_or_nothing = True" in tests[exercise.label]
        # The hidden test asserts the exercise's own self-check.
        assert f"assert checks.{exercise.check}(" in tests[exercise.label]
    assert listed == [{"name": e.label, "points": e.difficulty, "manual": e.kind != "coding"}
                      for e in chapter.exercises]
    answers = answer_cells(student)
    assert [c.cell_type for c in answers] == [
        "code" if e.kind == "coding" else "markdown" for e in chapter.exercises]
    checked = [c.source for c in notebook(student).cells if c.source.startswith("grader.check(")]
    assert checked == [f'grader.check("{e.label}")' for e in coding]


def grade(notebook_path: Path, autograder: Path) -> dict[str, float]:
    """otter's own grading, without Docker: points per autograded question."""
    from otter.api import grade_submission

    results = grade_submission(str(notebook_path), str(autograder), quiet=True)
    return {name: result.score for name, result in results.results.items()}


# ---- the demo book -----------------------------------------------------------------------


def demo_book(root: Path, chapter: str) -> Path:
    """A book in `root` whose one chapter is `chapter` (MyST source)."""
    copy_book_settings(root)
    for name in ("runtime.txt", "requirements.txt"):
        shutil.copy(BOOK_ROOT / name, root)
    (root / "code").symlink_to(BOOK_ROOT / "code")
    (root / "chapters").mkdir()
    (root / "chapters" / "01_demo.md").write_text(chapter, encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: intro\nchapters:\n  - file: chapters/01_demo\n")
    return root


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A book with the demo chapter alone, and its assignment built (into `_build/`)."""
    root = demo_book(tmp_path_factory.mktemp("assign-demo") / "book", DEMO_CHAPTER.read_text())
    done = subprocess.run([sys.executable, *ASSIGNMENTS_COMMAND[1:]], cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return root


@pytest.fixture(scope="module")
def demo_chapter(demo) -> Chapter:
    return read_chapter(demo / "chapters" / "01_demo.md")


@pytest.fixture(scope="module")
def demo_built(demo) -> Path:
    return demo / "_build" / "assignments"


def wrong_s2(source: str) -> str:
    """The demo's solution notebook with one typical mistake: s² divided by n."""
    assert "quokkalith_dof = X.shape[0] - X.shape[1]" in source
    return source.replace("quokkalith_dof = X.shape[0] - X.shape[1]", "quokkalith_dof = X.shape[0]")


@pytest.fixture(scope="module")
def demo_submissions(demo_built, tmp_path_factory) -> Path:
    """A folder of two submissions: right, and one wrong answer (the real chapters'
    tests grade the untouched notebooks)."""
    folder = tmp_path_factory.mktemp("submissions")
    shutil.copy(solution_notebook(demo_built, "01_demo"), folder / "right.ipynb")
    wrong = nbformat.read(solution_notebook(demo_built, "01_demo"), as_version=4)
    cell = next(c for c in wrong.cells if "def my_s2" in c.source)
    cell.source = wrong_s2(cell.source)
    nbformat.write(wrong, folder / "wrong.ipynb")
    return folder


@slow
def test_demo_layout_and_points(demo_chapter, demo_built):
    assert_layout_and_points(demo_chapter, demo_built)


@slow
def test_demo_student_notebook_holds_no_solution(demo_chapter, demo_built):
    assert_no_solution_in_student_notebook(demo_chapter, demo_built)
    text = squash(" ".join(strings(notebook(student_notebook(demo_built, "01_demo")))))
    for word in ("quokkalith", "wombatine", "numbatry", "wallabine"):
        assert word not in text, word
    # What learners are given: the answer functions' signatures, the task's own code
    # cell, the chapter's imports (not the book's machinery), a link to the chapter.
    student = notebook(student_notebook(demo_built, "01_demo"))
    sources = [cell.source for cell in student.cells]
    assert "def my_s2(y, X):\n    ..." in sources
    assert "def my_terms(y, X, beta, sigma2):\n    ..." in sources
    assert "beta_try = np.array([1.0, 2.0])" in sources
    assert "import numpy as np\nimport linreg_mle" in sources
    assert "chapters/01_demo.html" in sources[1]


@slow
def test_demo_solution_is_the_code_down_to_the_self_check(demo_built):
    """What follows the self-check call in a solution (here it uses the chapter's data,
    which the notebook does not have) is left out; helpers and imports stay."""
    code = "\n".join(cell.source for cell in notebook(solution_notebook(demo_built, "01_demo")).cells
                     if cell.cell_type == "code")
    assert "def wombatine_rss(y, X):" in code and "quokkalith_dof" in code
    assert "numbatry value" not in code and "checks.check_unbiased_sigma2(my_s2)" not in code


@slow
def test_demo_student_notebook_runs_unanswered_and_says_so(demo_built, tmp_path):
    import nbclient

    path = tmp_path / "01_demo.ipynb"
    shutil.copy(student_notebook(demo_built, "01_demo"), path)
    executed = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(executed, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {cell.source: " ".join(strings(cell.get("outputs", []))) for cell in executed.cells
               if cell.cell_type == "code"}
    assert not any("Traceback" in text for text in outputs.values())
    for label in ("ex-assign-demo-s2", "ex-assign-demo-terms"):
        assert assignments.NOT_ANSWERED in outputs[f'grader.check("{label}")'], label


@slow
def test_one_wrong_answer_loses_exactly_its_points_and_shows_the_checks_message(
        demo_built, demo_submissions, tmp_path):
    """With the README's `otter run` command; its output folder must exist."""
    autograder = assignments.autograder_zip(demo_built / "01_demo")
    done = subprocess.run([str(Path(sys.executable).with_name("otter")), "run", "-a", str(autograder),
                           "-o", str(tmp_path), str(demo_submissions / "wrong.ipynb")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    tests = {t["name"]: t for t in json.loads((tmp_path / "results.json").read_text())["tests"]}
    assert (tests["ex-assign-demo-s2"]["score"], tests["ex-assign-demo-s2"]["max_score"]) == (0, 1)
    assert (tests["ex-assign-demo-terms"]["score"], tests["ex-assign-demo-terms"]["max_score"]) == (2, 2)
    # The learner reads the self-check's own diagnosis, as calling it would print it.
    namespace = {"np": __import__("numpy")}
    source = next(c.source for c in notebook(demo_submissions / "wrong.ipynb").cells if "def my_s2" in c.source)
    exec(re.sub(r"^.*# (BEGIN|END) SOLUTION.*$", "", source, flags=re.M), namespace)
    message = io.StringIO()
    with redirect_stdout(message):
        assert not checks.check_unbiased_sigma2(namespace["my_s2"], rng=0)
    diagnosis = message.getvalue().strip().split(": ", 1)[1].split(" (on random")[0]
    assert diagnosis in tests["Public Tests"]["output"]


@slow
def test_gradebook_of_a_folder(demo_built, demo_submissions, tmp_path):
    """The README's gradebook command: a row per submission, a column per question
    (the manually graded ones empty), and the total."""
    autograder = assignments.autograder_zip(demo_built / "01_demo")
    gradebook = tmp_path / "grades.csv"
    done = subprocess.run([sys.executable, "-m", "linreg_mle.assignments", "gradebook",
                           str(autograder), str(demo_submissions), str(gradebook)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = list(csv.DictReader(gradebook.open()))
    assert list(rows[0]) == ["submission", "ex-assign-demo-s2", "ex-assign-demo-terms",
                             "ex-assign-demo-derivation", "ex-assign-demo-concept", "total"]
    table = {row["submission"]: [row[k] for k in list(row)[1:]] for row in rows}
    assert table == {
        "right.ipynb": ["1", "2", "", "", "3"],
        "wrong.ipynb": ["0", "2", "", "", "2"],
    }


@slow
def test_a_wrong_solution_fails_the_build(tmp_path):
    """otter assign grades the solutions, and the build stops at a wrong one."""
    source = DEMO_CHAPTER.read_text()
    assert "quokkalith_dof = X.shape[0] - X.shape[1]" in source
    root = demo_book(tmp_path / "book", source.replace("X.shape[0] - X.shape[1]", "X.shape[0]"))
    with pytest.raises(RuntimeError, match=r"(?s)otter assign failed on 01_demo.*ex-assign-demo-s2"):
        assignments.build(root, tmp_path / "out")


def test_a_solution_that_never_calls_its_self_check_is_refused(tmp_path):
    source = DEMO_CHAPTER.read_text().replace("checks.check_unbiased_sigma2(my_s2)\n", "")
    path = tmp_path / "01_demo.md"
    path.write_text(source)
    chapter = read_chapter(path)
    with pytest.raises(ValueError, match=r"01_demo\.md: exercise ex-assign-demo-s2: .*never calls"):
        assignments.questions(chapter)


# ---- the real chapters -------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(assignments_build) -> Path:
    return assignments_build.html


@pytest.fixture(scope="module")
def assignments_build(request) -> Build:
    build = request.getfixturevalue("assignments")
    assert build.returncode == 0, build.log[-6000:]
    return build


@pytest.fixture(scope="module")
def chapters() -> list[Chapter]:
    return read_book(BOOK_ROOT)


@slow
def test_every_chapter_has_its_assignment_and_otter_graded_its_solutions(chapters, assignments_build):
    """`otter assign` grades each solution notebook with the autograder (as `otter run`
    does) and fails unless it gets full marks; the command reports it per chapter."""
    assert sorted(path.name for path in assignments_build.html.iterdir()) == sorted(c.name for c in chapters)
    for chapter in chapters:
        assert f"{chapter.name}: student/, autograder/ (the solutions get full marks)" in assignments_build.log


@slow
def test_every_chapter_layout_and_points(chapters, built):
    for chapter in chapters:
        assert_layout_and_points(chapter, built)


@slow
def test_no_student_notebook_holds_a_solution(chapters, built):
    for chapter in chapters:
        assert_no_solution_in_student_notebook(chapter, built)


@slow
def test_untouched_student_notebooks_get_less_than_the_solutions(chapters, built):
    for chapter in chapters:
        autograder = assignments.autograder_zip(built / chapter.name)
        scores = grade(student_notebook(built, chapter.name), autograder)
        coding = {e.label: e.difficulty for e in chapter.exercises if e.kind == "coding"}
        assert set(scores) == set(coding), chapter.name
        assert sum(scores.values()) < sum(coding.values()), chapter.name


@slow
def test_student_branch_tree(chapters, built, tmp_path):
    """The README's command assembles exactly what the `student` branch holds."""
    tree = tmp_path / "student-branch"
    done = subprocess.run([sys.executable, "-m", "linreg_mle.assignments", "student-branch", ".",
                           str(tree), "--assignments", str(built)],
                          cwd=BOOK_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted(p.name for p in tree.iterdir()) == sorted(
        ["README.md", "chapters", "code", *assignments.BINDER_FILES])
    assert sorted(p.name for p in (tree / "chapters").iterdir()) == sorted(f"{c.name}.ipynb" for c in chapters)
    for chapter in chapters:
        assert (tree / "chapters" / f"{chapter.name}.ipynb").read_bytes() == \
            student_notebook(built, chapter.name).read_bytes()
    for name in assignments.BINDER_FILES:
        assert (tree / name).read_bytes() == (BOOK_ROOT / name).read_bytes()
    assert (tree / "postBuild").stat().st_mode & stat.S_IXUSR
    assert (tree / "code" / "linreg_mle" / "assignments.py").exists()
    # Nothing of an instructor's: no chapter source, no solution notebook, no autograder.
    files = [p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()]
    assert not [f for f in files if f.endswith((".md", ".zip")) and f != "README.md"]
    assert "mybinder.org/v2/gh/" in (tree / "README.md").read_text()


# ---- the publishing workflow and the documentation (fast) --------------------------------


@pytest.mark.parametrize("workflow", sorted((BOOK_ROOT / ".github" / "workflows").glob("*.yml")),
                         ids=lambda path: path.name)
def test_workflow_passes_actionlint(workflow):
    done = subprocess.run([str(ACTIONLINT), "-no-color", str(workflow)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_typo(tmp_path):
    """The linter reads the workflow for real: a misspelt key or action input fails."""
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for wrong in (("runs-on:", "runs_on:"), ("python-version:", "python_version:")):
        broken = folder / "publish.yml"
        text = WORKFLOW.read_text()
        assert wrong[0] in text
        broken.write_text(text.replace(wrong[0], wrong[1], 1))
        done = subprocess.run([str(ACTIONLINT), "-no-color", str(broken)], capture_output=True, text=True)
        assert done.returncode != 0 and wrong[1].rstrip(":") in done.stdout, wrong


@pytest.mark.parametrize("command", [
    "jupyter-book build . -W -n --keep-going",
    " ".join(STUDENT_EDITION_COMMAND),
    " ".join(ASSIGNMENTS_COMMAND),
    "python -m linreg_mle.assignments student-branch . _build/student-branch",
])
def test_workflow_runs_the_readmes_commands(command):
    steps = [step.get("run", "") for job in yaml.safe_load(WORKFLOW.read_text())["jobs"].values()
             for step in job["steps"]]
    assert any(command in run.splitlines() for run in steps), command


def test_workflow_publishes_the_student_branch_and_both_editions():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert f"refs/heads/{assignments.STUDENT_BRANCH}" in runs
    assert "cp -r _build/student/html _site/student" in runs  # where the notebooks link to
    assert assignments.student_edition_url(BOOK_ROOT).endswith("/student/")
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in steps)
    # Triggered by main only: never by its own push to the student branch.
    assert workflow[True]["push"]["branches"] == ["main"]


def test_readme_and_guide_give_the_commands():
    readme = (BOOK_ROOT / "README.md").read_text(encoding="utf-8")
    guide = (BOOK_ROOT / "instructor_guide.md").read_text(encoding="utf-8")
    section = readme.split("## Assignments", 1)[1].split("\n## ", 1)[0]
    for text in (section, guide):
        assert f"```bash\n{' '.join(ASSIGNMENTS_COMMAND)}\n```" in text
        assert "otter run -a " in text and "python -m linreg_mle.assignments gradebook " in text


def test_self_check_as_a_public_test():
    """Not answered, wrong and right, as `grader.check` shows them."""
    def placeholder(y, X):
        ...

    def divides_by_n(y, X):
        residuals = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
        return residuals @ residuals / len(y)

    def right(y, X):
        residuals = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
        return residuals @ residuals / (len(y) - X.shape[1])

    import numpy as np

    for env in ({}, {"my_s2": ...}, {"my_s2": placeholder}):
        with pytest.raises(AssertionError, match=assignments.NOT_ANSWERED):
            assignments.self_check("check_unbiased_sigma2", env, "my_s2", rng=1)
    with pytest.raises(AssertionError, match="❌"):
        assignments.self_check("check_unbiased_sigma2", {"my_s2": divides_by_n}, "my_s2", rng=1)
    printed = io.StringIO()
    with redirect_stdout(printed):
        assignments.self_check("check_unbiased_sigma2", {"my_s2": right}, "my_s2", rng=1)
    assert printed.getvalue().startswith("✅")


# ---- the student edition's Binder buttons (needs its build) ------------------------------


@pytest.mark.build
def test_student_edition_launches_the_student_notebooks(student_edition, chapters):
    assert student_edition.returncode == 0, student_edition.log[-3000:]
    for path in sorted(student_edition.html.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        links = [a["href"] for a in page.select(".dropdown-launch-buttons a[href*='mybinder.org/v2/gh/']")]
        name = path.relative_to(student_edition.html).with_suffix("").as_posix()
        if name.startswith("chapters/"):
            assert links == [assignments.student_binder_link(BOOK_ROOT, path.stem)], name
        else:
            assert links == [], name
