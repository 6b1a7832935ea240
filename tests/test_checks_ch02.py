"""Chapter 2 self-checks: the right answer passes, typical wrong answers get named.

`check_log_likelihood_obs` (the package's example check) is tested in
test_checks_core.py; this file adds a learner-style run of it and covers
`check_likelihood_ratio`.
"""

import numpy as np
import pytest
from scipy import stats

import linreg_mle as lm
from linreg_mle.checks import check_likelihood_ratio, check_log_likelihood_obs


def _ll(y, X, beta, sigma2):
    return stats.norm.logpdf(y, loc=X @ beta, scale=np.sqrt(sigma2)).sum()


def right(y, X, beta_a, beta_b, sigma2):
    return np.exp(_ll(y, X, beta_a, sigma2) - _ll(y, X, beta_b, sigma2))


def right_by_density_ratios(y, X, beta_a, beta_b, sigma2):
    """Also right: a product of n ratios of densities, each close to 1, does not underflow."""
    sd = np.sqrt(sigma2)
    return np.prod(stats.norm.pdf(y, X @ beta_a, sd) / stats.norm.pdf(y, X @ beta_b, sd))


def by_product(y, X, beta_a, beta_b, sigma2):
    sd = np.sqrt(sigma2)
    return np.prod(stats.norm.pdf(y, X @ beta_a, sd)) / np.prod(stats.norm.pdf(y, X @ beta_b, sd))


def log_ratio(y, X, beta_a, beta_b, sigma2):
    return _ll(y, X, beta_a, sigma2) - _ll(y, X, beta_b, sigma2)


def inverted(y, X, beta_a, beta_b, sigma2):
    return np.exp(_ll(y, X, beta_b, sigma2) - _ll(y, X, beta_a, sigma2))


def divided_logs(y, X, beta_a, beta_b, sigma2):
    return _ll(y, X, beta_a, sigma2) / _ll(y, X, beta_b, sigma2)


def missing_half(y, X, beta_a, beta_b, sigma2):
    ra, rb = y - X @ beta_a, y - X @ beta_b
    return np.exp(-(ra @ ra - rb @ rb) / sigma2)


def sigma_for_sigma2(y, X, beta_a, beta_b, sigma2):
    return np.exp(_ll(y, X, beta_a, np.sqrt(sigma2)) - _ll(y, X, beta_b, np.sqrt(sigma2)))


def returns_array(y, X, beta_a, beta_b, sigma2):
    sd = np.sqrt(sigma2)
    return np.exp(stats.norm.logpdf(y, X @ beta_a, sd) - stats.norm.logpdf(y, X @ beta_b, sd))


def forgot_return(y, X, beta_a, beta_b, sigma2):
    np.exp(_ll(y, X, beta_a, sigma2) - _ll(y, X, beta_b, sigma2))


@pytest.mark.parametrize("answer", [right, right_by_density_ratios])
@pytest.mark.parametrize("seed", [0, 1, None])
def test_right_answers_pass(answer, seed, capsys):
    assert check_likelihood_ratio(answer, rng=seed) is True
    assert capsys.readouterr().out.startswith("✅ Correct: likelihood_ratio")


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (by_product, "underflows to exactly 0.0"),
        (log_ratio, "logarithm of the ratio"),
        (inverted, "upside down"),
        (divided_logs, "divided the log-likelihoods"),
        (missing_half, "square of the right one"),
        (sigma_for_sigma2, "σ where σ² belongs"),
        (returns_array, "wrong shape"),
        (forgot_return, "forget to `return`"),
        (42.0, "expected a function"),
    ],
)
def test_wrong_answers_are_named(wrong, phrase, capsys):
    assert check_likelihood_ratio(wrong, rng=5) is False
    out = capsys.readouterr().out
    assert out.startswith("❌ likelihood_ratio: ") and phrase in out


def test_verdict_never_prints_the_reference(capsys):
    from linreg_mle.checks import ch02

    args = ch02._ratio_problem(np.random.default_rng(9))  # the first case the check draws
    reference = ch02._ratio(*args)
    for answer in (by_product, log_ratio, inverted, divided_logs, missing_half, lambda *a: 0.5):
        check_likelihood_ratio(answer, rng=9)
    out = capsys.readouterr().out
    for text in (f"{reference}", f"{reference:.6g}", f"{reference:.4g}", f"{reference:.3f}"):
        assert text not in out


def test_cases_really_underflow():
    """The point of the exercise: on every test case both likelihoods are exactly 0.0."""
    from linreg_mle.checks import ch02

    rng = np.random.default_rng(0)
    for _ in range(20):
        y, X, beta_a, beta_b, sigma2 = ch02._ratio_problem(rng)
        with np.errstate(under="ignore"):
            assert np.prod(np.exp(lm.log_likelihood_obs(y, X, beta_a, sigma2))) == 0.0
        assert 1e-4 < ch02._ratio(y, X, beta_a, beta_b, sigma2) < 1e4


def test_log_likelihood_obs_check_as_a_learner_uses_it(capsys):
    def mine(y, X, beta, sigma2):
        r = y - X @ beta
        return -0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2)

    def with_sigma(y, X, beta, sigma2):
        return stats.norm.logpdf(y, X @ beta, sigma2)  # scale=σ² instead of σ

    assert check_log_likelihood_obs(mine, rng=3) is True
    assert check_log_likelihood_obs(with_sigma, rng=3) is False
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("❌")
