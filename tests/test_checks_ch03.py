"""Chapter 3's self-checks: one right answer passes, typical wrong answers get named."""
import re

import numpy as np
import pytest
import scipy.linalg
from scipy import stats

import linreg_mle
from linreg_mle import checks
from linreg_mle.checks.ch03 import _ellipse_case, _logistic_case, _logistic_mle

SEED = 2024


def _numbers(text):
    return [float(m) for m in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


def _assert_no_reference(text, reference_values):
    """No printed number equals a reference value to 3 significant digits."""
    for printed in _numbers(text):
        for ref in np.ravel(reference_values):
            assert not np.isclose(printed, ref, rtol=5e-3), (printed, ref, text)


# --- check_wald_ellipse ------------------------------------------------------------------


def _ellipse(center, cov, level, m, *, radius2=None, factor=None, start=0.0, stop=2 * np.pi):
    t = np.linspace(start, stop, m, endpoint=False)
    r = np.sqrt(stats.chi2.ppf(level, df=2) if radius2 is None else radius2)
    M = np.linalg.cholesky(cov) if factor is None else factor
    return np.asarray(center) + r * (M @ np.vstack([np.cos(t), np.sin(t)])).T


def right_ellipse(center, cov, level, m):
    return _ellipse(center, cov, level, m)


WRONG_ELLIPSES = {
    "one-dimensional quantile": lambda c, S, l, m: _ellipse(c, S, l, m, radius2=stats.chi2.ppf(l, df=1)),
    "is the square of χ²₂(level)": lambda c, S, l, m: _ellipse(c, S, l, m, radius2=stats.chi2.ppf(l, df=2) ** 2),
    "with ρ = 1": lambda c, S, l, m: _ellipse(c, S, l, m, radius2=1.0),
    "the drop in ℓ": lambda c, S, l, m: _ellipse(c, S, l, m, radius2=stats.chi2.ppf(l, df=2) / 2),
    "the wrong size (too large)": lambda c, S, l, m: _ellipse(c, S, l, m, radius2=3 * stats.chi2.ppf(l, df=2)),
    "lower-tail": lambda c, S, l, m: _ellipse(c, S, l, m, radius2=stats.chi2.ppf(1 - l, df=2)),
    "transposed": lambda c, S, l, m: right_ellipse(c, S, l, m).T,
    "inverse covariance": lambda c, S, l, m: _ellipse(c, S, l, m, factor=np.linalg.cholesky(np.linalg.inv(S))),
    "axis-aligned": lambda c, S, l, m: _ellipse(c, S, l, m, factor=np.diag(np.sqrt(np.diag(S)))),
    "Lᵀ where L belongs": lambda c, S, l, m: _ellipse(c, S, l, m, factor=scipy.linalg.cholesky(S)),
    "multiplied by Σ itself": lambda c, S, l, m: _ellipse(c, S, l, m, factor=S),
    "centred at the origin": lambda c, S, l, m: right_ellipse(np.zeros(2), S, l, m),
    "only part of it": lambda c, S, l, m: _ellipse(c, S, l, m, stop=np.pi),
    "forget to `return`": lambda c, S, l, m: None,
    "wrong shape": lambda c, S, l, m: right_ellipse(c, S, l, m)[:-1],
    "raised ZeroDivisionError": lambda c, S, l, m: 1 / 0,
    "expected a function": np.zeros((10, 2)),
}


def test_wald_ellipse_accepts_the_right_answer(capsys):
    assert checks.check_wald_ellipse(right_ellipse, rng=SEED)
    assert "✅" in capsys.readouterr().out
    # Any square root of Σ works, e.g. the symmetric one, and any starting angle.
    sym = lambda c, S, l, m: _ellipse(c, S, l, m, factor=scipy.linalg.sqrtm(S).real, start=1.0, stop=1.0 + 2 * np.pi)
    assert checks.check_wald_ellipse(sym, rng=SEED + 1)


@pytest.mark.parametrize("phrase", list(WRONG_ELLIPSES))
def test_wald_ellipse_names_the_mistake(phrase, capsys):
    assert not checks.check_wald_ellipse(WRONG_ELLIPSES[phrase], rng=SEED)
    out = capsys.readouterr().out
    assert out.startswith("❌") and phrase in out, out
    center, cov, level, _ = _ellipse_case(np.random.default_rng(SEED))
    _assert_no_reference(out, [*center, *cov.ravel(), stats.chi2.ppf(level, df=2),
                               np.sqrt(stats.chi2.ppf(level, df=2))])


# --- check_logistic_noise_mle --------------------------------------------------------------


def right_logistic(y, X, scale):
    def loglik(b):
        u = (y - X @ b) / scale
        return np.sum(-u - 2 * np.logaddexp(0, -u))

    beta = np.zeros(X.shape[1])
    for _ in range(200):
        u = (y - X @ beta) / scale
        grad = X.T @ np.tanh(u / 2) / scale
        hess = -(X.T * (0.5 / np.cosh(u / 2) ** 2)) @ X / scale**2
        step = -np.linalg.solve(hess, grad)
        t = 1.0
        while loglik(beta + t * step) < loglik(beta) and t > 1e-12:
            t /= 2
        beta = beta + t * step
        if np.linalg.norm(t * step) < 1e-13 * (1 + np.linalg.norm(beta)):
            break
    return beta


def _one_step(y, X, scale):
    beta = linreg_mle.fit_mle(y, X).beta
    u = (y - X @ beta) / scale
    grad = X.T @ np.tanh(u / 2) / scale
    hess = -(X.T * (0.5 / np.cosh(u / 2) ** 2)) @ X / scale**2
    return beta - np.linalg.solve(hess, grad)


WRONG_LOGISTIC = {
    "least-squares fit": lambda y, X, s: linreg_mle.fit_mle(y, X).beta,
    "for scale 1": lambda y, X, s: right_logistic(y, X, 1.0),
    "b² where the scale b belongs": lambda y, X, s: right_logistic(y, X, s**2),
    "single Newton step": _one_step,
    "wrong sign": lambda y, X, s: -right_logistic(y, X, s),
    "did you forget to `return`": lambda y, X, s: None,
    "wrong shape": lambda y, X, s: right_logistic(y, X, s)[:-1],
    "raised": lambda y, X, s: np.linalg.solve(np.zeros((2, 2)), np.ones(2)),
}


def test_logistic_accepts_the_right_answer(capsys):
    assert checks.check_logistic_noise_mle(right_logistic, rng=SEED)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("phrase", list(WRONG_LOGISTIC))
def test_logistic_names_the_mistake(phrase, capsys):
    assert not checks.check_logistic_noise_mle(WRONG_LOGISTIC[phrase], rng=SEED)
    out = capsys.readouterr().out
    assert out.startswith("❌") and phrase in out, out
    y, X, scale = _logistic_case(np.random.default_rng(SEED))
    _assert_no_reference(out, _logistic_mle(y, X, scale))


def test_checks_are_exported():
    assert {"check_wald_ellipse", "check_logistic_noise_mle"} <= set(checks.__all__)
