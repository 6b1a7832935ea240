"""What instructors get: a student edition with no solution, and a generated guide.

Each test runs on two books: the real one, and a small demo book of our own
(`fixtures/demo_chapter.md` and the real instructor guide) whose exercises cover
every case the machinery must handle, whatever the chapters' progress.

A solution "leaks" if any distinctive piece of it, a line of its text, its code
or its output, as the instructor edition renders it, appears anywhere in the
student edition's folder: pages, search index, inventory, sources, downloads.
A piece is distinctive when the instructor edition has it nowhere outside the
solutions. Every piece is taken from the instructor edition, so each search is
for something that demonstrably exists.
"""

import filecmp
import json
import re
import shutil
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.search.en import SearchEnglish

from booktools import (BOOK_ROOT, STUDENT_EDITION_COMMAND, Build, build_book,
                       build_student_edition, copy_book_settings)
from linreg_mle.catalog import Chapter, read_chapters

pytestmark = pytest.mark.build

DEMO_CHAPTER = Path(__file__).parent / "fixtures" / "demo_chapter.md"
# Shorter pieces of text (letters and digits only) are too common to tell.
SHORTEST_PIECE = 10
ENGLISH = SearchEnglish({})
DOWNLOAD_BUTTONS = {"download-source-button", "download-notebook-button"}


@dataclass(frozen=True)
class Editions:
    """One book's sources, built as both editions."""

    source: Path
    instructor: Build
    student: Build

    @property
    def chapters(self) -> list[Chapter]:
        return read_chapters(self.source / "chapters")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Editions:
    root = tmp_path_factory.mktemp("demo") / "book"
    # The real book's settings and instructor guide; a chapter of our own.
    copy_book_settings(root)
    shutil.copy(BOOK_ROOT / "instructor_guide.md", root)
    (root / "chapters").mkdir()
    shutil.copy(DEMO_CHAPTER, root / "chapters" / "01_demo.md")
    (root / "intro.md").write_text("(intro)=\n# A demo book\n\nFor the tests.\n")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n"
        "  - file: chapters/01_demo\n  - file: instructor_guide\n"
    )
    # The README's command exactly, in the book's folder: into _build/student/html.
    student = build_student_edition(root)
    assert student.html == root / "_build" / "student" / "html"
    return Editions(root, build_book(root, root.parent / "instructor"), student)


@pytest.fixture(scope="module")
def real(book, student_edition) -> Editions:
    return Editions(BOOK_ROOT, book, student_edition)


@pytest.fixture(params=["demo", "real"])
def editions(request) -> Editions:
    return request.getfixturevalue(request.param)


# ---- reading a built edition ------------------------------------------------------


def squash(text: str) -> str:
    """Letters and digits only, lower case: markup, spacing and highlighting vanish."""
    return re.sub(r"[\W_]+", "", text).lower()


@cache
def pages(html: Path) -> dict[Path, BeautifulSoup]:
    return {path: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted(html.rglob("*.html"))}


def solution_divs(soup: BeautifulSoup) -> dict[str, BeautifulSoup]:
    """The solutions on a page, by the label of the exercise each one solves."""
    return {solved_exercise(div): div for div in soup.select("div.solution")}


def solved_exercise(div: BeautifulSoup) -> str:
    """The label of the exercise a solution solves: its title links to it or, with
    `exercise_style: solution_follow_exercise`, the solution follows it."""
    link = div.select_one(".admonition-title a[href]")
    return link["href"].rsplit("#", 1)[1] if link else div.find_previous("div", class_="exercise")["id"]


def readable(html: Path, path: Path) -> str:
    """Whatever text a reader of the file `path` in the edition `html` could get at."""
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8") + pages(html)[path].get_text(" ")
    if path.name == "objects.inv":  # four header lines, then zlib
        return zlib.decompress(path.read_bytes().split(b"\n", 4)[4]).decode("utf-8")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # images, fonts
        return ""


@cache
def everything(html: Path, other: Path) -> str:
    """Every readable byte of the edition in `html`, squashed.

    Files in `_static/` that the `other` edition has byte for byte are the
    theme's and libraries' assets (MathJax alone is 24 MB): left out.
    """
    def asset(path: Path) -> bool:
        twin = other / path.relative_to(html)
        return path.relative_to(html).parts[0] == "_static" and twin.exists() and filecmp.cmp(path, twin, False)

    files = [path for path in sorted(html.rglob("*")) if path.is_file() and not asset(path)]
    return squash(" ".join(readable(html, path) for path in files))


@cache
def pages_without_solutions(html: Path) -> tuple[BeautifulSoup, ...]:
    result = []
    for soup in pages(html).values():
        soup = BeautifulSoup(str(soup), "html.parser")
        for div in soup.select("div.solution"):
            div.decompose()
        result.append(soup)
    return tuple(result)


@cache
def outside_solutions(html: Path) -> str:
    """The pages, solutions taken out, squashed."""
    return squash(" ".join(str(soup) + soup.get_text(" ") for soup in pages_without_solutions(html)))


def pieces(div: BeautifulSoup) -> set[str]:
    """The solution's text, code and outputs, line by line, and as a whole."""
    body = BeautifulSoup(str(div), "html.parser")
    body.select_one(".admonition-title").decompose()
    lines = []
    for pre in body.find_all("pre"):
        lines += pre.get_text().splitlines()
        pre.decompose()
    lines += body.get_text("\n").splitlines() + [div.get_text(" ")]
    return {squash(line) for line in lines if len(squash(line)) >= SHORTEST_PIECE}


def index_terms(html: Path) -> set[str]:
    text = (html / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1: text.rindex(")")])
    return set(index["terms"]) | set(index["titleterms"])


def stems(text: str) -> set[str]:
    """The words of `text` as Sphinx's English search index stores them."""
    return {ENGLISH.stem(word).lower() for word in ENGLISH.split(text)}


def rendered_solutions(editions: Editions) -> dict[tuple[str, str], BeautifulSoup]:
    """Every solution of the instructor edition, by (chapter, exercise label)."""
    return {(path.stem, label): div
            for path, soup in pages(editions.instructor.html).items() if path.parent.name == "chapters"
            for label, div in solution_divs(soup).items()}


# ---- the tests --------------------------------------------------------------------


def test_both_editions_build_with_no_warning(editions):
    for build in (editions.instructor, editions.student):
        assert build.returncode == 0, build.log[-5000:]
        assert build.warnings() == []


def test_student_editions_execute_or_reuse_as_asked(real, demo):
    """The README's command, on the demo book, executes every notebook. The real
    student edition takes every notebook's outputs from the execution cache that
    the book's build filled (see `booktools.build_book`): each chapter runs once."""
    assert "Executing notebook" in demo.student.log
    assert "Using cached notebook" not in demo.student.log
    executed = real.instructor.log.count("Executing notebook")
    assert executed >= len(real.chapters)
    assert real.student.log.count("Using cached notebook") == executed
    assert "Executing notebook" not in real.student.log


def test_instructor_edition_renders_every_solution_of_the_sources(editions):
    """The sources' solutions are exactly those the leak test looks for."""
    in_sources = {(c.name, s.exercise): s for c in editions.chapters for s in c.solutions}
    rendered = rendered_solutions(editions)
    assert set(rendered) == set(in_sources)
    for key, solution in in_sources.items():
        text = squash(rendered[key].get_text())
        for line in "\n".join(solution.code).splitlines():
            assert squash(line) in text, f"{key}: code line {line!r} not rendered"


def test_every_exercise_is_in_the_student_edition(editions):
    html = editions.student.html
    for chapter in editions.chapters:
        soup = pages(html)[html / "chapters" / f"{chapter.name}.html"]
        for exercise in chapter.exercises:
            node = soup.find(id=exercise.label)
            assert node is not None and "exercise" in node["class"], exercise.label
            title = node.select_one(".admonition-title").get_text()
            assert squash(exercise.title) in squash(title), exercise.label
    assert not any(soup.select("div.solution") for soup in pages(html).values())


def test_no_solution_leaks_into_the_student_edition(editions):
    instructor, student = editions.instructor.html, editions.student.html
    elsewhere = outside_solutions(instructor)
    for key, div in rendered_solutions(editions).items():
        distinctive = {piece for piece in pieces(div) if piece not in elsewhere}
        assert distinctive, f"{key}: no piece of this solution is distinctive"
        assert all(piece in everything(instructor, student) for piece in distinctive)
        leaked = {piece for piece in distinctive if piece in everything(student, instructor)}
        assert not leaked, f"{key}: leaked into the student edition: {sorted(leaked)}"


def test_search_index_holds_no_word_only_a_solution_has(editions):
    instructor, student = editions.instructor.html, editions.student.html
    solutions = rendered_solutions(editions).values()
    elsewhere = stems(" ".join(soup.get_text(" ") for soup in pages_without_solutions(instructor)))
    only_in_solutions = set().union(*(stems(div.get_text(" ")) for div in solutions)) - elsewhere
    if solutions:
        assert only_in_solutions & index_terms(instructor), "the search would find nothing"
    assert not only_in_solutions & index_terms(student)


def test_no_source_or_notebook_is_downloadable(editions):
    def downloads(html: Path) -> set[str]:
        files = {path.relative_to(html).as_posix() for path in html.rglob("*")
                 if path.name.endswith((".md", ".ipynb", ".md.txt", ".ipynb.txt"))}
        buttons = {label for path in pages(html) for label in DOWNLOAD_BUTTONS
                   if label in path.read_text(encoding="utf-8")}
        return files | buttons

    name = editions.chapters[0].name
    # The instructor edition offers them: the check looks for things that exist.
    assert {f"_sources/chapters/{name}.md", f"_sources/chapters/{name}.ipynb",
            *DOWNLOAD_BUTTONS} <= downloads(editions.instructor.html)
    assert downloads(editions.student.html) == set()


def test_demo_solutions_text_code_output_equation_and_figure_are_gone(demo):
    """Pieces we know are in the demo's solutions, of every kind a solution holds."""
    instructor, student = demo.instructor.html, demo.student.html
    solutions = rendered_solutions(demo)
    code_solution = solutions[("01_demo", "ex-demo-code")]
    known = {
        "text": "quokkalith principle",
        "code": "product(6, 7) * 1001",
        "output": "numbatry output 42042",
        "equation": "equation-eq-demo-wombatine",
        "gated text": "the quokkalith middle terms",
        "plain solution": "principle of wombatine answers",
    }
    rendered = squash(" ".join(str(div) + div.get_text() for div in solutions.values()))
    for kind, piece in known.items():
        assert squash(piece) in rendered, kind
        assert squash(piece) not in everything(student, instructor), kind
    figures = [Path(img["src"]).name for img in code_solution.select("img")]
    assert figures and all((instructor / "_images" / name).exists() for name in figures)
    assert not any((student / "_images" / name).exists() for name in figures)


def test_readme_and_guide_give_the_command_the_tests_run():
    command = " ".join(STUDENT_EDITION_COMMAND)
    readme = (BOOK_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Student edition", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"```bash\n(.*?)\n```", section, re.S)[1] == command
    guide = (BOOK_ROOT / "instructor_guide.md").read_text(encoding="utf-8")
    assert f"```bash\n{command}\n```" in guide


# ---- the instructor guide ---------------------------------------------------------


def guide(build: Build) -> BeautifulSoup:
    return pages(build.html)[build.html / "instructor_guide.html"].select_one("article")


def table(soup: BeautifulSoup, header: str) -> BeautifulSoup:
    """The table with a column named `header`; an empty one if there is none."""
    for candidate in soup.select("table"):
        if header in [th.get_text(strip=True) for th in candidate.select("thead th")]:
            return candidate
    return BeautifulSoup("<table></table>", "html.parser")


# Sphinx typesets straight quotes as curly ones ("smartquotes"); the sources keep them straight.
STRAIGHT_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def rows(table: BeautifulSoup) -> list[list[str]]:
    return [[td.get_text(" ", strip=True).translate(STRAIGHT_QUOTES) for td in row.select("td")]
            for row in table.select("tbody tr")]


def target(link: BeautifulSoup) -> str:
    return link["href"].rsplit("#", 1)[1]


def assignment(soup: BeautifulSoup, name: str) -> list[str]:
    """The exercises that the guide's assignment `name` lists (each item links to one first)."""
    intro = next(p for p in soup.select("p") if p.get_text().startswith(name))
    return [target(item.select_one("a")) for item in intro.find_next("div", class_="cell").select("li")]


def test_guide_tables_match_the_chapters(editions):
    chapters = editions.chapters
    every_exercise = [[str(number), e.title, e.kind, e.stars, f"{e.minutes} min", e.check or "—"]
                      for number, c in enumerate(chapters, start=1) for e in c.exercises]
    per_chapter = [[c.title, f"{c.reading_minutes} min", str(len(c.exercises)),
                    f"{c.exercise_minutes} min", f"{c.reading_minutes + c.exercise_minutes} min"]
                   for c in chapters]
    for build in (editions.instructor, editions.student):
        page = guide(build)
        assert rows(table(page, "Self-check")) == every_exercise
        assert rows(table(page, "Reading")) == per_chapter
        # Each exercise's link leads to it, in both editions.
        links = [target(row.select("td")[1].select_one("a")) for row in table(page, "Self-check").select("tbody tr")]
        assert links == [e.label for c in chapters for e in c.exercises]


def test_guide_quotes_each_chapters_objectives(editions):
    html = editions.instructor.html
    quoted = {dt.get_text(strip=True).translate(STRAIGHT_QUOTES): [squash(li.get_text()) for li in dt.find_next_sibling("dd").select("li")]
              for dt in guide(editions.instructor).select("dl dt")}
    for chapter in editions.chapters:
        page = pages(html)[html / "chapters" / f"{chapter.name}.html"]
        heading = next((p for p in page.select("p") if p.get_text().startswith("Learning objectives.")), None)
        items = heading.find_next_sibling(["ul", "ol"]) if heading else None
        in_chapter = [squash(li.get_text()) for li in items.select("li")] if items else []
        assert quoted[chapter.title] == (in_chapter or [squash("(not stated yet)")])
        assert len(chapter.objectives) == len(in_chapter)


def test_guide_binder_links_are_the_launch_buttons_links(editions):
    html = editions.instructor.html
    links = dict(rows(table(guide(editions.instructor), "Binder link")))
    for chapter in editions.chapters:
        page = pages(html)[html / "chapters" / f"{chapter.name}.html"]
        launch_button = page.select_one("a[href*='mybinder.org/v2/gh/']")["href"]
        assert links[chapter.title] == launch_button


def test_demo_assignments_follow_their_rules(demo):
    """The problem set: each chapter's hardest derivation and coding exercise; the lab:
    the short coding exercises."""
    page = guide(demo.instructor)
    assert assignment(page, "A one-week problem set") == ["ex-demo-derivation", "ex-demo-code"]
    assert assignment(page, "An in-class lab") == ["ex-demo-code"]


def test_a_reference_into_a_solution_fails_the_student_build(demo, tmp_path):
    """The student edition has no solution to point to: the strict build must say so."""
    book = tmp_path / "book"
    shutil.copytree(demo.source, book, ignore=shutil.ignore_patterns("_build"))
    chapter = book / "chapters" / "01_demo.md"
    references = {"sol-demo-code": "{ref}", "eq-demo-wombatine": "{eq}", "lem-demo-square": "{prf:ref}"}
    chapter.write_text(chapter.read_text() + "\nSee " + ", ".join(
        f"{role}`{label}`" for label, role in references.items()) + ".\n")
    build = build_student_edition(book)
    assert build.returncode != 0
    assert "Exception occurred" not in build.log
    for label in references:
        assert any(label in warning for warning in build.warnings()), label
