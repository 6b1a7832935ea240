r"""Linear regression under non-Gaussian noise: Laplace, logistic and Student-t.

The model is :math:`y_i = x_i^\top\beta + \varepsilon_i` with independent errors of
density :math:`f(\cdot\,; b) = f_0(\cdot/b)/b`, where :math:`b > 0` is the scale parameter
in the sense of ``scipy.stats`` (for the Gaussian :math:`b = \sigma`, not
:math:`\sigma^2`). With residuals :math:`r_i = y_i - x_i^\top\beta`,

.. math::
    \ell(\beta, b) = \sum_{i=1}^n \log f(r_i; b) = -n\log b + \sum_{i=1}^n \log f_0(r_i/b),

with :math:`\log f_0(z)` equal to

- Gaussian: :math:`-\tfrac12\log(2\pi) - z^2/2`;
- Laplace: :math:`-\log 2 - |z|`;
- logistic: :math:`-|z| - 2\log(1 + e^{-|z|})`;
- Student-t with ν degrees of freedom:
  :math:`\log\Gamma(\tfrac{\nu+1}2) - \log\Gamma(\tfrac\nu2) - \tfrac12\log(\nu\pi)
  - \tfrac{\nu+1}2\log(1 + z^2/\nu)`.

The first three are concave in :math:`z` (log-concave densities), so ℓ is concave in β
at every fixed b; the Student-t log-density is convex for :math:`z^2 > \nu`, and ℓ can
have several local maxima in β.

**Laplace.** :math:`\ell = -n\log(2b) - \sum_i |r_i|/b`. For every β it is maximised
over b at :math:`\hat b = \frac1n\sum_i |r_i|`, leaving :math:`-n\log(2\hat b) - n`,
a decreasing function of :math:`\sum_i|r_i|`: the MLE of β is the least absolute
deviations (LAD) fit. It solves the linear programme
:math:`\min \mathbf 1^\top(u^+ + u^-)` subject to :math:`X\beta + u^+ - u^- = y`,
:math:`u^\pm \ge 0`, whose dual is :math:`\max_d y^\top d` subject to
:math:`X^\top d = 0`, :math:`-1 \le d_i \le 1`. :func:`fit_laplace` solves the dual
with HiGHS and reads β off its equality multipliers. The set of minimisers is a
convex polytope, and it can hold more than one point; a vertex of it fits
p observations exactly.

**Student-t, fixed ν.** Writing :math:`\varepsilon_i = b\,z_i/\sqrt{g_i}`,
:math:`z_i \sim \mathcal N(0, 1)`, :math:`g_i \sim \mathrm{Gamma}(\nu/2, \text{rate } \nu/2)`,
the EM algorithm treats the :math:`g_i` as missing data. Its E step gives the weights

.. math::
    w_i = \mathbb E[g_i \mid r_i] = \frac{\nu + 1}{\nu + r_i^2/b^2},

and its M step is a weighted least-squares fit followed by a weighted mean square,

.. math::
    \beta \leftarrow \arg\min_\beta \sum_i w_i (y_i - x_i^\top\beta)^2, \qquad
    b^2 \leftarrow \frac1n \sum_i w_i r_i^2 .

Every EM step increases ℓ (or leaves it unchanged at a stationary point). The weighted
fit is a QR factorisation of :math:`W^{1/2}X`; no :math:`X^\top X` is ever inverted.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
import scipy.optimize
import scipy.sparse
from scipy.special import gammaln

from . import _validation as v
from ._linalg import qr_with_response
from .fit import _fittable_qr

__all__ = [
    "LaplaceResult",
    "StudentTResult",
    "fit_laplace",
    "fit_laplace_many",
    "fit_student_t",
    "log_likelihood_noise",
]

_LOG_2PI = np.log(2 * np.pi)
_LAD_BATCH = 100  # LAD problems per stacked linear programme in fit_laplace_many


def _t_constant(df: float) -> float:
    """log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ): the log-density of t_ν at 0."""
    return float(gammaln((df + 1) / 2) - gammaln(df / 2) - 0.5 * np.log(df * np.pi))


def _loglik_residuals(r: np.ndarray, scale: float, noise: str, df: float | None) -> float:
    """Σ log f(rᵢ; scale) for residuals ``r`` (validated by the caller)."""
    n = r.shape[-1]
    z = r / scale
    if noise == "gaussian":
        total = -0.5 * n * _LOG_2PI - 0.5 * np.sum(z * z, axis=-1)
    elif noise == "laplace":
        total = -n * np.log(2.0) - np.sum(np.abs(z), axis=-1)
    elif noise == "logistic":
        a = np.abs(z)  # the density is symmetric; |z| keeps exp(−|z|) from overflowing
        total = -np.sum(a + 2 * np.log1p(np.exp(-a)), axis=-1)
    else:  # "t"
        total = n * _t_constant(df) - 0.5 * (df + 1) * np.sum(np.log1p(z * z / df), axis=-1)
    return total - n * np.log(scale)


def log_likelihood_noise(y, X, beta, scale, noise="gaussian", df=None) -> float:
    r"""The log-likelihood :math:`\sum_i \log f(y_i - x_i^\top\beta; b)` under a noise law.

    Equal to ``scipy.stats.<law>.logpdf(r, [df,] scale=scale).sum()`` with ``<law>`` one of
    ``norm``, ``laplace``, ``logistic`` and ``t``, and :math:`r = y - X\beta`.

    Parameters
    ----------
    y, X, beta
        As for :func:`linreg_mle.log_likelihood`.
    scale : float
        The scale parameter b > 0 of ``scipy.stats``: for ``noise="gaussian"`` it is the
        standard deviation σ, **not** the variance σ² (which :func:`log_likelihood` takes).
        The variance of the noise is b² (Gaussian), 2b² (Laplace), π²b²/3 (logistic) and
        νb²/(ν − 2) (Student-t with ν > 2).
    noise : {"gaussian", "laplace", "logistic", "t"}
    df : float, optional
        The degrees of freedom ν > 0; required for ``noise="t"`` and refused otherwise.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For an unknown ``noise``, ``noise="t"`` without ``df``, ``scale <= 0``, ``df <= 0``,
        mismatched shapes, or NaN or inf in ``y``, ``X`` or ``beta``.
    """
    noise, df = v.as_noise(noise, df)
    scale = v.as_positive(scale, "scale")
    y, X = v.as_data(y, X)
    beta = v.as_coefficients(beta, X.shape[1])
    with np.errstate(invalid="ignore", over="ignore"):
        r = y - X @ beta
        total = _loglik_residuals(r, scale, noise, df)
    return float(v.ensure_finite(total, y=y, X=X, beta=beta))


# --- Laplace noise: least absolute deviations ------------------------------------


@dataclass(frozen=True, eq=False)
class LaplaceResult:
    r"""A linear model fitted by maximum likelihood under Laplace noise.

    Attributes
    ----------
    beta : (p,) array
        A least-absolute-deviations solution, minimising :math:`\sum_i |y_i - x_i^\top\beta|`.
        It is a vertex of the (convex, possibly non-singleton) set of minimisers, so it
        fits at least p observations exactly.
    scale : float
        :math:`\hat b = \frac1n\sum_i |\hat r_i|`, the MLE of the Laplace scale.
    loglik : float
        The Laplace log-likelihood at (beta, scale), :math:`-n\log(2\hat b) - n`.
    n, p : int
        Observations and coefficients.
    residuals : (n,) array
        :math:`y - X\hat\beta`.
    """

    beta: np.ndarray
    scale: float
    loglik: float
    n: int
    p: int
    residuals: np.ndarray = field(repr=False)


def _lad_vertex_polish(y, X, beta):
    """Refit the p observations with the smallest |r| exactly, if that does not raise Σ|r|.

    A simplex vertex interpolates p observations; re-solving those p equations removes
    the solver's tolerance-level error from β.
    """
    p = X.shape[1]
    r = y - X @ beta
    idx = np.argsort(np.abs(r))[:p]
    try:
        candidate = scipy.linalg.solve(X[idx], y[idx], check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return beta
    if not np.isfinite(candidate).all():
        return beta
    if np.abs(y - X @ candidate).sum() <= np.abs(r).sum():
        return candidate
    return beta


def _lad_vertex_polish_many(Y, X, beta):
    """:func:`_lad_vertex_polish` for each row of ``Y``, in one batched solve where possible."""
    p = X.shape[1]
    r = Y - beta @ X.T
    idx = np.argsort(np.abs(r), axis=1)[:, :p]
    try:
        with np.errstate(all="ignore"):
            candidate = np.linalg.solve(X[idx], np.take_along_axis(Y, idx, axis=1)[:, :, None])[:, :, 0]
    except np.linalg.LinAlgError:  # some p × p block is singular: polish row by row
        return np.array([_lad_vertex_polish(y, X, b) for y, b in zip(Y, beta)]).reshape(beta.shape)
    with np.errstate(all="ignore"):
        better = np.abs(Y - candidate @ X.T).sum(axis=1) <= np.abs(r).sum(axis=1)
    better &= np.isfinite(candidate).all(axis=1)
    return np.where(better[:, None], candidate, beta)


def fit_laplace(y, X) -> LaplaceResult:
    r"""The MLE under Laplace noise: least absolute deviations, and :math:`\hat b` = mean |r|.

    Solves the dual linear programme :math:`\max_d y^\top d` subject to
    :math:`X^\top d = 0`, :math:`|d_i| \le 1` with ``scipy.optimize.linprog`` (HiGHS), on
    columns of X and on y scaled to unit size; β is read off the multipliers of the
    equality constraints, then polished by refitting the p observations it interpolates.
    When the minimiser is not unique, one vertex of the solution polytope is returned.

    Raises
    ------
    ValueError
        For everything :func:`linreg_mle.fit_mle` refuses: malformed or non-finite
        input, n <= p, rank-deficient ``X``, or an exact fit (then :math:`\hat b = 0`
        and ℓ is unbounded).
    """
    y, X, _, _ = _fittable_qr(y, X)
    n, p = X.shape
    col = np.linalg.norm(X, axis=0)
    y_scale = np.abs(y).max()
    Xs, ys = X / col, y / y_scale
    lp = scipy.optimize.linprog(-ys, A_eq=Xs.T, b_eq=np.zeros(p), bounds=(-1, 1), method="highs")
    if lp.status != 0:  # pragma: no cover - the box is bounded and d = 0 is feasible
        raise RuntimeError(f"linprog failed on the LAD problem: {lp.message}")
    beta = -np.asarray(lp.eqlin.marginals) / col * y_scale
    beta = _lad_vertex_polish(y, X, beta)
    residuals = y - X @ beta
    scale = float(np.abs(residuals).mean())
    if not scale > 0:  # pragma: no cover - excluded by the exact-fit check
        raise ValueError("y is fitted exactly by X: b̂ = mean|r| = 0, ℓ is unbounded, and no MLE exists")
    loglik = -n * np.log(2 * scale) - n
    return LaplaceResult(beta=beta, scale=scale, loglik=float(loglik), n=n, p=p, residuals=residuals)


def fit_laplace_many(Y, X) -> tuple[np.ndarray, np.ndarray]:
    r"""LAD fits of many responses on one design: :func:`fit_laplace` for each row of ``Y``.

    For Monte Carlo studies. The R problems are independent, so their dual linear
    programmes are stacked, up to 100 at a time, into block-diagonal programmes, each
    solved by one ``scipy.optimize.linprog`` (HiGHS) call: several times faster than R
    calls, and faster than one huge programme, whose cost grows faster than R. Each
    block's β is read off its multipliers and polished as in :func:`fit_laplace`.

    Parameters
    ----------
    Y : (R, n) array
        One response vector per row.
    X : (n, p) array

    Returns
    -------
    beta : (R, p) array
        A least-absolute-deviations solution for each row of ``Y``.
    scale : (R,) array
        :math:`\hat b` = mean |r| for each row.

    Raises
    ------
    ValueError
        For malformed or non-finite input, n <= p, rank-deficient ``X``, or a row of
        ``Y`` fitted exactly by ``X`` (then b̂ = 0 and no MLE exists).
    """
    Y = v.as_float_array(Y, "Y", 2)
    X = v.as_design(X)
    n, p = X.shape
    if Y.shape[1] != n:
        raise ValueError(f"Y must have one column per row of X: X has {n} rows but Y has {Y.shape[1]} columns")
    v.check_fittable(n, p)
    R, _, _ = qr_with_response(np.zeros(n), X)
    v.check_full_rank(R, n)
    v.ensure_finite(Y.sum(), Y=Y)
    reps = Y.shape[0]
    col = np.linalg.norm(X, axis=0)
    y_scale = np.abs(Y).max(axis=1, keepdims=True)
    y_scale[y_scale == 0] = 1.0
    Ys = Y / y_scale
    beta = np.empty((reps, p))
    At = scipy.sparse.csr_matrix((X / col).T)
    for start in range(0, reps, _LAD_BATCH):
        stop = min(start + _LAD_BATCH, reps)
        blocks = scipy.sparse.kron(scipy.sparse.identity(stop - start, format="csr"), At).tocsc()
        lp = None
        for options in ({"presolve": False}, {}):  # presolve only slows these small blocks down
            lp = scipy.optimize.linprog(-Ys[start:stop].ravel(), A_eq=blocks, b_eq=np.zeros((stop - start) * p),
                                        bounds=(-1, 1), method="highs", options=options)
            if lp.status == 0:
                break
        if lp.status != 0:  # pragma: no cover - each box is bounded and d = 0 is feasible
            raise RuntimeError(f"linprog failed on the stacked LAD problems: {lp.message}")
        beta[start:stop] = -np.asarray(lp.eqlin.marginals).reshape(stop - start, p)
    beta = beta / col * y_scale
    beta = _lad_vertex_polish_many(Y, X, beta)
    scale = np.abs(Y - beta @ X.T).mean(axis=1)
    exact = np.flatnonzero(~(scale > n * np.finfo(float).eps * np.abs(Y).max(axis=1)))
    if exact.size:
        raise ValueError(
            f"row {int(exact[0])} of Y is fitted exactly by X: b̂ = mean|r| = 0, ℓ is unbounded, and no MLE exists"
        )
    return beta, scale


# --- Student-t noise with fixed ν: EM / iteratively reweighted least squares -----


@dataclass(frozen=True, eq=False)
class StudentTResult:
    r"""A linear model fitted by maximum likelihood under Student-t noise with fixed ν.

    Attributes
    ----------
    beta : (p,) array
        :math:`\hat\beta`, a local maximiser of ℓ reached by EM from the start
        (by default the least-squares fit).
    scale : float
        :math:`\hat b`, the scale parameter of ``scipy.stats.t`` (not a standard deviation:
        the noise variance is :math:`\nu b^2/(\nu - 2)` for ν > 2).
    loglik : float
        :math:`\sum_i \log f(\hat r_i; \hat b)`, equal to
        ``scipy.stats.t.logpdf(residuals, df, scale=scale).sum()``.
    df : float
        ν, the degrees of freedom (fixed, not estimated).
    n, p : int
        Observations and coefficients.
    n_iter : int
        EM steps taken.
    converged : bool
        Whether the last step changed β and b by less than ``tol`` (relative).
    weights : (n,) array
        The EM weights :math:`w_i = (\nu + 1)/(\nu + \hat r_i^2/\hat b^2)` at the fit:
        observations with large residuals get small weights.
    residuals : (n,) array
        :math:`y - X\hat\beta`.
    loglik_trace : (n_iter + 1,) array
        ℓ at the start and after every EM step; it never decreases.
    """

    beta: np.ndarray
    scale: float
    loglik: float
    df: float
    n: int
    p: int
    n_iter: int
    converged: bool
    weights: np.ndarray = field(repr=False)
    residuals: np.ndarray = field(repr=False)
    loglik_trace: np.ndarray = field(repr=False)


def _t_weights(r, b2, df):
    return (df + 1) / (df + r * r / b2)


def fit_student_t(y, X, df, *, beta0=None, scale0=None, tol=1e-10, max_iter=10_000) -> StudentTResult:
    r"""The MLE of (β, b) under Student-t noise with fixed ν = ``df``, by EM (IRLS).

    Each step computes the weights :math:`w_i = (\nu+1)/(\nu + r_i^2/b^2)`, refits β by
    weighted least squares (a QR factorisation of :math:`W^{1/2}X`), and sets
    :math:`b^2 = \sum_i w_i r_i^2/n` with the new residuals. ℓ never decreases.

    Parameters
    ----------
    y : (n,) array
    X : (n, p) array
    df : float
        ν > 0.
    beta0 : (p,) array, optional
        Starting β; default the least-squares fit.
    scale0 : float, optional
        Starting b > 0; default :math:`\sqrt{\sum_i r_i^2/n}` with the residuals at ``beta0``.
        ℓ can have several local maxima; EM climbs to one uphill of the start.
    tol : float
        Stop when a step changes β by at most ``tol`` (‖β‖ + b) and b by at most ``tol`` b.
    max_iter : int
        At most this many steps; reaching it sets ``converged=False``.

    Raises
    ------
    ValueError
        For ``df <= 0``, and everything :func:`linreg_mle.fit_mle` refuses: malformed
        or non-finite input, n <= p, rank-deficient ``X``, or an exact fit; also if the
        scale collapses to 0 (more observations fitted exactly than ℓ can bear, where
        ℓ is unbounded).
    """
    df = v.as_positive(df, "df")
    tol = v.as_positive(tol, "tol")
    max_iter = v.as_count(max_iter, "max_iter", 1)
    y, X, R, z = _fittable_qr(y, X)
    n, p = X.shape
    if beta0 is None:
        beta = scipy.linalg.solve_triangular(R, z, check_finite=False)
    else:
        beta = v.as_coefficients(beta0, p, "beta0").copy()
        v.ensure_finite(beta, beta0=beta)
    r = y - X @ beta
    b2 = float(r @ r) / n if scale0 is None else v.as_positive(scale0, "scale0") ** 2
    floor = (np.finfo(float).eps * np.abs(y).max()) ** 2
    trace = [_loglik_residuals(r, np.sqrt(b2), "t", df)]
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        w = _t_weights(r, b2, df)
        sw = np.sqrt(w)
        Q, Rw = np.linalg.qr(sw[:, None] * X)
        beta_new = scipy.linalg.solve_triangular(Rw, Q.T @ (sw * y), check_finite=False)
        r = y - X @ beta_new
        b2_new = float(w @ (r * r)) / n
        if not b2_new > floor:
            raise ValueError(
                "the t scale collapsed to 0: EM fits some observations exactly and ℓ is "
                "unbounded there, so no MLE exists from this start (try a larger df)"
            )
        trace.append(_loglik_residuals(r, np.sqrt(b2_new), "t", df))
        b_new = np.sqrt(b2_new)
        step_beta = np.abs(beta_new - beta).max()
        step_b = abs(b_new - np.sqrt(b2))
        beta, b2 = beta_new, b2_new
        if step_beta <= tol * (np.abs(beta).max() + b_new) and step_b <= tol * b_new:
            converged = True
            break
    scale = float(np.sqrt(b2))
    return StudentTResult(
        beta=beta,
        scale=scale,
        loglik=float(trace[-1]),
        df=df,
        n=n,
        p=p,
        n_iter=n_iter,
        converged=converged,
        weights=_t_weights(r, b2, df),
        residuals=r,
        loglik_trace=np.array(trace),
    )
