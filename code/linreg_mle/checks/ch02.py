r"""Self-checks for chapter 2's exercises (the log-likelihood).

``check_log_likelihood_obs`` checks the n terms
:math:`\ell_i = -\tfrac12\log(2\pi\sigma^2) - r_i^2/(2\sigma^2)`. Its last test
case has observations far in the tail, :math:`r_i^2/(2\sigma^2) > 750`, where the
density :math:`e^{\ell_i}` is below the smallest float64 and rounds to 0.0: there
``np.log(norm.pdf(...))`` gives −inf, while a computation in log space gives the
right, finite :math:`\ell_i`.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..likelihood import log_likelihood, log_likelihood_obs
from ..simulation import simulate
from ._core import SIGMA_FOR_VARIANCE, VARIANCE_SQUARED, Check, standard_factors

__all__ = ["check_log_likelihood_obs", "check_likelihood_ratio"]


def random_problem(rng):
    """A small regression problem ``(y, X, beta, sigma2)`` with β away from the MLE
    (so that the score and the cross block of the Hessian are not 0) and σ² far from 1."""
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
    SIGMA_FOR_VARIANCE: _with_variance(np.sqrt),
    VARIANCE_SQUARED: _with_variance(np.square),
    "your squared-residual term divides by 2σ⁴ (sigma2**2): sigma2 is already σ², so the "
    "term is −rᵢ²/(2σ²) with sigma2 as it is":
        _square_over_sigma4,
    "the squared-residual term is missing its ½: it is −(yᵢ − xᵢᵀβ)²/(2σ²)": _terms(0.5, 1.0),
    "the log term is missing its ½: it is −½ log(2πσ²)": _terms(1.0, 0.5),
    "the constant −½ log(2π) is missing (log(σ²) alone is not enough)":
        lambda y, X, beta, sigma2: log_likelihood_obs(y, X, beta, sigma2) + 0.5 * np.log(2 * np.pi),
    "you returned the density itself: take its logarithm (and compute it in log space, "
    "not as np.log(pdf))":
        lambda y, X, beta, sigma2: np.exp(log_likelihood_obs(y, X, beta, sigma2)),
}


# An observation with rᵢ²/(2σ²) above this has a density below the smallest float64
# (whose log is about −744.4), whatever σ² in the range the cases draw.
_TAIL = 750.0


def _tail_problem(rng):
    """A random problem whose observations 0 and 2 lie far in the tail: rᵢ²/(2σ²) in
    [800, 1800], where the density underflows to 0.0 and its log to −inf."""
    y, X, beta, sigma2 = random_problem(rng)
    for i in (0, 2):
        z = rng.uniform(40.0, 60.0) * rng.choice([-1, 1])
        y[i] = X[i] @ beta + z * np.sqrt(sigma2)
    return y, X, beta, sigma2


def _tail_verdict(got, args) -> str | None:
    """What is wrong where the density underflows, if the answer is −inf there or right
    everywhere else; None otherwise (the comparison then says what is wrong)."""
    y, X, beta, sigma2 = args
    expected = log_likelihood_obs(y, X, beta, sigma2)
    tail = (y - X @ beta) ** 2 / (2 * sigma2) > _TAIL
    if got.shape != expected.shape or not tail.any():
        return None
    where = ", ".join(str(i) for i in np.flatnonzero(tail))
    if np.isneginf(got).any():
        inf_at = np.flatnonzero(np.isneginf(got))
        at = ("observation " if inf_at.size == 1 else "observations ") + ", ".join(
            str(i) for i in inf_at[:5]) + (", …" if inf_at.size > 5 else "")
        return (f"your ℓᵢ is −inf at {at} of a test case whose observations {where} "
                "lie far in the tail (rᵢ²/(2σ²) > 750). Where the density is below the "
                "smallest float64 it rounds to 0.0, and the log of 0.0 is −inf; yet ℓᵢ is "
                "an ordinary finite number. Do not form the density at all: compute ℓᵢ in "
                "log space from the start")
    ordinary_right = np.allclose(got[~tail], expected[~tail], rtol=1e-7, atol=0)
    if ordinary_right and np.isfinite(got).all() and not np.allclose(got, expected, rtol=1e-7):
        return (f"your ℓᵢ is right except at observations {where}, which lie far in the "
                "tail (rᵢ²/(2σ²) > 750): there the density is below the smallest float64, "
                "so anything computed from the density (clipped, or with a tiny number "
                "added) is wrong. Compute ℓᵢ in log space from the start")
    return None


check_log_likelihood_obs = Check(
    name="log_likelihood_obs", reference=log_likelihood_obs,
    cases=(random_problem, random_problem, _tail_problem), mistakes=_MISTAKES,
    factors=lambda y, X, beta, sigma2: standard_factors(n=len(y), sigma2=sigma2),
    probes=(_tail_verdict,),
    doc="""Check ``fn(y, X, beta, sigma2)`` → the n terms
    ℓᵢ = −½ log(2πσ²) − (yᵢ − xᵢᵀβ)²/(2σ²). The last test case has observations with
    rᵢ²/(2σ²) > 750, where the density is below the smallest float64: an answer that
    takes the log of a density fails there, and is told why.""")


# --- Likelihood ratios on large data (exercise "A likelihood ratio that does not underflow") ---


def _ratio_problem(rng, sizes=(800, 3000)):
    """``(y, X, beta_a, beta_b, sigma2)`` with β_a, β_b close enough to the MLE that the
    ratio is a moderate number. At the default sizes every product of densities
    underflows; at ``sizes=(20, 60)`` none does."""
    n, p = int(rng.integers(*sizes)), int(rng.integers(2, 4))
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
    "you divided the log-likelihoods: the log of a ratio is a difference, "
    "log(A/B) = log A − log B":
        lambda y, X, a, b, s2: log_likelihood(y, X, a, s2) / log_likelihood(y, X, b, s2),
    "your ratio is the square of the right one: the ½ in −RSS/(2σ²) is missing":
        lambda y, X, a, b, s2: _ratio(y, X, a, b, s2) ** 2,
    "your ratio is the square root of the right one: the fit term is −RSS/(2σ²), "
    "not −RSS/(4σ²)":
        lambda y, X, a, b, s2: _ratio(y, X, a, b, s2) ** 0.5,
    SIGMA_FOR_VARIANCE: lambda y, X, a, b, s2: _ratio(y, X, a, b, np.sqrt(s2)),
    VARIANCE_SQUARED: lambda y, X, a, b, s2: _ratio(y, X, a, b, s2**2),
}


def _underflow_verdict(got, args) -> str | None:
    """A product of densities gives 0/0 (NaN), 0 or inf on a large data set. The
    small cases come first, so an answer that gets here was right where nothing
    underflows: its 0 or NaN is the product's, not a slip in the algebra."""
    n = len(args[0])
    if got.shape != () or (np.isfinite(got) and got != 0) or n < 800:
        return None
    return (f"got {float(got)!r} on a data set with n = {n} observations, although your "
            "function was right on a small one. A product of that many densities "
            "underflows to exactly 0.0, so L(β_a)/L(β_b) becomes 0/0 = nan (or 0, or "
            "inf). Work in log space, where each log-likelihood is finite, and leave it "
            "only at the very end")


check_likelihood_ratio = Check(
    name="likelihood_ratio", reference=_ratio,
    cases=(partial(_ratio_problem, sizes=(20, 60)), _ratio_problem, _ratio_problem),
    mistakes=_RATIO_MISTAKES, probes=(_underflow_verdict,), rtol=1e-6,
    doc="""Check ``fn(y, X, beta_a, beta_b, sigma2)`` → L(β_a, σ²)/L(β_b, σ²). The
    first test case is small; the others have 800 to 3000 observations, so both
    likelihoods are exactly 0.0 in float64 and only a computation in log space gives
    the ratio.""")
