"""The book builds strictly from clean, and a failing cell fails the build."""

import re

import pytest
import yaml

from booktools import BOOK_ROOT, build_book, copy_book_settings

pytestmark = pytest.mark.build

CHAPTERS = sorted(p.stem for p in (BOOK_ROOT / "chapters").glob("*.md"))


def test_build_passes_with_no_warning(book):
    assert book.returncode == 0, book.log[-5000:]
    assert book.warnings() == []


def test_toc_lists_every_chapter_file():
    toc = yaml.safe_load((BOOK_ROOT / "_toc.yml").read_text())
    listed = [c["file"] for part in toc["parts"] for c in part["chapters"]]
    assert [f"chapters/{stem}" for stem in CHAPTERS] == [f for f in listed if f.startswith("chapters/")]
    assert len(CHAPTERS) == 13


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_chapter_page_is_executed(book, stem):
    page = (book.html / "chapters" / f"{stem}.html").read_text()
    # Executed code cells carry their output area; unexecuted ones never do.
    assert 'class="cell_output' in page
    assert not re.search(r"Traceback \(most recent call last\)", page)


def test_failing_cell_fails_the_build(tmp_path):
    """`raise_on_error` must turn an exception in a chapter into a failed build."""
    source = tmp_path / "book"
    source.mkdir()
    copy_book_settings(source)
    (source / "_toc.yml").write_text("format: jb-book\nroot: broken\n")
    front_matter = (BOOK_ROOT / "chapters" / f"{CHAPTERS[0]}.md").read_text().split("---\n")[1]
    (source / "broken.md").write_text(
        f"---\n{front_matter}---\n\n# Broken\n\n"
        "```{code-cell} ipython3\nraise RuntimeError('this cell must fail the build')\n```\n"
    )
    build = build_book(source, tmp_path / "out")
    assert build.returncode != 0
    assert "this cell must fail the build" in build.log
