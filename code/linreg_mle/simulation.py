r"""Simulating the model, once or many times at once.

Random draws follow one layout everywhere: a replication takes one block of
``n × p`` standard normals from the Generator; its first ``p − 1`` columns are the
features and its last column is the noise. numpy fills arrays in C order, so
drawing ``(reps, n, p)`` at once yields exactly the numbers of ``reps`` successive
:func:`simulate` calls on the same Generator: a batched simulation and a Python
loop of fits agree replication by replication.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg

from . import _validation as v


def _design_and_noise(rng, n: int, p: int, reps: tuple = ()) -> tuple[np.ndarray, np.ndarray]:
    """Designs ``[1, Z]`` of shape ``(*reps, n, p)`` and standard-normal noise ``(*reps, n)``."""
    draws = rng.standard_normal((*reps, n, p))
    X = np.concatenate([np.ones((*reps, n, 1)), draws[..., :-1]], axis=-1)
    return X, draws[..., -1]


def simulate(n, beta, sigma, *, rng=None) -> tuple[np.ndarray, np.ndarray]:
    r"""Draw one data set from the model.

    :math:`X = [\mathbf 1, Z]` with :math:`Z_{ij} \sim \mathcal N(0, 1)`, and
    :math:`y = X\beta + \sigma\varepsilon`, :math:`\varepsilon \sim \mathcal N(0, I_n)`.

    Parameters
    ----------
    n : int
        Number of observations, >= 1.
    beta : (p,) array
        True coefficients; ``beta[0]`` is the intercept.
    sigma : float
        Noise standard deviation σ (not σ²), >= 0.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    X : (n, p) array
    y : (n,) array
    """
    n = v.as_count(n, "n", 1)
    beta = v.as_float_array(beta, "beta", 1)
    if beta.size == 0:
        raise ValueError("beta must have at least one entry (the intercept)")
    v.ensure_finite(beta, beta=beta)
    sigma = v.as_positive(sigma, "sigma", allow_zero=True)
    X, noise = _design_and_noise(v.as_rng(rng), n, beta.size)
    return X, X @ beta + sigma * noise


def simulate_sigma2_estimates(n, p, sigma, reps, *, rng=None) -> tuple[np.ndarray, np.ndarray]:
    r"""σ̂² = RSS/n and s² = RSS/(n−p) over ``reps`` independent data sets.

    Each replication draws a fresh design (as :func:`simulate`) and fresh noise. β is
    not needed: the residuals :math:`(I - H)y = (I - H)\sigma\varepsilon` do not involve it.
    All replications are handled together by a batched QR of the ``(reps, n, p)`` stack.
    Theory: :math:`\mathrm{RSS}/\sigma^2 \sim \chi^2_{n-p}`, so
    :math:`\mathbb E[\hat\sigma^2] = \frac{n-p}{n}\sigma^2` and :math:`\mathbb E[s^2] = \sigma^2`.

    Returns
    -------
    sigma2_mle, sigma2_unbiased : (reps,) arrays
    """
    p = v.as_count(p, "p", 1)
    n = v.as_count(n, "n", p + 1)  # n > p, or RSS = 0
    sigma = v.as_positive(sigma, "sigma", allow_zero=True)
    reps = v.as_count(reps, "reps", 1)
    X, noise = _design_and_noise(v.as_rng(rng), n, p, (reps,))
    Q, _ = np.linalg.qr(X)  # (reps, n, p): one reduced QR per replication, in one call
    e = noise[..., None]
    residuals = (e - Q @ (Q.mT @ e))[..., 0]  # (I − H)ε, replication by replication
    rss = sigma**2 * np.einsum("kn,kn->k", residuals, residuals)
    return rss / n, rss / (n - p)


def _fixed_design_qr(X) -> tuple[np.ndarray, np.ndarray]:
    """Validate a design shared by every replication, and its thin QR, computed once."""
    X = v.as_design(X)
    n, p = X.shape
    v.check_fittable(n, p)
    Q, R = scipy.linalg.qr(X, mode="economic", check_finite=False)
    v.ensure_finite(R, X=X)
    v.check_full_rank(R, n)
    return Q, R


@dataclass(frozen=True, eq=False)
class FixedDesignDraws:
    r"""Estimates from ``reps`` data sets that share one design, drawn once.

    Row k of every field comes from the same data set
    :math:`y_k = X\beta + \sigma\varepsilon_k`, so β̂ and σ̂² can be paired, e.g. to
    compute the coverage of a t interval.

    Attributes
    ----------
    beta_hat : (reps, p) array
        :math:`\hat\beta` of each data set.
    sigma2 : (reps,) array
        :math:`\hat\sigma^2 = \mathrm{RSS}/n`, the MLE.
    sigma2_unbiased : (reps,) array
        :math:`s^2 = \mathrm{RSS}/(n-p)`.
    """

    beta_hat: np.ndarray
    sigma2: np.ndarray
    sigma2_unbiased: np.ndarray


def simulate_estimates(X, beta, sigma, reps, *, rng=None, noise=None) -> FixedDesignDraws:
    r"""β̂, σ̂² and s² over ``reps`` data sets that share the design ``X`` (fixed-design sampling).

    With :math:`X = QR`, :math:`\hat\beta = \beta + \sigma R^{-1}Q^\top\varepsilon` and the
    residuals are :math:`\sigma(\varepsilon - QQ^\top\varepsilon)`, so one QR serves every
    replication and the cost is O(reps · n · p). Here ε is what ``noise`` draws. Under the
    default, standard normal ε,
    :math:`\hat\beta \sim \mathcal N(\beta, \sigma^2 (X^\top X)^{-1})`, independent of
    :math:`\mathrm{RSS}/\sigma^2 \sim \chi^2_{n-p}`.

    Parameters
    ----------
    X : (n, p) array
        Full column rank, n > p.
    beta : (p,) array
        True coefficients.
    sigma : float
        Noise standard deviation σ (not σ²), >= 0.
    reps : int
    rng : None, int or numpy.random.Generator
    noise : callable ``(rng, shape) -> array``, optional
        Draws the errors divided by σ, as a ``(reps, n)`` array whose row k is
        replication k; the errors are σ times these. Any law with mean 0 will do. For σ
        to be the noise standard deviation, their variance should be 1, or 1 on average
        over the n observations when it differs between them (heteroscedastic errors).
        E.g. ``lambda rng, shape: rng.laplace(scale=2**-0.5, size=shape)``, or
        ``lambda rng, shape: w * rng.standard_normal(shape)`` with a length-n ``w`` whose
        squares average 1. Default: standard normal, ``rng.standard_normal(shape)``, drawn
        as one ``(reps, n)`` block: replication k uses the k-th ``n`` draws.

    Returns
    -------
    FixedDesignDraws
    """
    Q, R = _fixed_design_qr(X)
    n, p = Q.shape
    beta = v.as_coefficients(beta, p)
    v.ensure_finite(beta, beta=beta)
    sigma = v.as_positive(sigma, "sigma", allow_zero=True)
    reps = v.as_count(reps, "reps", 1)
    rng = v.as_rng(rng)
    if noise is None:
        eps = rng.standard_normal((reps, n))
    else:
        eps = v.as_float_array(noise(rng, (reps, n)), "noise(rng, shape)", 2)
        if eps.shape != (reps, n):
            raise ValueError(f"noise(rng, shape) must return an array of shape {(reps, n)}, got {eps.shape}")
        v.ensure_finite(eps, noise=eps)
    rotated = eps @ Q  # row k: (Qᵀεₖ)ᵀ
    # One triangular solve handles every replication.
    deviations = scipy.linalg.solve_triangular(R, rotated.T, check_finite=False).T
    residuals = eps - rotated @ Q.T  # row k: ((I − P)εₖ)ᵀ
    rss = sigma**2 * np.einsum("kn,kn->k", residuals, residuals)
    return FixedDesignDraws(beta_hat=beta + sigma * deviations, sigma2=rss / n, sigma2_unbiased=rss / (n - p))


def simulate_beta_hat(X, beta, sigma, reps, *, rng=None) -> np.ndarray:
    r"""β̂ over ``reps`` data sets that share the design ``X``: :func:`simulate_estimates`' ``beta_hat``.

    Theory: :math:`\hat\beta \sim \mathcal N(\beta, \sigma^2 (X^\top X)^{-1})`.

    Returns
    -------
    (reps, p) array
        One row of estimates per replication.
    """
    return simulate_estimates(X, beta, sigma, reps, rng=rng).beta_hat


def simulate_sigma2_fixed_design(X, sigma, reps, *, rng=None, noise=None) -> tuple[np.ndarray, np.ndarray]:
    r"""σ̂² = RSS/n and s² = RSS/(n−p) over ``reps`` data sets that share the design ``X``.

    The σ² fields of :func:`simulate_estimates` (β does not affect the residuals, so
    none is needed); ``noise`` as there. Theory: :math:`\mathrm{RSS}/\sigma^2 \sim \chi^2_{n-p}`.

    Returns
    -------
    sigma2_mle, sigma2_unbiased : (reps,) arrays
    """
    p = v.as_design(X).shape[1]
    draws = simulate_estimates(X, np.zeros(p), sigma, reps, rng=rng, noise=noise)
    return draws.sigma2, draws.sigma2_unbiased
