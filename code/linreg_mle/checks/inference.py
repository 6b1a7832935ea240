r"""Self-checks for the exercises on likelihood-based tests and profile-likelihood intervals.

- :func:`check_chi2_test_sizes`: a learner's ``fn(n, p, p0, alpha)`` returning the exact sizes
  (rejection rates under H0) of the Wald, likelihood-ratio and score tests when each is compared
  with the :math:`\chi^2_{p-p_0}` quantile :math:`\chi^2_{p-p_0,1-\alpha}`;
- :func:`check_profile_lr_interval`: a learner's ``fn(y, X, j, level)`` returning the
  profile-likelihood interval ``(lower, upper)`` for the coefficient :math:`\beta_j`.

Each names the typical mistakes (the wrong degrees of freedom, the wrong tail or quantile, the
full-model σ̂² in the score test, a slice of ℓ instead of its profile, σ² held fixed, the
cut-off χ² instead of χ²/2, ...) and never prints the reference answer.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from ..fit import fit_mle
from ..inference import beta_interval
from ._core import Check

__all__ = ["check_chi2_test_sizes", "check_profile_lr_interval"]


# --- exact sizes of the χ²-calibrated tests ---------------------------------------------------


def _dimensions(rng):
    """``(n, p, p0, alpha)``: small n, where the sizes differ, and α never 0.05."""
    p = int(rng.integers(3, 7))
    p0 = int(rng.integers(1, p - 1))  # df = p − p0 >= 2, so that df and p, p0 are told apart
    n = int(p + rng.integers(3, 40))
    alpha = float(rng.choice([0.01, 0.1, 0.2]))
    return n, p, p0, alpha


def _sizes(n, p, p0, alpha, *, df=None, k=None, quantile=None, lr_factor=1.0, lm="restricted",
           wald="mle", tail="upper"):
    """The exact sizes of (W, LR, LM) compared with a χ² quantile; keywords make the mistakes.

    W = nD, LR = n log(1 + D), LM = nD/(1 + D) with D = df F/(n − p), so each test rejects
    when F exceeds a threshold, and F ~ F(df, n − p) under H0.
    """
    df = p - p0 if df is None else df
    k = n - p if k is None else k
    c = stats.chi2.ppf(1 - alpha if quantile is None else quantile, df)
    d_wald = c / n if wald == "mle" else c / k  # with s² in place of σ̂², W = df·F = kD
    d_lr = np.expm1(lr_factor * c / n)  # an LR too small by lr_factor rejects when LR > lr_factor·c
    if lm == "full":  # σ̂² of the full fit in the score test gives back W
        d_lm = d_wald
    else:
        d_lm = c / (n - c) if c < n else np.inf  # LM < n always: it never exceeds c >= n
    law = stats.f(df, k)
    sizes = np.array([law.sf(d * k / df) for d in (d_wald, d_lr, d_lm)])
    return sizes if tail == "upper" else 1 - sizes


def _reference_sizes(n, p, p0, alpha):
    return _sizes(n, p, p0, alpha)


_SIZE_MISTAKES = {
    "you used p degrees of freedom: the number of restrictions is df = p − p0, for the χ² "
    "quantile and for the numerator of F":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, df=p),
    "you used n residual degrees of freedom: under H0, F has an F(p − p0, n − p) law":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, k=n),
    "your critical value is the α quantile of χ²: the tests reject above the (1 − α) quantile":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, quantile=alpha),
    "you returned the probabilities of *not* rejecting (a cdf where the upper tail belongs)":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, tail="lower"),
    "your LR is half of what it should be: LR = 2(ℓ̂ − ℓ̂₀) = n log(RSS₀/RSS), not (n/2) log":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, lr_factor=2.0),
    "your score test rejects exactly as the Wald test does: the score test uses the restricted "
    "fit's σ̃² = RSS₀/n, which makes LM = n(RSS₀ − RSS)/RSS₀":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, lm="full"),
    "your Wald statistic uses s² = RSS/(n − p), which makes it df·F: the Wald test of the MLE "
    "uses σ̂² = RSS/n, so W = n(RSS₀ − RSS)/RSS":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha, wald="s2"),
    "the Wald and score sizes are swapped: W >= LR >= LM, so the Wald test rejects most often "
    "(return them in the order W, LR, LM)":
        lambda n, p, p0, alpha: _sizes(n, p, p0, alpha)[::-1],
    "you returned the nominal level α for every test: the χ² calibration is only asymptotic; "
    "compute each test's rejection probability from the F law":
        lambda n, p, p0, alpha: np.full(3, alpha),
}


check_chi2_test_sizes = Check(
    name="your array of sizes", reference=_reference_sizes, cases=(_dimensions,) * 4,
    mistakes=_SIZE_MISTAKES, rtol=1e-6,
    doc="""Check ``fn(n, p, p0, alpha)`` → the exact sizes (W, LR, LM) of the tests
    that reject when the statistic exceeds the (1 − α) quantile of χ²(p − p0), the
    data following the restricted model with normal errors.""")


# --- the profile-likelihood interval for β_j --------------------------------------------------


def _problem(rng):
    """``(y, X, j, level)``: an intercept and correlated features. Neither level nor
    (1 + level)/2 is ever 0.95, so a hard-coded 95 % and a two-sided quantile are told apart."""
    n, p = int(rng.integers(8, 40)), int(rng.integers(2, 6))
    Z = rng.standard_normal((n, p - 1))
    Z[:, -1] += 0.8 * Z[:, 0]  # correlated, so that a slice and a profile differ
    X = np.column_stack([np.ones(n), Z * rng.uniform(0.5, 3, p - 1)])
    y = X @ rng.normal(0, 2, p) + rng.uniform(0.5, 3) * rng.standard_normal(n)
    j = int(rng.integers(1, p))
    level = float(rng.choice([0.8, 0.85, 0.99]))
    return y, X, j, level


def _reference_interval(y, X, j, level):
    return np.array(beta_interval(y, X, j, level, "lr"))


def _around(y, X, j, half):
    centre = fit_mle(y, X).beta[j]
    return np.array([centre - half, centre + half])


def _lr_with(y, X, j, level, *, cut=None, n_in_log=None):
    """Profile-LR interval for a drop 2Δ = ``cut`` with n log(1 + T²/(n − p)), n replaceable."""
    fit = fit_mle(y, X)
    n, p = X.shape
    m = n if n_in_log is None else n_in_log
    cut = stats.chi2.ppf(level, 1) if cut is None else cut
    return _around(y, X, j, fit.se_unbiased[j] * np.sqrt((n - p) * np.expm1(cut / m)))


def _slice(y, X, j, level, *, profile_sigma2=True):
    """The other coefficients held at β̂: RSS along the slice is RSS + (b − β̂_j)² x_jᵀx_j."""
    fit = fit_mle(y, X)
    n = len(y)
    xx = X[:, j] @ X[:, j]
    cut = stats.chi2.ppf(level, 1)
    if profile_sigma2:
        return _around(y, X, j, np.sqrt(fit.rss * np.expm1(cut / n) / xx))
    return _around(y, X, j, np.sqrt(cut * fit.sigma2 / xx))


_INTERVAL_MISTAKES = {
    "the ends are in the wrong order: return (lower, upper)":
        lambda y, X, j, level: _reference_interval(y, X, j, level)[::-1],
    "that is the t interval: it is exact, but the question asks for the profile-likelihood "
    "interval, {b : 2(ℓ̂ − ℓ_p(b)) <= χ²₁}":
        lambda y, X, j, level: np.array(beta_interval(y, X, j, level, "t")),
    "you held σ² at σ̂² instead of maximising it out for each b: with σ² fixed, ℓ is quadratic "
    "in β_j and the cut-off gives back the Wald interval":
        lambda y, X, j, level: np.array(beta_interval(y, X, j, level, "wald")),
    "you cut the profile at a drop of χ²₁ (the quantile itself): the interval is where ℓ_p is "
    "within χ²₁/2 of its maximum, i.e. where 2(ℓ̂ − ℓ_p(b)) <= χ²₁":
        lambda y, X, j, level: _lr_with(y, X, j, level, cut=2 * stats.chi2.ppf(level, 1)),
    "you used the (1 + level)/2 quantile of χ²₁: χ²₁ = T² is already two-sided, so its "
    "`level` quantile is the right cut-off":
        lambda y, X, j, level: _lr_with(y, X, j, level, cut=stats.chi2.ppf((1 + level) / 2, 1)),
    "this looks like a 95 % interval: use the `level` argument":
        lambda y, X, j, level: _lr_with(y, X, j, level, cut=stats.chi2.ppf(0.95, 1)),
    "you held the other coefficients at β̂ (a slice of ℓ, not its profile): refit them for "
    "each value b of β_j":
        lambda y, X, j, level: _slice(y, X, j, level),
    "you held the other coefficients at β̂ and σ² at σ̂² (a slice of ℓ): refit both for each b":
        lambda y, X, j, level: _slice(y, X, j, level, profile_sigma2=False),
    "your log-likelihood has n − p where n belongs: ℓ = −(n/2) log(2πσ²) − RSS/(2σ²), so "
    "maximising σ² out gives −(n/2) log(RSS/n) + constant":
        lambda y, X, j, level: _lr_with(y, X, j, level, n_in_log=X.shape[0] - X.shape[1]),
}


check_profile_lr_interval = Check(
    name="your interval", reference=_reference_interval, cases=(_problem,) * 3,
    mistakes=_INTERVAL_MISTAKES, rtol=1e-6,
    must_call={"numpy.linalg.lstsq": "the exercise asks for ℓ_p by its definition, "
               "refitting the other coefficients for each value of β_j",
               "scipy.optimize.brentq": "the exercise asks you to find the crossings "
               "of the cut-off by root-finding"},
    must_not_call={"linreg_mle.beta_interval": "it is the closed form that the "
                   "exercise asks you to do without",
                   "linreg_mle.profile_loglik_beta": "the exercise asks you to compute "
                   "the profile yourself"},
    doc="""Check ``fn(y, X, j, level)`` → the profile-likelihood interval
    {b : 2(ℓ̂ − ℓ_p(b)) ≤ χ²₁(level)} for β_j, found by root-finding (relative
    accuracy 1e-6).""")
