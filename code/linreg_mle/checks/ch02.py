r"""Self-checks for chapter 2's exercises (the log-likelihood).

Pattern for every chapter: a ``check_...`` function that draws fresh random
problems, names the mistakes a learner is likely to make, and hands both to
:func:`linreg_mle.checks.check`. List it in ``__all__`` and it is re-exported by
``linreg_mle.checks``.

``check_log_likelihood_obs`` checks the n terms
:math:`\ell_i = -\tfrac12\log(2\pi\sigma^2) - r_i^2/(2\sigma^2)`. Its last test
case has observations far in the tail, :math:`r_i^2/(2\sigma^2) > 750`, where the
density :math:`e^{\ell_i}` is below the smallest float64 and rounds to 0.0: there
``np.log(norm.pdf(...))`` gives −inf, while a computation in log space gives the
right, finite :math:`\ell_i`.
"""
from __future__ import annotations

import copy

import numpy as np

from ..likelihood import log_likelihood, log_likelihood_obs
from ..simulation import simulate
from ._core import check, standard_factors

__all__ = ["check_log_likelihood_obs", "check_likelihood_ratio"]


def _random_problem(rng):
    """A small regression problem ``(y, X, beta, sigma2)`` with β away from the MLE and σ² ≠ 1."""
    n, p = int(rng.integers(8, 40)), int(rng.integers(1, 4))
    X, y = simulate(n, rng.normal(0, 2, size=p), rng.uniform(0.5, 2), rng=rng)
    beta = rng.normal(0, 2, size=p)
    # σ² in [0.25, 0.67] or [1.5, 4]: never near 1, where σ and σ² would be indistinguishable.
    sigma2 = rng.uniform(1.5, 4.0) ** rng.choice([-1, 1])
    return y, X, beta, sigma2


def _with_variance(sigma2_of):
    """The reference ℓᵢ evaluated at a wrong variance ``sigma2_of(sigma2)``."""
    return lambda y, X, beta, sigma2: log_likelihood_obs(y, X, beta, sigma2_of(sigma2))


def _terms(log_coef, square_coef):
    """ℓᵢ written as ``log_coef · log(2πσ²) − square_coef · rᵢ²/σ²``, for mistakes with wrong coefficients."""
    def wrong(y, X, beta, sigma2):
        r = y - X @ beta
        return -log_coef * np.log(2 * np.pi * sigma2) - square_coef * r**2 / sigma2
    return wrong


def _square_over_sigma4(y, X, beta, sigma2):
    """The log term right, the squared residual divided by 2σ⁴ (``sigma2**2``)."""
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2**2)


_MISTAKES = {
    "you used σ where σ² belongs: sigma2 is already the variance, so log(2πσ²) is np.log(2*np.pi*sigma2)":
        _with_variance(np.sqrt),
    "you squared sigma2, so your formula has σ⁴ wherever σ² belongs: the argument is "
    "already the variance σ², not σ":
        _with_variance(np.square),
    "your squared-residual term divides by 2σ⁴ (sigma2**2): sigma2 is already σ², so the "
    "term is −rᵢ²/(2σ²) with sigma2 as it is":
        _square_over_sigma4,
    "the squared-residual term is missing its ½: it is −(yᵢ − xᵢᵀβ)²/(2σ²)": _terms(0.5, 1.0),
    "the log term is missing its ½: it is −½ log(2πσ²)": _terms(1.0, 0.5),
    "the constant −½ log(2π) is missing (log(σ²) alone is not enough)":
        lambda y, X, beta, sigma2: log_likelihood_obs(y, X, beta, sigma2) + 0.5 * np.log(2 * np.pi),
    "you returned the density itself: take its logarithm (and compute it in log space, not as np.log(pdf))":
        lambda y, X, beta, sigma2: np.exp(log_likelihood_obs(y, X, beta, sigma2)),
}


# An observation with rᵢ²/(2σ²) above this has a density below the smallest float64
# (whose log is about −744.4), whatever σ² in the range the cases draw.
_TAIL = 750.0


def _tail_problem(rng):
    """A random problem whose observations 0 and 2 lie far in the tail: rᵢ²/(2σ²) in
    [800, 1800], where the density underflows to 0.0 and its log to −inf."""
    y, X, beta, sigma2 = _random_problem(rng)
    for i in (0, 2):
        z = rng.uniform(40.0, 60.0) * rng.choice([-1, 1])
        y[i] = X[i] @ beta + z * np.sqrt(sigma2)
    return y, X, beta, sigma2


def _cases(n_cases):
    """Ordinary random problems, then one with observations far in the tail."""
    calls = iter(range(10**9))
    return lambda rng: _tail_problem(rng) if next(calls) == n_cases - 1 else _random_problem(rng)


def _tail_verdict(fn, args) -> str | None:
    """What is wrong where the density underflows, if the answer is right elsewhere or
    −inf there; None otherwise (the generic check then says what is wrong)."""
    try:
        with np.errstate(all="ignore"):
            got = np.asarray(fn(*copy.deepcopy(args)), dtype=float)
    except Exception:  # the learner's code: the generic check reports the exception
        return None
    y, X, beta, sigma2 = args
    expected = log_likelihood_obs(y, X, beta, sigma2)
    if got.shape != expected.shape:
        return None
    tail = (y - X @ beta) ** 2 / (2 * sigma2) > _TAIL
    where = ", ".join(str(i) for i in np.flatnonzero(tail))
    ordinary_right = bool(np.allclose(got[~tail], expected[~tail], rtol=1e-7, atol=0))
    if np.isneginf(got).any():
        inf_at = np.flatnonzero(np.isneginf(got))
        at = ("observation " if inf_at.size == 1 else "observations ") + ", ".join(
            str(i) for i in inf_at[:5]) + (", …" if inf_at.size > 5 else "")
        return (f"your ℓᵢ is −inf at {at} of a test case whose observations {where} "
                "lie far in the tail (rᵢ²/(2σ²) > 750). Where the density is below the smallest "
                "float64 it rounds to 0.0, and the log of 0.0 is −inf; yet ℓᵢ is an ordinary "
                "finite number. Do not form the density at all: compute ℓᵢ in log space from "
                "the start")
    if ordinary_right and np.isfinite(got).all() and not np.allclose(got, expected, rtol=1e-7):
        return (f"your ℓᵢ is right except at observations {where}, which lie far in the "
                "tail (rᵢ²/(2σ²) > 750): there the density is below the smallest float64, "
                "so anything computed from the density (clipped, or with a tiny number "
                "added) is wrong. Compute ℓᵢ in log space from the start")
    return None


def check_log_likelihood_obs(fn, *, n_cases: int = 3, rng=None) -> bool:
    """Check a learner's ``fn(y, X, beta, sigma2)`` that returns the n terms ℓᵢ.

    .. math:: \\ell_i = -\\tfrac12\\log(2\\pi\\sigma^2) - \\frac{(y_i - x_i^\\top\\beta)^2}{2\\sigma^2}

    The last test case has observations with rᵢ²/(2σ²) > 750, where the density is
    below the smallest float64: an answer that takes the log of a density fails there,
    and is told why.

    Example
    -------
    >>> from linreg_mle.checks import check_log_likelihood_obs
    >>> check_log_likelihood_obs(my_log_likelihood_obs)
    ✅ Correct: log_likelihood_obs matches the reference on 3 random test cases.
    True
    """
    what = "log_likelihood_obs"
    n_cases = max(int(n_cases), 2)
    if callable(fn):
        problem = _tail_verdict(fn, _tail_problem(np.random.default_rng(rng)))
        if problem is not None:
            print(f"❌ {what}: {problem}")
            return False
    return check(
        fn,
        log_likelihood_obs,
        what=what,
        cases=_cases(n_cases),
        n_cases=n_cases,
        rng=rng,
        factors=lambda y, X, beta, sigma2: standard_factors(n=len(y), sigma2=sigma2),
        mistakes=_MISTAKES,
    )


# --- Likelihood ratios on large data (exercise "A likelihood ratio that does not underflow") ---


def _ratio_problem(rng):
    """``(y, X, beta_a, beta_b, sigma2)`` with n large enough that every product of densities
    underflows, and β_a, β_b close enough to the MLE that the ratio is a moderate number."""
    n, p = int(rng.integers(800, 3000)), int(rng.integers(2, 4))
    sigma = rng.uniform(0.8, 2.0)
    X, y = simulate(n, rng.normal(0, 2, size=p), sigma, rng=rng)
    beta_hat = np.linalg.lstsq(X, y, rcond=None)[0]
    step = sigma / np.sqrt(n)  # about one standard error
    beta_a = beta_hat + rng.normal(0, 1.2 * step, size=p)
    beta_b = beta_hat + rng.normal(0, 1.2 * step, size=p)
    sigma2 = sigma**2 * rng.uniform(0.8, 1.25)
    return y, X, beta_a, beta_b, sigma2


def _log_ratio(y, X, beta_a, beta_b, sigma2):
    return log_likelihood(y, X, beta_a, sigma2) - log_likelihood(y, X, beta_b, sigma2)


def _ratio(y, X, beta_a, beta_b, sigma2):
    return float(np.exp(_log_ratio(y, X, beta_a, beta_b, sigma2)))


_RATIO_MISTAKES = {
    "you returned log L(β_a) − log L(β_b), the logarithm of the ratio: exponentiate it":
        _log_ratio,
    "your ratio is upside down: it should be L(β_a)/L(β_b), not L(β_b)/L(β_a)":
        lambda y, X, a, b, s2: 1 / _ratio(y, X, a, b, s2),
    "you divided the log-likelihoods: the log of a ratio is a difference, log(A/B) = log A − log B":
        lambda y, X, a, b, s2: log_likelihood(y, X, a, s2) / log_likelihood(y, X, b, s2),
    "your ratio is the square of the right one: the ½ in −RSS/(2σ²) is missing":
        lambda y, X, a, b, s2: _ratio(y, X, a, b, s2) ** 2,
    "your ratio is the square root of the right one: the fit term is −RSS/(2σ²), not −RSS/(4σ²)":
        lambda y, X, a, b, s2: _ratio(y, X, a, b, s2) ** 0.5,
    "you used σ where σ² belongs: sigma2 is already the variance":
        lambda y, X, a, b, s2: _ratio(y, X, a, b, np.sqrt(s2)),
    "you squared sigma2: the argument is already the variance σ², not σ":
        lambda y, X, a, b, s2: _ratio(y, X, a, b, s2**2),
}


def check_likelihood_ratio(fn, *, n_cases: int = 3, rng=None) -> bool:
    """Check a learner's ``fn(y, X, beta_a, beta_b, sigma2)`` that returns L(β_a, σ²)/L(β_b, σ²).

    The test cases have between 800 and 3000 observations, so both likelihoods are
    exactly 0.0 in float64 and only a computation in log space gives the ratio.

    Example
    -------
    >>> from linreg_mle.checks import check_likelihood_ratio
    >>> check_likelihood_ratio(my_likelihood_ratio)
    ✅ Correct: likelihood_ratio matches the reference on 3 random test cases.
    True
    """
    what = "likelihood_ratio"
    if callable(fn):
        # A product of densities gives 0/0 (NaN), 0 or inf here; say why before the generic check.
        args = _ratio_problem(np.random.default_rng(rng))
        try:
            with np.errstate(all="ignore"):
                raw = fn(*[np.copy(a) for a in args])
            got = None if raw is None else np.asarray(raw, dtype=float)
        except Exception:  # an exception or a non-number: reported by the generic check below
            got = None
        if got is not None and got.shape == () and (not np.isfinite(got) or got == 0):
            print(f"❌ {what}: got {float(got)!r} on a data set with n = {len(args[0])} observations. "
                  "A product of that many densities underflows to exactly 0.0, so L(β_a)/L(β_b) "
                  "becomes 0/0 = nan (or 0, or inf). Subtract the log-likelihoods, then exponentiate the difference.")
            return False
    return check(
        fn,
        _ratio,
        what=what,
        cases=_ratio_problem,
        n_cases=n_cases,
        rng=rng,
        mistakes=_RATIO_MISTAKES,
        rtol=1e-6,
    )
