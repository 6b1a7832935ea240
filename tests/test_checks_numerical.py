"""The self-check for the best gradient-ascent step: one right answer passes, typical wrong answers get named."""
import re

import numpy as np
import pytest

from linreg_mle import checks
from linreg_mle.checks.numerical import _best_step, _case

SEED = 2024


def _numbers(text):
    return [float(m) for m in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


def right(X, sigma2):
    lam = np.linalg.eigvalsh(X.T @ X / sigma2)
    return 2 / (lam[0] + lam[-1])


def right_by_svd(X, sigma2):
    d = np.linalg.svd(X, compute_uv=False)
    return 2 * sigma2 / (d[0] ** 2 + d[-1] ** 2)


def _lam(X, sigma2):
    return np.linalg.eigvalsh(X.T @ X / sigma2)


WRONG = {
    "safe step 1/λ_max": lambda X, s2: 1 / _lam(X, s2)[-1],
    "stability limit 2/λ_max": lambda X, s2: 2 / _lam(X, s2)[-1],
    "1/λ_min is far beyond": lambda X, s2: 1 / _lam(X, s2)[0],
    "left out σ²": lambda X, s2: right(X, 1.0),
    "multiplied XᵀX by σ²": lambda X, s2: right(X, 1 / s2),
    "singular values of X": lambda X, s2: 2 * s2 / sum(np.linalg.svd(X, compute_uv=False)[[0, -1]]),
    "(their mean)": lambda X, s2: 1 / _lam(X, s2).mean(),
    "off by a factor of 1/2": lambda X, s2: right(X, s2) / 2,
    "wrong sign": lambda X, s2: -right(X, s2),
    "forget to `return`": lambda X, s2: None,
    "wrong shape": lambda X, s2: _lam(X, s2),
    "raised": lambda X, s2: np.linalg.eigvalsh(X),
}


def test_accepts_the_right_answer(capsys):
    assert checks.check_best_step(right, rng=SEED)
    assert checks.check_best_step(right_by_svd, rng=SEED + 1)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("phrase", list(WRONG))
def test_names_the_mistake(phrase, capsys):
    assert not checks.check_best_step(WRONG[phrase], rng=SEED)
    out = capsys.readouterr().out
    assert out.startswith("❌") and phrase in out, out
    rng = np.random.default_rng(SEED)
    references = [_best_step(*_case(rng)) for _ in range(3)]
    for printed in _numbers(out):
        assert not any(np.isclose(printed, ref, rtol=5e-3) for ref in references), out


def test_best_step_contracts_fastest():
    """The reference step attains (κ − 1)/(κ + 1), and nearby steps do worse."""
    X, sigma2 = _case(np.random.default_rng(SEED))
    lam = np.linalg.eigvalsh(X.T @ X / sigma2)
    q = lambda a: np.max(np.abs(1 - a * lam))
    a_star, kappa = _best_step(X, sigma2), lam[-1] / lam[0]
    assert np.isclose(q(a_star), (kappa - 1) / (kappa + 1), rtol=1e-12)
    assert q(0.99 * a_star) > q(a_star) and q(1.01 * a_star) > q(a_star)


def test_is_exported():
    assert "check_best_step" in checks.__all__
