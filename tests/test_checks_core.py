"""Self-checks: right answers pass, typical wrong ones get a specific diagnosis, references stay hidden."""
import numpy as np
import pytest

import linreg_mle as lm
from linreg_mle import checks
from linreg_mle.checks import check, check_log_likelihood_obs, standard_factors

REFERENCE = np.array([0.123456789, -2.718281828, 3.141592653, 1.414213562])


def _verdict(capsys, result):
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one verdict line
    assert out.startswith("✅" if result else "❌")
    return out


@pytest.mark.parametrize(
    "answer, message",
    [
        (None, "got None instead of an array of shape (4,): did you forget to `return`"),
        ("abc", "expected an array of shape (4,), got str"),
        (REFERENCE.sum(), "returned the sum of the terms (one number) instead of an array of shape (4,)"),
        (REFERENCE.mean(), "returned the mean of the terms"),
        (7.0, "expected an array of shape (4,), got a single number"),
        (REFERENCE[:3], "wrong shape: expected (4,), got (3,)"),
        (REFERENCE[:, None], "right numbers in the wrong shape: expected (4,), got (4, 1)"),
        (np.where(REFERENCE > 3, np.nan, REFERENCE), "contains NaN or inf (first at index 2)"),
        (-REFERENCE, "has the wrong sign"),
        (np.zeros(4), "is zero everywhere"),
        (2 * REFERENCE, "is off by a factor of 2"),
        (-0.5 * REFERENCE, "has the wrong sign and is off by a factor of 1/2"),
        (1.37 * REFERENCE, "is off by a constant factor ≈ 1.37"),
        (REFERENCE + 0.25, "is off by an additive constant"),
        (REFERENCE * [1, 1, 1.1, 1], "1 of 4 entries are wrong (the first at index 2)"),
    ],
)
def test_value_check_diagnoses_array_mistakes(capsys, answer, message):
    assert check(answer, REFERENCE, what="the terms") is False
    out = _verdict(capsys, False)
    assert out.startswith("❌ the terms: ")
    assert message in out
    for value in REFERENCE:  # never reveal the reference
        assert f"{value:.3f}"[:-1] not in out


def test_value_check_accepts_the_right_answer(capsys):
    assert check(list(REFERENCE * (1 + 1e-10)), REFERENCE, what="the terms") is True
    assert _verdict(capsys, True) == "✅ Correct: the terms matches the reference.\n"


def test_transposed_matrix(capsys):
    reference = np.arange(6.0).reshape(2, 3) + 1
    assert check(reference.T, reference) is False
    assert "is transposed: expected shape (2, 3), got (3, 2)" in _verdict(capsys, False)


@pytest.mark.parametrize(
    "factor, name",
    [(10 / 7, "n/(n−p)"), (7 / 10, "(n−p)/n"), (2.5, "σ²"), (1 / 2.5, "1/σ²"), (10, "n"), (0.5, "1/2")],
)
def test_scalar_check_names_the_factor(capsys, factor, name):
    reference = 0.987654321
    factors = standard_factors(n=10, p=3, sigma2=2.5)
    assert check(factor * reference, reference, what="σ̂²", factors=factors) is False
    out = _verdict(capsys, False)
    assert out == f"❌ σ̂²: is off by a factor of {name}\n"


def test_scalar_check_never_reports_an_unnamed_factor(capsys):
    """For one number any ratio is 'a factor', and printing it would reveal the reference."""
    assert check(1.37 * 0.987654321, 0.987654321) is False
    assert _verdict(capsys, False) == "❌ your answer: is not correct: it is too large\n"


def test_anticipated_mistake_is_named(capsys):
    rss, n, p = 12.0, 10, 3
    mistakes = {"you divided by n − p: that is s², the unbiased estimator, not the MLE": rss / (n - p)}
    assert check(rss / (n - p), rss / n, what="σ̂²", mistakes=mistakes) is False
    assert "you divided by n − p" in _verdict(capsys, False)


# --- function checks ---------------------------------------------------------------


def _square_cases(rng):
    return (rng.normal(size=int(rng.integers(3, 8))),)


def test_function_check_uses_fresh_cases_and_reports_exceptions(capsys):
    calls = []

    def learner(x):
        calls.append(x.copy())
        return x**2

    assert check(learner, np.square, what="square", cases=_square_cases, n_cases=4) is True
    assert _verdict(capsys, True) == "✅ Correct: square matches the reference on 4 random test cases.\n"
    assert len(calls) == 4 and not np.array_equal(calls[0][:3], calls[1][:3])

    assert check(lambda x: x.missing, np.square, what="square", cases=_square_cases) is False
    assert "your function raised AttributeError" in _verdict(capsys, False)
    assert check(4.0, np.square, what="square", cases=_square_cases) is False
    assert "expected a function, got float" in _verdict(capsys, False)


def test_function_check_gives_the_learner_copies():
    def vandal(x):
        x[:] = 0
        return x

    def reference(x):
        return x + 1

    def cases(rng):
        return (np.ones(3),)

    assert check(vandal, reference, cases=cases, n_cases=1) is False


def test_function_check_needs_cases():
    with pytest.raises(ValueError, match="needs cases"):
        check(np.square, np.square)


# --- the chapter 2 example check ------------------------------------------------------


def _right(y, X, beta, sigma2):
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2)


WRONG_LOG_LIKELIHOOD_OBS = {
    "used_sigma": (
        lambda y, X, b, s2: -0.5 * np.log(2 * np.pi * np.sqrt(s2)) - (y - X @ b) ** 2 / (2 * np.sqrt(s2)),
        "you used σ where σ² belongs",
    ),
    "squared_sigma2": (
        lambda y, X, b, s2: -0.5 * np.log(2 * np.pi * s2**2) - (y - X @ b) ** 2 / (2 * s2**2),
        "you squared sigma2",
    ),
    "forgot_half_on_square": (
        lambda y, X, b, s2: -0.5 * np.log(2 * np.pi * s2) - (y - X @ b) ** 2 / s2,
        "the squared-residual term is missing its ½",
    ),
    "forgot_half_on_log": (
        lambda y, X, b, s2: -np.log(2 * np.pi * s2) - (y - X @ b) ** 2 / (2 * s2),
        "the log term is missing its ½",
    ),
    "forgot_both_halves": (lambda y, X, b, s2: 2 * _right(y, X, b, s2), "is off by a factor of 2"),
    "dropped_2pi": (
        lambda y, X, b, s2: -0.5 * np.log(s2) - (y - X @ b) ** 2 / (2 * s2),
        "the constant −½ log(2π) is missing",
    ),
    "returned_sum": (lambda y, X, b, s2: _right(y, X, b, s2).sum(), "returned the sum of the terms"),
    "returned_mean": (lambda y, X, b, s2: _right(y, X, b, s2).mean(), "returned the mean of the terms"),
    "density": (lambda y, X, b, s2: np.exp(_right(y, X, b, s2)), "you returned the density itself"),
    "negative": (lambda y, X, b, s2: -_right(y, X, b, s2), "has the wrong sign"),
    "column": (lambda y, X, b, s2: _right(y, X, b, s2)[:, None], "right numbers in the wrong shape"),
    "no_return": (lambda y, X, b, s2: None, "did you forget to `return`"),
    "crashes": (lambda y, X, b, s2: np.log(sigma), "your function raised NameError"),  # noqa: F821
}


def test_check_log_likelihood_obs_accepts_the_right_answer(capsys):
    assert check_log_likelihood_obs(_right, rng=0) is True
    assert _verdict(capsys, True).startswith("✅ Correct: log_likelihood_obs")
    assert check_log_likelihood_obs(lm.log_likelihood_obs) is True  # fresh random cases
    capsys.readouterr()


@pytest.mark.parametrize("mistake", WRONG_LOG_LIKELIHOOD_OBS)
def test_check_log_likelihood_obs_names_each_mistake(capsys, mistake):
    fn, message = WRONG_LOG_LIKELIHOOD_OBS[mistake]
    assert check_log_likelihood_obs(fn, rng=1) is False
    out = _verdict(capsys, False)
    assert out.startswith("❌ log_likelihood_obs: ")
    assert message in out


def test_chapter_modules_are_re_exported():
    assert "check_log_likelihood_obs" in checks.__all__
    for chapter in (checks.ch01, checks.ch02, checks.ch03, checks.ch04, checks.ch05):
        assert chapter.__doc__ and all(hasattr(checks, name) for name in chapter.__all__)
