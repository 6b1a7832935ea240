"""The machinery behind every self-check: compare, diagnose, print a verdict.

A check compares a learner's answer with a reference and, when they differ,
says *what* is wrong in terms of typical mistakes (wrong shape, a sum instead of
an array, transposed, NaN, wrong sign, a missing factor such as n/(n−p), an
additive constant, or a mistake the chapter author anticipated). It never prints
the reference values, so a check cannot be used to read off the answer.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

import numpy as np

# Factors a learner commonly gets wrong, recognised in every check.
_COMMON_FACTORS = {"2": 2.0, "1/2": 0.5}


def standard_factors(*, n=None, p=None, sigma2=None) -> dict[str, float]:
    """Named factors of a regression problem, for :func:`check`'s ``factors``.

    Gives, for whichever of ``n``, ``p`` and ``sigma2`` are known: ``n``, ``1/n``,
    ``n/(n−p)``, ``(n−p)/n``, ``σ²``, ``1/σ²``, ``σ`` and ``1/σ``.
    """
    factors = {}
    if n is not None:
        factors.update({"n": n, "1/n": 1 / n})
        if p is not None:
            factors.update({"n/(n−p)": n / (n - p), "(n−p)/n": (n - p) / n})
    if sigma2 is not None:
        factors.update({"σ²": sigma2, "1/σ²": 1 / sigma2, "σ": sigma2**0.5, "1/σ": sigma2**-0.5})
    return factors


def check(
    answer,
    reference,
    *,
    what: str = "your answer",
    cases: Callable | None = None,
    n_cases: int = 3,
    rng=None,
    factors: Mapping | Callable | None = None,
    mistakes: Mapping | None = None,
    rtol: float = 1e-7,
) -> bool:
    """Compare a learner's answer with a reference; print a verdict; return True if correct.

    Two calling patterns:

    **A value.** ``reference`` is a number or an array::

        check(sigma2_hat, result.sigma2, what="σ̂²",
              factors=standard_factors(n=n, p=p),
              mistakes={"you divided by n − p: that is s², not the MLE": rss / (n - p)})

    **A function.** ``reference`` is callable; ``answer`` must be too. Both are called
    on ``n_cases`` fresh random cases ``args = cases(rng)`` (a tuple of arguments;
    the learner's function gets copies, so it cannot alter the reference's input)::

        check(learner_fn, linreg_mle.log_likelihood_obs, what="log_likelihood_obs",
              cases=random_problem, rng=seed,
              factors=lambda y, X, beta, sigma2: standard_factors(sigma2=sigma2),
              mistakes={"you used σ where σ² belongs": lambda y, X, beta, sigma2: ...})

    Parameters
    ----------
    answer : value or callable
    reference : value or callable
    what : str
        How to call the answer in the verdict.
    cases : callable ``rng -> tuple``, for a function check
    n_cases : int
    rng : None, int or Generator
        Seeds the random cases; None draws fresh ones on every call.
    factors : mapping name -> number, or (function check) callable ``*args -> mapping``
        Named factors to recognise when the answer is off by a constant factor, on
        top of 2 and 1/2.
    mistakes : mapping message -> wrong value, or (function check) message -> wrong function
        Anticipated wrong answers; if the learner's matches one, its message is printed.
    rtol : float
        Relative tolerance, on the scale of the largest reference entry.

    Returns
    -------
    bool
    """
    if callable(reference):
        problem = _check_function(answer, reference, cases, n_cases, rng, factors, mistakes, rtol)
    else:
        problem = _diagnose(answer, reference, dict(factors or {}), dict(mistakes or {}), rtol)
    if problem is None:
        extra = f" on {n_cases} random test cases" if callable(reference) else ""
        print(f"✅ Correct: {what} matches the reference{extra}.")
        return True
    print(f"❌ {what}: {problem}")
    return False


def _check_function(answer, reference, cases, n_cases, rng, factors, mistakes, rtol) -> str | None:
    if not callable(answer):
        return f"expected a function, got {type(answer).__name__}"
    if cases is None:
        raise ValueError("a function check needs cases: a callable rng -> tuple of arguments")
    rng = np.random.default_rng(rng)
    for k in range(1, n_cases + 1):
        args = cases(rng)
        try:
            got = answer(*copy.deepcopy(args))
        except Exception as err:  # the learner's code: report any failure, do not crash
            return f"your function raised {type(err).__name__}: {err}"
        named = factors(*args) if callable(factors) else dict(factors or {})
        wrong = {message: fn(*args) for message, fn in (mistakes or {}).items()}
        problem = _diagnose(got, reference(*args), named, wrong, rtol)
        if problem is not None:
            return f"{problem} (on random test case {k} of {n_cases})"
    return None


def _close(got: np.ndarray, target, scale: float, rtol: float) -> bool:
    """Entrywise ``|got − target| <= rtol · (|target| + scale)``: relative, but entries near 0
    are judged on the scale of the whole reference."""
    target = np.asarray(target, dtype=float)
    if target.shape != got.shape:
        return False
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.all(np.abs(got - target) <= rtol * (np.abs(target) + scale)))


def _diagnose(answer, reference, factors: dict, mistakes: dict, rtol: float) -> str | None:
    """``None`` if ``answer`` matches ``reference``, else what is wrong with it."""
    expected = np.asarray(reference, dtype=float)
    kind = "a number" if expected.ndim == 0 else f"an array of shape {expected.shape}"
    if answer is None:
        return f"got None instead of {kind}: did you forget to `return` the result?"
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return f"expected {kind}, got {type(answer).__name__}"
    scale = float(np.abs(expected).max(initial=0.0)) or 1.0
    if got.shape != expected.shape:
        return _shape_problem(got, expected, kind, scale, rtol)
    if not np.isfinite(got).all():
        where = f" (first at index {_first_index(~np.isfinite(got))})" if got.ndim else ""
        return f"contains NaN or inf{where}"
    if _close(got, expected, scale, rtol):
        return None
    for message, wrong in mistakes.items():
        if _close(got, wrong, scale, rtol):
            return message
    if _close(got, -expected, scale, rtol):
        return "has the wrong sign"
    if not got.any():
        return "is zero everywhere: is it still a placeholder?"
    return _factor_problem(got, expected, factors, scale, rtol) or _generic_problem(got, expected, scale, rtol)


def _shape_problem(got, expected, kind, scale, rtol) -> str:
    if got.ndim == 0 and expected.ndim >= 1:
        if _close(got, expected.sum(), scale * expected.size, rtol):
            return f"returned the sum of the terms (one number) instead of {kind}, one entry per observation"
        if _close(got, expected.mean(), scale, rtol):
            return f"returned the mean of the terms (one number) instead of {kind}"
        return f"expected {kind}, got a single number"
    if got.T.shape == expected.shape and _close(got.T, expected, scale, rtol):
        return f"is transposed: expected shape {expected.shape}, got {got.shape}"
    if got.size == expected.size and _close(got.reshape(expected.shape), expected, scale, rtol):
        return f"has the right numbers in the wrong shape: expected {expected.shape}, got {got.shape} (use .reshape or .ravel)"
    return f"wrong shape: expected {expected.shape}, got {got.shape}"


def _factor_problem(got, expected, factors, scale, rtol) -> str | None:
    """Recognise ``got = c · expected`` (a named or, for arrays, any c) or ``got = expected + c``."""
    named = {**factors, **_COMMON_FACTORS}
    for name, factor in named.items():
        for sign, prefix in ((1, ""), (-1, "has the wrong sign and ")):
            if _close(got, sign * factor * expected, scale * abs(factor), rtol):
                return f"{prefix}is off by a factor of {name}"
    if got.size < 2:  # one number is always *some* multiple of another: nothing to learn
        return None
    nonzero = np.abs(expected) > rtol * scale
    if nonzero.any():
        ratio = np.median(got[nonzero] / expected[nonzero])
        if _close(got, ratio * expected, scale * abs(ratio), rtol):
            return f"is off by a constant factor ≈ {ratio:.4g} (every entry is scaled by the same amount)"
    shift = np.median(got - expected)
    if _close(got, expected + shift, scale, rtol):
        return "is off by an additive constant: every entry is shifted by the same amount"
    return None


def _generic_problem(got, expected, scale, rtol) -> str:
    if got.ndim == 0:
        return f"is not correct: it is too {'large' if got > expected else 'small'}"
    wrong = np.abs(got - expected) > rtol * (np.abs(expected) + scale)
    return f"{int(wrong.sum())} of {wrong.size} entries are wrong (the first at index {_first_index(wrong)})"


def _first_index(mask: np.ndarray):
    """Index of the first True entry: an int for a vector, a tuple for a matrix."""
    index = tuple(int(i) for i in np.argwhere(mask)[0])
    return index[0] if len(index) == 1 else index
