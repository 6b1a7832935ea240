"""Shared fixtures: a clean build of the book, made once per test session."""

import pytest

from booktools import Build, shared_build


@pytest.fixture(scope="session")
def book(tmp_path_factory) -> Build:
    """The book as readers get it, built from clean with every chapter executed."""
    return shared_build(tmp_path_factory, "book")
