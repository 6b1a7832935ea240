"""Self-checks for the unit on noise laws beyond the Gaussian.

- :func:`check_t_profile_df`: the profile log-likelihood ℓ_p(ν) of the Student-t
  degrees of freedom, each value maximised over (β, b) (unit 11, beyond Gaussian noise).

It draws fresh random problems, says what is wrong in terms of the mistakes a learner
is likely to make, and never prints the reference answer.
"""
from __future__ import annotations

import numpy as np
from scipy.special import gammaln

from ..fit import fit_mle
from ..noise import fit_student_t, log_likelihood_noise
from ..simulation import simulate
from ._core import Check

__all__ = ["check_t_profile_df"]


def _profile_case(rng):
    """``(y, X, df_values)``: t noise with a scale far from 1, and 3-5 values of ν."""
    n, p = int(rng.integers(25, 61)), int(rng.integers(2, 4))
    X, _ = simulate(n, np.zeros(p), 0.0, rng=rng)
    scale = float(rng.uniform(2.0, 4.0) ** rng.choice([-1, 1]))
    nu = float(rng.choice([1.5, 2.5, 4.0]))
    y = X @ rng.normal(0, 2, size=p) + scale * rng.standard_t(nu, size=n)
    df_values = np.sort(rng.choice(np.geomspace(0.8, 30, 25), size=int(rng.integers(3, 6)), replace=False))
    return y, X, df_values


def _profile(y, X, df_values):
    return np.array([fit_student_t(y, X, df=float(d)).loglik for d in df_values])


def _at_least_squares(y, X, df_values):
    ols = fit_mle(y, X)
    return np.array([log_likelihood_noise(y, X, ols.beta, np.sqrt(ols.sigma2), "t", float(d))
                     for d in df_values])


def _without_constant(y, X, df_values):
    n = y.size
    out = []
    for d in df_values:
        d = float(d)
        const = gammaln((d + 1) / 2) - gammaln(d / 2) - 0.5 * np.log(d * np.pi)
        out.append(fit_student_t(y, X, df=d).loglik - n * const)
    return np.array(out)


_PROFILE_MISTAKES = {
    "your values do not change with ν: they are the Gaussian maximum log-likelihood (fit_mle's "
    "loglik); fit the t model once for each ν in df_values":
        lambda y, X, df_values: np.full(len(df_values), fit_mle(y, X).loglik),
    "every entry is the fit at the first ν: pass each value of df_values to fit_student_t":
        lambda y, X, df_values: np.full(len(df_values), fit_student_t(y, X, df=float(df_values[0])).loglik),
    "you evaluated the t log-likelihood at the least-squares fit (β̂ of OLS, b = σ̂) without "
    "maximising over (β, b): ℓ_p(ν) is the maximum, which fit_student_t finds":
        _at_least_squares,
    "you returned the fitted scales b̂, not the maximised log-likelihoods (the loglik field)":
        lambda y, X, df_values: np.array([fit_student_t(y, X, df=float(d)).scale for d in df_values]),
    "your ℓ lacks the normalising constant n[log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ)] of the t "
    "density: it changes with ν, so without it values at different ν cannot be compared":
        _without_constant,
}


check_t_profile_df = Check(
    name="profile_df", reference=_profile, cases=(_profile_case,) * 3, mistakes=_PROFILE_MISTAKES,
    doc="""Check ``fn(y, X, df_values)`` → ℓ_p(ν) = max over (β, b) of the t
    log-likelihood, for each ν in ``df_values``.""")
