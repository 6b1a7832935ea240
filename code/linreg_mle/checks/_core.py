"""A self-check is a description, not a program: :class:`Check` and what runs it.

Each exercise's check is one :class:`Check`: the reference, the fresh test cases to
try, the catalogue of typical mistakes with what to tell the learner, the
tolerance, and the rules the exercise states about what the answer must or must
not call. Calling it on a learner's function runs the function on every case and
prints one verdict; the otter-grader tests of the assignments call the very same
object, so "my self-check passes" and "the grader gives full marks" cannot
disagree. A verdict says *what* is wrong (a wrong shape, a sum instead of an
array, transposed, NaN, the wrong sign, a missing factor such as n/(n − p), an
anticipated mistake, close but not converged, a broken rule) and never prints
the reference's values, so it cannot be used to read off the answer.
"""
from __future__ import annotations

import copy
import importlib
import inspect
import sys
import sysconfig
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# Factors a learner commonly gets wrong, recognised in every check.
_COMMON_FACTORS = {"2": 2.0, "1/2": 0.5}
# Within this relative distance of the reference, but outside the tolerance, an
# answer is "close": an iteration stopped early, or a tiny term is off.
_CLOSE = 1e-3


def standard_factors(*, n=None, p=None, sigma2=None) -> dict[str, float]:
    """Named factors of a regression problem, for a :class:`Check`'s ``factors``.

    Gives, for whichever of ``n``, ``p`` and ``sigma2`` are known: ``n``, ``1/n``,
    ``n/(n−p)``, ``(n−p)/n``, ``σ²``, ``1/σ²``, ``σ`` and ``1/σ``.
    """
    factors = {}
    if n is not None:
        factors.update({"n": n, "1/n": 1 / n})
        if p is not None:
            factors.update({"n/(n−p)": n / (n - p), "(n−p)/n": (n - p) / n})
    if sigma2 is not None:
        factors.update({"σ²": sigma2, "1/σ²": 1 / sigma2,
                        "σ": sigma2**0.5, "1/σ": sigma2**-0.5})
    return factors


# Messages for mistakes that several exercises share.
SIGMA_FOR_VARIANCE = (
    "your answer is what the formula gives with σ where σ² belongs: sigma2 is already "
    "the variance, so use it as it is, not its square root")
VARIANCE_SQUARED = (
    "your answer is what the formula gives with σ⁴ where σ² belongs: either sigma2 was "
    "squared, or it went where a standard deviation is expected, such as the `scale` of "
    "scipy.stats.norm (that is σ = np.sqrt(sigma2))")


Case = Callable[[np.random.Generator], tuple]
"""Draws one test case: the arguments of the learner's function, as a tuple."""
Probe = Callable[[np.ndarray, tuple], "str | None"]
"""A diagnosis of one case's answer (as numbers) that the comparison cannot make."""


@dataclass(frozen=True)
class Check:
    """One exercise's self-check: what is right, what is typically wrong, and how close.

    Call it on the learner's function, ``check(fn, rng=seed)``: it prints one verdict
    (``✅ Correct: ...`` or ``❌ name: what is wrong``) and returns True or False.
    """

    name: str
    """How the verdict calls the answer (the exercise's function name)."""
    reference: Callable | None
    """The right answer, as a function of a case's arguments."""
    cases: tuple[Case, ...]
    """One function per test case, tried in order, each drawing fresh arguments."""
    mistakes: Mapping[str, Callable] = field(default_factory=dict)
    """Message → wrong function: anticipated mistakes, named when the answer matches
    one. A wrong function may return NaN on the cases it does not apply to."""
    factors: Callable[..., Mapping[str, float]] | None = None
    """Case's arguments → named factors to recognise (on top of 2 and 1/2)."""
    rtol: float = 1e-7
    """Relative tolerance, on the scale of the largest reference entry."""
    must_call: Mapping[str | tuple[str, ...], str] = field(default_factory=dict)
    """Dotted name of a function (or a tuple of names, any of which will do) → why
    the exercise asks the answer to use it."""
    must_not_call: Mapping[str, str] = field(default_factory=dict)
    """Dotted name of a function or module → why the answer must do without it."""
    probes: tuple[Probe, ...] = ()
    """Diagnoses tried on each case's answer before it is compared."""
    judge: Callable[[object, tuple], "str | None"] | None = None
    """Replaces the comparison with the reference, for answers that can be right
    in more than one way (points anywhere on a curve, say)."""
    doc: str = ""

    def __post_init__(self):
        object.__setattr__(self, "__doc__", self.doc)  # what help() and `?` show

    def __call__(self, answer, *, rng=None) -> bool:
        problem = self.diagnose(answer, rng=rng)
        if problem is None:
            print(f"✅ Correct: {self.name} matches the reference on "
                  f"{len(self.cases)} random test cases.")
            return True
        print(f"❌ {self.name}: {problem}")
        return False

    def diagnose(self, answer, *, rng=None) -> str | None:
        """What is wrong with ``answer``, or None if it is right on every case."""
        if not callable(answer):
            return f"expected a function, got {type(answer).__name__}"
        rng = np.random.default_rng(rng)
        called = set()
        for number, draw in enumerate(self.cases, start=1):
            args = draw(rng)
            where = f"test case {number} of {len(self.cases)}"
            try:
                got, seen = _run(answer, args, self._watched)
            except Exception as err:  # the learner's code: report it, never crash
                return (f"your function raised {type(err).__name__} on {where}, "
                        f"called with {_describe(answer, self.reference, args)}:\n"
                        f"{_learner_traceback(err)}")
            called |= seen
            problem = self._diagnose_case(got, args)
            if problem is not None:
                return f"{problem} (on {where})"
        for name, why in self.must_not_call.items():
            if name in called:
                return f"your answer is right but calls {name}: {why}"
        for names, why in self.must_call.items():
            names = (names,) if isinstance(names, str) else names
            if called.isdisjoint(names):
                return f"your answer is right but never calls {' or '.join(names)}: {why}"
        return None

    def _diagnose_case(self, got, args) -> str | None:
        if self.judge is not None:
            return self.judge(got, args)
        expected = self.reference(*args)
        numbers, problem = as_numbers(got, expected)
        if problem is not None:
            return problem
        for probe in self.probes:
            problem = probe(numbers, args)
            if problem is not None:
                return problem
        named = dict(self.factors(*args)) if self.factors else {}
        wrong = {message: fn(*args) for message, fn in self.mistakes.items()}
        return compare(numbers, expected, factors=named, mistakes=wrong, rtol=self.rtol)

    @property
    def _watched(self) -> tuple[str, ...]:
        required = (names for key in self.must_call
                    for names in ((key,) if isinstance(key, str) else key))
        return (*required, *self.must_not_call)


# ---- running the learner's function --------------------------------------------------


def _run(answer, args, watched: tuple[str, ...]):
    """``answer(*copies of args)`` and which of ``watched`` it called.

    The learner's function gets copies, so it cannot alter the reference's input.
    Calls are seen with a profiler, so an import under another name (``from numpy.linalg
    import inv as invert``) is seen too.
    """
    args = copy.deepcopy(args)
    if not watched:
        with np.errstate(all="ignore"):  # NaN and inf are diagnosed, not warned about
            return answer(*args), set()
    codes, modules = _targets(watched)
    seen = set()

    def profiler(frame, event, _):
        if event != "call":
            return
        name = codes.get(frame.f_code)
        if name is not None:
            seen.add(name)
        module = frame.f_globals.get("__name__", "")
        seen.update(target for target in modules
                    if module == target or module.startswith(target + "."))

    previous = sys.getprofile()
    sys.setprofile(profiler)
    try:
        with np.errstate(all="ignore"):
            return answer(*args), seen
    finally:
        sys.setprofile(previous)


def _targets(names: tuple[str, ...]) -> tuple[dict, tuple[str, ...]]:
    """The code objects of the named functions, and the names that are modules."""
    codes, modules = {}, []
    for name in names:
        target = _resolve(name)
        if inspect.ismodule(target):
            modules.append(target.__name__)
            continue
        # numpy wraps its functions in a dispatcher; the Python code is underneath.
        code = getattr(inspect.unwrap(target), "__code__", None)
        if code is None:
            raise ValueError(f"{name} has no Python code to watch for")
        codes[code] = name
    return codes, tuple(modules)


def _resolve(dotted: str):
    """The object a dotted name such as ``numpy.linalg.inv`` names."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            target = getattr(target, attribute)
        return target
    raise ValueError(f"cannot import {dotted}")


_LIBRARY_FOLDERS = tuple(
    {str(Path(__file__).resolve().parents[1])}
    | {sysconfig.get_path(kind) for kind in ("stdlib", "platstdlib", "purelib", "platlib")})


def _learner_traceback(err: BaseException) -> str:
    """The traceback of ``err`` through the learner's own code only, indented."""
    frames = [frame for frame in traceback.extract_tb(err.__traceback__)
              if not str(Path(frame.filename).resolve()).startswith(_LIBRARY_FOLDERS)]
    lines = traceback.format_list(frames) + traceback.format_exception_only(type(err), err)
    return "".join(lines).rstrip()


def _describe(answer, reference, args) -> str:
    """The case's arguments, named as the learner's function names them."""
    names = None
    for fn in (answer, reference):
        try:
            parameters = list(inspect.signature(fn).parameters)
        except (TypeError, ValueError):
            continue
        if len(parameters) == len(args):
            names = parameters
            break
    names = names or [f"argument {k}" for k in range(1, len(args) + 1)]
    return ", ".join(f"{name} = {_summary(value)}" for name, value in zip(names, args))


def _summary(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, float | np.floating):
        return f"{value:.6g}"
    return repr(value)


# ---- comparing numbers ----------------------------------------------------------------


def as_numbers(answer, reference) -> tuple[np.ndarray | None, str | None]:
    """The answer as a float array, or what stops it from being one."""
    expected = np.asarray(reference, dtype=float)
    kind = "a number" if expected.ndim == 0 else f"an array of shape {expected.shape}"
    if answer is None:
        return None, f"got None instead of {kind}: did you forget to `return` the result?"
    if isinstance(answer, str | bytes) or np.asarray(answer).dtype.kind in "USO" and any(
            isinstance(entry, str | bytes) for entry in np.ravel(np.asarray(answer, dtype=object))):
        return None, (f"expected {kind}, got text ({type(answer).__name__}): return the "
                      "numbers themselves, not a string made from them")
    try:
        return np.asarray(answer, dtype=float), None
    except (TypeError, ValueError):
        return None, f"expected {kind}, got {type(answer).__name__}"


def compare(answer, reference, *, factors: Mapping | None = None,
            mistakes: Mapping | None = None, rtol: float = 1e-7) -> str | None:
    """None if ``answer`` matches ``reference`` to ``rtol``, else what is wrong with it.

    ``mistakes`` maps a message to an anticipated wrong value; ``factors`` names
    constant factors to recognise.
    """
    got, problem = as_numbers(answer, reference)
    if problem is not None:
        return problem
    expected = np.asarray(reference, dtype=float)
    scale = float(np.abs(expected).max(initial=0.0)) or 1.0
    if got.shape == expected.shape and _close(got, expected, scale, rtol):
        return None
    for message, wrong in (mistakes or {}).items():  # of any shape
        if _close(got, wrong, scale, rtol):
            return message
    if got.shape != expected.shape:
        return _shape_problem(got, expected, scale, rtol)
    if not np.isfinite(got).all():
        where = f" (first at index {_first_index(~np.isfinite(got))})" if got.ndim else ""
        return f"contains NaN or inf{where}"
    named = {**(factors or {}), **_COMMON_FACTORS}
    for name, factor in named.items():
        for sign, prefix in ((1, ""), (-1, "has the wrong sign and ")):
            if _close(got, sign * factor * expected, scale * abs(factor), rtol):
                return f"{prefix}is off by a factor of {name}"
    error = _relative_error(got, expected, scale)
    if error < _CLOSE:
        return (f"is close but not within the tolerance: its largest error is "
                f"{error:.1e} relative to the reference, and the check accepts "
                f"{rtol:.0e}. If you compute it iteratively, iterate longer (a "
                "tighter stopping rule); if not, look for a small term that is off")
    if _close(got, -expected, scale, rtol):
        return "has the wrong sign"
    if not got.any():
        return "is zero everywhere: is it still a placeholder?"
    return _pattern_problem(got, expected, scale, rtol) or _generic_problem(
        got, expected, scale, rtol)


def _close(got: np.ndarray, target, scale: float, rtol: float) -> bool:
    """Entrywise ``|got − target| <= rtol · (|target| + scale)``: relative, but entries
    near 0 are judged on the scale of the whole reference."""
    target = np.asarray(target, dtype=float)
    if target.shape != got.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(got - target) <= rtol * (np.abs(target) + scale)))


def _relative_error(got, expected, scale) -> float:
    with np.errstate(invalid="ignore", over="ignore"):
        return float(np.max(np.abs(got - expected) / (np.abs(expected) + scale)))


def _shape_problem(got, expected, scale, rtol) -> str:
    kind = "a number" if expected.ndim == 0 else f"an array of shape {expected.shape}"
    if expected.ndim == 0 and got.size == 1:
        return (f"expected one number, got an array of shape {got.shape}: take the "
                "number out of it with .item()")
    if got.ndim == 0 and expected.ndim >= 1:
        if _close(got, expected.sum(), scale * expected.size, rtol):
            return (f"returned the sum of the terms (one number) instead of {kind}, "
                    "one entry per observation")
        if _close(got, expected.mean(), scale, rtol):
            return f"returned the mean of the terms (one number) instead of {kind}"
        return f"expected {kind}, got a single number"
    if got.T.shape == expected.shape and _close(got.T, expected, scale, rtol):
        return f"is transposed: expected shape {expected.shape}, got {got.shape}"
    if got.size == expected.size and _close(got.reshape(expected.shape), expected, scale, rtol):
        return (f"has the right numbers in the wrong shape: expected {expected.shape}, "
                f"got {got.shape} (use .reshape or .ravel)")
    return f"wrong shape: expected {expected.shape}, got {got.shape}"


def _pattern_problem(got, expected, scale, rtol) -> str | None:
    """Recognise, in an array, ``got = c · expected`` or ``got = expected + c``; one
    number is always *some* multiple of another, and saying which would reveal it."""
    if got.size < 2:
        return None
    nonzero = np.abs(expected) > rtol * scale
    if nonzero.any():
        ratio = np.median(got[nonzero] / expected[nonzero])
        if _close(got, ratio * expected, scale * abs(ratio), rtol):
            return (f"is off by a constant factor ≈ {ratio:.4g} (every entry is scaled "
                    "by the same amount)")
    shift = np.median(got - expected)
    if _close(got, expected + shift, scale, rtol):
        return "is off by an additive constant: every entry is shifted by the same amount"
    return None


def _generic_problem(got, expected, scale, rtol) -> str:
    if got.ndim == 0:
        return f"is not correct: it is too {'large' if got > expected else 'small'}"
    wrong = np.abs(got - expected) > rtol * (np.abs(expected) + scale)
    return (f"{int(wrong.sum())} of {wrong.size} entries are wrong "
            f"(the first at index {_first_index(wrong)})")


def _first_index(mask: np.ndarray):
    """Index of the first True entry: an int for a vector, a tuple for a matrix."""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index
