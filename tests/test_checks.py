"""Every self-check, tested from its own description.

Each check in ``linreg_mle.checks.ALL`` declares a reference, its test cases and a
catalogue of typical mistakes. Here every catalogued mistake, answered as a
learner would, must get its own message (not another one's, not a generic one)
without the verdict printing the reference; the reference must pass; and a
learner's function that raises must be shown its own traceback.
"""
import dataclasses
import re

import numpy as np
import pytest

from linreg_mle import checks

SEEDS = (0, 1, 2)
WITH_REFERENCE = [name for name, check in checks.ALL.items() if check.reference is not None]


def _numbers_only(check: checks.Check) -> checks.Check:
    """The check without the exercise's rules about what to call: the reference
    computes the answer its own way, not the way the exercise asks for."""
    return dataclasses.replace(check, must_call={}, must_not_call={})


def _answering(check, wrong):
    """A learner who makes the mistake ``wrong`` wherever it applies (a catalogued
    mistake is NaN on the cases it does not apply to) and is right elsewhere."""
    def learner(*args):
        value = wrong(*args)
        return value if np.all(np.isfinite(value)) else check.reference(*args)
    return learner


def _references(check, seed):
    rng = np.random.default_rng(seed)
    return np.concatenate([np.ravel(check.reference(*draw(rng))) for draw in check.cases])


def _printed_numbers(verdict: str) -> list[float]:
    """Every number printed with at least three decimals."""
    return [float(x) for x in re.findall(r"-?\d+\.\d{3,}", verdict)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", WITH_REFERENCE)
def test_the_reference_passes(name, seed):
    check = _numbers_only(checks.ALL[name])
    assert check.diagnose(check.reference, rng=seed) is None


@pytest.mark.parametrize("name, message", [
    pytest.param(name, message, id=f"{name}-{index}")
    for name, check in checks.ALL.items() for index, message in enumerate(check.mistakes)])
def test_each_mistake_gets_its_own_message_and_no_reference_value(name, message):
    check = _numbers_only(checks.ALL[name])
    learner = _answering(check, check.mistakes[message])
    for seed in SEEDS:
        verdict = check.diagnose(learner, rng=seed)
        assert verdict is not None and verdict.startswith(message), verdict
        references = _references(check, seed)
        for number in _printed_numbers(verdict):
            assert not np.isclose(references, number, rtol=1e-3, atol=0).any(), verdict


def _helper_that_fails(size):
    raise KeyError(f"no entry {size}")


@pytest.mark.parametrize("name", checks.ALL)
def test_a_raising_answer_is_shown_its_own_traceback(name):
    check = checks.ALL[name]

    def my_answer(*args):
        return _helper_that_fails(len(args))

    verdict = check.diagnose(my_answer, rng=0)
    assert verdict.startswith(f"your function raised KeyError on test case 1 of {len(check.cases)}, "
                              "called with "), verdict
    assert "in my_answer" in verdict and "in _helper_that_fails" in verdict
    assert 'raise KeyError(f"no entry {size}")' in verdict
    assert f"KeyError: 'no entry {len(check.cases[0](np.random.default_rng(0)))}'" in verdict
    assert "linreg_mle" not in verdict  # the check's own frames are not the learner's business


@pytest.mark.parametrize("name", checks.ALL)
def test_answers_that_are_not_answers(name):
    check = checks.ALL[name]
    assert check.diagnose(2.5) == "expected a function, got float"
    assert "did you forget to `return`" in check.diagnose(lambda *args: None, rng=0)


@pytest.mark.parametrize("name", WITH_REFERENCE)
def test_the_learner_gets_copies_of_the_arguments(name):
    check = _numbers_only(checks.ALL[name])

    def vandal(*args):
        answer = check.reference(*args)
        for arg in args:
            if isinstance(arg, np.ndarray):
                arg[...] = 0
        return answer

    assert check.diagnose(vandal, rng=0) is None


@pytest.mark.parametrize("name", checks.ALL)
def test_cases_are_reproducible_and_fresh(name):
    check = checks.ALL[name]

    def drawn(seed):
        rng = np.random.default_rng(seed)
        return [draw(rng) for draw in check.cases]

    def flat(cases):
        return np.concatenate([np.ravel(np.asarray(arg, dtype=float))
                               for case in cases for arg in case if not isinstance(arg, str)])

    assert np.array_equal(flat(drawn(5)), flat(drawn(5)))
    assert not np.array_equal(flat(drawn(5)), flat(drawn(6)))


@pytest.mark.parametrize("name", checks.ALL)
def test_each_check_is_documented_and_its_success_fits_the_page(name, capsys):
    check = checks.ALL[name]
    assert name in checks.__all__ and getattr(checks, name) is check
    assert check.__doc__ == check.doc and check.doc.startswith("Check ``fn(")
    assert len(check.cases) >= 3 and check.rtol <= 1e-5
    for dotted in check._watched:
        checks._core._resolve(dotted)  # every rule names something that exists
    # A chapter prints the verdict in an 79-character code column.
    assert check.diagnose(lambda *args: None) is not None
    success = f"✅ Correct: {check.name} matches the reference on {len(check.cases)} random test cases."
    assert len(success) <= 79
