"""The sandwich covariance: statsmodels, an independent formula, its properties, and bad input."""
import numpy as np
import pytest
import statsmodels.api as sm

import linreg_mle as lm
from designs import designs

KINDS = ("HC0", "HC1", "HC2", "HC3")


def _heteroscedastic(n, p, rng):
    """Skewed, high-leverage rows, and noise whose sd grows with the first feature."""
    Z = np.column_stack([rng.lognormal(0, 0.8, n), rng.standard_normal((n, p - 2))])
    X = np.column_stack([np.ones(n), Z])
    return X @ rng.normal(0, 2, p) + 0.5 * Z[:, 0] * rng.standard_normal(n), X


PROBLEMS = designs(_heteroscedastic)


def _textbook(y, X, kind):
    """Every matrix written out as in the textbooks: (XᵀX)⁻¹, the hat matrix, diag(ω)."""
    n, p = X.shape
    bread = np.linalg.inv(X.T @ X)
    hat = X @ bread @ X.T
    h = np.diag(hat)
    r = y - hat @ y
    omega = {"HC0": r**2, "HC1": r**2 * n / (n - p), "HC2": r**2 / (1 - h), "HC3": r**2 / (1 - h) ** 2}[kind]
    return bread @ X.T @ np.diag(omega) @ X @ bread


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", PROBLEMS)
def test_matches_statsmodels(name, kind):
    y, X = PROBLEMS[name]
    reference = getattr(sm.OLS(y, X).fit(), f"cov_{kind}")
    got = lm.sandwich_cov(y, X, kind)
    np.testing.assert_allclose(got, reference, rtol=1e-8, atol=1e-10 * np.abs(reference).max())


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ["small", "medium", "wide"])
def test_matches_the_textbook_formula(name, kind):
    y, X = PROBLEMS[name]
    reference = _textbook(y, X, kind)
    np.testing.assert_allclose(lm.sandwich_cov(y, X, kind), reference, rtol=1e-9,
                               atol=1e-12 * np.abs(reference).max())


def _exact_sandwich(y, X, kind):
    """The sandwich in exact rational arithmetic (the floats of y and X are taken as exact)."""
    from fractions import Fraction
    n, p = X.shape
    Xf = [[Fraction(float(v)) for v in row] for row in X]
    yf = [Fraction(float(v)) for v in y]
    # Gauss–Jordan on [XᵀX | Xᵀ] gives A = (XᵀX)⁻¹Xᵀ.
    rows = [[sum(Xf[k][i] * Xf[k][j] for k in range(n)) for j in range(p)] + [Xf[k][i] for k in range(n)]
            for i in range(p)]
    for c in range(p):
        pivot = next(r for r in range(c, p) if rows[r][c] != 0)
        rows[c], rows[pivot] = rows[pivot], rows[c]
        rows[c] = [v / rows[c][c] for v in rows[c]]
        for r in range(p):
            if r != c and rows[r][c] != 0:
                rows[r] = [a - rows[r][c] * b for a, b in zip(rows[r], rows[c])]
    A = [row[p:] for row in rows]
    beta = [sum(A[j][k] * yf[k] for k in range(n)) for j in range(p)]
    r = [yf[i] - sum(Xf[i][j] * beta[j] for j in range(p)) for i in range(n)]
    h = [sum(Xf[i][j] * A[j][i] for j in range(p)) for i in range(n)]
    factor = {"HC0": lambda i: 1, "HC1": lambda i: Fraction(n, n - p), "HC2": lambda i: 1 / (1 - h[i]),
              "HC3": lambda i: 1 / (1 - h[i]) ** 2}[kind]
    omega = [factor(i) * r[i] ** 2 for i in range(n)]
    return np.array([[float(sum(A[a][k] * omega[k] * A[b][k] for k in range(n))) for b in range(p)]
                     for a in range(p)])


@pytest.mark.parametrize("kind", KINDS)
def test_longley_against_exact_arithmetic(kind):
    """Longley's design (κ(X) ≈ 5e9): every entry within 1e-9 of the exact answer, relative to
    the standard errors; statsmodels' pseudo-inverse route is about 1000 times less accurate."""
    data = sm.datasets.longley.load_pandas()
    X = sm.add_constant(data.exog.to_numpy())
    y = data.endog.to_numpy()
    exact = _exact_sandwich(y, X, kind)
    se = np.sqrt(np.diag(exact))
    assert np.abs((lm.sandwich_cov(y, X, kind) - exact) / np.outer(se, se)).max() < 1e-9


def test_residuals_are_those_of_fit_mle():
    """One QR for the fit and the sandwich: HC0 is A diag(r̂²) Aᵀ with fit_mle's own residuals."""
    y, X = PROBLEMS["medium"]
    fit = lm.fit_mle(y, X)
    A = np.linalg.solve(X.T @ X, X.T)
    np.testing.assert_allclose(lm.sandwich_cov(y, X, "HC0"), (A * fit.residuals**2) @ A.T, rtol=1e-10)


def test_default_is_hc3_and_kind_ignores_case():
    y, X = PROBLEMS["small"]
    np.testing.assert_array_equal(lm.sandwich_cov(y, X), lm.sandwich_cov(y, X, "HC3"))
    np.testing.assert_array_equal(lm.sandwich_cov(y, X, "hc1"), lm.sandwich_cov(y, X, "HC1"))


@pytest.mark.parametrize("name", PROBLEMS)
def test_relations_between_the_kinds(name):
    y, X = PROBLEMS[name]
    n, p = X.shape
    cov = {kind: lm.sandwich_cov(y, X, kind) for kind in KINDS}
    np.testing.assert_allclose(cov["HC1"], n / (n - p) * cov["HC0"], rtol=1e-12)
    # ω grows from HC0 to HC2 to HC3 observation by observation, so every variance does too.
    d0, d2, d3 = (np.diag(cov[k]) for k in ("HC0", "HC2", "HC3"))
    assert np.all(d0 <= d2) and np.all(d2 <= d3)
    for c in cov.values():
        np.testing.assert_array_equal(c, c.T)
        assert np.linalg.eigvalsh(c / np.abs(c).max()).min() > -1e-12


def test_equivariant_under_a_change_of_units():
    """Rescaling column j of X by c rescales β̂_j by 1/c, so row and column j of the covariance too."""
    y, X = PROBLEMS["medium"]
    scales = np.array([1.0, 1e6, 1e-9, 3.0])
    got = lm.sandwich_cov(y, X * scales, "HC3")
    expected = lm.sandwich_cov(y, X, "HC3") / np.outer(scales, scales)
    np.testing.assert_allclose(got, expected, rtol=1e-9)


def test_a_column_scaling_that_defeats_plain_tolerances():
    """Columns of size 1e4, 1 and 1e-13 (as fit_mle accepts): equal to the unscaled problem's."""
    rng = np.random.default_rng(5)
    n = 40
    X = np.column_stack([np.ones(n), rng.standard_normal(n), rng.standard_normal(n)])
    y = X @ [1.0, 2.0, -1.0] + np.abs(X[:, 1]) * rng.standard_normal(n)
    scales = np.array([1e4, 1.0, 1e-13])
    np.testing.assert_allclose(lm.sandwich_cov(y, X * scales, "HC2") * np.outer(scales, scales),
                               lm.sandwich_cov(y, X, "HC2"), rtol=1e-8)


def test_homoscedastic_hc2_is_unbiased():
    """With Ω = σ²I, E[r̂_i²] = σ²(1 − h_i), so E[HC2] = σ²(XᵀX)⁻¹ exactly; HC0 falls short."""
    rng = np.random.default_rng(6)
    n, p, reps = 15, 3, 4000
    y0, X = _heteroscedastic(n, p, np.random.default_rng(7))
    Y = X @ [1.0, -1.0, 0.5] + rng.standard_normal((reps, n))
    mean = {k: np.mean([lm.sandwich_cov(y, X, k) for y in Y], axis=0) for k in ("HC0", "HC2")}
    target = np.linalg.inv(X.T @ X)
    sd = np.std([np.diag(lm.sandwich_cov(y, X, "HC2")) for y in Y[:500]], axis=0)
    assert np.all(np.abs(np.diag(mean["HC2"]) - np.diag(target)) < 4 * sd / np.sqrt(reps))
    assert np.all(np.diag(mean["HC0"]) < np.diag(target))


def test_hc0_and_hc1_accept_a_leverage_of_one():
    rng = np.random.default_rng(8)
    n = 20
    X = np.column_stack([np.ones(n), np.arange(n) == 0, rng.standard_normal(n)])
    y = X @ [1.0, 5.0, 2.0] + rng.standard_normal(n)
    ref = sm.OLS(y, X).fit()
    for kind in ("HC0", "HC1"):
        np.testing.assert_allclose(lm.sandwich_cov(y, X, kind), getattr(ref, f"cov_{kind}"), rtol=1e-8,
                                   atol=1e-12)


# --- bad input ------------------------------------------------------------------------------

def _leverage_one():
    rng = np.random.default_rng(9)
    n = 20
    X = np.column_stack([np.ones(n), np.arange(n) == 3, rng.standard_normal(n)])
    return X @ [1.0, 5.0, 2.0] + rng.standard_normal(n), X


GOOD_Y, GOOD_X = PROBLEMS["small"]
with_nan_y = GOOD_Y.copy()
with_nan_y[2] = np.nan
with_inf_X = GOOD_X.copy()
with_inf_X[4, 1] = np.inf
collinear = np.column_stack([GOOD_X, GOOD_X[:, 1] * 2])


@pytest.mark.parametrize("y, X, kind, message", [
    (GOOD_Y, GOOD_X, "HC4", r"kind must be one of 'HC0', 'HC1', 'HC2', 'HC3', got 'HC4'"),
    (GOOD_Y, GOOD_X, 3, r"kind must be one of .* got 3"),
    (GOOD_Y, GOOD_X, None, r"kind must be one of .* got None"),
    (with_nan_y, GOOD_X, "HC3", r"y contains NaN or inf \(first at index 2"),
    (GOOD_Y, with_inf_X, "HC0", r"X contains NaN or inf \(first at index \(4, 1\)"),
    (GOOD_Y[:3], GOOD_X[:3], "HC1", r"X must have more rows than columns"),
    (GOOD_Y, collinear, "HC3", r"X is rank deficient: rank 3 < 4 columns"),
    (GOOD_X @ [1.0, 2.0, 3.0], GOOD_X, "HC0", r"y is fitted exactly by X"),
    (GOOD_Y[:-1], GOOD_X, "HC3", r"X has 12 rows but y has 11 entries"),
    (GOOD_Y, GOOD_X[:, 0], "HC3", r"X must be 2-D"),
    (*_leverage_one(), "HC3", r"HC3 divides by 1 − h_i, but observation 3 has leverage h_i = 1"),
    (*_leverage_one(), "hc2", r"HC2 divides by 1 − h_i, but observation 3 has leverage h_i = 1"),
], ids=["unknown kind", "kind not a string", "kind None", "NaN in y", "inf in X", "n <= p",
        "rank deficient", "exact fit", "lengths differ", "X 1-D", "leverage 1 HC3", "leverage 1 HC2"])
def test_bad_input_is_named(y, X, kind, message):
    with pytest.raises(ValueError, match=message):
        lm.sandwich_cov(y, X, kind)
