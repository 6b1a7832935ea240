r"""The Gaussian linear model's log-likelihood and its derivatives.

Model: :math:`y = X\beta + \varepsilon`, :math:`\varepsilon \sim \mathcal N(0, \sigma^2 I_n)`,
with ``X`` of shape ``(n, p)``. With residuals :math:`r = y - X\beta` and
:math:`\mathrm{RSS}(\beta) = r^\top r`,

.. math::
    \ell(\beta, \sigma^2) = \sum_{i=1}^n \ell_i
    = -\frac n2 \log(2\pi\sigma^2) - \frac{\mathrm{RSS}(\beta)}{2\sigma^2}.

Everything is computed in log space from the start: no density is ever
multiplied, so ℓ stays finite for any n (a product of n densities underflows
to 0 long before n reaches the thousands).
"""
from __future__ import annotations

import numpy as np

from . import _validation as v
from ._linalg import qr_with_response

_LOG_2PI = np.log(2 * np.pi)


def _loglik_from_rss(n, rss_value, log_sigma2):
    """ℓ = −½(n log 2π + n log σ² + RSS/σ²): the one place the formula is written.

    Vectorises over ``rss_value``. It takes log σ² because the iterative fits work
    in η = log σ²; a tiny σ² then gives ℓ = −∞ (rejected by a line search), not NaN.
    """
    return -0.5 * (n * (_LOG_2PI + log_sigma2) + rss_value * np.exp(-log_sigma2))


def _residuals(y, X, beta) -> tuple[np.ndarray, np.ndarray, float]:
    """Validated ``(X, r, RSS)``; the finiteness check costs one scalar test."""
    y, X = v.as_data(y, X)
    beta = v.as_coefficients(beta, X.shape[1])
    with np.errstate(invalid="ignore", over="ignore"):  # a non-finite result is reported below
        r = y - X @ beta
        rss_value = r @ r
    return X, r, float(v.ensure_finite(rss_value, y=y, X=X, beta=beta))


def rss(y, X, beta) -> float:
    r"""Residual sum of squares :math:`\lVert y - X\beta \rVert^2`."""
    return _residuals(y, X, beta)[2]


def log_likelihood(y, X, beta, sigma2) -> float:
    r"""Log-likelihood summed over observations.

    .. math:: \ell(\beta, \sigma^2) = -\frac n2 \log(2\pi\sigma^2) - \frac{\mathrm{RSS}(\beta)}{2\sigma^2}

    Parameters
    ----------
    y : (n,) array
    X : (n, p) array
    beta : (p,) array
    sigma2 : float
        The error *variance* σ² (not σ), > 0.
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    _, r, rss_value = _residuals(y, X, beta)
    return _loglik_from_rss(r.size, rss_value, np.log(sigma2))


def log_likelihood_obs(y, X, beta, sigma2) -> np.ndarray:
    r"""Per-observation terms, shape ``(n,)``; they sum to :func:`log_likelihood`.

    .. math:: \ell_i = -\tfrac12 \log(2\pi\sigma^2) - \frac{(y_i - x_i^\top\beta)^2}{2\sigma^2}
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    _, r, _ = _residuals(y, X, beta)
    return _loglik_from_rss(1, r**2, np.log(sigma2))


def negative_log_likelihood(y, X, beta, sigma2) -> float:
    r""":math:`-\ell(\beta, \sigma^2)`, the objective a minimiser sees."""
    return -log_likelihood(y, X, beta, sigma2)


def score(y, X, beta, sigma2) -> np.ndarray:
    r"""Gradient in β, shape ``(p,)``: :math:`\nabla_\beta \ell = X^\top (y - X\beta) / \sigma^2`."""
    sigma2 = v.as_positive(sigma2, "sigma2")
    X, r, _ = _residuals(y, X, beta)
    return X.T @ r / sigma2


def _gram(X) -> np.ndarray:
    """Validated :math:`X^\\top X`; its diagonal holds every squared entry, so it is finite iff ``X`` is."""
    X = v.as_design(X)
    return v.ensure_finite(X.T @ X, X=X)


def hessian(X, sigma2) -> np.ndarray:
    r"""Hessian in β, shape ``(p, p)``: :math:`\nabla^2_\beta \ell = -X^\top X / \sigma^2`.

    It does not depend on β or y: ℓ is exactly quadratic in β.
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    return -_gram(X) / sigma2


def fisher_information(X, sigma2) -> np.ndarray:
    r"""Expected information for θ = (β, σ²), shape ``(p+1, p+1)``.

    .. math::
        \mathcal I(\theta) = -\mathbb E[\nabla^2_\theta \ell]
        = \begin{pmatrix} X^\top X/\sigma^2 & 0 \\ 0 & n/(2\sigma^4) \end{pmatrix}

    The off-diagonal block vanishes because :math:`\mathbb E[X^\top r] = 0` at the true β.
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    gram = _gram(X)
    n, p = len(X), gram.shape[0]
    info = np.zeros((p + 1, p + 1))
    info[:p, :p] = gram / sigma2
    info[p, p] = n / (2 * sigma2) / sigma2
    return info


def score_theta(y, X, beta, sigma2) -> np.ndarray:
    r"""Gradient in θ = (β, σ²), shape ``(p+1,)``.

    .. math::
        \frac{\partial\ell}{\partial\beta} = \frac{X^\top r}{\sigma^2}, \qquad
        \frac{\partial\ell}{\partial\sigma^2} = -\frac{n}{2\sigma^2} + \frac{\mathrm{RSS}}{2\sigma^4}
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    X, r, rss_value = _residuals(y, X, beta)
    # Divide by σ² twice rather than by σ⁴, which underflows to 0 for σ² < 1e-154.
    d_sigma2 = (rss_value / sigma2 - r.size) / (2 * sigma2)
    return np.append(X.T @ r / sigma2, d_sigma2)


def hessian_theta(y, X, beta, sigma2) -> np.ndarray:
    r"""Hessian in θ = (β, σ²), shape ``(p+1, p+1)``.

    .. math::
        \nabla^2_\theta \ell = \begin{pmatrix}
            -X^\top X/\sigma^2 & -X^\top r/\sigma^4 \\
            -r^\top X/\sigma^4 & n/(2\sigma^4) - \mathrm{RSS}/\sigma^6
        \end{pmatrix}

    At the MLE the cross block is 0 and the corner is :math:`-n/(2\hat\sigma^4)`.
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    X, r, rss_value = _residuals(y, X, beta)
    p = X.shape[1]
    H = np.empty((p + 1, p + 1))
    H[:p, :p] = -(X.T @ X) / sigma2
    H[:p, p] = H[p, :p] = -(X.T @ r) / sigma2 / sigma2  # not / σ⁴, see score_theta
    H[p, p] = (r.size / 2 - rss_value / sigma2) / sigma2 / sigma2
    return H


def log_likelihood_grid(y, X, b0_values, b1_values, sigma2) -> np.ndarray:
    r"""ℓ(β₀, β₁) for simple regression over a grid, at fixed σ².

    Vectorised through the QR identity :math:`\mathrm{RSS}(b) = \lVert z - R b\rVert^2 + \rho^2`
    (see :func:`linreg_mle._linalg.qr_with_response`): after one QR of ``[X | y]``, each grid
    point costs a 2 × 2 triangular product, whatever n is, and there is no cancellation
    (both terms are sums of squares).

    Parameters
    ----------
    y : (n,) array
    X : (n, 2) array
        Columns for β₀ and β₁ (typically ones and x).
    b0_values, b1_values : 1-D arrays
        Grid values of β₀ and β₁.
    sigma2 : float

    Returns
    -------
    (len(b1_values), len(b0_values)) array
        Row j, column i holds ℓ at (b0_values[i], b1_values[j]): the layout of
        ``np.meshgrid(b0_values, b1_values)``, so ``ax.contour(b0_values, b1_values, ll)`` works.
    """
    sigma2 = v.as_positive(sigma2, "sigma2")
    y, X = v.as_data(y, X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns (for β₀ and β₁), got {X.shape[1]}")
    b0 = v.as_float_array(b0_values, "b0_values", 1)
    b1 = v.as_float_array(b1_values, "b1_values", 1)
    v.ensure_finite(b0, b0_values=b0)
    v.ensure_finite(b1, b1_values=b1)
    R, z, rho = qr_with_response(y, X)
    grid = np.stack(np.meshgrid(b0, b1))  # (2, len(b1), len(b0))
    rss_grid = rho**2 + ((z[:, None, None] - np.tensordot(R, grid, axes=1)) ** 2).sum(axis=0)
    return _loglik_from_rss(y.size, rss_grid, np.log(sigma2))
