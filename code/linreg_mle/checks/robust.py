r"""Self-checks for the exercises on heteroscedasticity and on the Engel case study.

- :func:`check_sandwich_cov`: a learner's ``fn(y, X, kind)`` returning the HC0–HC3
  sandwich covariance :math:`(X^\top X)^{-1}X^\top\hat\Omega X(X^\top X)^{-1}`;
- :func:`check_robust_t`: a learner's ``fn(y, X, j, b0)`` returning the robust (HC3)
  t statistic :math:`(\hat\beta_j - b_0)/\mathrm{se}_{\mathrm{HC3}}(\hat\beta_j)`;
- :func:`check_boxcox_loglik`: a learner's ``fn(y, X, zeta)`` returning the profile
  log-likelihood of the Box–Cox model, on the scale of y (Jacobian included).

Each names the typical mistakes (the classical covariance, the wrong leverage power,
a missing Jacobian, ...) and never prints the reference answer.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ..fit import fit_mle, unscaled_cov
from ..robust import KINDS, sandwich_cov
from ._core import Check, standard_factors

__all__ = ["check_sandwich_cov", "check_robust_t", "check_boxcox_loglik"]


def _heteroscedastic_problem(rng):
    """``(y, X)``: an intercept, a skewed positive feature (so leverages differ clearly) and
    1–2 normal ones; the noise sd grows with the skewed feature."""
    n, extra = int(rng.integers(15, 40)), int(rng.integers(1, 3))
    x = rng.lognormal(0.0, 0.6, n)
    X = np.column_stack([np.ones(n), x, rng.standard_normal((n, extra))])
    y = X @ rng.normal(0, 2, X.shape[1]) + rng.uniform(0.5, 1.5) * x * rng.standard_normal(n)
    return y, X


# --- the sandwich covariance --------------------------------------------------------------

def _parts(y, X):
    """``(bread, residuals, leverages)``, for the wrong answers."""
    bread = unscaled_cov(X)
    r = y - X @ (bread @ (X.T @ y))
    h = np.einsum("ij,jk,ik->i", X, bread, X)
    return bread, r, h


def _with_omega(omega_of):
    """A covariance ``(XᵀX)⁻¹ Xᵀ diag(ω) X (XᵀX)⁻¹`` with ``ω = omega_of(r, h, n, p)``."""
    def wrong(y, X, kind):
        bread, r, h = _parts(y, X)
        omega = omega_of(r, h, *X.shape)
        return bread @ (X.T * omega) @ X @ bread
    return wrong


def _unless(kinds, fn):
    """``fn`` where the learner was asked for one of ``kinds``, else NaN (never matches)."""
    def wrong(y, X, kind):
        return fn(y, X, kind) if kind in kinds else np.full((X.shape[1],) * 2, np.nan)
    return wrong


def _kind(kind):
    return lambda y, X, _: sandwich_cov(y, X, kind)


_SANDWICH_MISTAKES = {
    "that is the classical s²(XᵀX)⁻¹, which assumes one variance for every observation; the "
    "sandwich puts each squared residual between two copies of (XᵀX)⁻¹":
        lambda y, X, kind: fit_mle(y, X).cov_beta_unbiased,
    "that is the classical σ̂²(XᵀX)⁻¹ (the inverse information at the MLE), which assumes one "
    "variance for every observation; the sandwich puts each squared residual between two copies "
    "of (XᵀX)⁻¹":
        lambda y, X, kind: fit_mle(y, X).cov_beta,
    **{f"for HC0 use the plain squared residuals r̂_i², with no correction; you returned {other} "
       "(does your function look at `kind`?)": _unless(("HC0",), _kind(other))
       for other in ("HC1", "HC2", "HC3")},
    "you left out the correction: that is HC0 (plain r̂_i²), but this kind rescales the squared "
    "residuals":
        _unless(("HC1", "HC2", "HC3"), _kind("HC0")),
    "HC1 rescales HC0 by n/(n − p), not by (n − p)/n: residuals are too small on average, so the "
    "correction makes the covariance larger":
        _unless(("HC1",), _with_omega(lambda r, h, n, p: r**2 * (n - p) / n)),
    "HC1 uses n/(n − p); you used n/(n − 1) (one coefficient instead of p)":
        _unless(("HC1",), _with_omega(lambda r, h, n, p: r**2 * n / (n - 1))),
    "for HC3, divide r̂_i² by (1 − h_i) squared; you divided once (that is HC2)":
        _unless(("HC3",), _kind("HC2")),
    "for HC2, divide r̂_i² by (1 − h_i) once; you squared it (that is HC3)":
        _unless(("HC2",), _kind("HC3")),
    "you applied the HC1 factor n/(n − p) where this kind uses the leverages h_i":
        _unless(("HC2", "HC3"), _kind("HC1")),
    "you multiplied by (1 − h_i) where HC2 and HC3 divide by it":
        _unless(("HC2", "HC3"), lambda y, X, kind: _with_omega(
            lambda r, h, n, p: r**2 * (1 - h) ** (2 if kind == "HC3" else 1))(y, X, kind)),
    "you divided by h_i instead of 1 − h_i: with constant variance σ², the residual of observation i has variance σ²(1 − h_i)":
        _unless(("HC2", "HC3"), lambda y, X, kind: _with_omega(
            lambda r, h, n, p: r**2 / h ** (2 if kind == "HC3" else 1))(y, X, kind)),
    "Ω̂ needs the squared residuals r̂_i²; you used |r̂_i|":
        _with_omega(lambda r, h, n, p: np.abs(r)),
    "Ω̂ is built from the residuals r̂_i = y_i − x_iᵀβ̂; you used y_i² itself":
        lambda y, X, kind: unscaled_cov(X) @ (X.T * y**2) @ X @ unscaled_cov(X),
    "you returned only the middle, XᵀΩ̂X: multiply by (XᵀX)⁻¹ on both sides":
        lambda y, X, kind: _meat(y, X, kind),
    "the bread (XᵀX)⁻¹ goes on both sides of XᵀΩ̂X; you used it once":
        lambda y, X, kind: np.linalg.solve(X.T @ X, _meat(y, X, kind)),
}


def _meat(y, X, kind):
    """``XᵀΩ̂X`` for ``kind``: the sandwich without its bread."""
    gram = X.T @ X
    return gram @ sandwich_cov(y, X, kind) @ gram


def _sandwich_case(rng, kind):
    return (*_heteroscedastic_problem(rng), kind)


check_sandwich_cov = Check(
    name="your sandwich matrix", reference=sandwich_cov,
    cases=tuple(partial(_sandwich_case, kind=kind) for kind in KINDS),
    mistakes=_SANDWICH_MISTAKES, rtol=1e-6,
    factors=lambda y, X, kind: standard_factors(n=len(y), p=X.shape[1]),
    must_call={("numpy.linalg.qr", "scipy.linalg.qr"): "the exercise asks you to build "
               "it from the QR factorisation of X"},
    must_not_call={"linreg_mle": "the exercise asks you to write it without the package",
                   **dict.fromkeys(("numpy.linalg.inv", "numpy.linalg.pinv",
                                    "scipy.linalg.inv", "scipy.linalg.pinv"),
                                   "the exercise asks you not to invert XᵀX: use R "
                                   "from the QR factorisation")},
    doc="""Check ``fn(y, X, kind)`` → the HC0, HC1, HC2 or HC3 sandwich covariance,
    built from np.linalg.qr without linreg_mle and without inverting XᵀX. Four
    random test cases, one per kind, in the order HC0, HC1, HC2, HC3.""")


# --- the robust t statistic ---------------------------------------------------------------

def _t_problem(rng):
    """``(y, X, j, b0)``: j a slope (never the intercept), b0 clearly away from 0 and from β̂_j."""
    y, X = _heteroscedastic_problem(rng)
    j = int(rng.integers(1, X.shape[1]))
    b0 = float(fit_mle(y, X).beta[j] + rng.choice([-1, 1]) * rng.uniform(0.5, 2.0))
    return y, X, j, b0


def _t_with(kind="HC3", classical=None, square=False, null=True, variance=False, shift=0):
    """(β̂_j − b0)/se with the se of ``kind`` (or a classical one), and the usual slips."""
    def t(y, X, j, b0):
        k = j + shift
        if not 0 <= k < X.shape[1]:
            return np.nan
        fit = fit_mle(y, X)
        if classical is None:
            var = sandwich_cov(y, X, kind)[k, k]
        else:
            var = {"s2": fit.cov_beta_unbiased, "mle": fit.cov_beta}[classical][k, k]
        value = (fit.beta[k] - (b0 if null else 0.0)) / (var if variance else np.sqrt(var))
        return value**2 if square else value
    return t


_T_MISTAKES = {
    "you used the classical standard error √[s²(XᵀX)⁻¹]_jj; the robust one comes from the "
    "HC3 sandwich":
        _t_with(classical="s2"),
    "you used the classical standard error √[σ̂²(XᵀX)⁻¹]_jj; the robust one comes from the "
    "HC3 sandwich":
        _t_with(classical="mle"),
    **{f"you used the {kind} sandwich; the question asks for HC3": _t_with(kind=kind)
       for kind in ("HC0", "HC1", "HC2")},
    "you tested β_j = 0: subtract the hypothesised value b0 from β̂_j":
        _t_with(null=False),
    "you divided by the variance [Cov]_jj; divide by its square root, the standard error":
        _t_with(variance=True),
    "you returned T², the Wald statistic on the χ² scale; the question asks for T itself":
        _t_with(square=True),
    "you used the coefficient after j: β̂ is indexed from 0 (the intercept is β̂_0)":
        _t_with(shift=1),
    "you used the coefficient before j: β̂ is indexed from 0 (the intercept is β̂_0)":
        _t_with(shift=-1),
}


check_robust_t = Check(
    name="the robust t statistic", reference=_t_with(), cases=(_t_problem,) * 3,
    mistakes=_T_MISTAKES, rtol=1e-6,
    doc="""Check ``fn(y, X, j, b0)`` → (β̂_j − b0)/se_HC3(β̂_j).""")


# --- the Box–Cox log-likelihood on the scale of y -------------------------------------------

_POWERS = (0.25, 0.0, -0.5, 1.5)


def _positive_problem(rng):
    """``(y, X)`` with y > 0: log y is linear in X plus noise."""
    n = int(rng.integers(20, 50))
    X = np.column_stack([np.ones(n), rng.normal(0, 1, (n, int(rng.integers(1, 3))))])
    y = np.exp(X @ rng.normal(0, 0.5, X.shape[1]) + 1.0 + rng.uniform(0.2, 0.5) * rng.standard_normal(n))
    return y, X


def _boxcox_with(jacobian=1.0, power_shift=-1.0, sigma2="mle", divide=True, log=np.log):
    """ℓ̂ of the regression of the Box–Cox transform on X, plus ``jacobian`` × (ζ + power_shift) Σ log y."""
    def loglik(y, X, zeta):
        z = (log(y) if zeta == 0 else (y**zeta - 1) / zeta) if divide else (log(y) if zeta == 0 else y**zeta)
        fit = fit_mle(z, X)
        n = y.size
        if sigma2 == "mle":
            ll = fit.loglik
        else:  # ℓ(β̂, s²)
            ll = -n / 2 * np.log(2 * np.pi * fit.sigma2_unbiased) - fit.rss / (2 * fit.sigma2_unbiased)
        return ll + jacobian * (zeta + power_shift) * np.log(y).sum()
    return loglik


_BOXCOX_MISTAKES = {
    "you left out the Jacobian: ℓ of the transformed response is on another scale; add "
    "Σ log|dy_i^(ζ)/dy_i| to compare values of ζ":
        _boxcox_with(jacobian=0.0),
    "the Jacobian term has the wrong sign: the density of y is that of y^(ζ) times "
    "|dy^(ζ)/dy|, so its log is added":
        _boxcox_with(jacobian=-1.0),
    "the derivative of (y^ζ − 1)/ζ is y^(ζ − 1), so the Jacobian term is (ζ − 1) Σ log y_i, "
    "not ζ Σ log y_i":
        _boxcox_with(power_shift=0.0),
    "you evaluated ℓ at s² = RSS/(n − p); the profile log-likelihood maximises over σ², at "
    "σ̂² = RSS/n":
        _boxcox_with(sigma2="s2"),
    "you transformed with y^ζ but used the Jacobian of (y^ζ − 1)/ζ: divide by ζ, or add "
    "n log|ζ| for the extra factor":
        _boxcox_with(divide=False),
    "at ζ = 0 the transform is the natural log, log y; you used log10":
        _boxcox_with(log=np.log10),
}


def _boxcox_case(rng, zeta):
    return (*_positive_problem(rng), zeta)


def _log_case_verdict(got, args) -> str | None:
    """A function right at ζ ≠ 0 but NaN or inf at ζ = 0 forgot the log case."""
    if args[2] != 0 or np.isfinite(got).all():
        return None
    return ("at ζ = 0 your function returns NaN or inf; there the transform is log y, "
            "the limit of (y^ζ − 1)/ζ as ζ → 0, so treat ζ = 0 on its own")


check_boxcox_loglik = Check(
    name="the Box–Cox profile ℓ", reference=_boxcox_with(),
    cases=tuple(partial(_boxcox_case, zeta=zeta) for zeta in _POWERS),
    mistakes=_BOXCOX_MISTAKES, probes=(_log_case_verdict,), rtol=1e-8,
    doc="""Check ``fn(y, X, zeta)`` → the profile log-likelihood of the Box–Cox model
    y^(ζ) = Xβ + ε, ε ~ N(0, σ²I), on the scale of y: max over (β, σ²) of the
    log-density of y itself, ℓ̂(ζ) + (ζ − 1) Σ log yᵢ. Four random cases, with
    ζ = 0.25, 0, −0.5 and 1.5 in that order.""")
