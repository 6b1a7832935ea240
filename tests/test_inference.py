"""Likelihood-based inference (linreg_mle.inference) against statsmodels, scipy and closed forms.

Every reference is computed here, independently of the package: statsmodels' OLS fits,
its ``conf_int``, ``compare_lr_test``, ``compare_f_test``, ``compare_lm_test`` and ``f_test``,
textbook formulas written with numpy, and profiles refitted from scratch.
"""
import dataclasses

import numpy as np
import pytest
import scipy.linalg
import statsmodels.api as sm
from scipy import optimize, stats

import linreg_mle as lm
from linreg_mle.inference import _lr_sigma2_roots

LEVELS = [0.5, 0.9, 0.95, 0.99]


def problem(seed, n=25, p=4, sigma=1.3, correlated=True):
    """``(y, X)``: an intercept and p − 1 features (correlated, on different scales), random β."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p - 1))
    if correlated and p > 2:
        Z[:, 1] = 0.7 * Z[:, 0] + 0.7 * Z[:, 1]
    Z *= rng.uniform(0.1, 10, p - 1)
    X = np.column_stack([np.ones(n), Z])
    y = X @ rng.normal(0, 2, p) + sigma * rng.standard_normal(n)
    return y, X


def sm_profile_llf(y, X, j, b):
    """ℓ_p(β_j = b), refitted by statsmodels: regress y − b x_j on the other columns."""
    others = np.delete(X, j, axis=1)
    target = y - b * X[:, j]
    if others.shape[1] == 0:
        n = len(y)
        return -n / 2 * (np.log(2 * np.pi) + np.log(target @ target / n) + 1)
    return sm.OLS(target, others).fit().llf


# --- β_j intervals --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("level", LEVELS)
def test_t_interval_is_statsmodels_conf_int(seed, level):
    y, X = problem(seed)
    ref = sm.OLS(y, X).fit().conf_int(alpha=1 - level)
    for j in range(X.shape[1]):
        assert np.allclose(lm.beta_interval(y, X, j, level, "t"), ref[j], rtol=1e-10, atol=0)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("level", LEVELS)
def test_wald_interval_uses_z_and_the_mle_of_sigma2(seed, level):
    y, X = problem(seed)
    n, p = X.shape
    res = sm.OLS(y, X).fit()
    sigma2_mle = res.ssr / n
    cov = sigma2_mle * np.linalg.inv(X.T @ X)  # an independent route: the explicit inverse
    z = stats.norm.ppf((1 + level) / 2)
    for j in range(p):
        half = z * np.sqrt(cov[j, j])
        assert np.allclose(lm.beta_interval(y, X, j, level, "wald"),
                           (res.params[j] - half, res.params[j] + half), rtol=1e-9)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("level", LEVELS)
def test_lr_interval_ends_drop_the_profile_by_half_the_chi2_quantile(seed, level):
    y, X = problem(seed, n=15 + 5 * seed)
    llf = sm.OLS(y, X).fit().llf
    cut = stats.chi2.ppf(level, 1) / 2
    for j in range(X.shape[1]):
        lower, upper = lm.beta_interval(y, X, j, level, "lr")
        for end in (lower, upper):
            assert llf - sm_profile_llf(y, X, j, end) == pytest.approx(cut, rel=1e-9)
        # inside the interval the drop is smaller, outside it is larger
        width = upper - lower
        assert llf - sm_profile_llf(y, X, j, (lower + upper) / 2) < cut
        assert llf - sm_profile_llf(y, X, j, lower + 0.01 * width) < cut
        assert llf - sm_profile_llf(y, X, j, upper + 0.01 * width) > cut


def test_lr_interval_with_a_single_column():
    rng = np.random.default_rng(3)
    X = rng.uniform(1, 2, (12, 1))
    y = 0.5 * X[:, 0] + rng.standard_normal(12)
    llf = sm.OLS(y, X).fit().llf
    for end in lm.beta_interval(y, X, 0, 0.9, "lr"):
        assert llf - sm_profile_llf(y, X, 0, end) == pytest.approx(stats.chi2.ppf(0.9, 1) / 2, rel=1e-9)


def test_lr_interval_matches_root_finding_on_the_profile():
    y, X = problem(11, n=14, p=3)
    j, level = 2, 0.95
    llf = sm.OLS(y, X).fit().llf
    beta_j = sm.OLS(y, X).fit().params[j]
    drop = lambda b: llf - sm_profile_llf(y, X, j, b) - stats.chi2.ppf(level, 1) / 2  # noqa: E731
    lower = optimize.brentq(drop, beta_j - 100, beta_j, xtol=1e-14, rtol=1e-14)
    upper = optimize.brentq(drop, beta_j, beta_j + 100, xtol=1e-14, rtol=1e-14)
    assert np.allclose(lm.beta_interval(y, X, j, level, "lr"), (lower, upper), rtol=1e-10)


def test_the_three_beta_intervals_nest_wald_inside_lr_inside_t():
    for seed in range(3):
        y, X = problem(seed, n=10 + 20 * seed)
        for j in range(X.shape[1]):
            w, r, t = (lm.beta_interval(y, X, j, 0.95, m) for m in ("wald", "lr", "t"))
            assert t[0] < r[0] < w[0] < w[1] < r[1] < t[1]


@pytest.mark.parametrize("level", [0.01, 0.5, 0.95, 0.999, 1 - 1e-9])
@pytest.mark.parametrize("n, p", [(2, 1), (3, 2), (4, 1), (7, 5), (40, 1)])
def test_the_nesting_holds_with_one_residual_df_and_levels_near_one(n, p, level):
    """Wald ⊂ LR ⊂ t at every n > p >= 1 and level (a proposition of the profile unit), down to
    n − p = 1 and p = 1, where the margin between the LR and t multipliers is smallest."""
    rng = np.random.default_rng(n * 10 + p)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    y = X @ rng.normal(size=p) + rng.standard_normal(n)
    w, r, t = (lm.beta_interval(y, X, 0, level, m) for m in ("wald", "lr", "t"))
    assert t[0] < r[0] < w[0] < w[1] < r[1] < t[1]


def test_profile_loglik_beta_is_the_refitted_profile():
    y, X = problem(5)
    for j in range(X.shape[1]):
        b = np.linspace(-3, 3, 7)
        ref = [sm_profile_llf(y, X, j, bk) for bk in b]
        assert np.allclose(lm.profile_loglik_beta(y, X, j, b), ref, rtol=1e-11)
        assert lm.profile_loglik_beta(y, X, j, 0.5) == pytest.approx(sm_profile_llf(y, X, j, 0.5), rel=1e-11)
    # it peaks at β̂_j, at the maximised log-likelihood
    res = sm.OLS(y, X).fit()
    assert lm.profile_loglik_beta(y, X, 1, res.params[1]) == pytest.approx(res.llf, rel=1e-12)


# --- σ² intervals ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("level", LEVELS)
def test_sigma2_chi2_and_wald_intervals(seed, level):
    y, X = problem(seed, n=12 + 10 * seed)
    res = sm.OLS(y, X).fit()
    rss, n, k = res.ssr, len(y), int(res.df_resid)
    a = 1 - level
    assert np.allclose(lm.sigma2_interval(y, X, level, "chi2"),
                       (rss / stats.chi2.ppf(1 - a / 2, k), rss / stats.chi2.ppf(a / 2, k)), rtol=1e-10)
    s2 = rss / n
    half = stats.norm.ppf(1 - a / 2) * s2 * np.sqrt(2 / n)
    assert np.allclose(lm.sigma2_interval(y, X, level, "wald"), (s2 - half, s2 + half), rtol=1e-10)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("level", LEVELS)
def test_sigma2_lr_interval_ends_drop_the_profile_by_half_the_chi2_quantile(seed, level):
    y, X = problem(seed, n=8 + 15 * seed)
    res = sm.OLS(y, X).fit()
    model = sm.OLS(y, X)
    lower, upper = lm.sigma2_interval(y, X, level, "lr")
    assert lower < res.ssr / len(y) < upper
    for end in (lower, upper):
        # statsmodels' loglike at β̂ and a given σ² is ℓ_p(σ²)
        assert res.llf - model.loglike(res.params, scale=end) == pytest.approx(
            stats.chi2.ppf(level, 1) / 2, rel=1e-10)
        assert lm.profile_loglik_sigma2(y, X, end) == pytest.approx(model.loglike(res.params, scale=end),
                                                                     rel=1e-12)


@pytest.mark.parametrize("n", [2, 7, 100, 10**5, 10**9])
def test_sigma2_lr_roots_are_accurate_at_every_n(n):
    """The roots of n(u − 1 − log u) = χ², written as w − log(1 + w) = χ²/n, w = u − 1, by brentq."""
    c = stats.chi2.ppf(0.95, 1) / n
    g = lambda w: w - np.log1p(w) - c  # noqa: E731
    w_low = optimize.brentq(g, -1 + 1e-15, -1e-12, xtol=1e-300, rtol=1e-15)
    w_high = optimize.brentq(g, 1e-12, 100, xtol=1e-300, rtol=1e-15)
    u_low, u_high = _lr_sigma2_roots(n, 0.95)
    assert u_low - 1 == pytest.approx(w_low, rel=1e-12)
    assert u_high - 1 == pytest.approx(w_high, rel=1e-12)


def test_sigma2_lr_interval_is_skewed_to_the_right():
    y, X = problem(0, n=12, p=3)
    lower, upper = lm.sigma2_interval(y, X, 0.95, "lr")
    s2 = sm.OLS(y, X).fit().ssr / 12
    assert upper - s2 > 1.5 * (s2 - lower)


def test_coverage_by_monte_carlo_matches_the_exact_laws():
    """At (n, p) = (12, 3) the coverages are known exactly: T ~ t_{n−p} and RSS/σ² ~ χ²_{n−p}."""
    n, p, reps, level = 12, 3, 20_000, 0.95
    rng = np.random.default_rng(2)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    beta, sigma = np.array([1.0, -2.0, 0.5]), 2.0
    Y = X @ beta + sigma * rng.standard_normal((reps, n))
    k, chi2 = n - p, stats.chi2.ppf(level, 1)
    exact_beta = {
        "t": level,
        "wald": 2 * stats.t.cdf(stats.norm.ppf((1 + level) / 2) * np.sqrt(k / n), k) - 1,
        "lr": 2 * stats.t.cdf(np.sqrt(k * np.expm1(chi2 / n)), k) - 1,
    }
    for method, exact in exact_beta.items():
        lower, upper = lm.beta_interval(Y, X, 1, level, method)
        covered = np.mean((lower <= beta[1]) & (beta[1] <= upper))
        assert abs(covered - exact) < 4 * np.sqrt(exact * (1 - exact) / reps), method
    z = stats.norm.ppf((1 + level) / 2)
    u = _lr_sigma2_roots(n, level)
    # σ² in the interval ⟺ V = RSS/σ² in a range: [n/(1 + z√(2/n)), n/(1 − z√(2/n))] for Wald, n·[u₋, u₊] for LR
    exact_sigma2 = {
        "chi2": level,
        "wald": stats.chi2.cdf(n / (1 - z * np.sqrt(2 / n)), k) - stats.chi2.cdf(n / (1 + z * np.sqrt(2 / n)), k),
        "lr": stats.chi2.cdf(n * u[1], k) - stats.chi2.cdf(n * u[0], k),
    }
    for method, exact in exact_sigma2.items():
        lower, upper = lm.sigma2_interval(Y, X, level, method)
        covered = np.mean((lower <= sigma**2) & (sigma**2 <= upper))
        assert abs(covered - exact) < 4 * np.sqrt(exact * (1 - exact) / reps), method
    assert exact_sigma2["wald"] < exact_sigma2["lr"] < level  # the order the chapter reports


def test_a_stack_of_responses_gives_each_row_its_own_interval():
    y, X = problem(8, n=16, p=3)
    rng = np.random.default_rng(0)
    Y = y + rng.standard_normal((5, 16))
    for method in ("t", "wald", "lr"):
        lower, upper = lm.beta_interval(Y, X, 2, 0.9, method)
        assert lower.shape == upper.shape == (5,)
        for k in range(5):
            assert np.allclose((lower[k], upper[k]), lm.beta_interval(Y[k], X, 2, 0.9, method), rtol=1e-11)
    for method in ("chi2", "wald", "lr"):
        lower, upper = lm.sigma2_interval(Y, X, 0.9, method)
        for k in range(5):
            assert np.allclose((lower[k], upper[k]), lm.sigma2_interval(Y[k], X, 0.9, method), rtol=1e-11)
    res = lm.compare_nested(Y, X, X[:, :1])
    for k in range(5):
        one = lm.compare_nested(Y[k], X, X[:, :1])
        for field in ("wald", "lr", "score", "f", "f_pvalue", "rss", "rss0"):
            assert getattr(res, field)[k] == pytest.approx(getattr(one, field), rel=1e-10)


def test_single_responses_give_plain_floats():
    y, X = problem(1)
    assert all(type(x) is float for x in lm.beta_interval(y, X, 0))
    assert all(type(x) is float for x in lm.sigma2_interval(y, X))
    res = lm.compare_nested(y, X, X[:, :2])
    assert all(type(getattr(res, f.name)) in (float, int) for f in dataclasses.fields(res))


# --- nested tests -------------------------------------------------------------------------


def textbook(y, X, R):
    """W and LM for H0: Rβ = 0, written the textbook way with explicit inverses."""
    n = len(y)
    XtX_inv = np.linalg.inv(X.T @ X)
    beta = XtX_inv @ X.T @ y
    rss = np.sum((y - X @ beta) ** 2)
    Rb = R @ beta
    wald = Rb @ np.linalg.inv(R @ (rss / n * XtX_inv) @ R.T) @ Rb
    # restricted least squares with a Lagrange multiplier: β̃ = β̂ − (XᵀX)⁻¹Rᵀλ
    lam = np.linalg.inv(R @ XtX_inv @ R.T) @ Rb
    beta0 = beta - XtX_inv @ R.T @ lam
    r0 = y - X @ beta0
    sigma2_0 = r0 @ r0 / n
    u = X.T @ r0 / sigma2_0  # the score in β at the restricted fit
    lm_stat = u @ np.linalg.inv(X.T @ X / sigma2_0) @ u
    return wald, lm_stat


@pytest.mark.parametrize("seed", range(4))
def test_column_subset_agrees_with_statsmodels(seed):
    y, X = problem(seed, n=20 + 10 * seed, p=5)
    p0 = 1 + seed % 3
    full, restricted = sm.OLS(y, X).fit(), sm.OLS(y, X[:, :p0]).fit()
    res = lm.compare_nested(y, X, X[:, :p0])
    lr, lr_p, lr_df = full.compare_lr_test(restricted)
    f, f_p, f_df = full.compare_f_test(restricted)
    score, score_p, _ = full.compare_lm_test(restricted)
    assert res.lr == pytest.approx(lr, rel=1e-9) and res.lr_pvalue == pytest.approx(lr_p, rel=1e-8)
    assert res.f == pytest.approx(f, rel=1e-9) and res.f_pvalue == pytest.approx(f_p, rel=1e-8)
    assert res.score == pytest.approx(score, rel=1e-9) and res.score_pvalue == pytest.approx(score_p, rel=1e-8)
    assert res.df == lr_df == f_df == 5 - p0 and res.df_resid == full.df_resid
    R = np.eye(5)[p0:]
    ft = full.f_test(R)
    assert res.f == pytest.approx(float(np.squeeze(ft.fvalue)), rel=1e-9)
    assert res.f_pvalue == pytest.approx(float(ft.pvalue), rel=1e-8)
    wald, score_tb = textbook(y, X, R)
    assert res.wald == pytest.approx(wald, rel=1e-8) and res.score == pytest.approx(score_tb, rel=1e-8)
    assert res.wald_pvalue == pytest.approx(stats.chi2.sf(wald, 5 - p0), rel=1e-7)
    assert res.rss == pytest.approx(full.ssr, rel=1e-12) and res.rss0 == pytest.approx(restricted.ssr, rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_any_basis_of_a_subspace_is_a_restriction(seed):
    """X0 = X A for a random p × p0 matrix A: the hypothesis is β ∈ span(A), i.e. Rβ = 0 with
    the rows of R spanning the orthogonal complement of span(A)."""
    rng = np.random.default_rng(100 + seed)
    y, X = problem(seed, n=30, p=5)
    A = rng.standard_normal((5, 2))
    X0 = X @ A
    R = scipy.linalg.null_space(A.T).T
    full, restricted = sm.OLS(y, X).fit(), sm.OLS(y, X0).fit()
    res = lm.compare_nested(y, X, X0)
    assert res.lr == pytest.approx(full.compare_lr_test(restricted)[0], rel=1e-8)
    assert res.f == pytest.approx(full.compare_f_test(restricted)[0], rel=1e-8)
    assert res.f == pytest.approx(float(np.squeeze(full.f_test(R).fvalue)), rel=1e-8)
    wald, score = textbook(y, X, R)
    assert res.wald == pytest.approx(wald, rel=1e-8) and res.score == pytest.approx(score, rel=1e-8)
    # another basis of the same subspace changes nothing
    other = lm.compare_nested(y, X, X0 @ rng.standard_normal((2, 2)))
    assert other.wald == pytest.approx(res.wald, rel=1e-9) and other.df == res.df == 3


def test_nested_within_an_ill_conditioned_design():
    """Columns 1e4, 1 and 1e-5 in size, and a polynomial: subsets and combinations still nest."""
    rng = np.random.default_rng(4)
    x = rng.uniform(0, 1, 40)
    X = np.column_stack([np.ones(40), 1e4 * x, x**2, 1e-5 * x**3])
    y = X @ [1, 1e-4, 2, 3e5] + 0.1 * rng.standard_normal(40)
    for X0 in (X[:, :2], X[:, [0, 3]], X[:, :3] @ rng.standard_normal((3, 2))):
        res = lm.compare_nested(y, X, X0)
        assert res.lr == pytest.approx(sm.OLS(y, X).fit().compare_lr_test(sm.OLS(y, X0).fit())[0], rel=1e-6)


def test_the_ordering_and_the_functions_of_f():
    for seed in range(20):
        y, X = problem(seed, n=8 + seed, p=4)
        res = lm.compare_nested(y, X, X[:, :2])
        n, df, k = res.n, res.df, res.df_resid
        D = df * res.f / k
        assert res.wald >= res.lr >= res.score > 0
        assert res.wald == pytest.approx(n * D, rel=1e-12)
        assert res.lr == pytest.approx(n * np.log1p(D), rel=1e-12)
        assert res.score == pytest.approx(n * D / (1 + D), rel=1e-12)


def test_a_tiny_difference_of_rss_keeps_its_digits():
    """RSS0 − RSS = 1e-12 with RSS = 1: a difference of the two sums of squares would keep ~4 digits."""
    rng = np.random.default_rng(9)
    n = 30
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 3))])
    X0 = X[:, :2]
    Q, _ = np.linalg.qr(X)
    Q0, _ = np.linalg.qr(X0)
    e = rng.standard_normal(n)
    e -= Q @ (Q.T @ e)
    e /= np.linalg.norm(e)  # ‖e‖ = 1, orthogonal to span(X)
    q = Q[:, 2] - Q0 @ (Q0.T @ Q[:, 2])
    q /= np.linalg.norm(q)  # in span(X), orthogonal to span(X0)
    delta = 1e-6
    y = X0 @ [3.0, -1.0] + e + delta * q
    res = lm.compare_nested(y, X, X0)
    assert res.wald == pytest.approx(n * delta**2, rel=1e-6)
    assert res.f == pytest.approx(delta**2 * (n - 4) / 2, rel=1e-6)


def test_size_under_h0_by_monte_carlo():
    """Under H0 the F test has size α; the χ² tests reject at their exact rates, from the F law."""
    n, reps, alpha = 10, 20_000, 0.05
    rng = np.random.default_rng(5)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, 3))])
    Y = X[:, :2] @ [1.0, 2.0] + rng.standard_normal((reps, n))
    res = lm.compare_nested(Y, X, X[:, :2])
    k, df = n - 4, 2
    crit = stats.chi2.ppf(1 - alpha, df)
    # each χ² test rejects when F exceeds a threshold: W = nD, LR = n log(1 + D), LM = nD/(1 + D)
    D = {"wald": crit / n, "lr": np.expm1(crit / n), "score": crit / (n - crit)}
    for name, d in D.items():
        exact = stats.f.sf(d * k / df, df, k)
        rate = np.mean(getattr(res, f"{name}_pvalue") < alpha)
        assert abs(rate - exact) < 4 * np.sqrt(exact * (1 - exact) / reps), name
    rate_f = np.mean(res.f_pvalue < alpha)
    assert abs(rate_f - alpha) < 4 * np.sqrt(alpha * (1 - alpha) / reps)


def test_the_result_is_frozen_and_documented():
    y, X = problem(0)
    res = lm.compare_nested(y, X, X[:, :1])
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.wald = 0.0
    doc = lm.NestedTestResult.__doc__
    for field in dataclasses.fields(lm.NestedTestResult):
        assert field.name in doc


# --- bad input ------------------------------------------------------------------------------

Y_OK, X_OK = problem(0, n=10, p=3)


@pytest.mark.parametrize("level", [0, 1, 1.5, -0.2, float("nan"), True, "high", None, [0.9, 0.95]])
@pytest.mark.parametrize("call", [
    lambda level: lm.beta_interval(Y_OK, X_OK, 1, level),
    lambda level: lm.sigma2_interval(Y_OK, X_OK, level),
], ids=["beta", "sigma2"])
def test_a_level_outside_zero_one_is_refused(call, level):
    with pytest.raises(ValueError, match=r"level must be .*between 0 and 1"):
        call(level)


@pytest.mark.parametrize("j, message", [
    (3, r"j is out of range: X has p = 3 columns, so j must be in 0\.\.2, got 3"),
    (-1, r"j is out of range"),
    (1.0, r"j must be an integer"),
    (True, r"j must be an integer"),
    ("1", r"j must be an integer"),
])
def test_a_coefficient_out_of_range_is_refused(j, message):
    with pytest.raises(ValueError, match=message):
        lm.beta_interval(Y_OK, X_OK, j)
    with pytest.raises(ValueError, match=message):
        lm.profile_loglik_beta(Y_OK, X_OK, j, 0.0)


@pytest.mark.parametrize("call", [
    lambda: lm.beta_interval(Y_OK, X_OK, 1, method="z"),
    lambda: lm.beta_interval(Y_OK, X_OK, 1, method="chi2"),
    lambda: lm.sigma2_interval(Y_OK, X_OK, method="t"),
    lambda: lm.sigma2_interval(Y_OK, X_OK, method=None),
])
def test_an_unknown_method_is_refused(call):
    with pytest.raises(ValueError, match=r"method must be one of"):
        call()


@pytest.mark.parametrize("X0, message", [
    (np.column_stack([X_OK[:, 0], np.arange(10.0) ** 2]), r"X0 is not nested in X: column 1 of X0"),
    (X_OK[:, :1] + 1e-6 * np.arange(10.0)[:, None], r"X0 is not nested in X: column 0"),
    (X_OK, r"X0 must have fewer columns than X .* p0 = 3 columns, p = 3"),
    (np.column_stack([X_OK, X_OK[:, 0]]), r"X0 must have fewer columns than X"),
    (X_OK[:9, :2], r"X0 has 9 rows but X has 10"),
    (np.column_stack([X_OK[:, 0], 2 * X_OK[:, 0]]), r"X0 is rank deficient"),
    (np.column_stack([X_OK[:, 0], np.zeros(10)]), r"X0 is rank deficient"),
    (np.column_stack([X_OK[:, 0], np.full(10, np.nan)]), r"X0 contains NaN or inf"),
    (np.ones(10), r"X0 must be 2-D"),
    (np.ones((10, 0)), r"X0 must have at least one row and one column"),
])
def test_a_bad_restricted_design_is_refused(X0, message):
    with pytest.raises(ValueError, match=message):
        lm.compare_nested(Y_OK, X_OK, X0)


def _exact_fit():
    return X_OK @ [1.0, 2.0, 3.0]


@pytest.mark.parametrize("y, X, message", [
    (np.where(np.arange(10) == 4, np.nan, Y_OK), X_OK, r"y contains NaN or inf \(first at index 4"),
    (Y_OK, np.column_stack([X_OK, X_OK[:, 1]]), r"X is rank deficient"),
    (Y_OK[:3], X_OK[:3], r"more rows than columns"),
    (_exact_fit(), X_OK, r"fitted exactly"),
    (Y_OK[:9], X_OK, r"X has 10 rows but y has 9 entries"),
    (np.stack([Y_OK, _exact_fit()]), X_OK, r"fitted exactly"),
    (np.stack([Y_OK, np.full(10, np.inf)]), X_OK, r"y contains NaN or inf \(first at index \(1, 0\)"),
    (np.stack([Y_OK[:9], Y_OK[:9]]), X_OK, r"each row of y has 9 entries"),
    (np.ones((2, 2, 10)), X_OK, r"y must be 1-D .* or 2-D"),
    (np.stack([Y_OK, Y_OK]), np.column_stack([X_OK, 2 * X_OK[:, 2]]), r"X is rank deficient"),
])
def test_what_fit_mle_refuses_is_refused_everywhere(y, X, message):
    for call in (lambda: lm.beta_interval(y, X, 0), lambda: lm.sigma2_interval(y, X),
                 lambda: lm.compare_nested(y, X, X[:, :1])):
        with pytest.raises(ValueError, match=message):
            call()


def test_profile_functions_refuse_bad_values():
    with pytest.raises(ValueError, match=r"sigma2 must hold numbers > 0"):
        lm.profile_loglik_sigma2(Y_OK, X_OK, [1.0, 0.0])
    with pytest.raises(ValueError, match=r"sigma2 contains NaN or inf"):
        lm.profile_loglik_sigma2(Y_OK, X_OK, np.nan)
    with pytest.raises(ValueError, match=r"b contains NaN or inf"):
        lm.profile_loglik_beta(Y_OK, X_OK, 0, [0.0, np.inf])
