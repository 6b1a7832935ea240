"""Assignments: each chapter's exercises as an otter-grader assignment, and a gradebook.

Three commands, run from the book's folder::

    python -m linreg_mle.assignments build .                  # _build/assignments/
    python -m linreg_mle.assignments gradebook AUTOGRADER.zip SUBMISSIONS/ grades.csv
    python -m linreg_mle.assignments student-branch . _build/student-branch

``build`` reads every chapter of the table of contents through
:mod:`linreg_mle.catalog`, writes an otter "master notebook" of its exercises, and
runs ``otter assign`` on it, which writes ``_build/assignments/<chapter>/``:
``student/<chapter>.ipynb`` (the notebook learners get), ``autograder/<chapter>.ipynb``
(with the solutions) and ``autograder/*.zip`` (for Gradescope or ``otter run``).
``otter assign`` grades the solutions with that zip and fails unless they get full
marks. In the notebook:

- a coding exercise is an autograded question worth its stars (★ = 1 point). Its
  answer cell is the solution's code down to the self-check call, with the body of
  the answer function replaced by ``...``. Its public test runs the exercise's
  self-check and fails with the check's own message (:func:`self_check`); its
  hidden test asserts that the same check accepts the answer on a fixed seed, and
  the question scores all or nothing. A self-check that passes and a grader that
  takes points off cannot disagree, barring the seed: both are the same function;
- a concept or derivation exercise is a manually graded question (otter's
  ``manual: true``) worth its stars, with a Markdown answer cell;
- the chapter itself is a link to its page in the student edition of the book; the
  first code cell holds the chapter's imports and top-level definitions that the
  exercises use (:func:`setup_code`).

``gradebook`` grades every notebook (or otter export zip) in a folder with otter's
own Python API, without Docker, into one CSV: a row per submission, a column per
question (empty for the manually graded ones) and the autograded total.
``student-branch`` assembles what the published ``student`` branch holds: the student
notebooks, the package and Binder's files.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import csv
import inspect
import io
import json
import re
import shutil
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from .catalog import CatalogError, Chapter, Exercise, Solution, read_book

# The branch that the publishing workflow fills with `student-branch`'s tree, and
# that the student edition's Binder buttons launch.
STUDENT_BRANCH = "student"
DEFAULT_OUTPUT = Path("_build", "assignments")
# What the student branch holds besides the notebooks, as Binder reads it.
BINDER_FILES = ("requirements.txt", "runtime.txt", "postBuild")
# The book's own machinery, which a notebook of exercises does not import; and the
# chapter's imports that it always keeps (the others, only if its exercises use them).
BOOK_ONLY_MODULES = {"myst_nb"}
ALWAYS_IMPORTED = ("np", "linreg_mle")
# The chapter's statements that the setup cell may take: definitions, not actions.
DEFINITIONS = (ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.ClassDef)
# Inside the autograder zip (under `files/`): the package, for Gradescope's image,
# and the list of every question, for the gradebook.
PACKAGE_FOLDER = "linreg-mle"
QUESTIONS_FILE = "questions.json"
NOT_ANSWERED = "not answered yet"


# ---- the public test ----------------------------------------------------------------


def self_check(check: str, env: Mapping, name: str, **kwargs) -> None:
    """Run the self-check ``check`` on the learner's ``name`` in ``env``, as a test.

    An otter public test: silent apart from the check's verdict when the answer is
    right; otherwise an ``AssertionError`` whose message is the check's own verdict,
    or "not answered yet" while the answer is missing or still the placeholder.
    """
    from . import checks

    answer = env.get(name, _MISSING)
    if answer is _MISSING:
        raise AssertionError(f"{NOT_ANSWERED}: `{name}` is not defined. "
                             "Write it in the answer cell above, and run that cell.")
    if answer is Ellipsis or _is_placeholder(answer):
        raise AssertionError(f"{NOT_ANSWERED}: `{name}` is still the placeholder `...`. "
                             "Replace the `...` with your answer, and run that cell.")
    verdict = io.StringIO()
    with contextlib.redirect_stdout(verdict):
        passed = getattr(checks, check)(answer, **kwargs)
    if not passed:
        raise AssertionError(verdict.getvalue().strip())
    print(verdict.getvalue().strip())


_MISSING = object()


def _placeholder(*args):
    ...


def _is_placeholder(answer) -> bool:
    """A function whose body does nothing: `...`, `pass` or a docstring."""
    code = getattr(answer, "__code__", None)
    return code is not None and code.co_code == _placeholder.__code__.co_code


# ---- the book: where its pages live -------------------------------------------------


@dataclass(frozen=True)
class Book:
    root: Path
    chapters: tuple[Chapter, ...]
    url: str
    """Where the student edition is published, ending in a slash."""

    @classmethod
    def read(cls, root: Path | str) -> "Book":
        root = Path(root).resolve()
        return cls(root, tuple(read_book(root)), student_edition_url(root))

    def page(self, chapter: Chapter, anchor: str = "") -> str:
        return f"{self.url}chapters/{chapter.name}.html" + (f"#{anchor}" if anchor else "")

    def link(self, label: str, text: str = "", role: str = "ref") -> str:
        """A Markdown link to what `label` names in the book, or plain text."""
        for chapter in self.chapters:
            if label == chapter.label:
                return f"[{text or chapter.title}]({self.page(chapter)})"
            if label in chapter.labels:
                if role == "eq":  # Sphinx's anchor of a labelled equation
                    return f"[{text or f'({label})'}]({self.page(chapter, f'equation-{label}')})"
                return f"[{text or label}]({self.page(chapter, label)})"
        return text or label


def _config(root: Path) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def repository(root: Path) -> tuple[str, str]:
    """The GitHub owner and name of the repository that `_config.yml` names."""
    owner, name = urlparse(_config(root)["repository"]["url"]).path.strip("/").split("/")[:2]
    return owner, name.removesuffix(".git")


def student_edition_url(root: Path) -> str:
    """Where the publishing workflow puts the student edition: `student/` beside the
    book, at `html.baseurl` if `_config.yml` sets one, else at the repository's
    GitHub Pages address."""
    base = (_config(root).get("html") or {}).get("baseurl")
    if not base:
        owner, name = repository(root)
        site = f"https://{owner.lower()}.github.io/"
        base = site if name.lower() == f"{owner.lower()}.github.io" else f"{site}{name}/"
    return base.rstrip("/") + "/student/"


# MyST roles that Jupyter does not render: {ref}`label`, {ref}`text <label>`, ...
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<body>[^`]*)`")


def plain_markdown(text: str, book: Book) -> str:
    """MyST prose as Markdown that Jupyter renders: cross-references become links
    into the book, other roles their text."""
    def replace(match: re.Match) -> str:
        role, body = match["role"], match["body"]
        explicit = re.fullmatch(r"(?P<text>.*?)\s*<(?P<label>[^<>]+)>", body, re.S)
        text, label = (explicit["text"], explicit["label"]) if explicit else ("", body)
        if role in ("ref", "eq", "numref", "prf:ref", "doc"):
            return book.link(label.strip(), text.strip(), role)
        if role == "math":
            return f"${body}$"
        if role.startswith("glue"):
            return "(the value in the chapter)"
        return body  # {cite}, {term}, ...

    return ROLE.sub(replace, text)


# ---- a chapter's exercises as an otter master notebook ------------------------------


@dataclass(frozen=True)
class Question:
    """One exercise as an otter question."""

    exercise: Exercise
    points: int
    answer: str | None = None
    """A coding exercise's answer: the name its solution hands to the self-check."""
    solution_code: str = ""
    """A coding exercise's answer cell in the master notebook, with otter's markers."""
    check_kwargs: str = ""
    """The self-check call's other arguments, as Python source (``, n_cases=5``)."""

    @property
    def manual(self) -> bool:
        return self.exercise.kind != "coding"

    @property
    def name(self) -> str:
        return self.exercise.label


def questions(chapter: Chapter) -> list[Question]:
    """Every exercise of `chapter` as an otter question, in order."""
    return _plan(chapter)[1]


def setup_code(chapter: Chapter) -> str:
    """The notebook's first code cell: the chapter's imports and own definitions
    (constants, helpers, data) that the exercises use, by name in their code or text."""
    return _plan(chapter)[0]


def _plan(chapter: Chapter) -> tuple[str, list[Question]]:
    """The setup cell and the questions of `chapter`, which depend on each other."""
    from . import checks

    solutions = {solution.exercise: solution for solution in chapter.solutions}
    result = []
    for exercise in chapter.exercises:
        if exercise.kind != "coding":
            result.append(Question(exercise, exercise.difficulty))
            continue
        where = f"{chapter.path.name}: exercise {exercise.label}"
        if not callable(getattr(checks, exercise.check, None)):
            raise CatalogError(f"{where}: linreg_mle.checks has no self-check {exercise.check}")
        if exercise.label not in solutions:
            raise CatalogError(f"{where}: a coding exercise needs a solution that calls its self-check")
        result.append(_coding_question(chapter, exercise, solutions[exercise.label]))
    # What the exercises' code reads and does not define: the chapter defines it
    # (taken into the setup cell, with what it needs in turn), or else another
    # solution imports it (taken into this solution, which learners do not see).
    chapter_code = _statements(chapter.code)
    imports = [s for s, _ in chapter_code if isinstance(s, (ast.Import, ast.ImportFrom))
               and not {m.split(".")[0] for m in _modules(s)} & BOOK_ONLY_MODULES]
    provided = set().union(*(_top_level_names(s) for s in imports))
    needed = set().union(*(_free_names(q.solution_code) - _free_names_defined_by(q.exercise.text)
                           for q in result if not q.manual))
    chosen: dict[int, str] = {}
    pending = needed - provided
    while pending:
        name = pending.pop()
        for index in reversed(range(len(chapter_code))):
            statement, lines = chapter_code[index]
            if isinstance(statement, DEFINITIONS) and name in _top_level_names(statement):
                if index not in chosen:
                    chosen[index] = "\n".join(lines).rstrip()
                    provided |= _top_level_names(statement)
                    needed |= _free_names(chosen[index])
                    pending |= _free_names(chosen[index]) - provided
                break
    # The imports that the code above uses, or that an exercise's text names (each
    # one costs time in every run and every grading), and the definitions.
    named = set(ALWAYS_IMPORTED).union(needed, *(re.findall(r"[A-Za-z_]\w*", q.exercise.text)
                                                 for q in result))
    setup = list(dict.fromkeys(ast.unparse(s) for s in imports if _top_level_names(s) & named))
    setup += [chosen[index] for index in sorted(chosen)]
    other_imports = [s for solution in chapter.solutions for s, _ in _statements(solution.code)
                     if isinstance(s, (ast.Import, ast.ImportFrom))]
    for i, question in enumerate(result):
        missing = _free_names(question.solution_code) - provided
        extra = list(dict.fromkeys(ast.unparse(s) for s in other_imports if _top_level_names(s) & missing))
        if extra:
            start = "# BEGIN SOLUTION NO PROMPT\n"
            code = question.solution_code.removeprefix(start)
            if code == question.solution_code:  # no hidden block to join: open one
                code = "# END SOLUTION\n" + code
            result[i] = replace(question, solution_code=start + "\n".join(extra) + "\n\n" + code)
    return "\n".join(setup), result


def _statements(sources) -> list[tuple[ast.stmt | None, list[str]]]:
    """Each top-level statement of the code cells `sources`, with its lines (its
    decorators, and the comments after it, included). A cell that is not plain
    Python (IPython magics) is one statement, `None`."""
    result: list[tuple[ast.stmt | None, list[str]]] = []
    for source in sources:
        lines = source.splitlines()
        try:
            statements = ast.parse(source).body
        except SyntaxError:
            result.append((None, lines))
            continue
        starts = [(s.decorator_list[0] if getattr(s, "decorator_list", None) else s).lineno - 1
                  for s in statements] + [len(lines)]
        result += [(s, lines[a:b]) for s, a, b in zip(statements, starts, starts[1:])]
    return result


def _modules(statement: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(statement, ast.ImportFrom):
        return [statement.module or ""]
    return [alias.name for alias in statement.names]


def _top_level_names(node: ast.AST) -> set[str]:
    """The names that running the statement `node` binds in the module."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    if isinstance(node, ast.Name):
        return {node.id} if isinstance(node.ctx, ast.Store) else set()
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
        return set()
    return set().union(*map(_top_level_names, ast.iter_child_nodes(node)))


def _free_names(code: str) -> set[str]:
    """The names that `code` reads and defines nowhere (builtins aside)."""
    import builtins

    try:
        tree = ast.parse(code)
    except SyntaxError:
        return set()
    used, defined = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (used if isinstance(node.ctx, ast.Load) else defined).add(node.id)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            defined.add(node.name)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                               ast.Import, ast.ImportFrom)):
            defined |= _top_level_names(node)
    return used - defined - set(dir(builtins))


def _free_names_defined_by(myst: str) -> set[str]:
    """The names that the code cells of an exercise's task define for its learners."""
    cells = [re.sub(r"\A(?::[\w-]+:.*\n)+", "", cell)  # without the cell's options
             for cell in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", myst, re.S)]
    return set().union(*(_top_level_names(s) for s, _ in _statements(cells) if s is not None))


def _coding_question(chapter: Chapter, exercise: Exercise, solution: Solution) -> Question:
    """The solution's code down to its self-check call, marked for otter: the body of
    the answer function (or the value of the answer) is the solution that learners
    write; everything else it needs (imports, helpers) is removed from their copy."""
    where = f"{chapter.path.name}: exercise {exercise.label}"
    before: list[tuple[ast.stmt | None, list[str]]] = []  # each statement, with its lines
    answer = kwargs = None
    for statement, lines in _statements(solution.code):
        call = statement and _check_call(statement, exercise.check)
        if not call:
            before.append((statement, lines))
            continue
        if not call.args or not isinstance(call.args[0], ast.Name):
            raise CatalogError(f"{where}: its solution must call `{exercise.check}(answer, ...)` "
                               "with the name of the answer first")
        answer = call.args[0].id
        kwargs = "".join(f", {ast.unparse(a)}" for a in call.args[1:]) + "".join(
            f", {ast.unparse(k)}" for k in call.keywords if k.arg != "rng")
        break
    if answer is None:
        raise CatalogError(f"{where}: its solution never calls its self-check `{exercise.check}`, "
                           "so the grader cannot tell which answer to check")
    if not any(statement and _defines(statement, answer) for statement, _ in before):
        raise CatalogError(f"{where}: its solution checks `{answer}` without defining it first")
    return Question(exercise, exercise.difficulty, answer, _otter_markers(before, answer), kwargs)


def _check_call(statement: ast.stmt, check: str) -> ast.Call | None:
    """The call to the self-check `check` that `statement` makes at its top, if any."""
    value = statement.test if isinstance(statement, ast.Assert) else getattr(statement, "value", None)
    if isinstance(value, ast.Call) and (
            getattr(value.func, "id", None) == check or getattr(value.func, "attr", None) == check):
        return value
    return None


def _defines(statement: ast.stmt, name: str) -> bool:
    targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
    return getattr(statement, "name", None) == name or any(
        isinstance(t, ast.Name) and t.id == name for t in targets)


def _otter_markers(before: list[tuple[ast.stmt | None, list[str]]], answer: str) -> str:
    """The answer cell with otter's solution markers: the answer's body (or value)
    becomes `...` in the student's copy, and every other statement disappears."""
    out: list[str] = []
    hidden: list[str] = []

    def flush():
        while hidden and not hidden[-1].strip():
            hidden.pop()
        if hidden:
            out.extend(["# BEGIN SOLUTION NO PROMPT", *hidden, "# END SOLUTION"])
        hidden.clear()

    for statement, lines in before:
        if statement is None or not _defines(statement, answer):
            hidden.extend(lines)
            continue
        flush()
        first = (statement.decorator_list[0] if getattr(statement, "decorator_list", None)
                 else statement).lineno
        body = statement.body[0].lineno - first if isinstance(statement, ast.FunctionDef) else 0
        while lines and not lines[-1].strip():
            lines = lines[:-1]
        if body > 0:  # keep the decorators and the signature, hide the rest
            head = _signature_length(lines[:body])
            indent = re.match(r"\s*", lines[body])[0]
            out.extend([*lines[:head], f"{indent}# BEGIN SOLUTION", *lines[head:],
                        f"{indent}# END SOLUTION"])
        elif len(lines) == 1 and not isinstance(statement, ast.FunctionDef):
            out.append(f"{lines[0].rstrip()}  # SOLUTION")  # otter keeps `name = ...`
        else:
            out.extend(["# BEGIN SOLUTION", *lines, "# END SOLUTION"])
    flush()
    return "\n".join(out)


def _signature_length(lines: list[str]) -> int:
    """How many of `lines` (a function's first lines, down to its body) hold its
    decorators and signature: the comments after them belong to the solution."""
    for k in range(1, len(lines)):
        with contextlib.suppress(SyntaxError):
            ast.parse("\n".join(lines[:k]) + "\n    pass")
            return k
    return len(lines)


def _seed(name: str) -> int:
    """A fixed seed of the question's own, for its tests' random cases."""
    return zlib.crc32(name.encode()) % 2**31


def _check_takes_rng(check: str) -> bool:
    from . import checks

    return "rng" in inspect.signature(getattr(checks, check)).parameters


def _tests(question: Question) -> tuple[str, str]:
    """The public and the hidden test of a coding question, as otter test cells."""
    check, answer = question.exercise.check, question.answer
    public_rng = hidden_rng = ""
    if _check_takes_rng(check):
        public_rng = f", rng={_seed(question.name + ' public')}"
        hidden_rng = f", rng={_seed(question.name)}"
    public = (f"def test_self_check(env):\n"
              f"    from linreg_mle.assignments import self_check\n"
              f"    self_check({check!r}, env, {answer!r}{question.check_kwargs}{public_rng})")
    hidden = (f"# HIDDEN\n"
              f"def test_same_check_fixed_seed({answer}):\n"
              f"    from linreg_mle import checks\n"
              f"    assert checks.{check}({answer}{question.check_kwargs}{hidden_rng})")
    return public, hidden


def _md_cells(myst: str, book: Book) -> list:
    """MyST (prose and `{code-cell}`s) as notebook cells: code cells stay code."""
    import jupytext
    import nbformat

    cells = []
    for cell in jupytext.reads(myst, fmt="md:myst").cells:
        if cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(cell.source))
        elif cell.source.strip():
            cells.append(nbformat.v4.new_markdown_cell(plain_markdown(cell.source, book)))
    return cells


def _solution_markdown(solution: Solution | None, book: Book) -> str:
    """A worked solution as one Markdown cell: its code shown, not run."""
    if solution is None:
        return "(The book gives no solution to this exercise.)"
    import jupytext

    parts = []
    for cell in jupytext.reads(solution.text, fmt="md:myst").cells:
        if cell.cell_type == "markdown":
            parts.append(plain_markdown(cell.source, book))
        elif not {"remove-cell", "remove-input"} & set(cell.metadata.get("tags", [])):
            parts.append(f"```python\n{cell.source}\n```")
    return "\n\n".join(part for part in parts if part.strip())


def master_notebook(chapter: Chapter, book: Book, questions_: list[Question] | None = None):
    """The otter master notebook of `chapter`'s exercises (otter assign's format)."""
    import nbformat
    import yaml

    new_md, new_code, new_raw = (nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell,
                                 nbformat.v4.new_raw_cell)
    config = {
        "name": chapter.name,
        "requirements": "requirements.txt",
        "python_version": _runtime_python(book.root),
        "autograder_files": [PACKAGE_FOLDER, QUESTIONS_FILE],
        "generate": True,
        # No PDF (it needs LaTeX), and no second run of every test: learners see
        # each check's verdict in the notebook already.
        "export_cell": {"pdf": False, "run_tests": False, "instructions": EXPORT_INSTRUCTIONS},
        "tests": {"ok_format": False},
    }
    objectives = "\n".join(f"- {plain_markdown(o, book)}" for o in chapter.objectives)
    cells = [
        new_raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False, allow_unicode=True)),
        new_md(f"# {chapter.title}: exercises\n\n"
               f"The exercises of the chapter [{chapter.title}]({book.page(chapter)}): read it "
               "first. It has everything these exercises use; this notebook has only the "
               "exercises.\n\n" + (f"After it, you can:\n\n{objectives}\n\n" if objectives else "")
               + HOW_TO),
        new_code(setup_code(chapter) or "import numpy as np"),
    ]
    solutions = {solution.exercise: solution for solution in chapter.solutions}
    for number, question in enumerate(questions_ or questions(chapter), start=1):
        exercise = question.exercise
        config = {"name": question.name, "points": question.points}
        config.update({"manual": True} if question.manual else {"all_or_nothing": True})
        unit = "point" if question.points == 1 else "points"
        heading = (f"## Exercise {number}: {exercise.title}\n\n"
                   f"*{exercise.kind.capitalize()}* · {exercise.stars} · about {exercise.minutes} min · "
                   f"**{question.points} {unit}**, "
                   + ("graded by hand" if question.manual else
                      f"graded by the self-check `{exercise.check}`") + " · "
                   f"[in the book]({book.page(chapter, exercise.label)})")
        prompt = _md_cells(exercise.text, book)
        cells += [new_raw("# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False)),
                  new_md(heading)]
        if question.manual:
            cells += prompt
            cells += [new_raw("# BEGIN SOLUTION"),
                      new_md(_solution_markdown(solutions.get(exercise.label), book)),
                      new_raw("# END SOLUTION")]
        else:
            public, hidden = _tests(question)
            cells += prompt
            cells += [new_raw("# BEGIN SOLUTION"), new_code(question.solution_code),
                      new_raw("# END SOLUTION"),
                      new_raw("# BEGIN TESTS"), new_code(public), new_code(hidden),
                      new_raw("# END TESTS")]
        cells.append(new_raw("# END QUESTION"))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata.language_info = {"name": "python"}
    return notebook


HOW_TO = """\
**How to work.** Write each answer in the cell below its exercise:

- a coding exercise has a cell to complete (replace the `...`). Run it, then run the
  `grader.check(...)` cell below it: it runs the exercise's self-check and says what
  is wrong, or that the answer is right. The grader uses the same check;
- a concept or derivation exercise has a text cell: double-click it and write your
  answer (Markdown, with `$...$` for mathematics). Your instructor grades it.

Run the cells from the top (*Run → Run All Cells*) whenever you reopen the notebook."""

EXPORT_INSTRUCTIONS = ("Hand in the zip file this cell writes (or this notebook, if your "
                       "instructor asks for it).")


def _runtime_python(root: Path) -> str:
    """The Python version of `runtime.txt` (`python-3.11` gives `3.11`)."""
    return (root / "runtime.txt").read_text().strip().removeprefix("python-")


# ---- build ----------------------------------------------------------------------------


def _autograder_requirements(book: Book, chapter: Chapter, questions_: list[Question]) -> str:
    """What a grading image installs besides otter (Gradescope builds it from the zip):
    the package, and every distribution whose modules the exercises import, pinned as
    the book's `requirements.txt` pins them."""
    from importlib.metadata import packages_distributions

    pins = {}
    for line in (book.root / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if match := re.match(r"[A-Za-z0-9_.-]+", line):
            pins[match[0].lower().replace("_", "-")] = line
    modules = set()
    for code in [setup_code(chapter)] + [q.solution_code for q in questions_]:
        with contextlib.suppress(SyntaxError):
            for node in ast.walk(ast.parse(code)):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.add(node.module.split(".")[0])
    distributions = packages_distributions()
    names = sorted({d.lower().replace("_", "-") for m in modules - {"linreg_mle"}
                    for d in distributions.get(m, [])})
    return "\n".join([f"/autograder/source/files/{PACKAGE_FOLDER}",
                      *(pins.get(name, name) for name in names)]) + "\n"


def build_chapter(book: Book, chapter: Chapter, output: Path, check: bool = True) -> Path:
    """Write `output/<chapter>/{student,autograder}/`: the chapter's master notebook,
    then `otter assign` (which, when `check`, grades the solutions with the
    autograder and fails unless they get full marks)."""
    import nbformat

    name, questions_ = chapter.name, questions(chapter)
    destination = Path(output).resolve() / name
    with tempfile.TemporaryDirectory(prefix=f"assign-{name}-") as work:
        work = Path(work)
        nbformat.write(master_notebook(chapter, book, questions_), work / f"{name}.ipynb")
        (work / "requirements.txt").write_text(_autograder_requirements(book, chapter, questions_))
        shutil.copytree(book.root / "code", work / PACKAGE_FOLDER,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".*"))
        (work / QUESTIONS_FILE).write_text(json.dumps(
            [{"name": q.name, "points": q.points, "manual": q.manual} for q in questions_], indent=1))
        # otter assign: it raises unless its grading of the solutions gives full marks.
        from otter.assign import main as otter_assign

        log = io.StringIO()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                otter_assign(str(work / f"{name}.ipynb"), str(work / "dist"), no_run_tests=not check)
        except Exception as error:
            raise RuntimeError(f"otter assign failed on {name}: {error}\n{log.getvalue()[-4000:]}") from None
        shutil.rmtree(destination, ignore_errors=True)
        destination.mkdir(parents=True)
        for part in ("student", "autograder"):
            shutil.copytree(work / "dist" / part, destination / part,
                            ignore=shutil.ignore_patterns(PACKAGE_FOLDER, QUESTIONS_FILE))
    return destination


def build(root: Path | str = ".", output: Path | str | None = None, *, jobs: int = 1,
          check: bool = True) -> list[Path]:
    """Every chapter's assignment, into `output` (default `root/_build/assignments`)."""
    book = Book.read(root)
    output = Path(output or book.root / DEFAULT_OUTPUT).resolve()
    n = len(book.chapters)
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            return list(pool.map(build_chapter, [book] * n, book.chapters, [output] * n, [check] * n))
    return [build_chapter(book, chapter, output, check) for chapter in book.chapters]


def autograder_zip(folder: Path | str) -> Path:
    """The autograder zip that `build` wrote for one chapter (`folder` is
    `_build/assignments/<chapter>`)."""
    zips = sorted(Path(folder, "autograder").glob("*.zip"))
    if len(zips) != 1:
        raise FileNotFoundError(f"expected one autograder zip in {folder}/autograder, found {len(zips)}")
    return zips[0]


# ---- grading --------------------------------------------------------------------------


def gradebook(autograder: Path | str, submissions: Path | str, output: Path | str) -> list[dict]:
    """Grade every `.ipynb` or `.zip` in `submissions` with `autograder` into the CSV
    `output`: one row per submission, one column per question (manually graded ones
    left empty for the instructor), and the autograded total. A submission that
    cannot be graded (not a notebook, say) gets an empty row, and is named on stderr."""
    from otter.api import grade_submission

    with zipfile.ZipFile(autograder) as archive:
        listed = json.loads(archive.read(f"files/{QUESTIONS_FILE}"))
    files = sorted(p for p in Path(submissions).iterdir() if p.suffix in (".ipynb", ".zip"))
    if not files:
        raise FileNotFoundError(f"no .ipynb or .zip submission in {submissions}")
    rows = []
    for path in files:
        row = {"submission": path.name, **{question["name"]: "" for question in listed}, "total": ""}
        try:
            results = grade_submission(str(path), str(autograder), quiet=True)
        except Exception as error:  # one unreadable submission must not stop the others
            print(f"could not grade {path.name}: {type(error).__name__}: {error}", file=sys.stderr)
        else:
            for question in listed:
                if not question["manual"]:
                    graded = results.results.get(question["name"])
                    row[question["name"]] = _number(graded.score if graded else 0)
            row["total"] = _number(sum(v for v in row.values() if isinstance(v, (int, float))))
        rows.append(row)
    with open(output, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(float(x), 4)


# ---- the student branch ---------------------------------------------------------------


STUDENT_README = """\
# {title}: exercises

The exercises of every chapter, as notebooks to work in, without solutions.
Read each chapter in the book first: {url}

Open a notebook in Binder (nothing to install):
{binder}

or locally: `pip install -r requirements.txt jupyterlab`, then `jupyter lab`, and open a
notebook in `chapters/`. Each coding exercise has a `grader.check(...)` cell that says
what is wrong with your answer; the last cell exports your work to hand in.

This branch is written by the book's publishing workflow: do not edit it.
"""


def student_branch(root: Path | str, destination: Path | str,
                   assignments: Path | str | None = None) -> Path:
    """Write, from clean, the tree of the `student` branch into `destination`:
    `chapters/<chapter>.ipynb` (each student notebook that `build` wrote into
    `assignments`), the package in `code/`, Binder's files, and a README."""
    book = Book.read(root)
    assignments = Path(assignments or book.root / DEFAULT_OUTPUT)
    destination = Path(destination)
    notebooks = {c.name: assignments / c.name / "student" / f"{c.name}.ipynb" for c in book.chapters}
    missing = [str(path) for path in notebooks.values() if not path.exists()]
    if missing:
        raise FileNotFoundError("run `python -m linreg_mle.assignments build` first; missing: "
                                + ", ".join(missing))
    shutil.rmtree(destination, ignore_errors=True)
    (destination / "chapters").mkdir(parents=True)
    for name, path in notebooks.items():
        shutil.copy2(path, destination / "chapters" / f"{name}.ipynb")
    shutil.copytree(book.root / "code", destination / "code",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".*"))
    for name in BINDER_FILES:
        shutil.copy2(book.root / name, destination / name)
    owner, repo = repository(book.root)
    binder = f"https://mybinder.org/v2/gh/{owner}/{repo}/{STUDENT_BRANCH}?urlpath=lab/tree/chapters"
    (destination / "README.md").write_text(STUDENT_README.format(
        title=_config(book.root).get("title", "The course"), url=book.url, binder=binder))
    return destination


def student_binder_link(root: Path | str, chapter: str) -> str:
    """The Binder link that opens `chapter`'s student notebook from the `student` branch."""
    owner, repo = repository(Path(root))
    hub = _config(Path(root))["launch_buttons"]["binderhub_url"].rstrip("/")
    return f"{hub}/v2/gh/{owner}/{repo}/{STUDENT_BRANCH}?urlpath=lab/tree/chapters/{chapter}.ipynb"


# ---- command line ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m linreg_mle.assignments",
                                     description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="every chapter's otter assignment")
    build_parser.add_argument("root", type=Path, help="the book's folder")
    build_parser.add_argument("--output", type=Path,
                              help=f"where to write (default: ROOT/{DEFAULT_OUTPUT.as_posix()})")
    build_parser.add_argument("--jobs", type=int, default=1, help="chapters built at once")
    build_parser.add_argument("--no-check", action="store_true",
                              help="do not grade the solutions (otter assign --no-run-tests)")
    grade_parser = commands.add_parser("gradebook", help="grade a folder of submissions into a CSV")
    grade_parser.add_argument("autograder", type=Path, help="the chapter's autograder zip")
    grade_parser.add_argument("submissions", type=Path, help="a folder of .ipynb or .zip submissions")
    grade_parser.add_argument("csv", type=Path, help="the gradebook to write")
    branch_parser = commands.add_parser("student-branch", help="the tree of the student branch")
    branch_parser.add_argument("root", type=Path, help="the book's folder")
    branch_parser.add_argument("destination", type=Path, help="where to write the tree")
    branch_parser.add_argument("--assignments", type=Path,
                               help=f"what `build` wrote (default: ROOT/{DEFAULT_OUTPUT.as_posix()})")
    args = parser.parse_args(argv)
    if args.command == "build":
        graded = "solutions not graded" if args.no_check else "the solutions get full marks"
        for folder in build(args.root, args.output, jobs=args.jobs, check=not args.no_check):
            print(f"{folder}: student/, autograder/ ({graded})")
    elif args.command == "gradebook":
        rows = gradebook(args.autograder, args.submissions, args.csv)
        failed = sum(row["total"] == "" for row in rows)
        print(f"{args.csv}: {len(rows) - failed} submissions graded"
              + (f", {failed} could not be (their rows are empty)" if failed else ""))
        return 1 if failed else 0
    else:
        print(student_branch(args.root, args.destination, args.assignments))
    return 0


if __name__ == "__main__":
    sys.exit(main())
