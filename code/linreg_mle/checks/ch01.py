"""Self-checks for chapter 1's exercises (likelihood versus probability).

``check_grid_mle_2d`` checks a learner's grid search over both parameters of the
spring model :math:`y_i = \\beta x_i + \\varepsilon_i`,
:math:`\\varepsilon_i \\sim \\mathcal N(0, \\sigma^2)`, with σ² unknown, so that
θ = (β, σ²) has d = 2 coordinates. Given a grid of m values of β and a grid of m
values of σ², the answer is the pair (β, σ²), one value from each grid, at which

.. math::
    L(\\beta, \\sigma^2; y) = (2\\pi\\sigma^2)^{-n/2}
    \\exp\\!\\left(-\\frac{\\sum_i (y_i - \\beta x_i)^2}{2\\sigma^2}\\right)

is largest over all m² pairs. The test cases are small (n ≤ 40), so a product of
densities does not underflow there: this check is about searching two axes at once,
not about logarithms.
"""
from __future__ import annotations

import numpy as np

from ._core import Check

__all__ = ["check_grid_mle_2d"]


def _loglik_table(y, x, betas, sigma2s):
    """ℓ(β, σ²) at every pair of the grid: rows β, columns σ²; computed in log space."""
    rss = ((y[None, :] - betas[:, None] * x[None, :]) ** 2).sum(axis=1)
    return -0.5 * (y.size * np.log(2 * np.pi * sigma2s)[None, :] + rss[:, None] / sigma2s[None, :])


def _best(table):
    """Row and column of the largest entry."""
    return np.unravel_index(np.argmax(table), table.shape)


def _reference(y, x, betas, sigma2s):
    i, j = _best(_loglik_table(y, x, betas, sigma2s))
    return np.array([betas[i], sigma2s[j]])


def _indices(y, x, betas, sigma2s):
    return np.array(_best(_loglik_table(y, x, betas, sigma2s)), dtype=float)


def _swapped(y, x, betas, sigma2s):
    return _reference(y, x, betas, sigma2s)[::-1]


def _minimiser(y, x, betas, sigma2s):
    i, j = _best(-_loglik_table(y, x, betas, sigma2s))
    return np.array([betas[i], sigma2s[j]])


def _variance_as_scale(y, x, betas, sigma2s):
    """scipy's ``scale=sigma2``: the density then has variance σ⁴."""
    i, j = _best(_loglik_table(y, x, betas, sigma2s**2))
    return np.array([betas[i], sigma2s[j]])


def _axes_mixed(y, x, betas, sigma2s):
    """The row index read as a σ² index and the column index as a β index."""
    i, j = _best(_loglik_table(y, x, betas, sigma2s))
    return np.array([betas[j], sigma2s[i]])


def _mean_model(y, x, betas, sigma2s):
    """Fitting yᵢ ~ N(β, σ²): x ignored."""
    return _reference(y, np.ones_like(x), betas, sigma2s)


def _exact(y, x, betas, sigma2s):
    beta_hat = x @ y / (x @ x)
    return np.array([beta_hat, np.mean((y - beta_hat * x) ** 2)])


_MISTAKES = {
    "you returned the positions (indices) of the best grid points, not the grid values "
    "β and σ² themselves": _indices,
    "your pair is in the wrong order: return (β, σ²), not (σ², β)": _swapped,
    "you returned the pair with the *smallest* likelihood: the MLE maximises it "
    "(argmax, not argmin)": _minimiser,
    "your σ² is the grid value whose *square* fits best: did you pass the variance as "
    "scale to scipy.stats.norm? scale is the standard deviation σ, so use "
    "np.sqrt(sigma2)": _variance_as_scale,
    "you mixed up the axes of your grid: the row index of your table belongs to one "
    "parameter and the column index to the other (check the shape of your table, and "
    "the indexing of np.meshgrid if you used it)": _axes_mixed,
    "your search ignores x: it fits yᵢ ~ N(β, σ²), but the model's mean is β·xᵢ": _mean_model,
    "you returned the exact maximiser, which is not on the grid: the task is the grid "
    "search (return the best pair of grid values)": _exact,
}


def _cases(rng):
    """A random problem ``(y, x, betas, sigma2s)``: small n, grids of m points each."""
    n = int(rng.integers(8, 41))
    beta = rng.uniform(0.5, 2.0) * rng.choice([-1, 1])
    # σ² never near 1, where σ and σ² (and a σ⁴ mix-up) would pick the same grid point.
    sigma2 = rng.uniform(1.5, 4.0) ** rng.choice([-1, 1])
    while True:
        # Positive loads away from 1: fitting the mean instead of the slope lands on a
        # different grid point, so that mistake can be told apart from the others.
        x = rng.uniform(1.2, 2.5, size=n)
        y = beta * x + np.sqrt(sigma2) * rng.standard_normal(n)
        beta_hat = x @ y / (x @ x)
        sigma2_hat = np.mean((y - beta_hat * x) ** 2)
        if abs(np.log(sigma2_hat)) > 0.4:
            break
    m = int(rng.integers(30, 61))
    # Both grids bracket the maximiser with spacings that are not round, off-centre in
    # opposite ways: β̂ in the lower 40% of its grid, σ̂² in the upper 55-75% of its own.
    # So the best pair never sits at equal row and column indices, and mixing up the
    # axes of the grid always gives a different pair.
    half_width = 4 * np.sqrt(sigma2_hat / (x @ x))
    betas = np.linspace(beta_hat - rng.uniform(1.0, 1.4) * half_width,
                        beta_hat + rng.uniform(2.2, 3.0) * half_width, m)
    sigma2s = np.geomspace(sigma2_hat / rng.uniform(4.0, 6.0), sigma2_hat * rng.uniform(2.0, 3.0), m)
    return y, x, betas, sigma2s


check_grid_mle_2d = Check(
    name="grid_mle_2d", reference=_reference, cases=(_cases,) * 4, mistakes=_MISTAKES,
    doc="""Check ``fn(y, x, betas, sigma2s)``: the grid pair (β, σ²) maximising L(β, σ²; y)
    in the spring model with σ² unknown. ``betas`` and ``sigma2s`` are 1-D grids of the
    same length m (``sigma2s`` holds variances); ``fn`` returns two numbers, β first,
    each a value of its grid.""")
