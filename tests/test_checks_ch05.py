"""Chapter 5's self-checks: the right answer passes; typical mistakes get their diagnosis,
and no verdict ever prints the reference value."""
import re

import numpy as np
import pytest
from scipy import stats

import linreg_mle as lm
from linreg_mle import checks
from linreg_mle.checks import ch05


def _numbers(text):
    """Every decimal number with at least 3 significant digits printed in ``text``."""
    return [float(x) for x in re.findall(r"\d+\.\d{2,}", text)]


def _verdict(capsys, check, fn, **kwargs):
    ok = check(fn, rng=12345, **kwargs)
    return ok, capsys.readouterr().out


# --- s² ---------------------------------------------------------------------------------

def _rss(y, X):
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.sum((y - X @ beta) ** 2))


def right_s2(y, X):
    n, p = X.shape
    return _rss(y, X) / (n - p)


S2_WRONG = {
    # keys are distinctive parts of each message ("divided RSS by n:" is not "... by n − 1:")
    "divided RSS by n:": lambda y, X: _rss(y, X) / len(y),
    "sample variance": lambda y, X: _rss(y, X) / (len(y) - 1),
    "one degree of freedom too many": lambda y, X: _rss(y, X) / (len(y) - X.shape[1] - 1),
    "residual sum of squares itself": _rss,
    "standard deviation": lambda y, X: np.sqrt(right_s2(y, X)),
    "centred the residuals": lambda y, X: np.var(y - X @ np.linalg.lstsq(X, y, rcond=None)[0], ddof=X.shape[1]),
    "np.var(y, ddof=1)": lambda y, X: np.var(y, ddof=1),
    "fit the regression first": lambda y, X: np.var(y, ddof=X.shape[1]),
}


def test_unbiased_sigma2_accepts_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_unbiased_sigma2, right_s2)
    assert ok and out.startswith("✅")


def test_unbiased_sigma2_accepts_the_package_answer(capsys):
    ok, _ = _verdict(capsys, checks.check_unbiased_sigma2, lambda y, X: lm.fit_mle(y, X).sigma2_unbiased)
    assert ok


@pytest.mark.parametrize("diagnosis", list(S2_WRONG))
def test_unbiased_sigma2_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_unbiased_sigma2, S2_WRONG[diagnosis])
    assert not ok and out.startswith("❌")
    assert diagnosis in out, out


def test_unbiased_sigma2_other_failures(capsys):
    ok, out = _verdict(capsys, checks.check_unbiased_sigma2, lambda y, X: None)
    assert not ok and "return" in out
    ok, out = _verdict(capsys, checks.check_unbiased_sigma2, lambda y, X: 1 / 0)
    assert not ok and "ZeroDivisionError" in out
    ok, out = _verdict(capsys, checks.check_unbiased_sigma2, lambda y, X: 2 * right_s2(y, X))
    assert not ok and "factor of 2" in out


def test_unbiased_sigma2_never_prints_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = []
    for _ in range(3):
        y, X = ch05._problem_without_intercept(rng)
        references.append(right_s2(y, X))
    for wrong in [*S2_WRONG.values(), lambda y, X: 1.2345678]:
        _, out = _verdict(capsys, checks.check_unbiased_sigma2, wrong)
        for number in _numbers(out):
            assert not any(np.isclose(number, ref, rtol=1e-3) for ref in references), out


def test_unbiased_sigma2_cases_separate_the_mistakes():
    """Every case has p >= 2 and a residual mean that is clearly not 0."""
    rng = np.random.default_rng(0)
    for _ in range(50):
        y, X = ch05._problem_without_intercept(rng)
        assert X.shape[1] >= 2
        assert not np.any(np.all(X == X[:1], axis=0)), "no constant column"
        residuals = lm.fit_mle(y, X).residuals
        assert abs(residuals.mean()) > 1e-6 * np.sqrt(np.mean(residuals**2))


# --- the MSE-optimal divisor ----------------------------------------------------------------

DIVISOR_WRONG = {
    "unbiased divisor": lambda n, p: n - p,
    "MLE's divisor": lambda n, p: n,
    "sample variance": lambda n, p: n + 1,
    "you used n where": lambda n, p: n + 2,
    "close, but off by one": lambda n, p: n - p + 1,
    "off by one the other way": lambda n, p: n - p + 3,
    "wrong direction": lambda n, p: n - p - 2,
}


def test_divisor_accepts_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_mse_optimal_divisor, lambda n, p: n - p + 2)
    assert ok and out.startswith("✅")


@pytest.mark.parametrize("diagnosis", list(DIVISOR_WRONG))
def test_divisor_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_mse_optimal_divisor, DIVISOR_WRONG[diagnosis])
    assert not ok and diagnosis in out, out


def test_divisor_accepts_a_numerical_minimiser(capsys):
    from scipy.optimize import minimize_scalar

    def numerical(n, p):
        k = n - p
        res = minimize_scalar(lambda c: (2 * k + (k - c) ** 2) / c**2, bounds=(1, 3 * n),
                              method="bounded", options={"xatol": 1e-10})
        return res.x

    ok, out = _verdict(capsys, checks.check_mse_optimal_divisor, numerical)
    assert ok, out


def test_divisor_reports_direction_for_unanticipated_answers(capsys):
    ok, out = _verdict(capsys, checks.check_mse_optimal_divisor, lambda n, p: 10 * n)
    assert not ok and "too large" in out
    ok, out = _verdict(capsys, checks.check_mse_optimal_divisor, lambda n, p: 1)
    assert not ok and "too small" in out


def test_divisor_cases_avoid_p_1_and_2():
    rng = np.random.default_rng(1)
    for _ in range(100):
        n, p = ch05._dimensions(rng)
        assert p >= 3 and n > p


def test_divisor_minimises_the_exact_mse():
    """The reference is the minimiser of σ⁴[2k + (k − c)²]/c² over c > 0."""
    for n, p in [(10, 3), (50, 7), (200, 3)]:
        k = n - p
        c = np.linspace(0.5 * k, 2 * k, 200_001)
        mse = (2 * k + (k - c) ** 2) / c**2
        assert abs(c[np.argmin(mse)] - ch05._divisor(n, p)) < 1e-3


# --- the χ² confidence interval -------------------------------------------------------------

def right_ci(y, X, level):
    n, p = X.shape
    rss = _rss(y, X)
    a = (1 - level) / 2
    return rss / stats.chi2.ppf(1 - a, n - p), rss / stats.chi2.ppf(a, n - p)


def _ci_with(df=lambda n, p: n - p, stat=lambda rss, n, p: rss, tails=lambda level: (1 - level) / 2,
             swap=False, root=False):
    def fn(y, X, level):
        n, p = X.shape
        value, k, a = stat(_rss(y, X), n, p), df(n, p), tails(level)
        lo, hi = value / stats.chi2.ppf(1 - a, k), value / stats.chi2.ppf(a, k)
        if swap:
            lo, hi = hi, lo
        return (np.sqrt(lo), np.sqrt(hi)) if root else (lo, hi)
    return fn


def _normal_ci(y, X, level):
    n, p = X.shape
    s2 = _rss(y, X) / (n - p)
    half = stats.norm.ppf((1 + level) / 2) * s2 * np.sqrt(2 / (n - p))
    return s2 - half, s2 + half


CI_WRONG = {
    "you used n degrees of freedom": _ci_with(df=lambda n, p: n),
    "n − 1 degrees of freedom": _ci_with(df=lambda n, p: n - 1),
    "wrong quantiles": _ci_with(swap=True),
    "into each tail": _ci_with(tails=lambda level: 1 - level),
    "you divided σ̂²": _ci_with(stat=lambda rss, n, p: rss / n),
    "you divided s²": _ci_with(stat=lambda rss, n, p: rss / (n - p)),
    "an interval for σ": _ci_with(root=True),
    "use the `level` argument": lambda y, X, level: right_ci(y, X, 0.95),
    "normal approximation": _normal_ci,
}


def test_ci_accepts_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_sigma2_ci, right_ci)
    assert ok and out.startswith("✅")
    ok, _ = _verdict(capsys, checks.check_sigma2_ci, lambda y, X, level: list(right_ci(y, X, level)))
    assert ok


@pytest.mark.parametrize("diagnosis", list(CI_WRONG))
def test_ci_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_sigma2_ci, CI_WRONG[diagnosis])
    assert not ok and diagnosis in out, out


def test_ci_shape_mistake(capsys):
    ok, out = _verdict(capsys, checks.check_sigma2_ci, lambda y, X, level: right_ci(y, X, level)[0])
    assert not ok and "single number" in out


def test_ci_never_prints_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = []
    for _ in range(3):
        y, X, level = ch05._problem_with_level(rng)
        references.extend(right_ci(y, X, level))
    for wrong in [*CI_WRONG.values(), lambda y, X, level: (0.5, 0.7)]:
        _, out = _verdict(capsys, checks.check_sigma2_ci, wrong)
        for number in _numbers(out):
            assert not any(np.isclose(number, ref, rtol=1e-3) for ref in references), out


def test_ci_levels_are_never_95():
    rng = np.random.default_rng(2)
    assert all(ch05._problem_with_level(rng)[2] != 0.95 for _ in range(50))


def test_checks_are_exported():
    for name in ch05.__all__:
        assert getattr(checks, name) is getattr(ch05, name)


@pytest.mark.parametrize("check, answer", [
    (checks.check_unbiased_sigma2, right_s2),
    (checks.check_mse_optimal_divisor, lambda n, p: n - p + 2),
    (checks.check_sigma2_ci, right_ci),
])
def test_the_verdict_fits_the_page(check, answer, capsys):
    """A chapter prints this verdict: it must fit the book's 79-character code column."""
    ok, out = _verdict(capsys, check, answer)
    assert ok and all(len(line) <= 79 for line in out.splitlines())
