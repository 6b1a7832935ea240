"""Every chapter keeps the rules of a one-sitting unit (see CONTRIBUTING.md).

These read the sources only, so they take a second: size, what the reader sees
of the code, and the conventions that keep the book honest.
"""

import re

import pytest
import yaml

from booktools import BOOK_ROOT
from linreg_mle.catalog import read_chapter

CHAPTERS = sorted((BOOK_ROOT / "chapters").glob("*.md"))

MAX_PROSE_WORDS = 2500
MAX_VISIBLE_CODE_CELLS = 25
MIN_EXERCISES = 3
MAX_LINE = 79  # PEP 8: what the book's code column shows without a scroll bar

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
SOLUTION = re.compile(r"^```\{solution-start\}.*?^```\{solution-end\}\n```", re.S | re.M)
DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
GLUED = re.compile(r"\{glue:[a-z]+\}`[^`]*`")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


def body(path):
    """The chapter without its front matter."""
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def cell_tags(cell: str) -> str:
    """The options block at the top of a code cell (its `:tags:` line, if any)."""
    return "".join(line for line in cell.splitlines()[:3] if line.startswith(":"))


def visible_cells(text: str) -> list[str]:
    return [cell for cell in CODE_CELL.findall(text) if "remove-cell" not in cell_tags(cell)]


def prose_words(text: str) -> int:
    """Words a reader reads: outside code cells, display math and solutions."""
    text = SOLUTION.sub("", text)
    text = CODE_CELL.sub("", text)
    text = DISPLAY_MATH.sub("", text)
    return len(WORD.findall(GLUED.sub("N", text)))


@pytest.fixture(params=CHAPTERS, ids=lambda path: path.stem)
def chapter(request):
    return request.param


def test_a_chapter_is_one_sitting(chapter):
    text = body(chapter)
    assert prose_words(text) <= MAX_PROSE_WORDS
    assert len(visible_cells(text)) <= MAX_VISIBLE_CODE_CELLS
    assert len(read_chapter(chapter).exercises) >= MIN_EXERCISES


def test_visible_code_fits_the_page(chapter):
    long = [line for cell in visible_cells(body(chapter)) for line in cell.splitlines()
            if not line.startswith(":") and len(line) > MAX_LINE]
    assert long == []


def test_figures_show_their_code_one_click_away(chapter):
    """A cell that draws is `hide-input`, never `remove-cell`: readers can see how."""
    hidden_figures = [cell.splitlines()[1] for cell in CODE_CELL.findall(body(chapter))
                      if "remove-cell" in cell_tags(cell)
                      and re.search(r"plt\.(subplots|figure)\(", cell)]
    assert hidden_figures == []


def test_every_random_number_comes_from_a_seeded_generator(chapter):
    text = body(chapter)
    assert not re.search(r"np\.random\.(seed|rand|randn|normal|standard_normal|uniform)\(", text)
    assert not re.search(r"default_rng\(\s*\)", text)


def test_the_package_is_imported_by_its_name(chapter):
    assert not re.search(r"^\s*(import code\b|from code\b)", body(chapter), re.M)


def test_a_chapter_has_the_shape_of_a_unit(chapter):
    text = body(chapter)
    for heading in ("**Learning objectives.**", "**Prerequisites.**", "## Summary",
                    "## Exercises"):
        assert heading in text
    assert len(re.findall(r"^# ", CODE_CELL.sub("", text), re.M)) == 1


def test_every_part_has_a_hard_exercise():
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text())
    parts = {part["caption"]: [entry["file"] for entry in part["chapters"]
                               if entry["file"].startswith("chapters/")]
             for part in toc["parts"]}
    hardest = {caption: max((exercise.difficulty for file in files
                             for exercise in read_chapter(BOOK_ROOT / f"{file}.md").exercises),
                            default=0)
               for caption, files in parts.items() if files}
    assert hardest and all(level == 3 for level in hardest.values()), hardest
