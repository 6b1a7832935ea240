"""The self-check of the unit on other noise laws: one right answer passes, typical wrong answers get named."""
import re

import numpy as np
import pytest
from scipy.special import gammaln

import linreg_mle
from linreg_mle import checks
from linreg_mle.checks.noise import _profile, _profile_case

SEED = 2024


def _numbers(text):
    return [float(m) for m in re.findall(r"[-+]?\d+\.\d+(?:e[-+]?\d+)?", text)]


def _assert_no_reference(text, reference_values):
    """No printed number equals a reference value to 3 significant digits."""
    for printed in _numbers(text):
        for ref in np.ravel(reference_values):
            assert not np.isclose(printed, ref, rtol=5e-3), (printed, ref, text)


def right_profile(y, X, df_values):
    return np.array([linreg_mle.fit_student_t(y, X, df=d).loglik for d in df_values])


def _own_em(y, X, df_values):
    """An independent route: the learner's own EM loop, to a tight tolerance, as a list."""
    out = []
    for nu in df_values:
        beta = np.linalg.lstsq(X, y, rcond=None)[0]
        r = y - X @ beta
        b2 = r @ r / y.size
        for _ in range(5000):
            w = (nu + 1) / (nu + r**2 / b2)
            sw = np.sqrt(w)
            beta_new = np.linalg.lstsq(sw[:, None] * X, sw * y, rcond=None)[0]
            r = y - X @ beta_new
            b2 = w @ r**2 / y.size
            if np.abs(beta_new - beta).max() < 1e-12:
                break
            beta = beta_new
        out.append(linreg_mle.log_likelihood_noise(y, X, beta_new, np.sqrt(b2), "t", nu))
    return out


def _no_constant(y, X, df_values):
    return np.array([linreg_mle.fit_student_t(y, X, df=d).loglik
                     - y.size * (gammaln((d + 1) / 2) - gammaln(d / 2) - 0.5 * np.log(d * np.pi))
                     for d in df_values])


WRONG_PROFILES = {
    "the Gaussian maximum log-likelihood": lambda y, X, d: np.full(len(d), linreg_mle.fit_mle(y, X).loglik),
    "every entry is the fit at the first ν": lambda y, X, d: np.full(len(d), right_profile(y, X, d[:1])[0]),
    "at the least-squares fit": lambda y, X, d: np.array([
        linreg_mle.log_likelihood_noise(y, X, linreg_mle.fit_mle(y, X).beta,
                                        np.sqrt(linreg_mle.fit_mle(y, X).sigma2), "t", v) for v in d]),
    "fitted scales": lambda y, X, d: np.array([linreg_mle.fit_student_t(y, X, df=v).scale for v in d]),
    "normalising constant": _no_constant,
    "wrong sign": lambda y, X, d: -right_profile(y, X, d),
    "wrong shape": lambda y, X, d: right_profile(y, X, d)[:-1],
    "forget to `return`": lambda y, X, d: None,
    "raised TypeError": lambda y, X, d: linreg_mle.fit_student_t(y, X),
    "expected a function": np.zeros(3),
}


def test_profile_df_accepts_the_right_answer(capsys):
    assert checks.check_t_profile_df(right_profile, rng=SEED)
    assert "✅" in capsys.readouterr().out
    assert checks.check_t_profile_df(_own_em, rng=SEED + 1)


@pytest.mark.parametrize("phrase", list(WRONG_PROFILES))
def test_profile_df_names_the_mistake(phrase, capsys):
    assert not checks.check_t_profile_df(WRONG_PROFILES[phrase], rng=SEED)
    out = capsys.readouterr().out
    assert out.startswith("❌") and phrase in out, out
    y, X, df_values = _profile_case(np.random.default_rng(SEED))
    _assert_no_reference(out, _profile(y, X, df_values))


def test_each_mistake_gets_its_own_message(capsys):
    messages = set()
    for phrase in ["the Gaussian maximum log-likelihood", "every entry is the fit at the first ν",
                   "at the least-squares fit", "fitted scales", "normalising constant"]:
        checks.check_t_profile_df(WRONG_PROFILES[phrase], rng=SEED)
        messages.add(capsys.readouterr().out)
    assert len(messages) == 5


def test_cases_vary_and_are_not_degenerate():
    rng = np.random.default_rng(0)
    for _ in range(10):
        y, X, df_values = _profile_case(rng)
        assert 3 <= df_values.size <= 5 and np.all(np.diff(df_values) > 0)
        lp = _profile(y, X, df_values)
        assert np.ptp(lp) > 1e-3  # ℓ_p changes with ν, so a constant answer is caught


def test_check_is_exported():
    assert "check_t_profile_df" in checks.__all__
