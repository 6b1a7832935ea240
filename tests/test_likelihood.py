"""The log-likelihood and its derivatives, against scipy and finite differences."""
import numpy as np
import pytest
from scipy.stats import norm

import linreg_mle as lm

PROBLEMS = [(30, [1.0, 2.0], 0.5, 0), (200, [-3.0, 0.5, 1.0, 0.0], 2.0, 1), (12, [10.0], 0.1, 2)]


@pytest.fixture(params=PROBLEMS, ids=lambda case: f"n{case[0]}p{len(case[1])}")
def problem(request):
    """(y, X, beta, sigma2) with beta and sigma2 away from the MLE, so no derivative vanishes."""
    n, beta, sigma, seed = request.param
    X, y = lm.simulate(n, beta, sigma, rng=seed)
    rng = np.random.default_rng(seed + 100)
    return y, X, np.asarray(beta) + rng.normal(0, 0.3, len(beta)), 1.7 * sigma**2


def test_log_likelihood_matches_scipy_logpdf(problem):
    y, X, beta, sigma2 = problem
    expected = norm.logpdf(y, loc=X @ beta, scale=np.sqrt(sigma2))
    np.testing.assert_allclose(lm.log_likelihood_obs(y, X, beta, sigma2), expected, rtol=1e-12)
    np.testing.assert_allclose(lm.log_likelihood(y, X, beta, sigma2), expected.sum(), rtol=1e-12)


def test_obs_terms_sum_to_total_and_nll_is_negative(problem):
    y, X, beta, sigma2 = problem
    total = lm.log_likelihood(y, X, beta, sigma2)
    assert isinstance(total, float)
    assert lm.log_likelihood_obs(y, X, beta, sigma2).shape == y.shape
    np.testing.assert_allclose(lm.log_likelihood_obs(y, X, beta, sigma2).sum(), total, rtol=1e-12)
    assert lm.negative_log_likelihood(y, X, beta, sigma2) == -total


def test_rss(problem):
    y, X, beta, _ = problem
    np.testing.assert_allclose(lm.rss(y, X, beta), np.sum((y - X @ beta) ** 2), rtol=1e-13)


def test_log_likelihood_finite_for_millions_of_observations():
    """The product of 3 million densities underflows to 0; the log-space sum must not."""
    n = 3_000_000
    X = np.ones((n, 1))
    y = np.random.default_rng(0).standard_normal(n)
    assert np.prod(norm.pdf(y[:5000])) == 0.0  # the naive route has died long before n
    ll = lm.log_likelihood(y, X, [0.0], 1.0)
    expected = -0.5 * (n * np.log(2 * np.pi) + y @ y)
    assert np.isfinite(ll)
    np.testing.assert_allclose(ll, expected, rtol=1e-12)


# --- derivatives by central differences ---------------------------------------
# Central differences have truncation error O(h²) and rounding error O(eps·|f|/h);
# h ≈ 1e-5 relative balances the two at ~1e-8 relative accuracy, hence rtol 1e-6.


def _central_gradient(f, x, rel_step=1e-5):
    x = np.asarray(x, dtype=float)
    h = rel_step * np.maximum(1.0, np.abs(x))
    steps = np.diag(h)
    return np.array([(f(x + s) - f(x - s)) / (2 * hi) for s, hi in zip(steps, h)]).T


def test_score_is_gradient_of_log_likelihood(problem):
    y, X, beta, sigma2 = problem
    numeric = _central_gradient(lambda b: lm.log_likelihood(y, X, b, sigma2), beta)
    analytic = lm.score(y, X, beta, sigma2)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * np.abs(analytic).max())
    np.testing.assert_allclose(analytic, X.T @ (y - X @ beta) / sigma2, rtol=1e-12)


def test_hessian_is_jacobian_of_score(problem):
    y, X, beta, sigma2 = problem
    numeric = _central_gradient(lambda b: lm.score(y, X, b, sigma2), beta)
    analytic = lm.hessian(X, sigma2)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * np.abs(analytic).max())
    assert np.all(np.linalg.eigvalsh(analytic) < 0)  # ℓ is strictly concave in β


def test_score_theta_is_gradient_in_beta_and_sigma2(problem):
    y, X, beta, sigma2 = problem
    theta = np.append(beta, sigma2)
    numeric = _central_gradient(lambda t: lm.log_likelihood(y, X, t[:-1], t[-1]), theta)
    analytic = lm.score_theta(y, X, beta, sigma2)
    assert analytic.shape == (len(beta) + 1,)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * np.abs(analytic).max())
    np.testing.assert_array_equal(analytic[:-1], lm.score(y, X, beta, sigma2))


def test_hessian_theta_is_jacobian_of_score_theta(problem):
    y, X, beta, sigma2 = problem
    theta = np.append(beta, sigma2)
    numeric = _central_gradient(lambda t: lm.score_theta(y, X, t[:-1], t[-1]), theta)
    analytic = lm.hessian_theta(y, X, beta, sigma2)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * np.abs(analytic).max())
    np.testing.assert_array_equal(analytic, analytic.T)
    np.testing.assert_allclose(analytic[:-1, :-1], lm.hessian(X, sigma2), rtol=1e-14)


def test_hessian_theta_at_mle_is_block_diagonal():
    X, y = lm.simulate(50, [1.0, -1.0, 0.5], 1.0, rng=3)
    fit = lm.fit_mle(y, X)
    H = lm.hessian_theta(y, X, fit.beta, fit.sigma2)
    np.testing.assert_allclose(H[:-1, -1], 0, atol=1e-10 * np.abs(H).max())
    np.testing.assert_allclose(H[-1, -1], -fit.n / (2 * fit.sigma2**2), rtol=1e-12)


def test_fisher_information_is_average_negative_hessian():
    """I(θ) = E[−∇²ℓ(θ)] at the true θ, estimated over M simulated y with X fixed.

    The β block of −∇²ℓ does not depend on y, so it must match exactly. The other
    entries are sample means with known standard errors: the cross entry
    x_jᵀε/σ⁴ has sd ‖x_j‖/σ³, and the corner RSS/σ⁶ − n/(2σ⁴) has sd √(2n)/σ⁴ (as
    RSS/σ² ~ χ²ₙ). Allowing 4.5 standard errors per entry, a correct formula fails
    with probability < 1e-4 (union bound over the p + 1 random entries), while a
    wrong factor of 2 in the corner is off by n/(2σ⁴) ≈ 11 standard errors here.
    """
    n, beta, sigma, M = 30, np.array([1.0, 2.0, -1.0]), 1.5, 4000
    X, _ = lm.simulate(n, beta, sigma, rng=4)
    sigma2 = sigma**2
    noise = np.random.default_rng(5).standard_normal((M, n))
    neg_hessians = np.array([-lm.hessian_theta(X @ beta + sigma * e, X, beta, sigma2) for e in noise])
    mean = neg_hessians.mean(axis=0)
    info = lm.fisher_information(X, sigma2)
    p = len(beta)
    np.testing.assert_allclose(mean[:p, :p], info[:p, :p], rtol=1e-12)
    se_cross = np.linalg.norm(X, axis=0) / sigma**3 / np.sqrt(M)
    assert np.all(np.abs(mean[:p, p] - info[:p, p]) < 4.5 * se_cross)
    se_corner = np.sqrt(2 * n) / sigma2**2 / np.sqrt(M)
    assert abs(mean[p, p] - n / (2 * sigma2**2)) < 4.5 * se_corner
    assert info[p, p] == pytest.approx(n / (2 * sigma2**2), rel=1e-14)
    np.testing.assert_array_equal(info[:p, p], 0)


def test_log_likelihood_grid_matches_pointwise_evaluation():
    X, y = lm.simulate(40, [2.0, 0.5], 1.0, rng=6)
    b0 = np.linspace(0, 4, 7)
    b1 = np.linspace(-0.5, 1.5, 5)
    grid = lm.log_likelihood_grid(y, X, b0, b1, 1.3)
    assert grid.shape == (b1.size, b0.size)
    pointwise = [[lm.log_likelihood(y, X, [c0, c1], 1.3) for c0 in b0] for c1 in b1]
    np.testing.assert_allclose(grid, pointwise, rtol=1e-12)


def test_log_likelihood_grid_is_accurate_near_the_maximum():
    """Expanding RSS(b) around the fit avoids the cancellation of yᵀy − 2bᵀXᵀy + bᵀXᵀXb."""
    X, y = lm.simulate(500, [1e4, 3.0], 1e-3, rng=7)  # huge ‖y‖, tiny residuals
    fit = lm.fit_mle(y, X)
    b0 = fit.beta[0] + np.array([-1e-4, 0, 1e-4])
    b1 = fit.beta[1] + np.array([-1e-4, 0, 1e-4])
    grid = lm.log_likelihood_grid(y, X, b0, b1, fit.sigma2)
    pointwise = [[lm.log_likelihood(y, X, [c0, c1], fit.sigma2) for c0 in b0] for c1 in b1]
    np.testing.assert_allclose(grid, pointwise, rtol=1e-9)
    assert grid[1, 1] == pytest.approx(fit.loglik, rel=1e-9)
    # The naive expansion loses ~ eps·‖y‖² ≈ 1e-5 against RSS ≈ 5e-4: this test can tell.
    b = np.array([b0[1], b1[1]])
    naive_rss = y @ y - 2 * b @ (X.T @ y) + b @ (X.T @ X) @ b
    naive = -0.5 * (len(y) * np.log(2 * np.pi * fit.sigma2) + naive_rss / fit.sigma2)
    assert abs(naive - fit.loglik) > 1e3 * abs(grid[1, 1] - fit.loglik)
