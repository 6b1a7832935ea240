"""Shared fixtures: a clean build of the book, made once per test session; and the
order in which the two workers take the test files."""

import pytest

from booktools import Build, build_assignments, build_student_edition, execution_cache, shared_build

# The files that take minutes, in the order the workers start them (then every
# other file, as xdist orders them). The first two start the two long chains of
# builds: the assignments, then Binder's environment running every chapter and
# student notebook; and the book. The next ones read those builds once they are
# made, so that no worker sits waiting for a build that the other is making.
SLOW_FILES_FIRST = (
    "tests/test_binder.py",
    "tests/test_book_build.py",
    "tests/test_browser.py",
    "tests/test_for_instructors.py",
    "tests/test_assignments.py",
)


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Build:
    """The book as readers get it, built from clean with every chapter executed
    (into a fresh execution cache, for the student edition)."""
    return shared_build(tmp_path_factory, "book", cache_execution=True)


@pytest.fixture(scope="session")
def student_edition(tmp_path_factory, book) -> Build:
    """The student edition of the book, built from clean with the README's command,
    its notebooks' outputs taken from the `book` build's execution."""
    return shared_build(tmp_path_factory, "student", build=build_student_edition,
                        execution_cache=execution_cache(book))


@pytest.fixture(scope="session")
def assignments(tmp_path_factory) -> Build:
    """Every chapter's otter assignment, built once with the README's command
    (its `html` is the folder of assignments)."""
    return shared_build(tmp_path_factory, "assignments", build=build_assignments)


def pytest_terminal_summary(terminalreporter):
    """Say where the browser tests saved their screenshots (see test_browser.py)."""
    folders = {value for reports in terminalreporter.stats.values() for report in reports
               for name, value in getattr(report, "user_properties", ()) if name == "screenshots"}
    for folder in sorted(folders):
        terminalreporter.write_line(f"Screenshots of the book's chapters: {folder}")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadfile` (see pytest.ini), with the slow files first."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SlowFilesFirst(LoadFileScheduling):
        """Whole files to each worker, as `loadfile` gives them, but the files of
        SLOW_FILES_FIRST first; and a worker gets its next file when it is about
        to run the last test of the one it has, not two tests before (xdist's
        way), so that a file does not wait behind a slow test while the other
        worker is free."""

        def _assign_work_unit(self, node):
            rank = {path: i for i, path in enumerate(SLOW_FILES_FIRST)}
            first = min(self.workqueue, key=lambda path: rank.get(path, len(rank)))
            self.workqueue.move_to_end(first, last=False)
            super()._assign_work_unit(node)

        def _reschedule(self, node):
            # A worker starts a test only once it holds the next one (or knows
            # there is none): with one test left, it is waiting for its next file.
            if (not node.shutting_down and self.workqueue
                    and self._pending_of(self.assigned_work.get(node, {})) > 1):
                return
            super()._reschedule(node)

    return SlowFilesFirst(config, log)
