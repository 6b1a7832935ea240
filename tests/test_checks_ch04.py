"""Chapter 4's self-checks: the right answer passes; each typical mistake is named; no reference is printed."""
import re

import numpy as np
import pytest
import scipy.stats

import linreg_mle as lm
from linreg_mle import checks


# --- check_observed_information ------------------------------------------------------

def right_information(y, X, beta, sigma2):
    """Written from the formula, independently of the package."""
    n, p = X.shape
    r = y - X @ beta
    J = np.empty((p + 1, p + 1))
    J[:p, :p] = X.T @ X / sigma2
    J[:p, p] = J[p, :p] = X.T @ r / sigma2**2
    J[p, p] = r @ r / sigma2**3 - n / (2 * sigma2**2)
    return J


def _information_variant(**change):
    def fn(y, X, beta, sigma2):
        J = right_information(y, X, beta, sigma2)
        n, p = X.shape
        r = y - X @ beta
        if "cross" in change:
            J[:p, p] = J[p, :p] = change["cross"](X, r, sigma2)
        if "corner" in change:
            J[p, p] = change["corner"](n, r @ r, sigma2)
        return J
    return fn


INFORMATION_MISTAKES = {
    "hessian itself": (lambda y, X, b, s2: -right_information(y, X, b, s2), "Hessian ∇²ℓ itself"),
    "fisher": (lambda y, X, b, s2: lm.fisher_information(X, s2), "expected (Fisher) information"),
    "sigma not sigma2": (lambda y, X, b, s2: right_information(y, X, b, np.sqrt(s2)), "used σ where σ²"),
    "sigma2 squared": (lambda y, X, b, s2: right_information(y, X, b, s2**2), "you squared sigma2"),
    "cross power": (_information_variant(cross=lambda X, r, s2: X.T @ r / s2), "wrong power of σ²"),
    "cross sign": (_information_variant(cross=lambda X, r, s2: -X.T @ r / s2**2), "cross block (β, σ²) has the wrong sign"),
    "cross missing": (_information_variant(cross=lambda X, r, s2: 0 * r[: X.shape[1]]), "cross block (β, σ²) is missing"),
    "corner half": (_information_variant(corner=lambda n, rss, s2: rss / (2 * s2**3) - n / (2 * s2**2)),
                    "σ² corner is wrong"),
    "corner sign": (_information_variant(corner=lambda n, rss, s2: n / (2 * s2**2) - rss / s2**3),
                    "σ² corner has the wrong sign"),
    "transposed shape": (lambda y, X, b, s2: right_information(y, X, b, s2)[:-1], "wrong shape"),
    "forgot return": (lambda y, X, b, s2: None, "forget to `return`"),
}


def test_observed_information_right_answer_passes(capsys):
    assert checks.check_observed_information(right_information, rng=0) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", INFORMATION_MISTAKES)
def test_observed_information_mistakes_are_named(name, capsys):
    fn, expected = INFORMATION_MISTAKES[name]
    assert checks.check_observed_information(fn, rng=1) is False
    out = capsys.readouterr().out
    assert "❌" in out
    assert expected in out, out


def test_observed_information_never_prints_the_reference(capsys):
    """A wrong answer's verdict contains none of the reference's numbers."""
    rng = np.random.default_rng(5)
    checks.check_observed_information(lambda y, X, b, s2: right_information(y, X, b, s2) + 0.37, rng=5)
    out = capsys.readouterr().out
    from linreg_mle.checks.ch04 import _random_theta_problem
    reference = right_information(*_random_theta_problem(rng))
    printed = [float(x) for x in re.findall(r"-?\d+\.\d+", out)]
    for value in reference.ravel():
        assert not any(np.isclose(value, x, rtol=1e-3) for x in printed if abs(x) > 1e-9)


def test_observed_information_is_minus_hessian_and_fisher_at_mle():
    """The reference is what the chapter says: −∇²ℓ, and at the MLE it equals I(θ̂)."""
    X, y = lm.simulate(30, [1.0, 2.0, -0.5], 1.3, rng=2)
    fit = lm.fit_mle(y, X)
    J = right_information(y, X, fit.beta, fit.sigma2)
    np.testing.assert_allclose(J, lm.fisher_information(X, fit.sigma2), rtol=1e-10, atol=1e-10)


# --- check_t_interval ----------------------------------------------------------------

def right_t_interval(y, X, level):
    n, p = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ beta
    s2 = r @ r / (n - p)
    se = np.sqrt(s2 * np.diag(np.linalg.inv(X.T @ X)))
    q = scipy.stats.t.ppf((1 + level) / 2, n - p)
    return np.column_stack([beta - q * se, beta + q * se])


def _interval_variant(quantile=None, variance="s2", sqrt=True):
    def fn(y, X, level):
        n, p = X.shape
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        r = y - X @ beta
        s2 = r @ r / (n - p) if variance == "s2" else r @ r / n
        var = s2 * np.diag(np.linalg.inv(X.T @ X))
        q = quantile(level, n, p) if quantile else scipy.stats.t.ppf((1 + level) / 2, n - p)
        half = q * (np.sqrt(var) if sqrt else var)
        return np.column_stack([beta - half, beta + half])
    return fn


INTERVAL_MISTAKES = {
    "z quantile": (_interval_variant(quantile=lambda a, n, p: scipy.stats.norm.ppf((1 + a) / 2)), "normal quantile z"),
    "mle variance": (_interval_variant(variance="mle"), "MLE σ̂² = RSS/n"),
    "wald": (_interval_variant(quantile=lambda a, n, p: scipy.stats.norm.ppf((1 + a) / 2), variance="mle"),
             "Wald (z) interval"),
    "dof n-1": (_interval_variant(quantile=lambda a, n, p: scipy.stats.t.ppf((1 + a) / 2, n - 1)), "(n − 1)"),
    "dof n": (_interval_variant(quantile=lambda a, n, p: scipy.stats.t.ppf((1 + a) / 2, n)), "wrong degrees of freedom (n)"),
    "variance not se": (_interval_variant(sqrt=False), "square root"),
    "one-sided": (_interval_variant(quantile=lambda a, n, p: scipy.stats.t.ppf(a, n - p)), "one-sided"),
    "transposed": (lambda y, X, a: right_t_interval(y, X, a).T, "transposed"),
}


def test_t_interval_right_answer_passes(capsys):
    assert checks.check_t_interval(right_t_interval, rng=0) is True
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("name", INTERVAL_MISTAKES)
def test_t_interval_mistakes_are_named(name, capsys):
    fn, expected = INTERVAL_MISTAKES[name]
    assert checks.check_t_interval(fn, rng=3) is False
    out = capsys.readouterr().out
    assert "❌" in out
    assert expected in out, out


def test_t_interval_never_prints_the_reference(capsys):
    rng = np.random.default_rng(7)
    checks.check_t_interval(lambda y, X, a: right_t_interval(y, X, a) * 1.01 + 0.2, rng=7)
    out = capsys.readouterr().out
    from linreg_mle.checks.ch04 import _random_interval_problem
    reference = right_t_interval(*_random_interval_problem(rng))
    printed = [float(x) for x in re.findall(r"-?\d+\.\d+", out)]
    for value in reference.ravel():
        assert not any(np.isclose(value, x, rtol=1e-3) for x in printed)


def test_checks_are_exported():
    assert {"check_observed_information", "check_t_interval"} <= set(checks.__all__)


@pytest.mark.parametrize("check, answer", [
    (checks.check_observed_information, right_information),
    (checks.check_t_interval, right_t_interval),
])
def test_the_verdict_fits_the_page(check, answer, capsys):
    """A chapter prints this verdict: it must fit the book's 79-character code column."""
    assert check(answer, rng=0)
    assert all(len(line) <= 79 for line in capsys.readouterr().out.splitlines())
