"""Self-checks for Part II's exercises on the likelihood surface and on Newton's method.

- :func:`check_wald_ellipse`: points on the boundary of a Wald confidence ellipse
  (unit 3, maximum likelihood equals least squares);
- :func:`check_logistic_noise_mle`: the MLE of β under logistic noise, concave with no
  closed form, found by Newton's method (unit 5, finding the maximum numerically).

Both draw fresh random problems, say what is wrong in terms of the mistakes a learner
is likely to make, and never print the reference answer.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from ..fit import fit_mle
from ..simulation import simulate
from ._core import Check, as_numbers

__all__ = ["check_wald_ellipse", "check_logistic_noise_mle"]


# --- The Wald ellipse ----------------------------------------------------------------


def _ellipse_case(rng):
    """``(center, cov, level, n_points)``: a tilted, unequally scaled 2 × 2 covariance, never the identity."""
    center = rng.normal(0, 3, size=2)
    sd = rng.uniform(0.3, 3.0, size=2)
    corr = rng.uniform(0.3, 0.9) * rng.choice([-1, 1])
    cov = np.array([[sd[0] ** 2, corr * sd[0] * sd[1]], [corr * sd[0] * sd[1], sd[1] ** 2]])
    level = float(rng.choice([0.9, 0.95, 0.99]))
    m = int(rng.integers(24, 61))
    return center, cov, level, m


def _constant(values, rtol=1e-6) -> bool:
    values = np.asarray(values)
    return bool(np.ptp(values) <= rtol * np.abs(values).max())


def _quadratic_forms(d, M):
    """``dₖᵀ M dₖ`` for each row dₖ of d."""
    return np.einsum("ki,ij,kj->k", d, M, d)


def _diagnose_ellipse(points, center, cov, level, m) -> str | None:
    pts, problem = as_numbers(points, np.zeros((m, 2)))
    if problem is not None:
        return problem
    if pts.shape == (2, m):
        return f"is transposed: expected shape ({m}, 2), one row per point, got (2, {m}) (use .T)"
    if pts.shape != (m, 2):
        return f"wrong shape: expected (n_points, 2) = ({m}, 2), one row (b₁, b₂) per point, got {pts.shape}"
    if not np.isfinite(pts).all():
        return "contains NaN or inf"
    chi2_2 = stats.chi2.ppf(level, df=2)
    d = pts - center
    q = _quadratic_forms(d, np.linalg.inv(cov))
    if np.allclose(q, chi2_2, rtol=1e-6, atol=0):
        # Right ellipse: are the points spread around all of it?
        L = np.linalg.cholesky(cov)
        w = np.linalg.solve(L, d.T)
        angles = np.sort(np.arctan2(w[1], w[0]))
        gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
        if gaps.max() > np.pi / 2:
            return ("every point is on the ellipse, but they cover only part of it: spread them around "
                    "the whole boundary (angles t from 0 to 2π)")
        return None
    if _constant(_quadratic_forms(pts, np.linalg.inv(cov))) and not np.allclose(center, 0):
        return "the points are centred at the origin: add the center (β̂) to every point"
    if _constant(q):
        ratio = q.mean() / chi2_2
        named = {
            "the radius uses a one-dimensional quantile (such as 1.96² for 95 %): a joint region for "
            "two coefficients needs the χ² quantile with 2 degrees of freedom":
                [stats.chi2.ppf(level, df=1), stats.norm.ppf(level) ** 2],
            "at your points the quadratic form (b − center)ᵀΣ⁻¹(b − center) is the square of χ²₂(level), "
            "not χ²₂(level) itself: what does the form equal at center + tBz (BBᵀ = Σ, ‖z‖ = 1), as a function of t?":
                [chi2_2**2],
            "the points lie on the ellipse with t = 1, where the quadratic form (b − center)ᵀΣ⁻¹(b − center) "
            "equals 1: the boundary is where it equals χ²₂(level), so work out which t gives that":
                [1.0],
            "you used Δ = χ²₂(level)/2, the drop in ℓ, where the quadratic form belongs: the quadratic form "
            "(b − center)ᵀΣ⁻¹(b − center) is twice the drop in ℓ": [chi2_2 / 2],
            "you used the lower-tail quantile χ²₂(1 − level): the region must hold probability `level`":
                [stats.chi2.ppf(1 - level, df=2)],
        }
        for message, candidates in named.items():
            if any(np.isclose(q.mean(), c, rtol=1e-6) for c in candidates):
                return message
        return (f"the points lie on an ellipse of the right shape but the wrong size (too "
                f"{'large' if ratio > 1 else 'small'}): work out which t makes the quadratic form "
                "(b − center)ᵀΣ⁻¹(b − center) equal χ²₂(level)")
    L = np.linalg.cholesky(cov)
    shapes = {
        "the ellipse has the wrong shape: you used the inverse covariance where the covariance "
        "belongs (the map must be z ↦ center + tBz with BBᵀ = Σ, not Σ⁻¹)": cov,
        "the ellipse is axis-aligned: you used only the variances (the diagonal of Σ) and ignored "
        "the correlation": np.diag(1 / np.diag(cov)),
        "the ellipse has the wrong tilt: you used Bᵀ where B belongs (with Σ = BBᵀ the map is "
        "z ↦ center + tBz; scipy.linalg.cholesky returns the upper factor Bᵀ unless lower=True)":
            np.linalg.inv(L.T @ L),
        "the ellipse has the wrong shape: you multiplied by Σ itself; use a square root of Σ "
        "(a B with BBᵀ = Σ, e.g. its lower Cholesky factor)": np.linalg.inv(cov @ cov),
    }
    for message, M in shapes.items():
        if _constant(_quadratic_forms(d, M)):
            return message
    return "the points do not lie on one ellipse (b − center)ᵀΣ⁻¹(b − center) = constant centred at `center`"


check_wald_ellipse = Check(
    name="wald_ellipse", reference=None, cases=(_ellipse_case,) * 3,
    judge=lambda points, case: _diagnose_ellipse(points, *case),
    doc="""Check ``fn(center, cov, level, n_points)`` → ``(n_points, 2)`` points on the
    boundary {b : (b − c)ᵀΣ⁻¹(b − c) = χ²₂(level)} of the Wald ellipse, c the center,
    spread around the whole ellipse.""")


# --- Logistic noise --------------------------------------------------------------------


def _logistic_loglik(y, X, beta, scale):
    u = (y - X @ beta) / scale
    return float(np.sum(-u - 2 * np.logaddexp(0, -u)) - y.size * np.log(scale))


def _newton_logistic(y, X, scale, beta, max_iter=200, tol=1e-14):
    """Damped Newton ascent on the (strictly concave) logistic-noise log-likelihood."""
    for _ in range(max_iter):
        u = (y - X @ beta) / scale
        grad = X.T @ np.tanh(u / 2) / scale
        hess = -(X.T * (0.5 / np.cosh(u / 2) ** 2)) @ X / scale**2
        step = -np.linalg.solve(hess, grad)
        t, ll = 1.0, _logistic_loglik(y, X, beta, scale)
        while _logistic_loglik(y, X, beta + t * step, scale) < ll and t > 1e-12:
            t /= 2
        beta = beta + t * step
        if np.linalg.norm(t * step) <= tol * (1 + np.linalg.norm(beta)):
            break
    return beta


def _logistic_mle(y, X, scale):
    return _newton_logistic(y, X, scale, fit_mle(y, X).beta)


def _one_newton_step(y, X, scale):
    return _newton_logistic(y, X, scale, fit_mle(y, X).beta, max_iter=1)


def _logistic_case(rng):
    """``(y, X, scale)`` with logistic noise; the scale is never close to 1, so ignoring it shows."""
    n, p = int(rng.integers(30, 81)), int(rng.integers(2, 5))
    X, _ = simulate(n, np.zeros(p), 0.0, rng=rng)
    scale = float(rng.uniform(2.0, 4.0) ** rng.choice([-1, 1]))
    y = X @ rng.normal(0, 2, size=p) + rng.logistic(0.0, scale, size=n)
    # A few gross outliers make the logistic fit differ clearly from least squares.
    y[: max(2, n // 15)] += rng.choice([-1, 1], size=max(2, n // 15)) * 15 * scale
    return y, X, scale


_LOGISTIC_MISTAKES = {
    "you returned the least-squares fit, which is the MLE only for Gaussian noise: with logistic noise "
    "the score equation Σ tanh(ξᵢ/2) xᵢ = 0 is nonlinear and needs iterations":
        lambda y, X, scale: fit_mle(y, X).beta,
    "your answer maximises the likelihood for scale 1: use the `scale` argument, ξᵢ = (yᵢ − xᵢᵀβ)/b":
        lambda y, X, scale: _logistic_mle(y, X, 1.0),
    "you used b² where the scale b belongs: ξᵢ = (yᵢ − xᵢᵀβ)/b":
        lambda y, X, scale: _logistic_mle(y, X, scale**2),
    "this is a single Newton step from least squares: iterate until a step changes β by less than "
    "10⁻¹⁰(1 + ‖β‖)":
        _one_newton_step,
}


check_logistic_noise_mle = Check(
    name="logistic_noise_mle", reference=_logistic_mle, cases=(_logistic_case,) * 3,
    mistakes=_LOGISTIC_MISTAKES,
    # scipy's optimisers, at their default tolerances, land within 3e-8 to 2e-6.
    rtol=1e-5,
    doc="""Check ``fn(y, X, scale)`` → β̂ under logistic noise with known scale b: the
    maximiser of Σᵢ log f((yᵢ − xᵢᵀβ)/b) for the standard logistic density f,
    which the reference finds by damped Newton iterations to full precision.""")
