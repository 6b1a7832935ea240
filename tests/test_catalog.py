"""The exercise catalogue: its parser, and every chapter held to the exercise convention."""

import re
from pathlib import Path

import pytest

from linreg_mle.catalog import KINDS, CatalogError, Exercise, read_book, read_chapter

TESTS = Path(__file__).parent
CHAPTERS = TESTS.parent / "chapters"
DEMO_CHAPTER = TESTS / "fixtures" / "demo_chapter.md"
CHAPTER_NAMES = sorted(path.stem for path in CHAPTERS.glob("*.md"))


# ---- the parser, on the demo chapter and on broken variants of it -----------------


def test_reads_every_exercise_with_its_metadata():
    chapter = read_chapter(DEMO_CHAPTER)
    assert (chapter.name, chapter.label, chapter.title) == ("demo_chapter", "ch-demo", "A demo chapter")
    assert chapter.exercises == (
        Exercise("demo_chapter", "ex-demo-code", "A function that multiplies", "coding", 2, 15, "check_demo_product"),
        Exercise("demo_chapter", "ex-demo-derivation", "Derive the demo identity", "derivation", 3, 20, None),
        Exercise("demo_chapter", "ex-demo-concept", "Why the demo works", "concept", 1, 5, None),
    )
    assert chapter.exercise_minutes == 40
    assert chapter.exercises[1].stars == "★★★"


def test_reads_objectives_and_prerequisites_as_myst():
    chapter = read_chapter(DEMO_CHAPTER)
    assert chapter.objectives == ("compute the demo estimate $\\hat\\beta$ of a toy model;",
                                  "explain why the demo works.")
    assert chapter.prerequisites == "Arithmetic, and {ref}`intro`."


def test_reads_every_solution_with_its_code():
    solutions = read_chapter(DEMO_CHAPTER).solutions
    assert [s.exercise for s in solutions] == ["ex-demo-code", "ex-demo-derivation", "ex-demo-concept"]
    code, derivation, concept = solutions
    # The hidden check (`remove-cell`) is no code a reader sees.
    assert len(code.code) == 2
    assert code.code[0].startswith("def product(a, b):") and "ax.set_title" in code.code[1]
    assert "quokkalith" in code.text and "eq-demo-wombatine" in code.text
    assert derivation.code == () and derivation.text.startswith("```{prf:lemma} The quokkalith square")
    assert derivation.text.endswith("the quokkalith middle terms add up to $2ab$.")
    assert concept.text == "Because the numbatry principle of wombatine answers applies here."


def test_reading_words_leave_the_exercises_out(tmp_path):
    source = DEMO_CHAPTER.read_text()
    without_exercises = tmp_path / "demo_chapter.md"
    without_exercises.write_text(source[: source.index("```{exercise-start}")])
    words = read_chapter(DEMO_CHAPTER).words
    assert words == read_chapter(without_exercises).words
    # Headings, paragraphs and list items, by hand: 3 + 35 + 7 + 9 + 5 + 4 + 7 + 1.
    assert words == 71
    assert read_chapter(DEMO_CHAPTER).reading_minutes == 1


@pytest.mark.parametrize("broken, message", [
    ("*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_demo_product`",
     "Write a function `product(a, b)`", ),
    ("*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_demo_product`",
     "*Kind:* coding · *Difficulty:* ★★★★ · *Time:* 15 min · *Self-check:* `check_demo_product`"),
    ("*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_demo_product`",
     "*Kind:* coding · *Difficulty:* ★★ · *Time:* a while · *Self-check:* `check_demo_product`"),
    ("*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_demo_product`",
     "*Kind:* quiz · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_demo_product`"),
    ("*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_demo_product`",
     "*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* —"),
    (":label: ex-demo-derivation\n", ""),
    ("```{solution-end}\n```\n\n```{exercise-start} Derive", "```{exercise-start} Derive"),
    ("```{solution} ex-demo-concept", "```{solution} ex-no-such-exercise"),
], ids=["missing", "four stars", "no minutes", "unknown kind", "coding without check",
        "no label", "unclosed solution", "solution to nothing"])
def test_a_broken_convention_names_the_file_and_line(tmp_path, broken, message):
    source = DEMO_CHAPTER.read_text()
    assert broken in source
    path = tmp_path / "broken.md"
    path.write_text(source.replace(broken, message, 1))
    with pytest.raises(CatalogError, match=r"broken\.md:\d+: "):
        read_chapter(path)


def test_the_demo_follows_the_convention_the_chapters_must():
    assert {e.kind for e in read_chapter(DEMO_CHAPTER).exercises} == set(KINDS)


# ---- every chapter ----------------------------------------------------------------


@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_every_exercise_has_a_wellformed_metadata_line(name):
    """Reading a chapter checks each exercise's label and metadata line."""
    read_chapter(CHAPTERS / f"{name}.md")


@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_every_chapter_has_three_exercises_of_every_kind(name):
    """At least three exercises, and at least one concept, derivation and coding task."""
    exercises = read_chapter(CHAPTERS / f"{name}.md").exercises
    assert len(exercises) >= 3
    assert {e.kind for e in exercises} >= set(KINDS)


@pytest.mark.parametrize("name", CHAPTER_NAMES)
def test_every_self_check_exists_and_is_tested(name):
    """Each self-check an exercise names is a `Check` of `linreg_mle.checks.ALL`
    (so tests/test_checks.py tries its whole catalogue of mistakes), and some test
    calls it with a learner's right and wrong answers."""
    from linreg_mle import checks

    test_sources = "\n".join(path.read_text() for path in TESTS.glob("test_*.py")
                             if path.name != Path(__file__).name)
    for exercise in read_chapter(CHAPTERS / f"{name}.md").exercises:
        if exercise.check is None:
            continue
        assert isinstance(checks.ALL.get(exercise.check), checks.Check), f"{exercise.label}: no checks.{exercise.check}"
        assert re.search(rf"\b{exercise.check}\b", test_sources), f"no test calls {exercise.check}"



# ---- what the assignments read: each task, the chapter's own code, its labels, the book ----


def test_reads_each_exercise_task_the_chapters_code_and_its_labels():
    chapter = read_chapter(DEMO_CHAPTER)
    assert [e.text for e in chapter.exercises] == [
        "Write a function `product(a, b)` that returns $a \\times b$.",
        "Show that $(a + b)^2 = a^2 + 2ab + b^2$.",
        "Explain in one sentence why the demo works.",
    ]
    # Code and labels outside the solutions only: the solutions' own are theirs.
    assert chapter.code == ("import matplotlib.pyplot as plt",)
    assert chapter.labels == {"ch-demo", "ex-demo-code", "ex-demo-derivation", "ex-demo-concept"}


def test_reads_the_books_chapters_in_the_order_of_its_toc(tmp_path):
    (tmp_path / "chapters").mkdir()
    for name in ("01_b", "02_a"):
        (tmp_path / "chapters" / f"{name}.md").write_text(DEMO_CHAPTER.read_text())
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: One\n    chapters:\n"
        "      - file: chapters/02_a\n      - file: chapters/01_b\n      - file: notes\n")
    assert [c.name for c in read_book(tmp_path)] == ["02_a", "01_b"]
    (tmp_path / "chapters" / "01_b.md").unlink()
    with pytest.raises(CatalogError, match="chapters/01_b.md"):
        read_book(tmp_path)
