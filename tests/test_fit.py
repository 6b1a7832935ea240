"""Fits: statsmodels, NIST Longley, and the iterative routes to the same maximum."""
import dataclasses

import numpy as np
import pytest
import scipy.linalg
import statsmodels.api as sm
from statsmodels.datasets import longley

import linreg_mle as lm
from designs import designs


def _problem(n, p, rng):
    X, y = lm.simulate(n, rng.normal(0, 3, p), rng.uniform(0.1, 5), rng=rng)
    return y, X


PROBLEMS = {name: (X, y) for name, (y, X) in designs(_problem).items()}


@pytest.mark.parametrize("name", PROBLEMS)
def test_fit_mle_matches_statsmodels(name):
    X, y = PROBLEMS[name]
    fit = lm.fit_mle(y, X)
    ref = sm.OLS(y, X).fit()
    np.testing.assert_allclose(fit.beta, ref.params, rtol=1e-9, atol=1e-12 * np.abs(ref.params).max())
    assert fit.loglik == pytest.approx(ref.llf, rel=1e-11)  # llf uses σ̂² = RSS/n
    assert fit.sigma2_unbiased == pytest.approx(ref.scale, rel=1e-10)  # scale = RSS/(n − p)
    assert fit.rss == pytest.approx(ref.ssr, rel=1e-10)
    np.testing.assert_allclose(fit.se_unbiased, ref.bse, rtol=1e-9)  # bse uses scale
    np.testing.assert_allclose(fit.cov_beta_unbiased, ref.cov_params(), rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(fit.residuals, ref.resid, rtol=1e-8, atol=1e-10 * np.abs(y).max())


def test_result_fields_are_consistent():
    X, y = PROBLEMS["medium"]
    fit = lm.fit_mle(y, X)
    n, p = X.shape
    assert (fit.n, fit.p, fit.n_iter, fit.converged) == (n, p, 0, True)
    assert fit.sigma2 == pytest.approx(fit.rss / n, rel=1e-15)
    assert fit.sigma2_unbiased == pytest.approx(fit.rss / (n - p), rel=1e-15)
    np.testing.assert_allclose(fit.cov_beta, fit.sigma2 * np.linalg.inv(X.T @ X), rtol=1e-10)
    np.testing.assert_allclose(fit.cov_beta_unbiased * (n - p) / n, fit.cov_beta, rtol=1e-14)
    np.testing.assert_allclose(fit.se, np.sqrt(np.diag(fit.cov_beta)), rtol=1e-14)
    np.testing.assert_allclose(fit.se_unbiased, np.sqrt(np.diag(fit.cov_beta_unbiased)), rtol=1e-14)
    assert fit.loglik == pytest.approx(lm.log_likelihood(y, X, fit.beta, fit.sigma2), rel=1e-14)
    np.testing.assert_allclose(lm.score(y, X, fit.beta, fit.sigma2), 0, atol=1e-10 * np.abs(X.T @ y).max())
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.beta = None


def test_cov_beta_is_inverse_observed_information():
    """At the MLE, the β block of −(∇²ℓ)⁻¹ is σ̂²(XᵀX)⁻¹ (the cross block vanishes there)."""
    X, y = PROBLEMS["medium"]
    fit = lm.fit_mle(y, X)
    inverse_information = np.linalg.inv(-lm.hessian_theta(y, X, fit.beta, fit.sigma2))
    np.testing.assert_allclose(fit.cov_beta, inverse_information[:-1, :-1], rtol=1e-8)
    assert inverse_information[-1, -1] == pytest.approx(2 * fit.sigma2**2 / fit.n, rel=1e-8)



@pytest.mark.parametrize("name", PROBLEMS)
def test_unscaled_cov_is_cov_beta_per_unit_sigma2(name):
    X, y = PROBLEMS[name]
    fit = lm.fit_mle(y, X)
    unscaled = lm.unscaled_cov(X)
    np.testing.assert_allclose(fit.sigma2 * unscaled, fit.cov_beta, rtol=1e-13)
    np.testing.assert_array_equal(unscaled, unscaled.T)
    reference = sm.OLS(y, X).fit().normalized_cov_params
    np.testing.assert_allclose(unscaled, reference, rtol=1e-8, atol=1e-12 * np.abs(reference).max())


def test_unscaled_cov_of_a_square_design_and_its_refusals():
    X = np.array([[2.0, 1.0], [0.0, 3.0]])  # n = p: (XᵀX)⁻¹ = X⁻¹X⁻ᵀ exists
    X_inv = np.array([[0.5, -1 / 6], [0.0, 1 / 3]])
    np.testing.assert_allclose(lm.unscaled_cov(X), X_inv @ X_inv.T, rtol=1e-14)
    with pytest.raises(ValueError, match="rank deficient"):
        lm.unscaled_cov(np.c_[X[:, 0], 2 * X[:, 0]])
    with pytest.raises(ValueError, match="rank deficient"):
        lm.unscaled_cov(np.ones((1, 2)))  # n < p
    with pytest.raises(ValueError, match="NaN or inf"):
        lm.unscaled_cov(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="2-D"):
        lm.unscaled_cov(np.ones(3))

# --- NIST StRD Longley ---------------------------------------------------------
# Certified values, https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml, in the
# order of statsmodels' columns after a leading constant:
# GNPDEFL (GNP deflator), GNP, UNEMP, ARMED (armed forces), POP, YEAR.
LONGLEY_BETA = np.array([
    -3482258.63459582, 15.0618722713733, -0.358191792925910e-01, -2.02022980381683,
    -1.03322686717359, -0.511041056535807e-01, 1829.15146461355,
])
LONGLEY_SE = np.array([
    890420.383607373, 84.9149257747669, 0.334910077722432e-01, 0.488399681651699,
    0.214274163161675, 0.226073200069370, 455.478499142212,
])
LONGLEY_RESIDUAL_SD = 304.854073561965


def _longley():
    data = longley.load_pandas()
    assert list(data.exog.columns) == ["GNPDEFL", "GNP", "UNEMP", "ARMED", "POP", "YEAR"]
    return data.endog.to_numpy(), np.column_stack([np.ones(len(data.endog)), data.exog.to_numpy()])


def _significant_digits(estimate, certified):
    """NIST's log relative error: the number of leading digits that agree, worst coefficient."""
    return float(np.min(-np.log10(np.abs(estimate - certified) / np.abs(certified))))


def test_longley_matches_nist_to_9_digits_and_beats_the_normal_equations():
    y, X = _longley()
    fit = lm.fit_mle(y, X)
    digits = _significant_digits(fit.beta, LONGLEY_BETA)
    assert digits >= 9
    assert _significant_digits(fit.se_unbiased, LONGLEY_SE) >= 9
    unscaled_se = np.sqrt(fit.sigma2_unbiased * np.diag(lm.unscaled_cov(X)))
    assert _significant_digits(unscaled_se, LONGLEY_SE) >= 9
    assert np.sqrt(fit.sigma2_unbiased) == pytest.approx(LONGLEY_RESIDUAL_SD, rel=1e-9)
    # Solving XᵀXβ = Xᵀy squares cond(X) ≈ 5e9 and loses what QR keeps.
    normal_equations = np.linalg.solve(X.T @ X, X.T @ y)
    assert _significant_digits(normal_equations, LONGLEY_BETA) < digits - 1


def test_newton_on_longley_matches_the_closed_form():
    y, X = _longley()
    fit = lm.fit_numerical(y, X)
    assert fit.converged
    assert _significant_digits(fit.beta, lm.fit_mle(y, X).beta) >= 7


# --- iterative fits -------------------------------------------------------------


@pytest.mark.parametrize("name", PROBLEMS)
def test_newton_matches_closed_form(name):
    X, y = PROBLEMS[name]
    closed = lm.fit_mle(y, X)
    fit = lm.fit_numerical(y, X)
    assert fit.converged and 0 < fit.n_iter < 50
    np.testing.assert_allclose(fit.beta, closed.beta, rtol=1e-6, atol=1e-9 * np.abs(closed.beta).max())
    assert fit.sigma2 == pytest.approx(closed.sigma2, rel=1e-6)
    assert fit.loglik == pytest.approx(closed.loglik, rel=1e-10)
    np.testing.assert_allclose(fit.se, closed.se, rtol=1e-6)


@pytest.mark.parametrize(
    "beta0, sigma2_0",
    [(None, None), ([1e4, -1e4, 3e3, 0.0], None), (None, 1e-8), (None, 1e8), ([50.0, 50.0, 50.0, 50.0], 1e-6)],
)
def test_newton_converges_from_arbitrary_starts(beta0, sigma2_0):
    X, y = PROBLEMS["medium"]
    closed = lm.fit_mle(y, X)
    fit = lm.fit_numerical(y, X, beta0=beta0, sigma2_0=sigma2_0)
    assert fit.converged
    np.testing.assert_allclose(fit.beta, closed.beta, rtol=1e-6)
    assert fit.sigma2 == pytest.approx(closed.sigma2, rel=1e-6)


def test_bfgs_reaches_the_same_maximum():
    X, y = PROBLEMS["medium"]
    closed = lm.fit_mle(y, X)
    fit = lm.fit_numerical(y, X, method="bfgs")
    assert fit.converged and fit.n_iter > 0
    np.testing.assert_allclose(fit.beta, closed.beta, rtol=1e-6)
    assert fit.sigma2 == pytest.approx(closed.sigma2, rel=1e-6)


def test_newton_needs_fewer_iterations_than_bfgs():
    X, y = PROBLEMS["medium"]
    newton = lm.fit_numerical(y, X, method="newton")
    bfgs = lm.fit_numerical(y, X, method="bfgs")
    assert newton.n_iter < bfgs.n_iter


@pytest.mark.parametrize("method", ["newton", "bfgs"])
def test_iteration_limit_returns_unconverged_result(method):
    X, y = PROBLEMS["medium"]
    fit = lm.fit_numerical(y, X, beta0=[100.0, -100.0, 100.0, -100.0], method=method, max_iter=1)
    assert not fit.converged
    assert fit.n_iter == 1
    assert np.all(np.isfinite(fit.beta)) and fit.sigma2 > 0


def test_exact_fit_has_no_mle():
    X = np.column_stack([np.ones(5), np.arange(5.0)])
    with pytest.raises(ValueError, match="fitted exactly"):
        lm.fit_mle(2 + 3 * X[:, 1], X)


def test_fit_mle_never_forms_the_normal_equations():
    """Accuracy on a design whose Gram matrix is numerically singular, but X is not."""
    t = np.linspace(0, 1, 50)
    X = np.column_stack([np.ones_like(t), t, t + 1e-9 * np.sin(7 * t)])
    beta = np.array([1.0, 2.0, 3.0])
    y = X @ beta + 1e-12 * np.cos(11 * t)
    assert np.linalg.cond(X) < 1e11 and np.linalg.cond(X.T @ X) > 1e16
    expected = scipy.linalg.lstsq(X, y, lapack_driver="gelsd")[0]
    np.testing.assert_allclose(lm.fit_mle(y, X).beta, expected, rtol=1e-4)


# --- Rank is a property of the column space, not of the columns' units ---------------


def _badly_scaled_problem():
    """Columns of size 1e4, 1 and 1e-13: cond(X) ≈ 1e18, yet ≈ 20 once equilibrated."""
    rng = np.random.default_rng(11)
    t = rng.uniform(0, 1, 50)
    X = np.c_[1e4 * np.ones(50), t, 1e-13 * t**2]
    y = X @ np.array([2e-4, 1.0, 3e12]) + 0.01 * rng.standard_normal(50)
    return y, X


def test_badly_scaled_full_rank_design_fits_to_full_accuracy():
    y, X = _badly_scaled_problem()
    scale = np.linalg.norm(X, axis=0)
    # Reference: the same problem in equilibrated columns, solved by an SVD.
    reference = np.linalg.lstsq(X / scale, y, rcond=None)[0] / scale
    fit = lm.fit_mle(y, X)
    np.testing.assert_allclose(fit.beta, reference, rtol=1e-9)
    # numpy's default cut-off, judged on the raw singular values, drops the last column.
    raw = np.linalg.lstsq(X, y, rcond=None)[0]
    assert abs(raw[2] - reference[2]) > 0.5 * abs(reference[2])


@pytest.mark.parametrize("factor", [1e-13, 1.0, 1e8])
def test_exact_collinearity_is_refused_at_every_scale(factor):
    y, X = _badly_scaled_problem()
    collinear = np.c_[X[:, :2], factor * X[:, 1]]
    with pytest.raises(ValueError, match=r"X is rank deficient: rank 2 < 3 columns"):
        lm.fit_mle(y, collinear)
