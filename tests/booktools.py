"""Building the book from clean, once per test session, for the tests that read it."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

BOOK_ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
SPHINX_PROBLEM = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE):")
TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    html: Path

    def warnings(self) -> list[str]:
        """Sphinx's own warnings and errors (kernels log to stderr in another format)."""
        return [line for line in self.log.splitlines() if SPHINX_PROBLEM.search(line)]


def build_book(source: Path, output: Path, *, env: dict[str, str] | None = None) -> Build:
    """Build `source` from clean into `output`, strictly: warnings are errors."""
    shutil.rmtree(output, ignore_errors=True)
    command = [str(JUPYTER_BOOK), "build", str(source), "-W", "-n", "--keep-going",
               "--path-output", str(output)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900,
                          env={**os.environ, **(env or {})})
    log = TERMINAL_COLOUR.sub("", done.stdout + done.stderr)
    return Build(done.returncode, log, output / "_build" / "html")


def shared_build(tmp_path_factory, name: str, **kwargs) -> Build:
    """Build once per session, even when xdist runs tests in several workers."""
    # Under xdist each worker has its own basetemp inside this run's folder.
    shared = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = shared.parent
    with FileLock(shared / f"{name}.lock"):
        log = shared / f"{name}.log"
        if log.exists():
            returncode, text = log.read_text().split("\n", 1)
            return Build(int(returncode), text, shared / name / "_build" / "html")
        build = build_book(BOOK_ROOT, shared / name, **kwargs)
        log.write_text(f"{build.returncode}\n{build.log}")
        return build
