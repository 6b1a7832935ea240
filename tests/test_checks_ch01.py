"""The chapter 1 self-check: one right answer passes, typical wrong answers get named."""

import numpy as np
import pytest
from scipy import stats

from linreg_mle.checks import check_grid_mle_2d


def _loglik(y, x, betas, sigma2s):
    """Rows β, columns σ², from scipy."""
    loc = betas[:, None, None] * x[None, None, :]
    scale = np.sqrt(sigma2s)[None, :, None]
    return stats.norm.logpdf(y[None, None, :], loc=loc, scale=scale).sum(axis=2)


def right(y, x, betas, sigma2s):
    ll = _loglik(y, x, betas, sigma2s)
    i, j = np.unravel_index(np.argmax(ll), ll.shape)
    return betas[i], sigma2s[j]


def right_by_product_and_meshgrid(y, x, betas, sigma2s):
    """Also right on these small data sets: the product of densities, on a meshgrid."""
    B, S = np.meshgrid(betas, sigma2s)                      # shape (m_σ², m_β)
    rss = ((y - B[..., None] * x) ** 2).sum(axis=-1)
    L = (2 * np.pi * S) ** (-y.size / 2) * np.exp(-rss / (2 * S))
    k = np.argmax(L)
    return [B.ravel()[k], S.ravel()[k]]


def right_by_loops(y, x, betas, sigma2s):
    best, pair = -np.inf, None
    for b in betas:
        for s2 in sigma2s:
            ll = np.sum(stats.norm.logpdf(y, b * x, np.sqrt(s2)))
            if ll > best:
                best, pair = ll, (b, s2)
    return pair


def indices(y, x, betas, sigma2s):
    ll = _loglik(y, x, betas, sigma2s)
    return np.unravel_index(np.argmax(ll), ll.shape)


def swapped(y, x, betas, sigma2s):
    b, s2 = right(y, x, betas, sigma2s)
    return s2, b


def argmin(y, x, betas, sigma2s):
    ll = _loglik(y, x, betas, sigma2s)
    i, j = np.unravel_index(np.argmin(ll), ll.shape)
    return betas[i], sigma2s[j]


def variance_as_scale(y, x, betas, sigma2s):
    loc = betas[:, None, None] * x[None, None, :]
    ll = stats.norm.logpdf(y[None, None, :], loc=loc, scale=sigma2s[None, :, None]).sum(axis=2)
    i, j = np.unravel_index(np.argmax(ll), ll.shape)
    return betas[i], sigma2s[j]


def axes_mixed(y, x, betas, sigma2s):
    B, S = np.meshgrid(betas, sigma2s)                      # rows σ², columns β
    rss = ((y - B[..., None] * x) ** 2).sum(axis=-1)
    ll = -y.size / 2 * np.log(2 * np.pi * S) - rss / (2 * S)
    i, j = np.unravel_index(np.argmax(ll), ll.shape)
    return betas[i], sigma2s[j]                             # i indexes σ², not β


def mean_model(y, x, betas, sigma2s):
    return right(y, np.ones_like(x), betas, sigma2s)


def exact(y, x, betas, sigma2s):
    b = x @ y / (x @ x)
    return b, np.mean((y - b * x) ** 2)


def beta_only(y, x, betas, sigma2s):
    return right(y, x, betas, sigma2s)[0]


def forgot_return(y, x, betas, sigma2s):
    right(y, x, betas, sigma2s)


def crashes(y, x, betas, sigma2s):
    raise NotImplementedError("write me")


@pytest.mark.parametrize("answer", [right, right_by_product_and_meshgrid, right_by_loops])
@pytest.mark.parametrize("seed", [0, 1, None])
def test_right_answers_pass(answer, seed, capsys):
    assert check_grid_mle_2d(answer, rng=seed) is True
    assert capsys.readouterr().out.startswith("✅ Correct: grid_mle_2d")


@pytest.mark.parametrize(
    "wrong, phrase",
    [
        (indices, "indices"),
        (swapped, "wrong order"),
        (argmin, "smallest"),
        (variance_as_scale, "whose *square* fits best"),
        (axes_mixed, "mixed up the axes"),
        (mean_model, "ignores x"),
        (exact, "not on the grid"),
        (beta_only, "got a single number"),
        (forgot_return, "forget to `return`"),
        (crashes, "raised NotImplementedError"),
        ("1.5", "expected a function"),
    ],
)
@pytest.mark.parametrize("seed", [7, 8])
def test_wrong_answers_are_named(wrong, phrase, seed, capsys):
    assert check_grid_mle_2d(wrong, rng=seed) is False
    out = capsys.readouterr().out
    assert out.startswith("❌ grid_mle_2d: ") and phrase in out


def test_each_mistake_has_its_own_message():
    """No two anticipated mistakes give the same pair on a test case, so each is told apart."""
    from linreg_mle.checks import ch01

    rng = np.random.default_rng(0)
    for _ in range(30):
        args = ch01._cases(rng)
        pairs = [ch01._reference(*args)] + [wrong(*args) for wrong in ch01._MISTAKES.values()]
        for a in range(len(pairs)):
            for b in range(a + 1, len(pairs)):
                assert not np.allclose(pairs[a], pairs[b], rtol=1e-7)


def test_test_cases_are_small_enough_for_a_product():
    """This check is not about underflow: the product of densities is a normal float."""
    from linreg_mle.checks import ch01

    rng = np.random.default_rng(1)
    for _ in range(20):
        y, x, betas, sigma2s = ch01._cases(rng)
        assert np.exp(ch01._loglik_table(y, x, betas, sigma2s).max()) > np.finfo(float).tiny


def test_verdict_never_prints_the_reference(capsys, monkeypatch):
    """Whatever the answer, no reference value (nor the exact maximiser) appears in the output."""
    import linreg_mle.checks.ch01 as ch01

    seen = []
    original = ch01._reference

    def spy(*args):
        value = original(*args)
        seen.append(value)
        return value

    monkeypatch.setattr(ch01, "_reference", spy)
    answers = (right, indices, swapped, argmin, variance_as_scale, axes_mixed, mean_model,
               exact, beta_only, lambda *a: (0.123, 0.456))
    for answer in answers:
        ch01.check_grid_mle_2d(answer, rng=11)
    out = capsys.readouterr().out
    assert seen
    for pair in seen:
        for value in pair:
            for text in (f"{value}", f"{value:.6g}", f"{value:.4g}", f"{value:.3f}", f"{value:.2f}"):
                assert text not in out
