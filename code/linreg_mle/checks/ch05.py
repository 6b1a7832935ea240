"""Self-checks for the units on the MLE of σ² and on standard errors.

- :func:`check_unbiased_sigma2`: a learner's ``fn(y, X)`` returning s² = RSS/(n − p);
- :func:`check_mse_optimal_divisor` (unit "The MLE of σ² and its bias"): a learner's
  ``fn(n, p)`` returning the divisor c that minimises the MSE of RSS/c under normal errors;
- :func:`check_sigma2_ci` (unit "Standard errors, intervals and coverage"): a learner's
  ``fn(y, X, level)`` returning the exact χ² confidence interval ``(lower, upper)`` for σ².

Each names the typical mistakes (dividing by n or n − 1, the unbiased divisor where the
MSE-optimal one is asked, the wrong degrees of freedom, swapped tails, ...) and never
prints the reference answer.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from ..fit import fit_mle
from ._core import Check, standard_factors

__all__ = ["check_unbiased_sigma2", "check_mse_optimal_divisor", "check_sigma2_ci"]


# --- s² = RSS/(n − p) -----------------------------------------------------------------

def _problem_without_intercept(rng):
    """``(y, X)`` with 2–5 columns and *no* constant column, so residuals need not average to 0.

    p >= 2 keeps n − p apart from n − 1. The first column is positive and non-constant
    (a regressor such as a dose), the others standard normal; y carries an offset that no
    column can absorb exactly, so the residual mean is clearly non-zero.
    """
    n, p = int(rng.integers(10, 30)), int(rng.integers(2, 6))
    X = np.column_stack([rng.uniform(0.5, 1.5, n), rng.standard_normal((n, p - 1))])
    sigma = rng.uniform(1.5, 3.0)  # away from 1, so σ and σ² differ
    y = X @ rng.normal(0, 2, p) + 3.0 + sigma * rng.standard_normal(n)
    return y, X


def _s2(y, X):
    return fit_mle(y, X).sigma2_unbiased


def _rss(y, X):
    return fit_mle(y, X).rss


_S2_MISTAKES = {
    "you divided RSS by n: that is the MLE σ̂², which is biased down by the factor (n − p)/n; "
    "each of the p fitted coefficients uses up one dimension of the residual":
        lambda y, X: _rss(y, X) / len(y),
    "you divided RSS by n − 1: that is the rule for a sample variance (one fitted mean, p = 1); "
    "here X has p columns, and each fitted coefficient uses up one degree of freedom":
        lambda y, X: _rss(y, X) / (len(y) - 1),
    "you subtracted one degree of freedom too many: p = X.shape[1] already counts every column, "
    "the intercept (if any) included":
        lambda y, X: _rss(y, X) / (len(y) - X.shape[1] - 1),
    "you returned the residual sum of squares itself: divide it by the residual degrees of freedom":
        _rss,
    "you returned a standard deviation (a square root); the question asks for the variance s²":
        lambda y, X: np.sqrt(_s2(y, X)),
    "you centred the residuals (np.var subtracts their mean): without an intercept column the "
    "residuals need not average to 0; use the plain sum of squared residuals":
        lambda y, X: np.var(fit_mle(y, X).residuals, ddof=X.shape[1]),
    "you used the variance of y itself, not of the residuals y − Xβ̂: fit the regression first":
        lambda y, X: np.var(y, ddof=X.shape[1]),
    "you used the variance of y itself (np.var(y, ddof=1)), not of the residuals y − Xβ̂":
        lambda y, X: np.var(y, ddof=1),
}


check_unbiased_sigma2 = Check(
    name="s²", reference=_s2, cases=(_problem_without_intercept,) * 3,
    mistakes=_S2_MISTAKES,
    factors=lambda y, X: standard_factors(n=len(y), p=X.shape[1]),
    doc="""Check ``fn(y, X)`` → s² = RSS/(n − p), on designs without an intercept
    column and with p ≥ 2.""")


# --- the MSE-optimal divisor ------------------------------------------------------------

def _dimensions(rng):
    """``(n, p)`` with p >= 3: for p = 1 the answer is n + 1, for p = 2 it is n, and the
    checks must tell those apart from the general rule."""
    p = int(rng.integers(3, 12))
    return int(p + rng.integers(4, 60)), p


def _divisor(n, p):
    return float(n - p + 2)


_DIVISOR_MISTAKES = {
    "that is the unbiased divisor n − p: it removes the bias but does not minimise the MSE; a larger "
    "divisor trades a little bias for less variance":
        lambda n, p: n - p,
    "that is the MLE's divisor n, which is not the MSE-optimal one for this p: write the MSE in "
    "terms of the residual degrees of freedom n − p":
        lambda n, p: n,
    "n + 1 is the answer for a sample variance (p = 1) only; with p coefficients the residual "
    "has n − p degrees of freedom, not n − 1":
        lambda n, p: n + 1,
    "you used n where the residual degrees of freedom n − p belong (RSS/σ² ~ χ² with n − p "
    "degrees of freedom)":
        lambda n, p: n + 2,
    "close, but off by one: check the degrees of freedom of your χ² (n − p) and that you "
    "minimise variance plus squared bias of RSS/c":
        lambda n, p: n - p + 1,
    "wrong direction: the optimal divisor is larger than n − p (it shrinks the estimate); "
    "check the signs in your MSE (variance plus squared bias) and the degrees of freedom":
        lambda n, p: n - p - 2,
    "off by one the other way: check the degrees of freedom of your χ² (n − p) and that you "
    "minimise variance plus squared bias of RSS/c":
        lambda n, p: n - p + 3,
}


check_mse_optimal_divisor = Check(
    name="MSE-optimal divisor", reference=_divisor, cases=(_dimensions,) * 4,
    mistakes=_DIVISOR_MISTAKES,
    # A divisor found by numerical minimisation is accurate to ~1e-8 relative; the
    # mistakes are all at least 1/(n − p) ≥ 1/70 away in relative terms.
    rtol=1e-5,
    must_call={"scipy.optimize.minimize_scalar": "the exercise asks you to minimise the "
               "MSE numerically, not to type in a formula"},
    doc="""Check ``fn(n, p)`` → the divisor c minimising E[(RSS/c − σ²)²] under normal
    errors, where RSS/σ² ~ χ²(n − p), found numerically with
    scipy.optimize.minimize_scalar.""")


# --- the χ² confidence interval for σ² ----------------------------------------------------

def _problem_with_level(rng):
    """``(y, X, level)`` with level never 0.95, so a hard-coded 95 % is caught."""
    n, p = int(rng.integers(10, 40)), int(rng.integers(2, 6))
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    sigma = rng.uniform(1.5, 3.0)
    y = X @ rng.normal(0, 2, p) + sigma * rng.standard_normal(n)
    level = float(rng.choice([0.8, 0.9, 0.99]))
    return y, X, level


def _interval(rss, df, lower_q, upper_q):
    """``(rss / χ²_df(upper_q), rss / χ²_df(lower_q))``."""
    return np.array([rss / stats.chi2.ppf(upper_q, df), rss / stats.chi2.ppf(lower_q, df)])


def _ci(y, X, level):
    n, p = X.shape
    a = (1 - level) / 2
    return _interval(fit_mle(y, X).rss, n - p, a, 1 - a)


def _ci_mistake(stat="rss", df="n-p", tails="two", level_override=None, swap=False, root=False):
    def wrong(y, X, level):
        n, p = X.shape
        fit = fit_mle(y, X)
        value = {"rss": fit.rss, "sigma2": fit.sigma2, "s2": fit.sigma2_unbiased}[stat]
        k = {"n-p": n - p, "n": n, "n-1": n - 1}[df]
        level = level if level_override is None else level_override
        a = (1 - level) / 2 if tails == "two" else 1 - level
        ci = _interval(value, k, a, 1 - a)
        if swap:
            ci = _interval(value, k, 1 - a, a)
        return np.sqrt(ci) if root else ci
    return wrong


def _normal_approximation(y, X, level):
    n, p = X.shape
    s2 = fit_mle(y, X).sigma2_unbiased
    z = stats.norm.ppf((1 + level) / 2)
    half = z * s2 * np.sqrt(2 / (n - p))
    return np.array([s2 - half, s2 + half])


_CI_MISTAKES = {
    "you used n degrees of freedom: RSS/σ² has a χ² distribution with n − p degrees of freedom":
        _ci_mistake(df="n"),
    "you used n − 1 degrees of freedom (the sample-variance rule): RSS/σ² has n − p":
        _ci_mistake(df="n-1"),
    "your ends come from the wrong quantiles: the lower end divides RSS by the *upper* χ² "
    "quantile and the upper end by the *lower* one (dividing by a larger number gives a smaller end)":
        _ci_mistake(swap=True),
    "you put all of 1 − level into each tail: an equal-tailed interval puts (1 − level)/2 in each":
        _ci_mistake(tails="one"),
    "you divided σ̂² = RSS/n by the χ² quantiles: the pivot is RSS/σ², so use RSS (= n σ̂²)":
        _ci_mistake(stat="sigma2"),
    "you divided s² = RSS/(n − p) by the χ² quantiles: the pivot is RSS/σ² = (n − p) s²/σ², "
    "so use RSS":
        _ci_mistake(stat="s2"),
    "you returned an interval for σ (square roots): the question asks for σ²":
        _ci_mistake(root=True),
    "this looks like a 95 % interval: use the `level` argument":
        _ci_mistake(level_override=0.95),
    "you used a normal approximation s² ± z·s²·√(2/(n − p)): the exact interval comes from the "
    "χ² distribution of RSS/σ² and is not symmetric around s²":
        _normal_approximation,
}


check_sigma2_ci = Check(
    name="the interval for σ²", reference=_ci, cases=(_problem_with_level,) * 3,
    mistakes=_CI_MISTAKES, rtol=1e-6,
    factors=lambda y, X, level: standard_factors(n=len(y), p=X.shape[1]),
    doc="""Check ``fn(y, X, level)`` → the equal-tailed χ² interval (lower, upper)
    for σ².""")
