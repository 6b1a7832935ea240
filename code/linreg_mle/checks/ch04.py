"""Self-checks for the units on the score and Fisher information, and on standard errors.

- :func:`check_observed_information` (unit "Score, Hessian and Fisher information"): the
  (p+1) × (p+1) observed information :math:`\\mathbf J(\\theta) = -\\mathbf H(\\theta)`
  in θ = (β, σ²), at any θ;
- :func:`check_t_interval` (unit "Standard errors, intervals and coverage"): the exact t
  interval for each coefficient, with s².
"""
from __future__ import annotations

import numpy as np
import scipy.stats

from ..fit import fit_mle
from ..likelihood import fisher_information, hessian_theta
from ..simulation import simulate
from ._core import check, standard_factors

__all__ = ["check_observed_information", "check_t_interval"]


# --- observed information in θ = (β, σ²) ---------------------------------------------

def _random_theta_problem(rng):
    """``(y, X, beta, sigma2)`` with β away from the MLE (so the cross block is not 0) and σ² far from 1."""
    n, p = int(rng.integers(8, 40)), int(rng.integers(1, 4))
    X, y = simulate(n, rng.normal(0, 2, size=p), rng.uniform(0.5, 2), rng=rng)
    beta = rng.normal(0, 2, size=p)
    # σ² in [0.25, 0.67] or [1.5, 4]: never near 1, where σ, σ² and σ⁴ would coincide.
    sigma2 = rng.uniform(1.5, 4.0) ** rng.choice([-1, 1])
    return y, X, beta, sigma2


def _observed_information(y, X, beta, sigma2):
    return -hessian_theta(y, X, beta, sigma2)


def _with_blocks(cross_power=2, cross_sign=1.0, corner=None):
    """−∇²ℓ with a wrong cross block (``Xᵀr/σ^(2·cross_power)``, times ``cross_sign``) or a wrong corner."""
    def wrong(y, X, beta, sigma2):
        J = _observed_information(y, X, beta, sigma2)
        p = X.shape[1]
        r = y - X @ beta
        J[:p, p] = J[p, :p] = cross_sign * (X.T @ r) / sigma2**cross_power
        if corner is not None:
            J[p, p] = corner(y.size, r @ r, sigma2)
        return J
    return wrong


_INFORMATION_MISTAKES = {
    "you returned the Hessian ∇²ℓ itself: the observed information is its negative, −∇²ℓ":
        lambda y, X, beta, sigma2: hessian_theta(y, X, beta, sigma2),
    "you returned the expected (Fisher) information: away from the MLE the observed information "
    "keeps the cross block Xᵀr/σ⁴ and the RSS term in the σ² corner":
        lambda y, X, beta, sigma2: fisher_information(X, sigma2),
    "you used σ where σ² belongs: sigma2 is already the variance":
        lambda y, X, beta, sigma2: _observed_information(y, X, beta, np.sqrt(sigma2)),
    "you squared sigma2: the argument is already the variance σ², not σ":
        lambda y, X, beta, sigma2: _observed_information(y, X, beta, sigma2**2),
    "the cross block (β, σ²) has the wrong power of σ²: differentiate Xᵀr/σ² with respect to σ²":
        _with_blocks(cross_power=1),
    "the cross block (β, σ²) has the wrong sign: ∂²ℓ/∂β∂σ² = −Xᵀr/σ⁴, so its negative is +Xᵀr/σ⁴":
        _with_blocks(cross_sign=-1.0),
    "the cross block (β, σ²) is missing: it is zero only at the MLE (or in expectation), not at every θ":
        _with_blocks(cross_sign=0.0),
    "the σ² corner is wrong: d/dσ² of RSS/(2σ⁴) is −RSS/σ⁶ (the power rule brings down a factor 2)":
        _with_blocks(corner=lambda n, rss, s2: rss / (2 * s2**3) - n / (2 * s2**2)),
    "the σ² corner has the wrong sign: ∂²ℓ/∂(σ²)² = n/(2σ⁴) − RSS/σ⁶, and the information is its negative":
        _with_blocks(corner=lambda n, rss, s2: n / (2 * s2**2) - rss / s2**3),
}


def check_observed_information(fn, *, n_cases: int = 3, rng=None) -> bool:
    r"""Check a learner's ``fn(y, X, beta, sigma2)`` returning the observed information in θ = (β, σ²).

    .. math::
        J(\theta) = -\nabla^2_\theta \ell = \begin{pmatrix}
            X^\top X/\sigma^2 & X^\top r/\sigma^4 \\
            r^\top X/\sigma^4 & \mathrm{RSS}/\sigma^6 - n/(2\sigma^4)
        \end{pmatrix}, \qquad r = y - X\beta,

    a ``(p+1, p+1)`` array, at any θ (the test cases put β away from the MLE).

    Example
    -------
    >>> from linreg_mle.checks import check_observed_information
    >>> check_observed_information(my_observed_information)
    ✅ Correct: observed information matches the reference on 3 random test cases.
    True
    """
    return check(
        fn,
        _observed_information,
        what="observed information",
        cases=_random_theta_problem,
        n_cases=n_cases,
        rng=rng,
        factors=lambda y, X, beta, sigma2: standard_factors(n=len(y), sigma2=sigma2),
        mistakes=_INFORMATION_MISTAKES,
    )


# --- the t interval -------------------------------------------------------------------

def _random_interval_problem(rng):
    """``(y, X, level)``: small n, so that t and z quantiles and s² and σ̂² all differ clearly.

    p >= 2, so that n − 1 (a common wrong count of degrees of freedom) differs from n − p.
    """
    p = int(rng.integers(2, 5))
    n = int(rng.integers(p + 3, 25))
    X, y = simulate(n, rng.normal(0, 2, size=p), rng.uniform(0.5, 2), rng=rng)
    level = float(rng.choice([0.8, 0.9, 0.95, 0.99]))
    return y, X, level


def _interval(y, X, level, *, quantile="t", dof=None, variance="unbiased", sqrt=True, two_sided=True):
    """β̂ ± q · se as a (p, 2) array, with the choices a learner can get wrong."""
    fit = fit_mle(y, X)
    prob = (1 + level) / 2 if two_sided else level
    df = fit.n - fit.p if dof is None else dof(fit.n, fit.p)
    q = scipy.stats.t.ppf(prob, df) if quantile == "t" else scipy.stats.norm.ppf(prob)
    cov = fit.cov_beta_unbiased if variance == "unbiased" else fit.cov_beta
    spread = np.diag(cov)
    half = q * (np.sqrt(spread) if sqrt else spread)
    return np.column_stack([fit.beta - half, fit.beta + half])


def _t_interval(y, X, level):
    return _interval(y, X, level)


_INTERVAL_MISTAKES = {
    "you used the normal quantile z: with s² estimated from n − p degrees of freedom the "
    "pivot is t-distributed, so use scipy.stats.t.ppf(..., n - p)":
        lambda y, X, level: _interval(y, X, level, quantile="z"),
    "you used the MLE σ̂² = RSS/n: the t interval uses s² = RSS/(n − p)":
        lambda y, X, level: _interval(y, X, level, variance="mle"),
    "this is the Wald (z) interval with the MLE σ̂²: the exact interval uses s² = RSS/(n − p) "
    "and a t quantile":
        lambda y, X, level: _interval(y, X, level, quantile="z", variance="mle"),
    "wrong degrees of freedom (n − 1): the t distribution has n − p, one lost per coefficient":
        lambda y, X, level: _interval(y, X, level, dof=lambda n, p: n - 1),
    "wrong degrees of freedom (n): the t distribution has n − p, one lost per coefficient":
        lambda y, X, level: _interval(y, X, level, dof=lambda n, p: n),
    "you used the variance where the standard error belongs: take the square root of the diagonal":
        lambda y, X, level: _interval(y, X, level, sqrt=False),
    "your quantile is one-sided: a two-sided interval at this level uses the (1 + level)/2 quantile":
        lambda y, X, level: _interval(y, X, level, two_sided=False),
    "your array is transposed: row j must hold (lower, upper) for coefficient j, shape (p, 2)":
        lambda y, X, level: _interval(y, X, level).T,
}


def check_t_interval(fn, *, n_cases: int = 3, rng=None) -> bool:
    r"""Check a learner's ``fn(y, X, level)`` returning the t interval for every coefficient.

    The answer is a ``(p, 2)`` array whose row j is
    :math:`\hat\beta_j \mp t_{n-p,\,(1+\text{level})/2}\, s\sqrt{[(X^\top X)^{-1}]_{jj}}`,
    with :math:`s^2 = \mathrm{RSS}/(n-p)`.

    Example
    -------
    >>> from linreg_mle.checks import check_t_interval
    >>> check_t_interval(my_t_interval)
    ✅ Correct: t interval matches the reference on 3 random test cases.
    True
    """
    return check(
        fn,
        _t_interval,
        what="t interval",
        cases=_random_interval_problem,
        n_cases=n_cases,
        rng=rng,
        mistakes=_INTERVAL_MISTAKES,
    )
