"""Shared fixtures: a clean build of the book, made once per test session."""

import pytest

from booktools import Build, build_assignments, shared_build


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Build:
    """The book as readers get it, built from clean with every chapter executed."""
    return shared_build(tmp_path_factory, "book")


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
