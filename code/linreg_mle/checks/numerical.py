r"""Self-checks for the unit on finding the maximum numerically.

- :func:`check_best_step`: the constant step of gradient ascent on
  :math:`\ell(\cdot, \sigma^2)` that minimises the worst contraction factor
  :math:`\max_i \lvert 1 - a\lambda_i\rvert` of the error, where :math:`\lambda_i` are the
  eigenvalues of :math:`-\mathbf H = \mathbf X^\top\mathbf X/\sigma^2`:

  .. math::
      a^* = \frac{2}{\lambda_{\min} + \lambda_{\max}}, \qquad
      \max_i \lvert 1 - a^*\lambda_i\rvert = \frac{\kappa - 1}{\kappa + 1}.

The check draws fresh random problems, names the mistakes a learner is likely to make,
and never prints the reference answer.
"""
from __future__ import annotations

import numpy as np

from ._core import Check

__all__ = ["check_best_step"]


def _eigenvalues(X, sigma2):
    return np.linalg.eigvalsh(X.T @ X / sigma2)


def _best_step(X, sigma2):
    lam = _eigenvalues(X, sigma2)
    return 2 / (lam[0] + lam[-1])


def _case(rng):
    """``(X, sigma2)``: p ≥ 3 correlated columns of unequal sizes, σ² far from 1."""
    n, p = int(rng.integers(20, 61)), int(rng.integers(3, 6))
    mixing = np.eye(p) + rng.uniform(0.2, 0.8) * rng.standard_normal((p, p))
    X = rng.standard_normal((n, p)) @ mixing * rng.uniform(0.5, 5.0, size=p)
    sigma2 = float(10.0 ** (rng.uniform(0.7, 2.0) * rng.choice([-1, 1])))
    return X, sigma2


def _from(lam_fn):
    return lambda X, sigma2: lam_fn(_eigenvalues(X, sigma2))


_MISTAKES = {
    "that is the safe step 1/λ_max, not the best one: the best step balances the slowest "
    "direction (λ_min) against the fastest (λ_max)":
        _from(lambda lam: 1 / lam[-1]),
    "that is the stability limit 2/λ_max, where the error along the top eigenvector never "
    "shrinks":
        _from(lambda lam: 2 / lam[-1]),
    "1/λ_min suits only the slowest direction: whenever λ_max > 2λ_min it is beyond the "
    "stability limit 2/λ_max, and the iteration diverges":
        _from(lambda lam: 1 / lam[0]),
    "you left out σ²: the Hessian in β is −XᵀX/σ², so the step scales with σ²":
        lambda X, sigma2: _best_step(X, 1.0),
    "you multiplied XᵀX by σ²: the Hessian in β is −XᵀX/σ², divided by σ²":
        lambda X, sigma2: _best_step(X, 1 / sigma2),
    "you used the singular values of X: the step needs the eigenvalues of XᵀX/σ², which are "
    "their squares divided by σ²":
        lambda X, sigma2: 2 / sum(np.linalg.svd(X, compute_uv=False)[[0, -1]]) * sigma2,
    "you used all the eigenvalues (their mean): only the smallest and the largest matter":
        _from(lambda lam: 1 / lam.mean()),
}


check_best_step = Check(
    name="best_step", reference=_best_step, cases=(_case,) * 3, mistakes=_MISTAKES,
    doc="""Check ``fn(X, sigma2)`` → the best constant step of gradient ascent on
    ℓ(·, σ²), 2/(λ_min + λ_max) for the eigenvalues λ of XᵀX/σ².""")
