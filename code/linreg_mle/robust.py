r"""Standard errors that stay valid when the noise variance is not constant.

Under heteroscedastic errors, :math:`\operatorname{Cov}\varepsilon = \Omega =
\operatorname{diag}(\sigma_1^2, \dots, \sigma_n^2)`, the least-squares estimate
:math:`\hat\beta = (X^\top X)^{-1}X^\top y` is still unbiased, but its covariance is the
*sandwich*

.. math::
    \operatorname{Cov}\hat\beta = (X^\top X)^{-1} X^\top\Omega X (X^\top X)^{-1},

not :math:`\sigma^2 (X^\top X)^{-1}`. The Huber–White estimator replaces Ω by
:math:`\hat\Omega = \operatorname{diag}(\omega_1, \dots, \omega_n)` built from the
residuals :math:`\hat r_i` and the leverages :math:`h_i = P_{ii}`:

======  =========================================  =====================================
kind    :math:`\omega_i`                            what it corrects
======  =========================================  =====================================
HC0     :math:`\hat r_i^2`                          nothing (White's original)
HC1     :math:`\hat r_i^2\, n/(n-p)`                the average shrinkage of residuals
HC2     :math:`\hat r_i^2/(1-h_i)`                  each residual's shrinkage: unbiased
                                                    when Ω = σ²I
HC3     :math:`\hat r_i^2/(1-h_i)^2`                over-corrects, like the jackknife
======  =========================================  =====================================

Each equals statsmodels' ``cov_HC0`` … ``cov_HC3``. With the thin QR factorisation
:math:`X = QR`, :math:`X^\top X = R^\top R`, so :math:`(X^\top X)^{-1}X^\top = R^{-1}Q^\top`
and :math:`h_i = \lVert Q_{i\cdot}\rVert^2`, and the sandwich is
:math:`R^{-1}\,(Q^\top\hat\Omega Q)\,R^{-\top}`. :math:`X^\top X` is never formed or inverted.

One QR serves the validation, :math:`\hat\beta` and the sandwich: the QR of ``[X | y]`` that
:func:`linreg_mle.fit_mle` uses gives :math:`R` and :math:`Q^\top y`, and then
:math:`Q = XR^{-1}` is one triangular solve with n right-hand sides (its columns are
orthonormal: :math:`Q^\top Q = R^{-\top}X^\top XR^{-1} = I`). The residuals are
:math:`y - X\hat\beta`, exactly those of ``fit_mle``.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg

from . import _validation as v
from .fit import _fittable_qr

KINDS = ("HC0", "HC1", "HC2", "HC3")


def _omega(residuals: np.ndarray, leverage: np.ndarray, kind: str, p: int) -> np.ndarray:
    """The diagonal of Ω̂ for ``kind`` (already validated)."""
    n = residuals.shape[0]
    squared = residuals**2
    if kind == "HC0":
        return squared
    if kind == "HC1":
        return squared * (n / (n - p))
    v.check_leverage_below_one(leverage, kind)
    return squared / (1 - leverage) if kind == "HC2" else squared / (1 - leverage) ** 2


def sandwich_cov(y, X, kind: str = "HC3") -> np.ndarray:
    r"""The heteroscedasticity-consistent (sandwich) covariance of :math:`\hat\beta`.

    .. math::
        \widehat{\operatorname{Cov}}\hat\beta = (X^\top X)^{-1} X^\top\hat\Omega X (X^\top X)^{-1}
        = R^{-1}\,(Q^\top\hat\Omega Q)\,R^{-\top},

    with :math:`\hat\Omega` as in the module docstring.

    Parameters
    ----------
    y : (n,) array
    X : (n, p) array
        Full column rank, n > p (as for :func:`linreg_mle.fit_mle`).
    kind : {"HC0", "HC1", "HC2", "HC3"}
        Which correction (case does not matter). HC3, the default, is the one to use
        at small n; all four agree as n grows with bounded leverages.

    Returns
    -------
    (p, p) array
        Symmetric positive semi-definite; equal to statsmodels'
        ``OLS(y, X).fit().cov_HC0`` … ``cov_HC3``. Its diagonal's square root gives the
        robust standard errors.

    Raises
    ------
    ValueError
        For an unknown ``kind``; for everything :func:`linreg_mle.fit_mle` refuses
        (malformed or non-finite input, n <= p, rank-deficient ``X``, an exact fit); and,
        for HC2 and HC3, when an observation has leverage 1, where
        :math:`\hat r_i^2/(1-h_i)` is 0/0.
    """
    kind = v.as_choice(kind, "kind", KINDS)
    # The QR of fit_mle: validates exactly as fit_mle does, and gives R and z = Qᵀy.
    y, X, R, z = _fittable_qr(y, X)
    p = X.shape[1]
    # Q = XR⁻¹ (solve QR = X, i.e. RᵀQᵀ = Xᵀ): the same QR, no second factorisation.
    Q = scipy.linalg.solve_triangular(R, X.T, trans="T", check_finite=False).T
    leverage = np.einsum("ij,ij->i", Q, Q)
    residuals = y - X @ scipy.linalg.solve_triangular(R, z, check_finite=False)
    omega = _omega(residuals, leverage, kind, p)
    meat = (Q * omega[:, None]).T @ Q  # QᵀΩ̂Q, p × p
    half = scipy.linalg.solve_triangular(R, meat, check_finite=False)  # R⁻¹QᵀΩ̂Q
    cov = scipy.linalg.solve_triangular(R, half.T, check_finite=False)  # R⁻¹(R⁻¹QᵀΩ̂Q)ᵀ
    return (cov + cov.T) / 2
