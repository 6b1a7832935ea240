"""Building the book from clean, once per test session, for the tests that read it."""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from filelock import FileLock

BOOK_ROOT = Path(__file__).resolve().parents[1]
JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")
# Sphinx writes "WARNING: msg" (after "path:line: " when it has one). Python's own
# logging writes "ERROR:logger:msg", with no space: a kernel's sockets closing late
# at shutdown ("ERROR:tornado.general:Uncaught exception in ZMQStream callback")
# says nothing about the book, and the build's exit status still covers it.
SPHINX_PROBLEM = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE): ")
TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


# Everything a book of the tests' own needs, besides its pages and `_toc.yml`, to be
# built exactly as the real book is: settings, local extensions, styles.
BOOK_SETTINGS = ("_config.yml", "references.bib", "_ext", "_static")


def copy_book_settings(destination: Path) -> None:
    """Give the book in `destination` the real book's settings (see BOOK_SETTINGS)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in BOOK_SETTINGS:
        if (BOOK_ROOT / name).is_dir():
            shutil.copytree(BOOK_ROOT / name, destination / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(BOOK_ROOT / name, destination)


@dataclass(frozen=True)
class Build:
    returncode: int
    log: str
    html: Path

    def warnings(self) -> list[str]:
        """Sphinx's own warnings and errors (kernels log to stderr in another format)."""
        return [line for line in self.log.splitlines() if SPHINX_PROBLEM.search(line)]


def build_book(source: Path, output: Path, *, env: dict[str, str] | None = None,
               cache_execution: bool = False) -> Build:
    """Build `source` from clean into `output`, strictly: warnings are errors.

    With `cache_execution`, the build stores what each notebook's execution gave in
    a jupyter-cache that starts empty, `execution_cache(build)`, from which the
    student edition can take the outputs instead of executing the chapters again
    (see `build_student_edition`). Every notebook is still executed, exactly as in
    the `force` mode of `_config.yml`: myst-nb's `cache` mode runs the same
    execution, and then stores its result.
    """
    command = [str(JUPYTER_BOOK), "build", str(source), "-W", "-n", "--keep-going",
               "--path-output", str(output)]
    if cache_execution:
        config = output.with_name(f"{output.name}-config.yml")
        write_cache_execution_config(source, config)
        command += ["--config", str(config)]
    return _run(command, output / "_build" / "html", env=env, clean=output)


def write_cache_execution_config(source: Path, destination: Path) -> None:
    """`source`'s `_config.yml` in `destination`, with notebooks executed in myst-nb's
    `cache` mode, into the output's `_build/.jupyter_cache` (which a clean build
    starts empty). Nothing else changes."""
    config = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "force", "the tests replace `force` by `cache`"
    config["execute"]["execute_notebooks"] = "cache"
    # Jupyter Book finds local extensions relative to the configuration file.
    extensions = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {name: str((source / folder).resolve())
                                            for name, folder in extensions.items()}
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")


def execution_cache(build: Build) -> Path:
    """The jupyter-cache of a book built with `cache_execution`."""
    return build.html.parent / ".jupyter_cache"


# The README's student-edition command, run in the book's folder.
STUDENT_EDITION_COMMAND = ["python", "_ext/student_edition.py", "."]


def build_student_edition(source: Path, output: Path | None = None, *,
                          execution_cache: Path | None = None) -> Build:
    """Build the student edition of `source` with the README's command.

    Into `output/html`, or, like the README, into `source/_build/student/html`.
    With `execution_cache` (the jupyter-cache of an instructor build of the same
    sources, see `build_book`), each notebook found there is not executed again.
    """
    command = [sys.executable, *STUDENT_EDITION_COMMAND[1:]]
    if output is not None:
        command += ["--path-output", str(output)]
    if execution_cache is not None:
        command += ["--execution-cache", str(execution_cache)]
    return _run(command, (output or source / "_build" / "student") / "html", cwd=source)


# The README's assignments command, run in the book's folder.
ASSIGNMENTS_COMMAND = ["python", "-m", "linreg_mle.assignments", "build", "."]


def build_assignments(source: Path, output: Path | None = None) -> Build:
    """Build every chapter's otter assignment with the README's command.

    Into `output`, or, like the README, into `source/_build/assignments`. The
    returned Build's `html` is that folder: one subfolder per chapter.
    """
    command = [sys.executable, *ASSIGNMENTS_COMMAND[1:]]
    if output is not None:
        command += ["--output", str(output)]
    return _run(command, output or source / "_build" / "assignments", cwd=source)


# With two busy test workers starting kernels at the same time, a kernel now and
# then never answers its first message (nbclient: "Kernel didn't respond in 60
# seconds"), a known hazard of concurrent starts: jupyter_client picks the TCP
# ports before the kernel binds them. It says nothing about the book, so such a
# build, and only such a build, gets one more try.
KERNEL_NEVER_ANSWERED = "Kernel didn't respond"


def _run(command: list[str], html: Path, *, cwd: Path | None = None,
         env: dict[str, str] | None = None, clean: Path | None = None) -> Build:
    for _ in range(2):
        # Every try starts from clean: Sphinx would not re-read a page that
        # failed, and a rebuild could then pass without executing it.
        if clean is not None:
            shutil.rmtree(clean, ignore_errors=True)
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=cwd,
                              env={**os.environ, **(env or {})})
        log = TERMINAL_COLOUR.sub("", done.stdout + done.stderr)
        if done.returncode == 0 or KERNEL_NEVER_ANSWERED not in log:
            break
    return Build(done.returncode, log, html)


def shared_build(tmp_path_factory, name: str, build=build_book, **kwargs) -> Build:
    """Build once per session with `build`, even when xdist runs tests in several workers."""
    # Under xdist each worker has its own basetemp inside this run's folder.
    shared = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = shared.parent
    with FileLock(shared / f"{name}.lock"):
        log = shared / f"{name}.log"
        if log.exists():
            returncode, html, text = log.read_text().split("\n", 2)
            return Build(int(returncode), text, Path(html))
        done = build(BOOK_ROOT, shared / name, **kwargs)
        log.write_text(f"{done.returncode}\n{done.html}\n{done.log}")
        return done
