"""Self-checks for the inference exercises: the right answer passes; each typical mistake gets
its own diagnosis; no verdict prints the reference value."""
import re

import numpy as np
import pytest
from scipy import optimize, stats

from linreg_mle import checks
from linreg_mle.checks import inference as ch


def _verdict(capsys, check, fn, **kwargs):
    ok = check(fn, rng=12345, **kwargs)
    return ok, capsys.readouterr().out


def _numbers(text):
    return [float(x) for x in re.findall(r"\d+\.\d{3,}", text)]


# --- exact sizes of the χ² tests --------------------------------------------------------------


def _root_sizes(n, df, k, crit, *, lr_scale=1.0, wald_n=None):
    """Rejection rates of W, LR, LM > crit under F ~ F(df, k), with each statistic written as a
    function of F and the threshold on F found by root-finding."""
    wald_n = n if wald_n is None else wald_n
    stats_of_f = [lambda f: wald_n * df * f / k,
                  lambda f: n / lr_scale * np.log1p(df * f / k),
                  lambda f: n * (df * f / k) / (1 + df * f / k)]
    sizes = []
    for stat in stats_of_f:
        if stat(1e12) <= crit:  # the statistic never reaches the critical value
            sizes.append(0.0)
            continue
        f_star = optimize.brentq(lambda f: stat(f) - crit, 0, 1e12, xtol=1e-14, rtol=1e-14)
        sizes.append(stats.f.sf(f_star, df, k))
    return np.array(sizes)


def right_sizes(n, p, p0, alpha):
    return _root_sizes(n, p - p0, n - p, stats.chi2.ppf(1 - alpha, p - p0))


SIZE_WRONG = {
    "used p degrees of freedom": lambda n, p, p0, a: _root_sizes(n, p, n - p, stats.chi2.ppf(1 - a, p)),
    "used n residual degrees of freedom":
        lambda n, p, p0, a: _root_sizes(n, p - p0, n, stats.chi2.ppf(1 - a, p - p0)),
    "the α quantile": lambda n, p, p0, a: _root_sizes(n, p - p0, n - p, stats.chi2.ppf(a, p - p0)),
    "probabilities of *not* rejecting": lambda n, p, p0, a: 1 - right_sizes(n, p, p0, a),
    "LR is half": lambda n, p, p0, a: _root_sizes(n, p - p0, n - p, stats.chi2.ppf(1 - a, p - p0),
                                                  lr_scale=2.0),
    "rejects exactly as the Wald test": lambda n, p, p0, a: right_sizes(n, p, p0, a)[[0, 1, 0]],
    "uses s² = RSS/(n − p)": lambda n, p, p0, a: np.concatenate([
        _root_sizes(n, p - p0, n - p, stats.chi2.ppf(1 - a, p - p0), wald_n=n - p)[:1],
        right_sizes(n, p, p0, a)[1:]]),
    "swapped": lambda n, p, p0, a: right_sizes(n, p, p0, a)[::-1],
    "nominal level α": lambda n, p, p0, a: np.full(3, a),
}


def test_sizes_accept_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_chi2_test_sizes, right_sizes)
    assert ok and out.startswith("✅"), out


def test_sizes_accept_a_monte_carlo_free_closed_form(capsys):
    def closed(n, p, p0, alpha):
        df, k = p - p0, n - p
        c = stats.chi2.ppf(1 - alpha, df)
        d = np.array([c / n, np.expm1(c / n), c / (n - c) if c < n else np.inf])
        return stats.f.sf(d * k / df, df, k)
    ok, out = _verdict(capsys, checks.check_chi2_test_sizes, closed)
    assert ok, out


@pytest.mark.parametrize("diagnosis", list(SIZE_WRONG))
def test_sizes_name_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_chi2_test_sizes, SIZE_WRONG[diagnosis])
    assert not ok and out.startswith("❌")
    assert diagnosis in out, out


def test_sizes_other_failures(capsys):
    ok, out = _verdict(capsys, checks.check_chi2_test_sizes, lambda n, p, p0, a: None)
    assert not ok and "return" in out
    ok, out = _verdict(capsys, checks.check_chi2_test_sizes, lambda n, p, p0, a: right_sizes(n, p, p0, a)[0])
    assert not ok and "single number" in out
    ok, out = _verdict(capsys, checks.check_chi2_test_sizes, lambda n, p, p0, a: right_sizes(n, p, p0, a)[:2])
    assert not ok and "wrong shape" in out


def test_sizes_never_print_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = [v for _ in range(4) for v in right_sizes(*ch._dimensions(rng))]
    for wrong in [*SIZE_WRONG.values(), lambda n, p, p0, a: np.array([0.123456, 0.2345678, 0.3456789])]:
        _, out = _verdict(capsys, checks.check_chi2_test_sizes, wrong)
        for number in _numbers(out):
            assert not np.isclose(references, number, rtol=1e-3).any(), out


# --- the profile-likelihood interval ----------------------------------------------------------


def right_interval(y, X, j, level):
    """Root-finding on the profile, refitted with numpy's lstsq for each b."""
    n = len(y)
    others = np.delete(X, j, axis=1)

    def profile(b):
        target = y - b * X[:, j]
        coef, *_ = np.linalg.lstsq(others, target, rcond=None)
        r = target - others @ coef
        return -n / 2 * (np.log(2 * np.pi * (r @ r) / n) + 1)

    beta_hat = np.linalg.lstsq(X, y, rcond=None)[0][j]
    top = profile(beta_hat)
    cut = stats.chi2.ppf(level, 1) / 2
    drop = lambda b: top - profile(b) - cut  # noqa: E731
    step = 1.0
    while drop(beta_hat + step) < 0 or drop(beta_hat - step) < 0:
        step *= 2
    return (optimize.brentq(drop, beta_hat - step, beta_hat, xtol=1e-13, rtol=1e-13),
            optimize.brentq(drop, beta_hat, beta_hat + step, xtol=1e-13, rtol=1e-13))


def _t_interval(y, X, j, level):
    n, p = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ beta
    se = np.sqrt(r @ r / (n - p) * np.linalg.inv(X.T @ X)[j, j])
    q = stats.t.ppf((1 + level) / 2, n - p)
    return beta[j] - q * se, beta[j] + q * se


def _quadratic(y, X, j, level, *, use_sigma2="mle", slice_=False, cut=None, n_log=None):
    """Intervals of the form β̂_j ± half, written out here for each mistake."""
    n, p = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ beta
    rss = r @ r
    c = stats.chi2.ppf(level, 1) if cut is None else cut
    curvature = X[:, j] @ X[:, j] if slice_ else 1 / np.linalg.inv(X.T @ X)[j, j]
    if use_sigma2 == "mle":  # σ² fixed at σ̂²: the drop is (b − β̂_j)² curvature / (2σ̂²)
        half = np.sqrt(c * rss / n / curvature)
    else:  # σ² profiled: the drop is (n/2) log(1 + (b − β̂_j)² curvature / RSS)
        m = n if n_log is None else n_log
        half = np.sqrt(rss * np.expm1(c / m) / curvature)
    return beta[j] - half, beta[j] + half


INTERVAL_WRONG = {
    "t interval": _t_interval,
    "held σ² at σ̂²": lambda y, X, j, level: _quadratic(y, X, j, level),
    "cut the profile at a drop of χ²₁": lambda y, X, j, level: _quadratic(
        y, X, j, level, use_sigma2="profile", cut=2 * stats.chi2.ppf(level, 1)),
    "(1 + level)/2 quantile": lambda y, X, j, level: _quadratic(
        y, X, j, level, use_sigma2="profile", cut=stats.chi2.ppf((1 + level) / 2, 1)),
    "95 % interval": lambda y, X, j, level: right_interval(y, X, j, 0.95),
    "a slice of ℓ, not its profile": lambda y, X, j, level: _quadratic(
        y, X, j, level, use_sigma2="profile", slice_=True),
    "β̂ and σ² at σ̂²": lambda y, X, j, level: _quadratic(y, X, j, level, slice_=True),
    "n − p where n belongs": lambda y, X, j, level: _quadratic(
        y, X, j, level, use_sigma2="profile", n_log=X.shape[0] - X.shape[1]),
}


def test_interval_accepts_root_finding_on_the_refitted_profile(capsys):
    ok, out = _verdict(capsys, checks.check_profile_lr_interval, right_interval)
    assert ok and out.startswith("✅"), out


@pytest.mark.parametrize("diagnosis", list(INTERVAL_WRONG))
def test_interval_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_profile_lr_interval, INTERVAL_WRONG[diagnosis])
    assert not ok and out.startswith("❌")
    assert diagnosis in out, out


def test_interval_other_failures(capsys):
    ok, out = _verdict(capsys, checks.check_profile_lr_interval, lambda y, X, j, level: None)
    assert not ok and "return" in out
    ok, out = _verdict(capsys, checks.check_profile_lr_interval,
                       lambda y, X, j, level: right_interval(y, X, j, level)[::-1])
    assert not ok and "wrong order" in out
    ok, out = _verdict(capsys, checks.check_profile_lr_interval, lambda y, X, j, level: [0.0, 1.0, 2.0])
    assert not ok and "wrong shape" in out


def test_interval_never_prints_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = [v for _ in range(3) for v in right_interval(*ch._problem(rng))]
    for wrong in [*INTERVAL_WRONG.values(), lambda y, X, j, level: (-1.2345678, 2.3456789)]:
        _, out = _verdict(capsys, checks.check_profile_lr_interval, wrong)
        for number in _numbers(out):
            assert not np.isclose(references, number, rtol=1e-3).any(), out
