"""The chapter 1 self-check: one right answer passes, typical wrong answers get named."""

import numpy as np
import pytest
from scipy import stats

from linreg_mle.checks import check_grid_mle


def right(y, x, sigma2, grid):
    loglik = stats.norm.logpdf(y[None, :], loc=grid[:, None] * x[None, :], scale=np.sqrt(sigma2)).sum(axis=1)
    return grid[np.argmax(loglik)]


def by_product(y, x, sigma2, grid):
    lik = stats.norm.pdf(y[None, :], loc=grid[:, None] * x[None, :], scale=np.sqrt(sigma2)).prod(axis=1)
    return grid[np.argmax(lik)]


def index(y, x, sigma2, grid):
    return np.argmax(stats.norm.logpdf(y[None, :], loc=grid[:, None] * x[None, :]).sum(axis=1))


def argmin(y, x, sigma2, grid):
    return grid[np.argmin(stats.norm.logpdf(y[None, :], loc=grid[:, None] * x[None, :]).sum(axis=1))]


def mean_model(y, x, sigma2, grid):
    return grid[np.argmax(stats.norm.logpdf(y[None, :], loc=grid[:, None]).sum(axis=1))]


def closed_form(y, x, sigma2, grid):
    return x @ y / (x @ x)


def forgot_return(y, x, sigma2, grid):
    grid[np.argmax(stats.norm.logpdf(y[None, :], loc=grid[:, None] * x[None, :]).sum(axis=1))]


def crashes(y, x, sigma2, grid):
    raise NotImplementedError("write me")


@pytest.mark.parametrize("seed", [0, 1, 2, None])
def test_right_answer_passes(seed, capsys):
    assert check_grid_mle(right, rng=seed)
    assert "✅ Correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (by_product, "underflows to exactly 0.0"),
        (index, "an index"),
        (argmin, "smallest"),
        (mean_model, "ignores x"),
        (closed_form, "not on the grid"),
        (forgot_return, "forget to `return`"),
        (crashes, "raised NotImplementedError"),
        ("1.5", "expected a function"),
    ],
)
def test_wrong_answers_are_named(wrong, phrase, capsys):
    assert not check_grid_mle(wrong, rng=7)
    out = capsys.readouterr().out
    assert out.startswith("❌") and phrase in out


def test_product_only_fails_on_the_large_case(capsys):
    check_grid_mle(by_product, rng=3)
    assert "test case 3 of 4" in capsys.readouterr().out


def test_verdict_never_prints_the_reference(capsys, monkeypatch):
    """Whatever the answer, no reference value (nor the closed form) appears in the output."""
    import linreg_mle.checks.ch01 as ch01

    seen = []
    original = ch01._reference

    def spy(*args):
        value = original(*args)
        seen.append(value)
        return value

    monkeypatch.setattr(ch01, "_reference", spy)
    for answer in (right, by_product, index, argmin, mean_model, closed_form, lambda *a: 0.123):
        ch01.check_grid_mle(answer, rng=11)
    out = capsys.readouterr().out
    assert seen
    for value in seen:
        for text in (f"{value}", f"{value:.6g}", f"{value:.4g}", f"{value:.3f}", f"{value:.2f}"):
            assert text not in out
