r"""Maximum likelihood fits: the closed form, and the same maximum found iteratively.

Setting the score to zero gives the closed form

.. math::
    \hat\beta = \arg\min_\beta \lVert y - X\beta\rVert^2 \ (\text{= OLS}), \qquad
    \hat\sigma^2 = \mathrm{RSS}(\hat\beta)/n,

and the inverse observed information for β at the maximum is
:math:`\hat\sigma^2 (X^\top X)^{-1}`. Both are computed from the QR factor
:math:`R` of ``X`` (:math:`X^\top X = R^\top R`), never by inverting :math:`X^\top X`,
which would square the condition number.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.optimize

from . import _validation as v
from ._linalg import qr_with_response
from .likelihood import _loglik_from_rss, hessian_theta, score_theta


@dataclass(frozen=True, eq=False)
class MLEResult:
    r"""A fitted Gaussian linear model.

    Attributes
    ----------
    beta : (p,) array
        :math:`\hat\beta`.
    sigma2 : float
        :math:`\hat\sigma^2 = \mathrm{RSS}/n`, the MLE (biased down by the factor (n−p)/n).
    sigma2_unbiased : float
        :math:`s^2 = \mathrm{RSS}/(n-p)`, statsmodels' ``scale``.
    loglik : float
        ℓ at (beta, sigma2).
    cov_beta : (p, p) array
        :math:`\hat\sigma^2 (X^\top X)^{-1}`, the inverse observed information for β.
    cov_beta_unbiased : (p, p) array
        :math:`s^2 (X^\top X)^{-1}`, what statsmodels reports.
    se, se_unbiased : (p,) arrays
        Square roots of the diagonals of ``cov_beta`` and ``cov_beta_unbiased``.
    rss : float
        :math:`\lVert y - X\hat\beta\rVert^2`.
    n, p : int
    residuals : (n,) array
        :math:`y - X\hat\beta`.
    n_iter : int
        Iterations used (0 for the closed form).
    converged : bool
        Whether the iteration met its tolerance (always True for the closed form).
    """

    beta: np.ndarray
    sigma2: float
    sigma2_unbiased: float
    loglik: float
    cov_beta: np.ndarray = field(repr=False)
    cov_beta_unbiased: np.ndarray = field(repr=False)
    se: np.ndarray
    se_unbiased: np.ndarray = field(repr=False)
    rss: float
    n: int
    p: int
    residuals: np.ndarray = field(repr=False)
    n_iter: int = 0
    converged: bool = True


def _unscaled_cov_from_r(R) -> np.ndarray:
    """(XᵀX)⁻¹ = R⁻¹R⁻ᵀ from the QR factor ``R`` of ``X``: invert the triangle, never XᵀX itself."""
    R_inv = scipy.linalg.solve_triangular(R, np.eye(R.shape[1]), check_finite=False)
    return R_inv @ R_inv.T


def _result(y, X, R, beta, sigma2=None, n_iter=0, converged=True) -> MLEResult:
    """Assemble an :class:`MLEResult` at ``(beta, sigma2)``; ``R`` is the QR factor of ``X``.

    ``sigma2=None`` means the closed-form maximiser for this β, RSS/n.
    """
    n, p = X.shape
    residuals = y - X @ beta
    rss_value = float(residuals @ residuals)
    if sigma2 is None:
        sigma2 = rss_value / n
    unscaled_cov = _unscaled_cov_from_r(R)
    sigma2_unbiased = rss_value / (n - p)
    return MLEResult(
        beta=beta,
        sigma2=sigma2,
        sigma2_unbiased=sigma2_unbiased,
        loglik=float(_loglik_from_rss(n, rss_value, np.log(sigma2))),
        cov_beta=sigma2 * unscaled_cov,
        cov_beta_unbiased=sigma2_unbiased * unscaled_cov,
        se=np.sqrt(sigma2 * np.diag(unscaled_cov)),
        se_unbiased=np.sqrt(sigma2_unbiased * np.diag(unscaled_cov)),
        rss=rss_value,
        n=n,
        p=p,
        residuals=residuals,
        n_iter=n_iter,
        converged=converged,
    )


def _fittable_qr(y, X):
    """Validate data for a fit and factorise it: ``(y, X, R, z)``."""
    y, X = v.as_data(y, X)
    v.check_fittable(*X.shape)
    R, z, rho = qr_with_response(y, X)
    v.check_full_rank(R, X.shape[0])
    v.check_not_exact_fit(rho, y)
    return y, X, R, z


def fit_mle(y, X) -> MLEResult:
    r"""The closed-form maximum likelihood estimate.

    One Householder QR of ``[X | y]`` gives :math:`R` and :math:`z = Q^\top y`; then
    :math:`\hat\beta = R^{-1} z` by back substitution, :math:`\hat\sigma^2 = \mathrm{RSS}/n`,
    and :math:`\mathrm{Cov}(\hat\beta) = \hat\sigma^2 R^{-1}R^{-\top}`.

    Raises
    ------
    ValueError
        For malformed or non-finite input, n <= p, rank-deficient ``X``, or an exact
        fit (RSS = 0, where ℓ is unbounded in σ² and no MLE exists).
    """
    y, X, R, z = _fittable_qr(y, X)
    beta = scipy.linalg.solve_triangular(R, z, check_finite=False)
    return _result(y, X, R, beta)


def unscaled_cov(X) -> np.ndarray:
    r"""The matrix :math:`(X^\top X)^{-1}`: the covariance of :math:`\hat\beta` per unit of σ².

    :math:`\operatorname{Cov}\hat\beta = \sigma^2 (X^\top X)^{-1}`, so this times a
    known σ², or an estimate of it, is the covariance of β̂ at that σ²; for a fit of
    ``X``, ``fit.cov_beta`` is ``fit.sigma2 * unscaled_cov(X)``. It depends on ``X``
    alone (R's ``cov.unscaled``, statsmodels' ``normalized_cov_params``).

    Computed from the QR factor of ``X``, :math:`X^\top X = R^\top R`, as
    :math:`R^{-1}R^{-\top}`: :math:`X^\top X` is never formed or inverted, which would
    square the condition number.

    Parameters
    ----------
    X : (n, p) array
        Full column rank (so n >= p).

    Returns
    -------
    (p, p) array
        Symmetric positive definite.

    Raises
    ------
    ValueError
        For malformed or non-finite ``X``, or ``X`` of rank below p.
    """
    X = v.as_design(X)
    n = X.shape[0]
    R, _, _ = qr_with_response(np.zeros(n), X)  # the R of fit_mle; y plays no part in it
    v.check_full_rank(R, n)
    return _unscaled_cov_from_r(R)


# --- iterative fits ----------------------------------------------------------
# Both work on θ = (β, η) with η = log σ², so every iterate has σ² = e^η > 0
# and no step can leave the parameter space. By the chain rule, with J = diag(1, …, 1, σ²):
#     ∇_θ ℓ = J ∇ℓ,    ∇²_θ ℓ = J ∇²ℓ J + diag(0, …, 0, σ² ∂ℓ/∂σ²).


# |η| beyond this makes σ⁶ (in the Hessian) overflow or underflow.
_ETA_BOUND = np.log(np.finfo(float).max) / 3


def _loglik_eta(y, X, theta) -> float:
    """ℓ(β, η), or −∞ where σ² = e^η is too extreme to work with, so that line searches step back."""
    if not abs(theta[-1]) < _ETA_BOUND:
        return -np.inf
    r = y - X @ theta[:-1]
    return _loglik_from_rss(y.size, r @ r, theta[-1])


def _gradient_hessian_eta(y, X, theta):
    p = X.shape[1]
    beta, sigma2 = theta[:p], np.exp(theta[p])
    jac = np.ones(p + 1)
    jac[p] = sigma2
    g = score_theta(y, X, beta, sigma2)
    H = jac[:, None] * hessian_theta(y, X, beta, sigma2) * jac[None, :]
    H[p, p] += sigma2 * g[p]
    return jac * g, H


def _solve_positive_definite(A, b) -> np.ndarray:
    """Solve ``A x = b`` by Cholesky after symmetric diagonal scaling; ``LinAlgError`` if A is not PD.

    The scaling makes the solve insensitive to the units of the columns of X.
    """
    diag = np.diag(A)
    if not (diag > 0).all():
        raise np.linalg.LinAlgError("not positive definite")
    s = 1 / np.sqrt(diag)
    factor = scipy.linalg.cho_factor(A * s[:, None] * s[None, :], check_finite=False)
    return s * scipy.linalg.cho_solve(factor, s * b, check_finite=False)


def _ascent_direction(g, H) -> np.ndarray:
    """The Newton step ``(−H)⁻¹g``; where −H is not positive definite, the same without the β–η cross terms.

    In (β, η) coordinates ``−H = σ⁻² [[XᵀX, Xᵀr], [rᵀX, RSS/2]]``. Its Schur complement
    ``RSS/2 − ‖Pr‖²`` (P the projection onto the columns of X) is negative when X explains
    more than half of ‖r‖², as at the default start β = 0 for most data sets. Without the
    cross terms, both diagonal blocks are negative definite, so the step is still an ascent direction.
    """
    try:
        return _solve_positive_definite(-H, g)
    except np.linalg.LinAlgError:
        p = len(g) - 1
        H = H.copy()
        H[:p, p] = H[p, :p] = 0
        return _solve_positive_definite(-H, g)


def _newton(y, X, theta, tol, max_iter):
    """Damped Newton ascent on ℓ(β, η); returns ``(theta, n_iter, converged)``.

    Step halving (Armijo rule) guarantees that ℓ increases at every iteration,
    so the iteration converges from any start. It stops when the predicted gain
    of the full step, ½gᵀ(−H)⁻¹g, is at most ``tol`` (or below the rounding
    level of ℓ itself, where no comparison of ℓ values can confirm an ascent),
    and takes that last full step: near the maximum it squares the remaining error.
    """
    ll = _loglik_eta(y, X, theta)
    for n_iter in range(max_iter):  # n_iter steps taken so far
        g, H = _gradient_hessian_eta(y, X, theta)
        direction = _ascent_direction(g, H)
        gain = 0.5 * g @ direction
        if gain <= max(tol, 64 * np.finfo(float).eps * abs(ll)):
            return theta + direction, n_iter + 1, True
        step = 1.0
        while True:
            candidate = theta + step * direction
            ll_candidate = _loglik_eta(y, X, candidate)
            if ll_candidate >= ll + 1e-4 * step * 2 * gain:
                break
            step /= 2
            if step < 1e-12:  # no ascent left at float precision
                return theta, n_iter, False
        theta, ll = candidate, ll_candidate
    return theta, max_iter, False


def _bfgs(y, X, theta, tol, max_iter):
    """BFGS on the NLL per observation, −ℓ(β, η)/n, with the analytic gradient."""
    n = y.size

    def objective(theta):
        ll = _loglik_eta(y, X, theta)
        if not np.isfinite(ll):
            return np.inf, np.zeros_like(theta)
        g, _ = _gradient_hessian_eta(y, X, theta)
        return -ll / n, -g / n

    result = scipy.optimize.minimize(
        objective, theta, jac=True, method="BFGS", options={"gtol": tol, "maxiter": max_iter}
    )
    return result.x, int(result.nit), bool(result.success)


_METHODS = {"newton": (_newton, 1e-10), "bfgs": (_bfgs, 1e-8)}


def fit_numerical(y, X, *, beta0=None, sigma2_0=None, method="newton", tol=None, max_iter=100) -> MLEResult:
    r"""Maximise ℓ iteratively over θ = (β, η), η = log σ², from a starting point.

    Parameters
    ----------
    y : (n,) array
    X : (n, p) array
    beta0 : (p,) array, optional
        Starting β; default zeros.
    sigma2_0 : float, optional
        Starting σ² > 0; default RSS(beta0)/n, the best σ² for that β.
    method : {"newton", "bfgs"}
        ``"newton"``: Newton's method with the analytic score and Hessian
        (:func:`score_theta`, :func:`hessian_theta`, chain rule to η), made safe far
        from the maximum by dropping the β–η cross terms where the Hessian is not
        negative definite, and by step halving.
        ``"bfgs"``: ``scipy.optimize.minimize(method="BFGS")`` on −ℓ/n with the analytic gradient.
    tol : float, optional
        Newton: stop when the predicted gain in ℓ, ½ gᵀ(−H)⁻¹g, is <= tol (default 1e-10).
        BFGS: ``gtol`` on the gradient of −ℓ/n (default 1e-8).
    max_iter : int
        At most this many steps. Reaching the limit is not an error: the result
        then has ``converged=False``.

    Returns
    -------
    MLEResult
        At the last iterate, with ``n_iter`` and ``converged`` set. ``cov_beta`` is
        σ²(XᵀX)⁻¹ at the iterate's σ².
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {sorted(_METHODS)}, got {method!r}")
    optimiser, default_tol = _METHODS[method]
    tol = default_tol if tol is None else v.as_positive(tol, "tol")
    max_iter = v.as_count(max_iter, "max_iter", 1)
    y, X, R, _ = _fittable_qr(y, X)
    p = X.shape[1]
    beta0 = np.zeros(p) if beta0 is None else v.as_coefficients(beta0, p, "beta0")
    v.ensure_finite(beta0, beta0=beta0)
    if sigma2_0 is None:
        r0 = y - X @ beta0
        sigma2_0 = r0 @ r0 / y.size
    sigma2_0 = v.as_positive(sigma2_0, "sigma2_0")
    theta, n_iter, converged = optimiser(y, X, np.append(beta0, np.log(sigma2_0)), tol, max_iter)
    return _result(y, X, R, theta[:p], np.exp(theta[p]), n_iter=n_iter, converged=converged)
