"""The machinery of the self-checks: how an answer is compared, and how a check runs it."""
import sys

import numpy as np
import pytest
import scipy.linalg
from numpy.linalg import inv as invert

import linreg_mle as lm
from linreg_mle.checks import Check, compare, standard_factors

REFERENCE = np.array([0.123456789, -2.718281828, 3.141592653, 1.414213562])


@pytest.mark.parametrize(
    "answer, message",
    [
        (None, "got None instead of an array of shape (4,): did you forget to `return`"),
        (object(), "expected an array of shape (4,), got object"),
        ("0.12 -2.7 3.1 1.4", "expected an array of shape (4,), got text (str)"),
        (["0.123456789", -2.718281828, 3.141592653, 1.414213562], "got text (list)"),
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
        (REFERENCE * (1 + 2e-5), "is close but not within the tolerance: its largest error is 1.0e-05 "
                                 "relative to the reference, and the check accepts 1e-07"),
    ],
)
def test_compare_says_what_is_wrong_without_the_reference(answer, message):
    verdict = compare(answer, REFERENCE)
    assert message in verdict
    for value in REFERENCE:
        assert f"{value:.3f}"[:-1] not in verdict


def test_compare_accepts_the_right_answer_in_any_container():
    assert compare(list(REFERENCE * (1 + 1e-10)), REFERENCE) is None
    assert compare(tuple(REFERENCE), REFERENCE) is None
    assert compare(np.float32(0.5), 0.5) is None


def test_one_number_in_an_array_is_told_to_use_item():
    assert "got an array of shape (1,): take the number out of it with .item()" in compare(
        np.array([0.75]), 0.75)
    assert "text (str)" in compare("0.75", 0.75)


def test_a_transposed_matrix():
    reference = np.arange(6.0).reshape(2, 3) + 1
    assert "is transposed: expected shape (2, 3), got (3, 2)" in compare(reference.T, reference)


@pytest.mark.parametrize(
    "factor, name",
    [(10 / 7, "n/(n−p)"), (7 / 10, "(n−p)/n"), (2.5, "σ²"), (1 / 2.5, "1/σ²"), (10, "n"), (0.5, "1/2")],
)
def test_a_named_factor_is_named(factor, name):
    reference = 0.987654321
    factors = standard_factors(n=10, p=3, sigma2=2.5)
    assert compare(factor * reference, reference, factors=factors) == f"is off by a factor of {name}"


def test_one_number_is_never_given_an_unnamed_factor():
    """For one number any ratio is 'a factor', and printing it would reveal the reference."""
    assert compare(1.37 * 0.987654321, 0.987654321) == "is not correct: it is too large"


def test_an_anticipated_mistake_is_named_whatever_its_shape():
    rss, n, p = 12.0, 10, 3
    assert compare(rss / (n - p), rss / n, mistakes={"you divided by n − p": rss / (n - p)}) == (
        "you divided by n − p")
    matrix = np.arange(6.0).reshape(2, 3) + 1
    assert compare(matrix.T, matrix, mistakes={"rows are coefficients": matrix.T}) == (
        "rows are coefficients")


# --- a Check runs the learner's function ----------------------------------------------


def _vector(rng):
    return (rng.normal(size=int(rng.integers(3, 8))),)


SQUARE = Check(name="square", reference=np.square, cases=(_vector,) * 4,
               mistakes={"you doubled x instead of squaring it": lambda x: 2 * x},
               doc="Check ``fn(x)`` → x².")


def test_a_check_prints_one_verdict_and_returns_it(capsys):
    calls = []

    def learner(x):
        calls.append(x.copy())
        return x**2

    assert SQUARE(learner) is True
    assert capsys.readouterr().out == "✅ Correct: square matches the reference on 4 random test cases.\n"
    assert len(calls) == 4 and not np.array_equal(calls[0][:3], calls[1][:3])
    assert SQUARE(lambda x: 2 * x, rng=0) is False
    assert capsys.readouterr().out == "❌ square: you doubled x instead of squaring it (on test case 1 of 4)\n"
    assert SQUARE.__doc__ == "Check ``fn(x)`` → x²."


def test_an_iteration_stopped_early_is_told_the_tolerance():
    verdict = SQUARE.diagnose(lambda x: x**2 * (1 + 3e-6), rng=0)
    assert verdict.startswith("is close but not within the tolerance")
    assert "the check accepts 1e-07" in verdict and "iterate longer" in verdict


def test_the_traceback_shows_the_learners_frames_and_the_case():
    def my_square(x):
        return x.squared()

    verdict = SQUARE.diagnose(my_square, rng=0)
    first, *trace = verdict.splitlines()
    assert first == ("your function raised AttributeError on test case 1 of 4, called with "
                     "x = an array of shape (7,):")
    assert "in my_square" in trace[0] and trace[1].strip() == "return x.squared()"
    assert trace[-1] == "AttributeError: 'numpy.ndarray' object has no attribute 'squared'"
    assert not any("linreg_mle" in line or "numpy" in line for line in trace[:-1])


def _solve_with(method):
    def solve(A, b):
        return method(A, b)
    return solve


def _system(rng):
    A = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    return A, rng.normal(size=3)


SOLVE = Check(name="solve", reference=np.linalg.solve, cases=(_system,) * 3,
              must_call={("numpy.linalg.qr", "scipy.linalg.qr"): "the exercise asks for QR"},
              must_not_call={"numpy.linalg.inv": "the exercise asks not to invert A",
                             "linreg_mle": "the exercise asks for numpy alone"},
              doc="Check ``fn(A, b)`` → A⁻¹b.")


def _by_qr(A, b):
    Q, R = np.linalg.qr(A)
    return np.linalg.solve(R, Q.T @ b)


def _by_qr_and_package(A, b):
    lm.fit_mle(np.arange(4.0) ** 2, np.ones((4, 1)))
    return _by_qr(A, b)


@pytest.mark.parametrize("answer, verdict", [
    (_by_qr, None),
    (_by_qr_and_package, "your answer is right but calls linreg_mle: the exercise asks for numpy alone"),
    (_solve_with(lambda A, b: invert(A) @ b),  # imported under another name
     "your answer is right but calls numpy.linalg.inv: the exercise asks not to invert A"),
    (_solve_with(lambda A, b: np.linalg.inv(A) @ b),
     "your answer is right but calls numpy.linalg.inv: the exercise asks not to invert A"),
    (_solve_with(np.linalg.solve), "your answer is right but never calls numpy.linalg.qr or "
                                   "scipy.linalg.qr: the exercise asks for QR"),
    (_solve_with(lambda A, b: scipy.linalg.solve_triangular(
        scipy.linalg.qr(A)[1], scipy.linalg.qr(A)[0].T @ b)), None),
    (_solve_with(lambda A, b: np.linalg.qr(A)[0] @ b), "entries are wrong"),
])
def test_the_rules_of_an_exercise_are_enforced(answer, verdict):
    result = SOLVE.diagnose(answer, rng=0)
    assert result == verdict if verdict is None or verdict.startswith("your") else verdict in result


def test_watching_calls_leaves_no_profiler_behind():
    before = sys.getprofile()
    SOLVE.diagnose(_solve_with(lambda A, b: 1 / 0), rng=0)
    SOLVE.diagnose(_by_qr, rng=0)
    assert sys.getprofile() is before


def test_a_probe_speaks_before_the_comparison_and_a_judge_replaces_it():
    probed = Check(name="square", reference=np.square, cases=(_vector,) * 3,
                   probes=(lambda got, args: "negative!" if (got < 0).any() else None,),
                   doc="Check ``fn(x)``.")
    assert probed.diagnose(lambda x: -x**2, rng=0) == "negative! (on test case 1 of 3)"
    judged = Check(name="unit vector", reference=None, cases=(_vector,) * 3,
                   judge=lambda got, args: None if np.isclose(np.linalg.norm(got), 1) else "not unit",
                   doc="Check ``fn(x)``.")
    assert judged.diagnose(lambda x: x / np.linalg.norm(x), rng=0) is None
    assert judged.diagnose(lambda x: x, rng=0) == "not unit (on test case 1 of 3)"
