"""Self-checks for chapter 1's exercises (likelihood versus probability).

``check_grid_mle`` checks a learner's grid search for the slope of a line through
the origin, :math:`y_i = \\beta x_i + \\varepsilon_i` with known σ². The last test case
always has many observations, so that a product of densities underflows: a grid
search that multiplies densities instead of adding log-densities fails there, and
the verdict says why.
"""
from __future__ import annotations

import numpy as np

from ._core import check

__all__ = ["check_grid_mle"]

# The size of the last test case: a product of this many densities is exactly 0.0.
_LARGE_N = 1000


def _loglik_grid(y, x, sigma2, grid):
    """ℓ(β) at every grid value, shape (len(grid),); computed in log space."""
    r = y[None, :] - grid[:, None] * x[None, :]
    return -0.5 * (y.size * np.log(2 * np.pi * sigma2) + (r**2).sum(axis=1) / sigma2)


def _reference(y, x, sigma2, grid):
    return float(grid[np.argmax(_loglik_grid(y, x, sigma2, grid))])


def _by_product(y, x, sigma2, grid):
    """The grid search done with a product of densities: argmax of an all-zero array is 0."""
    with np.errstate(under="ignore", over="ignore"):
        dens = np.exp(-0.5 * (y[None, :] - grid[:, None] * x[None, :]) ** 2 / sigma2) / np.sqrt(2 * np.pi * sigma2)
        return float(grid[np.argmax(dens.prod(axis=1))])


def _index(y, x, sigma2, grid):
    return float(np.argmax(_loglik_grid(y, x, sigma2, grid)))


def _minimiser(y, x, sigma2, grid):
    return float(grid[np.argmin(_loglik_grid(y, x, sigma2, grid))])


def _mean_model(y, x, sigma2, grid):
    """Fitting yᵢ ~ N(β, σ²): x ignored."""
    return float(grid[np.argmax(_loglik_grid(y, np.ones_like(x), sigma2, grid))])


def _closed_form(y, x, sigma2, grid):
    return float(x @ y / (x @ x))


_MISTAKES = {
    f"on the test case with n = {_LARGE_N} observations your answer is the first grid point: "
    "the product of that many densities underflows to exactly 0.0 at every grid point, and "
    "np.argmax of an all-zero array is 0. Compare log-likelihoods (sums of log-densities) instead": _by_product,
    "you returned the position of the best grid point (an index), not the grid value itself": _index,
    "you returned the grid point with the *smallest* likelihood: the MLE maximises it (argmax, not argmin)": _minimiser,
    "your search ignores x: it fits yᵢ ~ N(β, σ²), but the model's mean is β·xᵢ": _mean_model,
    "you returned the closed-form slope Σxᵢyᵢ/Σxᵢ², which is not on the grid: "
    "the task is the grid search (return the best grid value)": _closed_form,
}


def _cases():
    """Random problems ``(y, x, sigma2, grid)``: small ones first, then one with n = _LARGE_N."""
    calls = iter(range(10**9))

    def draw(rng):
        large = next(calls) == 2  # the third case of every check is the large one
        n = _LARGE_N if large else int(rng.integers(5, 30))
        beta = rng.uniform(0.5, 1.2) * rng.choice([-1, 1])
        sigma2 = rng.uniform(0.5, 1.5)
        # Positive x away from 1: fitting the mean instead of the slope lands on an interior,
        # different grid point, so that mistake can be told apart from the others.
        x = rng.uniform(1.2, 2.0, size=n)
        y = beta * x + np.sqrt(sigma2) * rng.standard_normal(n)
        beta_hat = x @ y / (x @ x)
        # The grid brackets the maximiser, off-centre, with a spacing that is not a round number.
        grid = np.linspace(beta_hat - rng.uniform(2.0, 3.0), beta_hat + rng.uniform(2.0, 3.0),
                           int(rng.integers(300, 600)))
        return y, x, sigma2, grid

    return draw


def check_grid_mle(fn, *, n_cases: int = 4, rng=None) -> bool:
    """Check a learner's ``fn(y, x, sigma2, grid)`` that returns the grid value maximising L(β; y).

    The model is :math:`y_i = \\beta x_i + \\varepsilon_i`, :math:`\\varepsilon_i \\sim \\mathcal N(0, \\sigma^2)`
    with σ² known. ``fn`` must return one grid value (a number). The third test case has
    1000 observations.

    Example
    -------
    >>> from linreg_mle.checks import check_grid_mle
    >>> check_grid_mle(my_grid_mle)
    ✅ Correct: grid_mle matches the reference on 4 random test cases.
    True
    """
    return check(
        fn,
        _reference,
        what="grid_mle",
        cases=_cases(),
        n_cases=max(int(n_cases), 3),
        rng=rng,
        mistakes=_MISTAKES,
    )
