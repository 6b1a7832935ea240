"""Self-checks on heteroscedasticity and the case study: the right answer passes; typical
mistakes get their own diagnosis; no verdict prints the reference value."""
import re

import numpy as np
import pytest

from linreg_mle import checks
from linreg_mle.checks import robust


def _numbers(text):
    """Every decimal number with at least 3 significant digits printed in ``text``."""
    return [float(x) for x in re.findall(r"-?\d+\.\d{2,}", text)]


def _verdict(capsys, check, fn, **kwargs):
    ok = check(fn, rng=12345, **kwargs)
    return ok, capsys.readouterr().out


# --- the sandwich covariance: an independent answer, written with numpy only ---------------------

def _pieces(y, X):
    Q, R = np.linalg.qr(X)
    h = np.sum(Q**2, axis=1)
    r = y - Q @ (Q.T @ y)
    return Q, R, h, r


def _sandwich(y, X, kind, omega_of=None):
    n, p = X.shape
    Q, R, h, r = _pieces(y, X)
    if omega_of is None:
        omega = {"HC0": r**2, "HC1": r**2 * n / (n - p), "HC2": r**2 / (1 - h),
                 "HC3": r**2 / (1 - h) ** 2}[kind]
    else:
        omega = omega_of(r, h, n, p, kind)
    A = np.linalg.solve(R, Q.T)  # (XᵀX)⁻¹Xᵀ = R⁻¹Qᵀ
    return (A * omega) @ A.T


def right_sandwich(y, X, kind):
    return _sandwich(y, X, kind)


def _classical(y, X, divisor):
    n, p = X.shape
    _, R, _, r = _pieces(y, X)
    Rinv = np.linalg.inv(R)
    return r @ r / divisor(n, p) * Rinv @ Rinv.T


def _only(kind_wanted, wrong_kind):
    """Right for every kind except ``kind_wanted``, where it returns ``wrong_kind``."""
    return lambda y, X, kind: _sandwich(y, X, wrong_kind if kind == kind_wanted else kind)


def _omega_for(kind_wanted, omega_of):
    return lambda y, X, kind: _sandwich(y, X, kind, omega_of if kind == kind_wanted else None)


SANDWICH_WRONG = {
    "classical s²(XᵀX)⁻¹": lambda y, X, kind: _classical(y, X, lambda n, p: n - p),
    "classical σ̂²(XᵀX)⁻¹": lambda y, X, kind: _classical(y, X, lambda n, p: n),
    "you returned HC3 (does your function look at `kind`?)": lambda y, X, kind: _sandwich(y, X, "HC3"),
    "you returned HC1 (does": lambda y, X, kind: _sandwich(y, X, "HC1"),
    "you left out the correction: that is HC0": _only("HC1", "HC0"),
    "not by (n − p)/n": _omega_for("HC1", lambda r, h, n, p, k: r**2 * (n - p) / n),
    "you used n/(n − 1)": _omega_for("HC1", lambda r, h, n, p, k: r**2 * n / (n - 1)),
    "you divided once (that is HC2)": _only("HC3", "HC2"),
    "you squared it (that is HC3)": _only("HC2", "HC3"),
    "you applied the HC1 factor": _only("HC2", "HC1"),
    "you multiplied by (1 − h_i)": _omega_for("HC2", lambda r, h, n, p, k: r**2 * (1 - h)),
    "you divided by h_i instead of 1 − h_i": _omega_for("HC3", lambda r, h, n, p, k: r**2 / h**2),
    "you used |r̂_i|": lambda y, X, kind: _sandwich(y, X, kind, lambda r, h, n, p, k: np.abs(r)),
    "you used y_i² itself": lambda y, X, kind: _sandwich(y, X, kind, lambda r, h, n, p, k: y**2),
    "you returned only the middle": lambda y, X, kind: X.T @ X @ _sandwich(y, X, kind) @ X.T @ X,
    "you used it once": lambda y, X, kind: _sandwich(y, X, kind) @ X.T @ X,
}


def test_sandwich_accepts_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_sandwich_cov, right_sandwich)
    assert ok and out.startswith("✅") and "4 random test cases" in out


def test_sandwich_accepts_the_textbook_route(capsys):
    def textbook(y, X, kind):
        n, p = X.shape
        bread = np.linalg.inv(X.T @ X)
        h = np.diag(X @ bread @ X.T)
        r = y - X @ bread @ X.T @ y
        omega = {"HC0": 1, "HC1": n / (n - p), "HC2": 1 / (1 - h), "HC3": 1 / (1 - h) ** 2}[kind] * r**2
        return bread @ X.T @ np.diag(omega) @ X @ bread
    ok, _ = _verdict(capsys, checks.check_sandwich_cov, textbook)
    assert ok


@pytest.mark.parametrize("diagnosis", list(SANDWICH_WRONG))
def test_sandwich_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_sandwich_cov, SANDWICH_WRONG[diagnosis])
    assert not ok and out.startswith("❌")
    assert diagnosis in out, out


def test_sandwich_other_failures(capsys):
    ok, out = _verdict(capsys, checks.check_sandwich_cov, lambda y, X, kind: None)
    assert not ok and "return" in out
    ok, out = _verdict(capsys, checks.check_sandwich_cov, lambda y, X, kind: np.sqrt(np.diag(right_sandwich(y, X, kind))))
    assert not ok and "wrong shape" in out
    ok, out = _verdict(capsys, checks.check_sandwich_cov, lambda y, X, kind: 2 * right_sandwich(y, X, kind))
    assert not ok and "factor of 2" in out


def test_sandwich_never_prints_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = []
    for kind in robust.KINDS:
        y, X = robust._heteroscedastic_problem(rng)
        references.extend(right_sandwich(y, X, kind).ravel())
    for wrong in [*SANDWICH_WRONG.values(), lambda y, X, kind: np.full((X.shape[1],) * 2, 1.2345)]:
        _, out = _verdict(capsys, checks.check_sandwich_cov, wrong)
        for number in _numbers(out):
            assert not any(np.isclose(number, ref, rtol=1e-3) for ref in references), out


def test_sandwich_cases_have_distinct_leverages():
    """HC0, HC2 and HC3 must differ clearly, so a mix-up cannot pass by accident."""
    rng = np.random.default_rng(0)
    for _ in range(50):
        y, X = robust._heteroscedastic_problem(rng)
        h = _pieces(y, X)[2]
        assert h.max() < 0.95 and h.max() - h.min() > 0.05


# --- the robust t statistic ---------------------------------------------------------------------

def right_t(y, X, j, b0):
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    return (beta[j] - b0) / np.sqrt(right_sandwich(y, X, "HC3")[j, j])


def _t(var_of, *, square=False, null=True, variance=False, shift=0):
    def t(y, X, j, b0):
        k = j + shift
        beta = np.linalg.lstsq(X, y, rcond=None)[0]
        var = var_of(y, X)[k, k]
        value = (beta[k] - (b0 if null else 0)) / (var if variance else np.sqrt(var))
        return value**2 if square else value
    return t


def _hc3(y, X):
    return right_sandwich(y, X, "HC3")


T_WRONG = {
    "classical standard error √[s²(XᵀX)⁻¹]_jj": _t(lambda y, X: _classical(y, X, lambda n, p: n - p)),
    "classical standard error √[σ̂²(XᵀX)⁻¹]_jj": _t(lambda y, X: _classical(y, X, lambda n, p: n)),
    "you used the HC0 sandwich": _t(lambda y, X: right_sandwich(y, X, "HC0")),
    "you used the HC1 sandwich": _t(lambda y, X: right_sandwich(y, X, "HC1")),
    "you used the HC2 sandwich": _t(lambda y, X: right_sandwich(y, X, "HC2")),
    "you tested β_j = 0": _t(_hc3, null=False),
    "you divided by the variance": _t(_hc3, variance=True),
    "you returned T²": _t(_hc3, square=True),
    "wrong sign": lambda y, X, j, b0: -right_t(y, X, j, b0),
}


def test_robust_t_accepts_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_robust_t, right_t)
    assert ok and out.startswith("✅")


@pytest.mark.parametrize("diagnosis", list(T_WRONG))
def test_robust_t_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_robust_t, T_WRONG[diagnosis])
    assert not ok and diagnosis in out, out


def test_robust_t_names_an_index_slip(capsys):
    """The index after or before j, whichever exists in the first failing case."""
    for shift in (1, -1):
        def wrong(y, X, j, b0, shift=shift):
            k = j + shift if 0 <= j + shift < X.shape[1] else j - shift
            return right_t(y, X, k, b0)
        ok, out = _verdict(capsys, checks.check_robust_t, wrong)
        assert not ok and "indexed from 0" in out, out


def test_robust_t_never_prints_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = [right_t(*robust._t_problem(rng)) for _ in range(3)]
    for wrong in [*T_WRONG.values(), lambda y, X, j, b0: 1.2345]:
        _, out = _verdict(capsys, checks.check_robust_t, wrong)
        for number in _numbers(out):
            assert not any(np.isclose(number, ref, rtol=1e-3) for ref in references), out


# --- the Box–Cox log-likelihood ---------------------------------------------------------------------

def _boxcox_ll(y, X, zeta, *, transform=None, jacobian=None, divisor=None):
    n, p = X.shape
    z = (np.log(y) if zeta == 0 else (y**zeta - 1) / zeta) if transform is None else transform(y, zeta)
    beta = np.linalg.lstsq(X, z, rcond=None)[0]
    rss = np.sum((z - X @ beta) ** 2)
    s2 = rss / (n if divisor is None else divisor(n, p))
    ll = -n / 2 * np.log(2 * np.pi * s2) - rss / (2 * s2)
    return ll + ((zeta - 1) * np.log(y).sum() if jacobian is None else jacobian(y, zeta))


def right_boxcox(y, X, zeta):
    return _boxcox_ll(y, X, zeta)


BOXCOX_WRONG = {
    "you left out the Jacobian": lambda y, X, zeta: _boxcox_ll(y, X, zeta, jacobian=lambda y, zeta: 0.0),
    "the Jacobian term has the wrong sign":
        lambda y, X, zeta: _boxcox_ll(y, X, zeta, jacobian=lambda y, zeta: -(zeta - 1) * np.log(y).sum()),
    "not ζ Σ log y_i": lambda y, X, zeta: _boxcox_ll(y, X, zeta, jacobian=lambda y, zeta: zeta * np.log(y).sum()),
    "you evaluated ℓ at s² = RSS/(n − p)": lambda y, X, zeta: _boxcox_ll(y, X, zeta, divisor=lambda n, p: n - p),
    "you transformed with y^ζ":
        lambda y, X, zeta: _boxcox_ll(y, X, zeta, transform=lambda y, zeta: np.log(y) if zeta == 0 else y**zeta),
    "you used log10":
        lambda y, X, zeta: _boxcox_ll(y, X, zeta, transform=lambda y, zeta: np.log10(y) if zeta == 0
                                     else (y**zeta - 1) / zeta),
}


def test_boxcox_accepts_the_right_answer(capsys):
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, right_boxcox)
    assert ok and out.startswith("✅")


def test_boxcox_accepts_scipy(capsys):
    """The Jacobian-corrected ℓ is the log-density of y: scipy's normal logpdf of the transform plus log|dz/dy|."""
    from scipy import stats

    def via_scipy(y, X, zeta):
        z = stats.boxcox(y, lmbda=zeta)
        beta = np.linalg.lstsq(X, z, rcond=None)[0]
        sigma = np.sqrt(np.mean((z - X @ beta) ** 2))
        return stats.norm.logpdf(z, X @ beta, sigma).sum() + np.sum(np.log(y ** (zeta - 1)))
    ok, _ = _verdict(capsys, checks.check_boxcox_loglik, via_scipy)
    assert ok


@pytest.mark.parametrize("diagnosis", list(BOXCOX_WRONG))
def test_boxcox_names_the_mistake(capsys, diagnosis):
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, BOXCOX_WRONG[diagnosis])
    assert not ok and diagnosis in out, out


@pytest.mark.parametrize("failure", ["nan", "raises"])
def test_boxcox_names_a_missing_log_at_zero(capsys, failure):
    def naive(y, X, zeta):
        if failure == "raises":
            zeta = float(zeta)
            return _boxcox_ll(y, X, zeta, transform=lambda y, zeta: (y**zeta - 1) / (zeta if zeta else 0.0 / zeta))
        return _boxcox_ll(y, X, zeta, transform=lambda y, zeta: (y**zeta - 1) / np.float64(zeta))
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, naive)
    assert not ok and "at ζ = 0" in out and "log y" in out, out
    assert "RuntimeWarning" not in out


def test_boxcox_other_failures(capsys):
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, lambda y, X, zeta: None)
    assert not ok and "return" in out
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, lambda y, X, zeta: undefined_name)  # noqa: F821
    assert not ok and "NameError" in out and "at ζ = 0" not in out
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, lambda y, X, zeta: "a string")
    assert not ok and "expected a number" in out
    ok, out = _verdict(capsys, checks.check_boxcox_loglik, lambda y, X, zeta: -right_boxcox(y, X, zeta))
    assert not ok and "wrong sign" in out


def test_boxcox_never_prints_the_reference(capsys):
    rng = np.random.default_rng(12345)
    references = []
    for zeta in robust._POWERS:
        y, X = robust._positive_problem(rng)
        references.append(right_boxcox(y, X, zeta))
    for wrong in [*BOXCOX_WRONG.values(), lambda y, X, zeta: 1.2345]:
        _, out = _verdict(capsys, checks.check_boxcox_loglik, wrong)
        for number in _numbers(out):
            assert not any(np.isclose(number, ref, rtol=1e-3) for ref in references), out
