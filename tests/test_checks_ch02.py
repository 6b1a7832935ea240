"""Chapter 2 self-checks: the right answer passes, typical wrong answers get named.

`check_log_likelihood_obs` (the package's example check) is also tested in
test_checks_core.py; this file adds the answers a learner of chapter 2 writes
(among them the log of a density, which fails far in the tail) and covers
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


# --- check_log_likelihood_obs, as a learner meets it ------------------------------------


def obs_right(y, X, beta, sigma2):
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2)


def obs_right_scipy(y, X, beta, sigma2):
    return stats.norm.logpdf(y, X @ beta, np.sqrt(sigma2))


def obs_log_of_pdf(y, X, beta, sigma2):
    return np.log(stats.norm.pdf(y, X @ beta, np.sqrt(sigma2)))


def obs_log_of_formula(y, X, beta, sigma2):
    r = y - X @ beta
    return np.log(np.exp(-r**2 / (2 * sigma2)) / np.sqrt(2 * np.pi * sigma2))


def obs_log_of_clipped_pdf(y, X, beta, sigma2):
    return np.log(np.maximum(stats.norm.pdf(y, X @ beta, np.sqrt(sigma2)), 1e-300))


def obs_log_of_pdf_plus_tiny(y, X, beta, sigma2):
    return np.log(stats.norm.pdf(y, X @ beta, np.sqrt(sigma2)) + 1e-300)


def obs_square_over_sigma4(y, X, beta, sigma2):
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2**2)


def obs_sigma4_everywhere(y, X, beta, sigma2):
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * sigma2**2) - r**2 / (2 * sigma2**2)


def obs_sigma_for_sigma2(y, X, beta, sigma2):
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * np.sqrt(sigma2)) - r**2 / (2 * np.sqrt(sigma2))


def obs_density(y, X, beta, sigma2):
    return stats.norm.pdf(y, X @ beta, np.sqrt(sigma2))


@pytest.mark.parametrize("answer", [obs_right, obs_right_scipy])
@pytest.mark.parametrize("seed", [0, 1, None])
def test_log_likelihood_obs_right_answers_pass(answer, seed, capsys):
    assert check_log_likelihood_obs(answer, rng=seed) is True
    assert capsys.readouterr().out.startswith("✅ Correct: log_likelihood_obs")


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (obs_log_of_pdf, "is −inf at observations 0, 2"),
        (obs_log_of_formula, "the log of 0.0 is −inf"),
        (obs_log_of_clipped_pdf, "right except at observations 0, 2"),
        (obs_log_of_pdf_plus_tiny, "right except at observations 0, 2"),
        (obs_square_over_sigma4, "divides by 2σ⁴ (sigma2**2)"),
        (obs_sigma4_everywhere, "σ⁴ wherever σ² belongs"),
        (obs_sigma_for_sigma2, "σ where σ² belongs"),
        (obs_density, "you returned the density itself"),
    ],
)
@pytest.mark.parametrize("seed", [3, 4])
def test_log_likelihood_obs_wrong_answers_are_named(wrong, phrase, seed, capsys):
    with np.errstate(all="ignore"):
        assert check_log_likelihood_obs(wrong, rng=seed) is False
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("❌ log_likelihood_obs: ") and phrase in out


def test_the_last_case_is_far_in_the_tail():
    """Where the log of the density fails: rᵢ²/(2σ²) > 750, the density is 0.0 in float64,
    and the right ℓᵢ is an ordinary finite number."""
    from linreg_mle.checks import ch02

    rng = np.random.default_rng(0)
    for _ in range(20):
        y, X, beta, sigma2 = ch02._tail_problem(rng)
        r = y - X @ beta
        tail = r**2 / (2 * sigma2) > 750
        assert np.flatnonzero(tail).tolist() == [0, 2]
        assert np.all(stats.norm.pdf(y, X @ beta, np.sqrt(sigma2))[tail] == 0.0)
        assert np.all(np.isfinite(lm.log_likelihood_obs(y, X, beta, sigma2)))
    cases = ch02._cases(3)
    drawn = [cases(rng) for _ in range(3)]
    big = [np.max((y - X @ b) ** 2 / (2 * s2)) for y, X, b, s2 in drawn]
    assert big[0] < 750 and big[1] < 750 < big[2]


def test_log_likelihood_obs_verdict_never_prints_the_reference(capsys):
    from linreg_mle.checks import ch02

    args = ch02._tail_problem(np.random.default_rng(9))
    reference = lm.log_likelihood_obs(*args)
    with np.errstate(all="ignore"):
        for answer in (obs_log_of_pdf, obs_log_of_clipped_pdf, obs_square_over_sigma4, obs_density):
            check_log_likelihood_obs(answer, rng=9)
    out = capsys.readouterr().out
    for value in reference[[0, 1, 2]]:
        for text in (f"{value}", f"{value:.6g}", f"{value:.4g}", f"{value:.2f}"):
            assert text not in out


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
