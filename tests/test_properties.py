"""Properties of the MLE that hold for every shape and scale (hypothesis)."""
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import linreg_mle as lm

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)


@st.composite
def regression_problems(draw):
    """A full-rank problem with n > p, columns and response on scales from 1e-4 to 1e4."""
    p = draw(st.integers(1, 6))
    n = draw(st.integers(p + 2, 80))
    seed = draw(st.integers(0, 2**32 - 1))
    column_scales = 10.0 ** np.array(draw(st.lists(st.integers(-4, 4), min_size=p, max_size=p)))
    y_scale = 10.0 ** draw(st.integers(-4, 4))
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))]) * column_scales
    y = y_scale * (X @ rng.standard_normal(p) / column_scales.max() + rng.standard_normal(n))
    return y, X


@SETTINGS
@given(regression_problems())
def test_score_vanishes_at_the_mle(problem):
    """Xᵀr̂ = 0, to rounding relative to the sizes of X and y."""
    y, X = problem
    fit = lm.fit_mle(y, X)
    score = lm.score(y, X, fit.beta, fit.sigma2) * fit.sigma2  # = Xᵀr̂
    tolerance = 1e-10 * np.linalg.norm(X, axis=0) * np.linalg.norm(y)
    assert np.all(np.abs(score) <= tolerance)
    assert abs(lm.score_theta(y, X, fit.beta, fit.sigma2)[-1]) * fit.sigma2 <= 1e-10 * fit.n


@SETTINGS
@given(regression_problems(), st.integers(0, 2**32 - 1))
def test_mle_beats_every_perturbation(problem, seed):
    y, X = problem
    fit = lm.fit_mle(y, X)
    rng = np.random.default_rng(seed)
    # Perturb each coefficient by about one standard error, and σ² by ±10%.
    beta = fit.beta + fit.se * rng.standard_normal(fit.p)
    sigma2 = fit.sigma2 * rng.choice([0.9, 1.1])
    assert fit.loglik >= lm.log_likelihood(y, X, beta, fit.sigma2)
    assert fit.loglik >= lm.log_likelihood(y, X, fit.beta, sigma2)
    assert fit.loglik >= lm.log_likelihood(y, X, beta, sigma2)


@SETTINGS
@given(regression_problems(), st.floats(1e-3, 1e3))
def test_observation_terms_sum_to_the_total(problem, sigma2):
    y, X = problem
    beta = np.zeros(X.shape[1])
    terms = lm.log_likelihood_obs(y, X, beta, sigma2)
    total = lm.log_likelihood(y, X, beta, sigma2)
    assert terms.shape == y.shape
    np.testing.assert_allclose(terms.sum(), total, rtol=1e-10, atol=1e-10 * np.abs(terms).sum())


@SETTINGS
@given(regression_problems())
def test_fit_mle_agrees_with_lapack_least_squares(problem):
    """Compared through the fitted values Xβ̂, which do not depend on the scale of each column."""
    y, X = problem
    fit = lm.fit_mle(y, X)
    expected, (rss,), *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(X @ fit.beta, X @ expected, rtol=0, atol=1e-9 * np.linalg.norm(y))
    assert abs(fit.rss - rss) <= 1e-9 * (y @ y)
    assert np.all(np.linalg.eigvalsh(lm.fisher_information(X, fit.sigma2)) > 0)
