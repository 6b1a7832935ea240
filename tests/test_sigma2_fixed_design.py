"""The fixed-design σ² simulator: exact per replication, right moments, custom noise, validation."""
import numpy as np
import pytest
from scipy import stats

import linreg_mle as lm


@pytest.fixture
def design():
    X, _ = lm.simulate(25, [1.0, -2.0, 0.5, 3.0], 1.0, rng=3)
    return X


def test_each_replication_matches_fit_mle(design):
    """Replication k is fit_mle on y_k = X β + σ ε_k with ε_k the k-th row of the same draws."""
    n, p = design.shape
    sigma, reps = 1.7, 5
    mle, unbiased = lm.simulate_sigma2_fixed_design(design, sigma, reps, rng=11)
    eps = np.random.default_rng(11).standard_normal((reps, n))
    beta = np.array([0.3, -1.0, 2.0, 0.0])  # any β: the residuals do not depend on it
    for k in range(reps):
        fit = lm.fit_mle(design @ beta + sigma * eps[k], design)
        np.testing.assert_allclose(mle[k], fit.sigma2, rtol=1e-10)
        np.testing.assert_allclose(unbiased[k], fit.sigma2_unbiased, rtol=1e-10)
    np.testing.assert_allclose(mle * n, unbiased * (n - p), rtol=1e-13)


def test_rss_over_sigma2_is_chi2(design):
    n, p = design.shape
    sigma = 0.6
    _, s2 = lm.simulate_sigma2_fixed_design(design, sigma, 20_000, rng=5)
    scaled = (n - p) * s2 / sigma**2
    assert stats.kstest(scaled, stats.chi2(n - p).cdf).pvalue > 1e-3
    se = np.sqrt(2 * (n - p) / scaled.size)
    assert abs(scaled.mean() - (n - p)) < 4 * se


def test_custom_noise_is_scaled_by_sigma(design):
    n, p = design.shape
    laplace = lambda rng, shape: rng.laplace(scale=2**-0.5, size=shape)  # noqa: E731
    _, s2 = lm.simulate_sigma2_fixed_design(design, 2.0, 20_000, rng=7, noise=laplace)
    # E[s²] = σ² needs only mean 0 and variance σ²; the spread is larger than under normality.
    assert abs(s2.mean() - 4.0) < 4 * s2.std() / np.sqrt(s2.size)
    _, s2_normal = lm.simulate_sigma2_fixed_design(design, 2.0, 20_000, rng=7)
    assert s2.std() > 1.2 * s2_normal.std()


def test_zero_sigma_gives_zero(design):
    mle, unbiased = lm.simulate_sigma2_fixed_design(design, 0.0, 3, rng=0)
    assert not mle.any() and not unbiased.any()


@pytest.mark.parametrize(
    "X, kwargs, match",
    [
        (np.ones((3, 3)), {}, "more rows than columns"),
        (np.column_stack([np.ones(6), np.ones(6)]), {}, "rank deficient"),
        (np.eye(4)[:, :2], {"noise": lambda rng, shape: np.zeros(3)}, "noise"),
        (np.eye(4)[:, :2], {"noise": lambda rng, shape: np.full(shape, np.nan)}, "noise"),
    ],
)
def test_validation(X, kwargs, match):
    with pytest.raises(ValueError, match=match):
        lm.simulate_sigma2_fixed_design(X, 1.0, 3, rng=0, **kwargs)


def test_reps_must_be_positive_integer(design):
    with pytest.raises(ValueError, match="reps"):
        lm.simulate_sigma2_fixed_design(design, 1.0, 0)
