"""The course as data: chapters, their exercises and solutions, read from the sources.

The one parser of the chapters' MyST sources. The instructor guide builds its
tables from it, the assignments (:mod:`linreg_mle.assignments`) their notebooks,
and the tests use it to hold every chapter to the exercise convention in
CONTRIBUTING.md and to find every solution the student edition must drop. Each exercise starts with its metadata line, exactly::

    *Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_name`

A chapter that breaks the convention raises :class:`CatalogError`, naming the
file, the line and what is wrong, so the book build and the tests fail loudly
instead of listing a wrong table.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

KINDS = ("concept", "derivation", "coding")

# Mathematical prose is read slowly: a deliberately low rate for reading time.
WORDS_PER_MINUTE = 100

METADATA_LINE = re.compile(
    r"\*Kind:\* (?P<kind>\w+) · \*Difficulty:\* (?P<stars>★{1,3}) · "
    r"\*Time:\* (?P<minutes>\d+) min · \*Self-check:\* (?:`(?P<check>\w+)`|—)"
)
METADATA_FORM = "*Kind:* coding · *Difficulty:* ★★ · *Time:* 15 min · *Self-check:* `check_name`"
DIRECTIVE = re.compile(r"\{(?P<name>[\w-]+)\}\s*(?P<argument>.*)")
OPTION = re.compile(r":(?P<key>[\w-]+):\s*(?P<value>.*)")
WORD = re.compile(r"\S+")
# Code cells with these tags never reach a page.
HIDDEN_CODE = {"remove-cell", "remove-input"}


class CatalogError(ValueError):
    """A chapter breaks the exercise convention of CONTRIBUTING.md."""


@dataclass(frozen=True)
class Exercise:
    chapter: str
    label: str
    title: str
    kind: str
    difficulty: int
    minutes: int
    check: str | None
    """The name of its self-check in ``linreg_mle.checks``, or None."""
    text: str = field(default="", compare=False)
    """Its MyST source after the metadata line: the task itself, code cells included."""

    @property
    def stars(self) -> str:
        return "★" * self.difficulty


@dataclass(frozen=True)
class Solution:
    """The solution to ``exercise`` (its label): its MyST source ``text``, code cells
    included, and the ``code`` of each cell a reader sees (not `remove-cell` or
    `remove-input`)."""

    chapter: str
    exercise: str
    text: str
    code: tuple[str, ...]


@dataclass(frozen=True)
class Chapter:
    path: Path
    label: str
    title: str
    objectives: tuple[str, ...]
    """Each learning objective, as one line of MyST."""
    prerequisites: str
    """The prerequisites paragraph, as one line of MyST."""
    words: int
    """Words of prose to read, exercises and code left out."""
    exercises: tuple[Exercise, ...]
    solutions: tuple[Solution, ...]
    code: tuple[str, ...] = ()
    """The source of each of its code cells outside the exercises and solutions,
    hidden ones included: the code a reader of the chapter runs."""
    labels: frozenset[str] = frozenset()
    """The labels it defines outside the solutions: targets, equations, directives."""

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def reading_minutes(self) -> int:
        return math.ceil(self.words / WORDS_PER_MINUTE)

    @property
    def exercise_minutes(self) -> int:
        return sum(exercise.minutes for exercise in self.exercises)


def read_chapters(folder: Path | str) -> list[Chapter]:
    """Every chapter in `folder` (its `*.md` files), in reading order."""
    return [read_chapter(path) for path in sorted(Path(folder).glob("*.md"))]


def read_chapter(path: Path | str) -> Chapter:
    path = Path(path)
    return _ChapterReader(path, path.read_text(encoding="utf-8")).read()


def read_book(root: Path | str) -> list[Chapter]:
    """Every chapter that the book's table of contents (`_toc.yml`) lists under
    `chapters/`, in its order. A listed chapter with no file is an error."""
    import yaml

    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = []

    def walk(entries):
        for entry in entries or ():
            if "file" in entry:
                files.append(str(entry["file"]))
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key))

    walk([toc])
    paths = [root / (name if name.endswith(".md") else f"{name}.md")
             for name in files if name.startswith("chapters/")]
    missing = [path.relative_to(root).as_posix() for path in paths if not path.exists()]
    if missing:
        raise CatalogError(f"_toc.yml lists chapters that do not exist: {', '.join(missing)}")
    return [read_chapter(path) for path in paths]


def _markdown_parser():
    # The parser the book itself uses, with the syntax our chapters use. The
    # book's tools are imported here: `import linreg_mle` does not need them.
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={"amsmath", "colon_fence", "dollarmath"})
    return create_md_parser(config, RendererHTML)


def _tags(options: dict) -> list[str]:
    """A code cell's tags, from `:tags: [a, b]` or a YAML options block."""
    tags = options.get("tags", [])
    return re.findall(r"[\w-]+", tags) if isinstance(tags, str) else tags


def _split_directive(content: str) -> tuple[dict[str, str], str]:
    """The options (`:key: value` lines, or a `---` YAML block) and the body of a directive."""
    lines = content.splitlines()
    options = {}
    if lines and lines[0].strip() == "---":
        import yaml

        end = lines.index("---", 1)
        options = {str(k): v for k, v in (yaml.safe_load("\n".join(lines[1:end])) or {}).items()}
        lines = lines[end + 1:]
    else:
        while lines and (match := OPTION.fullmatch(lines[0].strip())):
            options[match["key"]] = match["value"]
            lines = lines[1:]
    return options, "\n".join(lines).strip()


class _ChapterReader:
    """Walks a chapter's top-level MyST blocks once, collecting everything."""

    def __init__(self, path: Path, source: str):
        self.path = path
        self.lines = source.splitlines()
        self.tokens = _markdown_parser().parse(source)
        self.problems: list[str] = []
        self.labels: set[str] = set()  # of every exercise, well-formed or not

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path.name}:{line + 1}: {message}")

    def read(self) -> Chapter:
        label = title = prerequisites = ""
        objectives: list[str] = []
        exercises: list[Exercise] = []
        solutions: list[Solution] = []
        solution_lines: list[int] = []
        words = 0
        code: list[str] = []
        labels: set[str] = set()
        task_start = 0  # the line where the gated exercise being read starts its task
        # The gated exercise or solution being read: ("exercise" or "solution",
        # the label of the exercise it solves, the line of its start directive).
        gated: tuple[str, str, int] | None = None
        tokens = self.tokens
        for i, token in enumerate(tokens):
            directive = DIRECTIVE.fullmatch(token.info.strip()) if token.type in ("fence", "colon_fence") else None
            name = directive["name"] if directive else None
            if gated is not None:
                what, target, start = gated
                if name == f"{what}-end":
                    if what == "solution":
                        solutions.append(self.solution(target, start, token.map[0]))
                        solution_lines.append(start)
                    elif exercises and exercises[-1].label == target:
                        # The task: from the end of its metadata line to here.
                        text = "\n".join(self.lines[task_start:token.map[0]]).strip()
                        exercises[-1] = replace(exercises[-1], text=text)
                    gated = None
                elif name in ("exercise-start", "solution-start", "exercise", "solution"):
                    self.problem(token.map[0], f"`{{{name}}}` inside an unclosed `{{{what}-start}}`")
                continue
            if name in ("exercise", "exercise-start"):
                options, body = _split_directive(token.content)
                text_start = token.map[1]
                if name == "exercise":
                    first_line = body.splitlines()[0] if body else ""
                else:  # the first paragraph after the directive
                    following = tokens[i + 1] if i + 1 < len(tokens) else None
                    first_line = tokens[i + 2].content if following and following.type == "paragraph_open" else ""
                    if following and following.type == "paragraph_open":
                        text_start = following.map[1]
                exercise = self.exercise(token.map[0], directive["argument"], options, first_line)
                if exercise is not None:
                    if name == "exercise":
                        exercise = replace(exercise, text="\n".join(body.splitlines()[1:]).strip())
                    exercises.append(exercise)
                    labels.add(exercise.label)
                if name == "exercise-start":
                    gated = ("exercise", exercise.label if exercise else "", token.map[0])
                    task_start = text_start
            elif name == "solution-start":
                gated = ("solution", directive["argument"].strip(), token.map[0])
            elif name == "solution":
                _, body = _split_directive(token.content)
                solutions.append(Solution(self.path.stem, directive["argument"].strip(), body, ()))
                solution_lines.append(token.map[0])
            elif name == "code-cell":
                code.append(_split_directive(token.content)[1])
            elif name and (target_label := _split_directive(token.content)[0].get("label")):
                labels.add(str(target_label).strip())
            elif token.type == "math_block_label":
                labels.add(token.info)
            elif token.type == "myst_target":
                labels.add(token.content)
                label = label or token.content
            elif token.type == "heading_open" and token.tag == "h1" and not title:
                title = tokens[i + 1].content
            elif token.type == "inline":
                # Prose outside the exercises: paragraphs, headings, list items.
                words += len(WORD.findall(token.content))
                text = " ".join(token.content.splitlines())
                if token.level == 1 and text.startswith("**Learning objectives.**"):
                    objectives = _list_after(tokens, i) or [text.removeprefix("**Learning objectives.**").strip()]
                elif token.level == 1 and text.startswith("**Prerequisites.**"):
                    prerequisites = " ".join([text.removeprefix("**Prerequisites.**").strip(),
                                              *_list_after(tokens, i)]).strip()
        if gated is not None:
            self.problem(gated[2], f"`{{{gated[0]}-start}}` is never closed by `{{{gated[0]}-end}}`")
        for solution, line in zip(solutions, solution_lines):
            if solution.exercise not in self.labels:
                self.problem(line, f"a solution to {solution.exercise!r}, which is no exercise of this chapter")
        if self.problems:
            raise CatalogError("\n".join(self.problems))
        return Chapter(self.path, label, title, tuple(objectives), prerequisites, words,
                       tuple(exercises), tuple(solutions), tuple(code), frozenset(labels))

    def exercise(self, line: int, title: str, options: dict, first_line: str) -> Exercise | None:
        label = options.get("label", "")
        if not label:
            self.problem(line, "an exercise needs a `:label:`: the instructor guide and the tests refer to it")
            return None
        self.labels.add(label)
        match = METADATA_LINE.fullmatch(first_line.strip())
        if match is None:
            self.problem(line, f"exercise {label}: its first line must be the metadata line, in exactly "
                               f"this form:\n    {METADATA_FORM}\n  but it is:\n    {first_line.strip()}")
            return None
        if match["kind"] not in KINDS:
            self.problem(line, f"exercise {label}: kind {match['kind']!r} is not one of {', '.join(KINDS)}")
        if match["kind"] == "coding" and not match["check"]:
            self.problem(line, f"exercise {label}: a coding exercise names its self-check")
        return Exercise(self.path.stem, label, title.strip(), match["kind"], len(match["stars"]),
                        int(match["minutes"]), match["check"])

    def solution(self, exercise: str, start: int, end: int) -> Solution:
        """The gated solution to `exercise`: what lies between its start
        directive, on line `start`, and its end directive, on line `end`."""
        cells = (_split_directive(token.content) for token in self.tokens
                 if token.type == "fence" and token.info.startswith("{code-cell}")
                 and start < token.map[0] < end)
        code = tuple(source for options, source in cells if not HIDDEN_CODE & set(_tags(options)))
        start_directive = next(t for t in self.tokens if t.map and t.map[0] == start)
        return Solution(self.path.stem, exercise, "\n".join(self.lines[start_directive.map[1]:end]).strip(), code)


def _list_after(tokens, i: int) -> list[str]:
    """The items of a list right after the paragraph whose inline token is `i`."""
    items = []
    j = i + 2  # past paragraph_close
    if j < len(tokens) and tokens[j].type in ("bullet_list_open", "ordered_list_open"):
        depth = tokens[j].level
        for token in tokens[j + 1:]:
            if token.type in ("bullet_list_close", "ordered_list_close") and token.level == depth:
                break
            if token.type == "inline" and token.level == depth + 3:
                items.append(" ".join(token.content.splitlines()))
    return items
