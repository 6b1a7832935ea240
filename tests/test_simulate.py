"""Simulators: the data-generating process, and batched Monte Carlo against loops of fits."""
import numpy as np
import pytest
from scipy import stats

import linreg_mle as lm


def test_simulate_shapes_and_design():
    X, y = lm.simulate(50, [1.0, 2.0, 3.0], 0.5, rng=0)
    assert X.shape == (50, 3) and y.shape == (50,)
    np.testing.assert_array_equal(X[:, 0], 1.0)
    assert np.std(X[:, 1:]) > 0.5


def test_simulate_is_reproducible_from_seed_or_generator():
    a = lm.simulate(20, [1.0, -1.0], 1.0, rng=7)
    b = lm.simulate(20, [1.0, -1.0], 1.0, rng=np.random.default_rng(7))
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    c = lm.simulate(20, [1.0, -1.0], 1.0, rng=8)
    assert not np.array_equal(a[1], c[1])


def test_simulate_with_zero_noise_is_exact():
    X, y = lm.simulate(10, [3.0, -2.0], 0.0, rng=1)
    np.testing.assert_array_equal(y, X @ [3.0, -2.0])


def test_simulate_noise_is_gaussian_with_sd_sigma():
    """Residuals from the true β are N(0, σ²): a KS test at α = 1e-3 (the seed is fixed)."""
    beta, sigma = np.array([1.0, 2.0]), 3.0
    X, y = lm.simulate(5000, beta, sigma, rng=2)
    assert stats.kstest((y - X @ beta) / sigma, "norm").pvalue > 1e-3
    assert stats.kstest(X[:, 1], "norm").pvalue > 1e-3


def test_sigma2_estimates_equal_a_loop_of_fits_on_the_same_stream():
    """Replication k of the batch uses exactly the draws of the k-th simulate call (β is irrelevant)."""
    n, p, sigma, reps = 12, 3, 1.7, 5
    sigma2_mle, s2 = lm.simulate_sigma2_estimates(n, p, sigma, reps, rng=3)
    rng = np.random.default_rng(3)
    fits = [lm.fit_mle(*lm.simulate(n, [4.0, -1.0, 2.0], sigma, rng=rng)[::-1]) for _ in range(reps)]
    np.testing.assert_allclose(sigma2_mle, [f.sigma2 for f in fits], rtol=1e-10)
    np.testing.assert_allclose(s2, [f.sigma2_unbiased for f in fits], rtol=1e-10)


def test_sigma2_mle_is_biased_by_n_minus_p_over_n():
    """E[σ̂²] = (n−p)/n·σ² and E[s²] = σ²; the Monte Carlo error is the sample sd / √reps.

    With n = 10, p = 4 the bias, 0.4σ², is ~70 standard errors: a wrong factor cannot pass.
    """
    n, p, sigma, reps = 10, 4, 2.0, 20_000
    sigma2_mle, s2 = lm.simulate_sigma2_estimates(n, p, sigma, reps, rng=4)
    assert sigma2_mle.shape == s2.shape == (reps,)
    for samples, expected in [(sigma2_mle, (n - p) / n * sigma**2), (s2, sigma**2)]:
        standard_error = samples.std(ddof=1) / np.sqrt(reps)
        assert abs(samples.mean() - expected) < 4 * standard_error
    # RSS/σ² ~ χ²(n − p), the full distribution, not just its mean.
    assert stats.kstest(n * sigma2_mle / sigma**2, stats.chi2(n - p).cdf).pvalue > 1e-3


def test_beta_hat_equals_a_loop_of_fits_on_the_same_stream():
    X, _ = lm.simulate(15, [1.0, 2.0, -1.0], 1.0, rng=5)
    beta, sigma, reps = np.array([1.0, 2.0, -1.0]), 0.7, 4
    batch = lm.simulate_beta_hat(X, beta, sigma, reps, rng=6)
    rng = np.random.default_rng(6)
    loop = [lm.fit_mle(X @ beta + sigma * rng.standard_normal(15), X).beta for _ in range(reps)]
    assert batch.shape == (reps, 3)
    np.testing.assert_allclose(batch, loop, rtol=1e-10)


def test_beta_hat_is_unbiased_with_covariance_sigma2_inverse_gram():
    X, _ = lm.simulate(20, [0.0, 0.0], 1.0, rng=7)
    beta, sigma, reps = np.array([1.0, -2.0]), 1.5, 20_000
    draws = lm.simulate_beta_hat(X, beta, sigma, reps, rng=8)
    cov = sigma**2 * np.linalg.inv(X.T @ X)
    standard_errors = np.sqrt(np.diag(cov) / reps)
    assert np.all(np.abs(draws.mean(axis=0) - beta) < 4 * standard_errors)
    # Sample variances: relative sd √(2/(reps−1)) ≈ 1%, so 5% is > 4 sd.
    np.testing.assert_allclose(np.cov(draws.T), cov, rtol=0.05, atol=0.05 * np.abs(cov).max())


@pytest.mark.parametrize("fn", ["simulate_sigma2_estimates", "simulate_beta_hat"])
def test_batched_simulators_are_reproducible(fn):
    X, _ = lm.simulate(10, [1.0, 1.0], 1.0, rng=0)
    call = {
        "simulate_sigma2_estimates": lambda rng: lm.simulate_sigma2_estimates(10, 2, 1.0, 50, rng=rng),
        "simulate_beta_hat": lambda rng: lm.simulate_beta_hat(X, [1.0, 1.0], 1.0, 50, rng=rng),
    }[fn]
    np.testing.assert_array_equal(call(9), call(np.random.default_rng(9)))


def test_simulate_estimates_pairs_beta_hat_and_sigma2_from_the_same_data_sets():
    rng = np.random.default_rng(5)
    X = np.c_[np.ones(12), rng.standard_normal((12, 2))]
    beta, sigma, reps = np.array([1.0, -2.0, 0.5]), 1.5, 4
    draws = lm.simulate_estimates(X, beta, sigma, reps, rng=np.random.default_rng(9))
    # Rebuild every data set from the same stream and fit it from scratch.
    noise = np.random.default_rng(9).standard_normal((reps, 12))
    for k in range(reps):
        fit = lm.fit_mle(X @ beta + sigma * noise[k], X)
        np.testing.assert_allclose(draws.beta_hat[k], fit.beta, rtol=1e-10)
        np.testing.assert_allclose(draws.sigma2[k], fit.sigma2, rtol=1e-10)
        np.testing.assert_allclose(draws.sigma2_unbiased[k], fit.sigma2_unbiased, rtol=1e-10)


def test_simulate_estimates_wrappers_agree_with_it():
    X = np.c_[np.ones(15), np.arange(15.0)]
    draws = lm.simulate_estimates(X, [1.0, 2.0], 0.7, 50, rng=3)
    np.testing.assert_array_equal(lm.simulate_beta_hat(X, [1.0, 2.0], 0.7, 50, rng=3), draws.beta_hat)
    mle, unbiased = lm.simulate_sigma2_fixed_design(X, 0.7, 50, rng=3)
    np.testing.assert_array_equal(mle, draws.sigma2)
    np.testing.assert_array_equal(unbiased, draws.sigma2_unbiased)
