"""The self-check for predicting correct digits: one right answer passes, typical wrong answers get named."""
import re

import numpy as np
import pytest

from linreg_mle import checks
from linreg_mle.checks.computing import _cases

SEED = 2024
EPS_MACH = 2.0**-53


def _numbers(text):
    return [float(m) for m in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


def _kappa_s(X):
    return np.linalg.cond(X / np.linalg.norm(X, axis=0))


def right(X):
    k = _kappa_s(X)
    return np.array([-np.log10(EPS_MACH) - np.log10(k), max(0.0, -np.log10(EPS_MACH) - 2 * np.log10(k))])


def right_by_svd(X):
    """The same rules, with κ from the singular values and log10 written via log2."""
    d = np.linalg.svd(X / np.sqrt((X**2).sum(axis=0)), compute_uv=False)
    loss = np.log2(d[0] / d[-1]) / np.log2(10)
    return (53 * np.log10(2) - loss, max(0.0, 53 * np.log10(2) - 2 * loss))


def _rules(X, kappa, eps=EPS_MACH, log=np.log10, f=(1, 2), clip=True):
    qr, ne = (-log(eps) - fi * log(kappa) for fi in f)
    return np.array([qr, max(0.0, ne) if clip else ne])


WRONG = {
    "condition number of X as given": lambda X: _rules(X, np.linalg.cond(X)),
    "twice as many digits as QR": lambda X: _rules(X, _kappa_s(X), f=(1, 1)),
    "not 2·log10 κ": lambda X: _rules(X, _kappa_s(X), f=(2, 2)),
    "use log10": lambda X: _rules(X, _kappa_s(X), log=np.log),
    "unit roundoff": lambda X: _rules(X, _kappa_s(X), eps=np.finfo(float).eps),
    "clip the prediction": lambda X: _rules(X, _kappa_s(X), clip=False),
    "scaled the rows": lambda X: _rules(X, np.linalg.cond(X / np.linalg.norm(X, axis=1, keepdims=True))),
    "by its largest entry": lambda X: _rules(X, np.linalg.cond(X / np.abs(X).max(axis=0))),
    "wrong order": lambda X: right(X)[::-1],
    "forget to `return`": lambda X: None,
    "got a single number": lambda X: right(X)[0],
    "raised": lambda X: np.linalg.cond(None),
    "expected a function": np.zeros(2),
}


def test_accepts_the_right_answer(capsys):
    assert checks.check_predicted_digits(right, rng=SEED)
    assert checks.check_predicted_digits(right_by_svd, rng=SEED + 1)
    assert "✅" in capsys.readouterr().out


@pytest.mark.parametrize("phrase", list(WRONG))
def test_names_the_mistake(phrase, capsys):
    assert not checks.check_predicted_digits(WRONG[phrase], rng=SEED)
    out = capsys.readouterr().out
    assert out.startswith("❌") and phrase in out, out
    draw = _cases()
    rng = np.random.default_rng(SEED)
    references = [right(*draw(rng)) for _ in range(4)]
    for printed in _numbers(out):
        assert not any(np.isclose(printed, ref, rtol=5e-3).any() for ref in references), out


def test_cases_meet_both_regimes():
    """Moderate cases keep normal-equation digits; ill-conditioned ones clip them at 0."""
    draw = _cases()
    rng = np.random.default_rng(SEED)
    predictions = [right(*draw(rng)) for _ in range(6)]
    assert all(p[1] > 0 for p in predictions[0::2])
    assert all(p[1] == 0 and p[0] > 2 for p in predictions[1::2])


def test_is_exported():
    assert "check_predicted_digits" in checks.__all__
