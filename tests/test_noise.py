"""Other noise laws: the log-likelihood against scipy.stats, LAD against statsmodels and
a primal LP, the Student-t EM against scipy.optimize, and every refusal."""
import dataclasses

import numpy as np
import pytest
import scipy.optimize
import statsmodels.api as sm
from scipy import stats

import linreg_mle as lm

SCIPY_LAW = {"gaussian": stats.norm, "laplace": stats.laplace, "logistic": stats.logistic, "t": stats.t}


def _problem(n, p, seed, noise="t3", column_scales=None):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    if column_scales is not None:
        X = X * column_scales
    beta = rng.normal(0, 2, p)
    err = {"t3": lambda: rng.standard_t(3, n), "laplace": lambda: rng.laplace(size=n),
           "gaussian": lambda: rng.normal(size=n)}[noise]()
    return X @ beta + 0.7 * err, X


PROBLEMS = {
    "small": _problem(9, 2, 0),
    "medium": _problem(60, 3, 1, "laplace"),
    "wide": _problem(40, 8, 2, "gaussian"),
    "scaled": _problem(120, 3, 3, column_scales=[1e3, 1e-3, 50.0]),
    "big": _problem(1500, 4, 4),
}


# --- log_likelihood_noise ------------------------------------------------------------


@pytest.mark.parametrize("noise, df", [("gaussian", None), ("laplace", None), ("logistic", None),
                                       ("t", 0.5), ("t", 1.0), ("t", 3.0), ("t", 30.0)])
@pytest.mark.parametrize("name", ["small", "medium", "scaled"])
@pytest.mark.parametrize("scale", [0.05, 1.0, 7.5])
def test_log_likelihood_noise_is_the_sum_of_scipy_logpdfs(name, noise, df, scale):
    y, X = PROBLEMS[name]
    beta = np.linalg.lstsq(X, y, rcond=None)[0] + 0.1 / np.abs(X).max(axis=0)
    r = y - X @ beta
    args = () if df is None else (df,)
    expected = SCIPY_LAW[noise].logpdf(r, *args, scale=scale).sum()
    got = lm.log_likelihood_noise(y, X, beta, scale, noise=noise, df=df)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_gaussian_scale_is_sigma_not_sigma2():
    y, X = PROBLEMS["medium"]
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    assert lm.log_likelihood_noise(y, X, beta, 1.7) == pytest.approx(
        lm.log_likelihood(y, X, beta, 1.7**2), rel=1e-13)


def test_logistic_does_not_overflow_far_in_the_tails():
    X = np.ones((3, 1))
    y = np.array([-800.0, 0.0, 900.0])
    expected = stats.logistic.logpdf(y, scale=1.0).sum()
    assert np.isfinite(expected)
    assert lm.log_likelihood_noise(y, X, [0.0], 1.0, "logistic") == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("kwargs, match", [
    (dict(noise="cauchy"), r"noise must be one of 'gaussian', 'laplace', 'logistic', 't', got 'cauchy'"),
    (dict(noise="Gaussian"), r"noise must be one of"),
    (dict(noise=None), r"noise must be one of"),
    (dict(noise="t"), r"noise='t' needs df"),
    (dict(noise="laplace", df=3), r"df is used only with noise='t'"),
    (dict(noise="t", df=0), r"df must be a finite number > 0, got 0"),
    (dict(noise="t", df=-2.0), r"df must be a finite number > 0"),
    (dict(noise="t", df=np.nan), r"df must be a finite number > 0"),
    (dict(noise="t", df=np.inf), r"df must be a finite number > 0"),
    (dict(scale=0.0), r"scale must be a finite number > 0, got 0.0"),
    (dict(scale=-1.0), r"scale must be a finite number > 0"),
    (dict(scale=np.nan), r"scale must be a finite number > 0"),
    (dict(scale=[1.0, 2.0]), r"scale must be a single number"),
])
def test_log_likelihood_noise_refuses_bad_arguments(kwargs, match):
    y, X = PROBLEMS["small"]
    args = dict(scale=1.0) | kwargs
    with pytest.raises(ValueError, match=match):
        lm.log_likelihood_noise(y, X, np.zeros(2), **args)


@pytest.mark.parametrize("where", ["y", "X", "beta"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("noise", ["gaussian", "laplace", "logistic", "t"])
def test_log_likelihood_noise_names_a_non_finite_input(where, bad, noise):
    y, X = PROBLEMS["small"]
    y, X, beta = y.copy(), X.copy(), np.array([0.5, -0.25])
    {"y": y, "X": X, "beta": beta}[where].flat[1] = bad
    with pytest.raises(ValueError, match=rf"{where} contains NaN or inf"):
        lm.log_likelihood_noise(y, X, beta, 1.0, noise=noise, df=3 if noise == "t" else None)


def test_log_likelihood_noise_refuses_mismatched_shapes():
    y, X = PROBLEMS["small"]
    with pytest.raises(ValueError, match="beta must have length p = 2"):
        lm.log_likelihood_noise(y, X, np.zeros(3), 1.0)
    with pytest.raises(ValueError, match="X has 9 rows but y has 8 entries"):
        lm.log_likelihood_noise(y[:-1], X, np.zeros(2), 1.0)


# --- fit_laplace -----------------------------------------------------------------------


def _primal_lad(y, X):
    """An independent LAD solver: the primal LP in (β, u⁺, u⁻)."""
    n, p = X.shape
    c = np.concatenate([np.zeros(p), np.ones(2 * n)])
    A = np.hstack([X, np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * p + [(0, None)] * (2 * n)
    res = scipy.optimize.linprog(c, A_eq=A, b_eq=y, bounds=bounds, method="highs")
    assert res.status == 0
    return res.fun


@pytest.mark.parametrize("name", PROBLEMS)
def test_fit_laplace_is_no_worse_than_statsmodels_quantreg(name):
    y, X = PROBLEMS[name]
    fit = lm.fit_laplace(y, X)
    quantreg = sm.QuantReg(y, X).fit(q=0.5)
    sad = np.abs(y - X @ fit.beta).sum()
    assert sad <= np.abs(y - X @ quantreg.params).sum()
    if name != "big":
        assert sad == pytest.approx(_primal_lad(y, X), rel=1e-9)
    np.testing.assert_allclose(fit.beta, quantreg.params, rtol=1e-4, atol=1e-4 * np.abs(quantreg.params).max())


@pytest.mark.parametrize("name", PROBLEMS)
def test_fit_laplace_fields(name):
    y, X = PROBLEMS[name]
    n, p = X.shape
    fit = lm.fit_laplace(y, X)
    assert isinstance(fit, lm.LaplaceResult)
    assert (fit.n, fit.p) == (n, p)
    np.testing.assert_allclose(fit.residuals, y - X @ fit.beta, rtol=0, atol=1e-12 * np.abs(y).max())
    assert fit.scale == pytest.approx(np.abs(fit.residuals).mean(), rel=1e-14)
    assert fit.loglik == pytest.approx(stats.laplace.logpdf(fit.residuals, scale=fit.scale).sum(), rel=1e-12)
    assert fit.loglik == pytest.approx(lm.log_likelihood_noise(y, X, fit.beta, fit.scale, "laplace"), rel=1e-12)
    # A vertex of the solution polytope fits (at least) p observations exactly.
    assert np.sort(np.abs(fit.residuals))[p - 1] <= 1e-9 * np.abs(y).max()
    with pytest.raises(dataclasses.FrozenInstanceError):
        fit.beta = None


def test_laplace_scale_mle_is_the_mean_absolute_residual():
    y, X = PROBLEMS["medium"]
    fit = lm.fit_laplace(y, X)
    ll = lambda b: lm.log_likelihood_noise(y, X, fit.beta, b, "laplace")  # noqa: E731
    for factor in (0.5, 0.9, 0.999, 1.001, 1.1, 2.0):
        assert ll(fit.scale * factor) < fit.loglik
    assert fit.loglik == pytest.approx(-fit.n * np.log(2 * fit.scale) - fit.n, rel=1e-14)


def test_laplace_beats_every_nearby_beta():
    y, X = PROBLEMS["medium"]
    fit = lm.fit_laplace(y, X)
    sad = np.abs(fit.residuals).sum()
    rng = np.random.default_rng(9)
    for step in rng.normal(size=(200, X.shape[1])) * np.logspace(-6, 0, 200)[:, None]:
        assert np.abs(y - X @ (fit.beta + step)).sum() >= sad * (1 - 1e-14)


def test_laplace_solution_set_can_be_an_interval():
    """Intercept only, an even number of points: every value between the middle two is a median."""
    y = np.array([3.0, -1.0, 10.0, 0.5, 7.0, 2.0])
    X = np.ones((6, 1))
    fit = lm.fit_laplace(y, X)
    lo, hi = np.sort(y)[2:4]
    assert lo - 1e-12 <= fit.beta[0] <= hi + 1e-12
    sad = np.abs(fit.residuals).sum()
    for m in np.linspace(lo, hi, 7):
        assert np.abs(y - m).sum() == pytest.approx(sad, rel=1e-14)
    assert np.abs(y - (hi + 0.1)).sum() > sad and np.abs(y - (lo - 0.1)).sum() > sad


def test_fit_laplace_is_equivariant_under_column_scaling():
    y, X = PROBLEMS["medium"]
    scales = np.array([1e4, 1.0, 1e-9])
    a, b = lm.fit_laplace(y, X), lm.fit_laplace(y, X * scales)
    np.testing.assert_allclose(b.beta * scales, a.beta, rtol=1e-8)
    assert b.scale == pytest.approx(a.scale, rel=1e-9)


# --- fit_laplace_many ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["small", "medium", "wide", "scaled"])
def test_fit_laplace_many_equals_fit_laplace_row_by_row(name):
    y, X = PROBLEMS[name]
    rng = np.random.default_rng(3)
    Y = y + rng.standard_t(2, size=(25, y.size)) * np.abs(y).mean()
    beta, scale = lm.fit_laplace_many(Y, X)
    assert beta.shape == (25, X.shape[1]) and scale.shape == (25,)
    for k in range(25):
        one = lm.fit_laplace(Y[k], X)
        assert np.abs(Y[k] - X @ beta[k]).sum() == pytest.approx(np.abs(one.residuals).sum(), rel=1e-12)
        assert scale[k] == pytest.approx(one.scale, rel=1e-12)


def test_fit_laplace_many_across_several_stacked_programmes():
    """More rows than one stacked programme holds: every batch, the last one short, is right."""
    from linreg_mle.noise import _LAD_BATCH

    y, X = PROBLEMS["small"]
    rng = np.random.default_rng(4)
    reps = 2 * _LAD_BATCH + 7
    Y = y + rng.laplace(size=(reps, y.size))
    beta, scale = lm.fit_laplace_many(Y, X)
    assert beta.shape == (reps, X.shape[1])
    for k in [0, _LAD_BATCH - 1, _LAD_BATCH, 2 * _LAD_BATCH, reps - 1]:
        one = lm.fit_laplace(Y[k], X)
        assert np.abs(Y[k] - X @ beta[k]).sum() == pytest.approx(np.abs(one.residuals).sum(), rel=1e-12)
        assert scale[k] == pytest.approx(one.scale, rel=1e-12)


def test_fit_laplace_many_polishes_a_degenerate_row():
    """Ties in |r| (the parallelogram data) and a singular p × p block still give a minimiser."""
    X = np.column_stack([np.ones(4), [0.0, 0.0, 1.0, 1.0]])
    Y = np.array([[0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 0.5, 2.0]])
    beta, scale = lm.fit_laplace_many(Y, X)
    for k in range(2):
        assert np.abs(Y[k] - X @ beta[k]).sum() == pytest.approx(np.abs(lm.fit_laplace(Y[k], X).residuals).sum())


@pytest.mark.parametrize("case", ["NaN in y", "inf in X", "n <= p", "rank deficient", "exact fit"])
def test_fit_laplace_many_refuses_what_fit_mle_refuses(case):
    y, X, match = _refused_by_fit_mle()[case]
    Y = np.vstack([y + 0.5 * np.arange(y.size) % 3, y])
    with pytest.raises(ValueError, match=match.replace("y contains", "Y contains")):
        lm.fit_laplace_many(Y, X)


def test_fit_laplace_many_refuses_mismatched_shapes():
    y, X = PROBLEMS["small"]
    with pytest.raises(ValueError, match="Y must be 2-D"):
        lm.fit_laplace_many(y, X)
    with pytest.raises(ValueError, match="X has 9 rows but Y has 8 columns"):
        lm.fit_laplace_many(np.tile(y[:-1], (2, 1)), X)


# --- fit_student_t ---------------------------------------------------------------------


def _multistart_t(y, X, df, seed, n_starts=8):
    """Best ℓ that scipy.optimize finds over (β, log b) from several random starts."""
    rng = np.random.default_rng(seed)
    ols = np.linalg.lstsq(X, y, rcond=None)[0]
    b0 = np.std(y - X @ ols)

    def nll(theta):
        return -stats.t.logpdf(y - X @ theta[:-1], df, scale=np.exp(theta[-1])).sum()

    best = -np.inf
    for _ in range(n_starts):
        start = np.append(ols + rng.normal(0, 0.5, ols.size), np.log(b0) + rng.normal(0, 0.5))
        res = scipy.optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-9})
        best = max(best, -res.fun)
    return best


# Not Cauchy noise (ν = 1) on the wide design, p = 8 of n = 40: ℓ has several maxima
# there, and EM from least squares stops at a lower one, as it may
# (test_em_finds_a_stationary_point_when_l_is_multimodal).
@pytest.mark.parametrize("name, df", [
    (name, df) for name in ("small", "medium", "wide", "scaled") for df in (1.0, 3.0, 10.0)
    if (name, df) != ("wide", 1.0)])
def test_fit_student_t_is_not_below_a_multistart_optimiser(name, df):
    y, X = PROBLEMS[name]
    if name == "scaled":  # BFGS in raw coordinates is hopeless at column scales 1e3 … 1e-3
        X = X / np.array([1e3, 1e-3, 50.0])
    fit = lm.fit_student_t(y, X, df)
    assert fit.converged
    assert fit.loglik >= _multistart_t(y, X, df, seed=11) - 1e-7


@pytest.mark.parametrize("df", [0.7, 3.0, 25.0])
@pytest.mark.parametrize("name", PROBLEMS)
def test_fit_student_t_fields_and_stationarity(name, df):
    y, X = PROBLEMS[name]
    n, p = X.shape
    fit = lm.fit_student_t(y, X, df)
    assert isinstance(fit, lm.StudentTResult)
    assert fit.converged and 1 <= fit.n_iter < 10_000
    assert (fit.n, fit.p, fit.df) == (n, p, df)
    np.testing.assert_allclose(fit.residuals, y - X @ fit.beta, rtol=0, atol=1e-12 * np.abs(y).max())
    assert fit.loglik == pytest.approx(stats.t.logpdf(fit.residuals, df, scale=fit.scale).sum(), rel=1e-12)
    assert fit.loglik == pytest.approx(lm.log_likelihood_noise(y, X, fit.beta, fit.scale, "t", df), rel=1e-13)
    w = (df + 1) / (df + (fit.residuals / fit.scale) ** 2)
    np.testing.assert_allclose(fit.weights, w, rtol=1e-12)
    # Score zero: Xᵀ W r = 0 in β and Σ w r² = n b² in b.
    scale_free = np.abs(X).max(axis=0) * np.abs(fit.residuals).sum()
    assert np.all(np.abs(X.T @ (w * fit.residuals)) <= 1e-7 * scale_free)
    assert np.sum(w * fit.residuals**2) == pytest.approx(n * fit.scale**2, rel=1e-7)


@pytest.mark.parametrize("df", [0.5, 1.0, 3.0, 30.0])
@pytest.mark.parametrize("name", PROBLEMS)
def test_em_increases_the_log_likelihood_at_every_step(name, df):
    y, X = PROBLEMS[name]
    fit = lm.fit_student_t(y, X, df)
    trace = fit.loglik_trace
    assert trace.shape == (fit.n_iter + 1,)
    assert trace[-1] == fit.loglik
    assert np.all(np.diff(trace) >= -1e-12 * np.abs(trace).max())
    assert trace[-1] > trace[0]  # the least-squares start is not the t-MLE
    # The start is least squares with b₀² = RSS/n.
    ols = lm.fit_mle(y, X)
    assert trace[0] == pytest.approx(lm.log_likelihood_noise(y, X, ols.beta, np.sqrt(ols.sigma2), "t", df),
                                     rel=1e-12)


def test_em_finds_a_stationary_point_when_l_is_multimodal():
    y, X = PROBLEMS["wide"]
    fit = lm.fit_student_t(y, X, 1.0)
    best = _multistart_t(y, X, 1.0, seed=11)
    assert fit.converged and fit.loglik < best - 0.5  # a local, not the global, maximum
    w = fit.weights
    assert np.all(np.abs(X.T @ (w * fit.residuals)) <= 1e-7 * np.abs(X).max() * np.abs(fit.residuals).sum())


def test_large_df_gives_the_gaussian_mle():
    y, X = PROBLEMS["medium"]
    fit, ols = lm.fit_student_t(y, X, 1e9), lm.fit_mle(y, X)
    np.testing.assert_allclose(fit.beta, ols.beta, rtol=1e-6)
    assert fit.scale == pytest.approx(np.sqrt(ols.sigma2), rel=1e-6)


def test_em_climbs_to_the_local_maximum_uphill_of_its_start():
    """Two clusters under t noise with ν = 1/2: ℓ in (location, b) has two peaks.

    (At the peak of the smaller cluster, the EM scale update is a contraction only if
    (ν + 1)·(points of the other cluster)/n < 1, which ν = 1/2 and 6 of 10 satisfy.)
    """
    y = np.array([-3.1, -2.9, -3.0, -2.8, -3.2, -3.05, 3.0, 2.9, 3.1, 3.05])
    X = np.ones((10, 1))
    left = lm.fit_student_t(y, X, 0.5, beta0=[-3.0], scale0=0.3)
    right = lm.fit_student_t(y, X, 0.5, beta0=[3.0], scale0=0.3)
    assert left.converged and right.converged
    assert left.beta[0] < -2 and right.beta[0] > 2
    assert left.loglik > right.loglik  # six points on the left, four on the right
    assert np.all(np.diff(right.loglik_trace) >= -1e-12 * abs(right.loglik))


def test_max_iter_reached_is_not_an_error():
    y, X = PROBLEMS["medium"]
    fit = lm.fit_student_t(y, X, 3.0, max_iter=1)
    assert (fit.n_iter, fit.converged) == (1, False)


@pytest.mark.parametrize("df, match", [(0, r"df must be a finite number > 0, got 0"),
                                       (-1.5, r"df must be a finite number > 0"),
                                       (np.nan, r"df must be a finite number > 0"),
                                       ("three", r"df must be a single number")])
def test_fit_student_t_refuses_a_bad_df(df, match):
    y, X = PROBLEMS["small"]
    with pytest.raises(ValueError, match=match):
        lm.fit_student_t(y, X, df)


def test_fit_student_t_refuses_a_bad_start():
    y, X = PROBLEMS["small"]
    with pytest.raises(ValueError, match="beta0 must have length p = 2"):
        lm.fit_student_t(y, X, 3, beta0=[0.0])
    with pytest.raises(ValueError, match="beta0 contains NaN or inf"):
        lm.fit_student_t(y, X, 3, beta0=[0.0, np.nan])
    with pytest.raises(ValueError, match="scale0 must be a finite number > 0"):
        lm.fit_student_t(y, X, 3, scale0=0.0)


def _refused_by_fit_mle():
    rng = np.random.default_rng(5)
    X = np.column_stack([np.ones(10), rng.normal(size=10)])
    y = X @ [1.0, 2.0] + rng.normal(size=10)
    y_nan, X_inf = y.copy(), X.copy()
    y_nan[3] = np.nan
    X_inf[2, 1] = np.inf
    return {
        "NaN in y": (y_nan, X, r"y contains NaN or inf"),
        "inf in X": (y, X_inf, r"X contains NaN or inf"),
        "n <= p": (y[:2], X[:2], r"more rows than columns"),
        "rank deficient": (y, np.column_stack([X, 2 * X[:, 1]]), r"rank deficient"),
        "exact fit": (X @ [1.0, 2.0], X, r"fitted exactly"),
        "y 2-D": (y[:, None], X, r"y must be 1-D"),
        "rows differ": (y[:-1], X, r"X has 10 rows but y has 9 entries"),
    }


@pytest.mark.parametrize("case", list(_refused_by_fit_mle()))
@pytest.mark.parametrize("fit", ["fit_mle", "fit_laplace", "fit_student_t"])
def test_fits_refuse_what_fit_mle_refuses(fit, case):
    y, X, match = _refused_by_fit_mle()[case]
    call = {"fit_mle": lm.fit_mle, "fit_laplace": lm.fit_laplace,
            "fit_student_t": lambda y, X: lm.fit_student_t(y, X, 4.0)}[fit]
    with pytest.raises(ValueError, match=match):
        call(y, X)
