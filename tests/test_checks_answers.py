"""Every self-check, tried on answers written as a learner would write them.

test_checks.py tries each check on its own reference and on its own catalogue of
mistakes. Here the answers are independent of the check: right ones by another
route (scipy, loops, a different algebra, the exercise's own recipe), which must
pass with the exercise's rules on, and wrong ones, each with the fragment of the
verdict it must get. One table, :data:`ANSWERS`, holds them all. Below it: the
diagnoses that a catalogue cannot make (the tail of chapter 2, underflow, ζ = 0,
the ellipse's judge) and the properties the test cases are designed to have.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pytest
import scipy.linalg
from scipy import optimize, stats

import linreg_mle as lm
from linreg_mle import checks
from test_checks import _printed_numbers, _references


def _least_squares(y, X):
    """β̂ and the residuals, as a learner gets them from np.linalg.lstsq."""
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    return beta, y - X @ beta


def _rss(y, X):
    r = _least_squares(y, X)[1]
    return r @ r


# --- chapter 1: the grid search over (β, σ²) --------------------------------------------


def _grid_loglik(y, x, betas, sigma2s, scale_of=np.sqrt):
    """ℓ at every grid pair from scipy, rows β and columns σ²; ``scale_of`` turns σ²
    into scipy's ``scale`` (the standard deviation, unless the learner slips)."""
    loc = betas[:, None, None] * x
    scale = scale_of(sigma2s)[:, None]
    return stats.norm.logpdf(y, loc=loc, scale=scale).sum(axis=2)


def grid_by_scipy(y, x, betas, sigma2s, pick=np.argmax, scale_of=np.sqrt):
    table = _grid_loglik(y, x, betas, sigma2s, scale_of)
    i, j = np.unravel_index(pick(table), table.shape)
    return betas[i], sigma2s[j]


def grid_by_product_on_a_meshgrid(y, x, betas, sigma2s):
    """Right on these small data sets: the product of densities does not underflow."""
    B, S = np.meshgrid(betas, sigma2s)  # shape (m_σ², m_β)
    rss = ((y - B[..., None] * x) ** 2).sum(axis=-1)
    L = (2 * np.pi * S) ** (-y.size / 2) * np.exp(-rss / (2 * S))
    k = np.argmax(L)
    return [B.ravel()[k], S.ravel()[k]]


def grid_by_loops(y, x, betas, sigma2s):
    best, pair = -np.inf, None
    for b in betas:
        for s2 in sigma2s:
            ll = np.sum(stats.norm.logpdf(y, b * x, np.sqrt(s2)))
            if ll > best:
                best, pair = ll, (b, s2)
    return pair


def grid_indices(y, x, betas, sigma2s):
    table = _grid_loglik(y, x, betas, sigma2s)
    return np.unravel_index(np.argmax(table), table.shape)


def grid_on_a_meshgrid(y, x, betas, sigma2s, indexing="ij"):
    """ℓ on np.meshgrid(betas, sigma2s), read as rows β and columns σ²: right with
    indexing="ij", but with the default "xy" the rows are σ²."""
    B, S = np.meshgrid(betas, sigma2s, indexing=indexing)
    rss = ((y - B[..., None] * x) ** 2).sum(axis=-1)
    table = -y.size / 2 * np.log(2 * np.pi * S) - rss / (2 * S)
    i, j = np.unravel_index(np.argmax(table), table.shape)
    return betas[i], sigma2s[j]


def grid_exact_maximiser(y, x, betas, sigma2s):
    b = x @ y / (x @ x)
    return b, np.mean((y - b * x) ** 2)


# --- chapter 2: ℓᵢ, and the likelihood ratio --------------------------------------------


def _pdf(y, X, beta, sigma2):
    return stats.norm.pdf(y, X @ beta, np.sqrt(sigma2))


def loglik_obs(y, X, beta, sigma2):
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * sigma2) - r**2 / (2 * sigma2)


def loglik_obs_with(y, X, beta, sigma2, *, log_term, square_term):
    """ℓᵢ = −½ log(2π·log_term) − rᵢ²/(2·square_term), for slips in either term."""
    r = y - X @ beta
    return -0.5 * np.log(2 * np.pi * log_term(sigma2)) - r**2 / (2 * square_term(sigma2))


def loglik_obs_log_of_formula(y, X, beta, sigma2):
    r = y - X @ beta
    return np.log(np.exp(-r**2 / (2 * sigma2)) / np.sqrt(2 * np.pi * sigma2))


def _loglik(y, X, beta, sigma2):
    return stats.norm.logpdf(y, X @ beta, np.sqrt(sigma2)).sum()


def ratio_in_log_space(y, X, beta_a, beta_b, sigma2):
    return np.exp(_loglik(y, X, beta_a, sigma2) - _loglik(y, X, beta_b, sigma2))


def ratio_as_product_of_ratios(y, X, beta_a, beta_b, sigma2):
    """Right: a product of n ratios of densities, each close to 1, does not underflow."""
    return np.prod(_pdf(y, X, beta_a, sigma2) / _pdf(y, X, beta_b, sigma2))


def ratio_of_products(y, X, beta_a, beta_b, sigma2):
    return np.prod(_pdf(y, X, beta_a, sigma2)) / np.prod(_pdf(y, X, beta_b, sigma2))


def _rss_at(y, X, beta):
    r = y - X @ beta
    return r @ r


def ratio_from_rss(y, X, beta_a, beta_b, sigma2, *, combine, divisor):
    """exp(combine(RSS_a, RSS_b)/(divisor·σ²)): the log terms of ℓ cancel from the ratio."""
    rss_a, rss_b = _rss_at(y, X, beta_a), _rss_at(y, X, beta_b)
    return np.exp(combine(rss_a, rss_b) / (divisor * sigma2))


def ratio_with_rss_added(y, X, beta_a, beta_b, sigma2):
    """ℓ written with +RSS/(2σ²): a sign slip in log space, not an underflow."""
    def loglik(beta):
        return -len(y) / 2 * np.log(2 * np.pi * sigma2) + _rss_at(y, X, beta) / (2 * sigma2)
    return np.exp(loglik(beta_a) - loglik(beta_b))


# --- chapter 3: the Wald ellipse --------------------------------------------------------


def ellipse(center, cov, level, m, *, radius2=None, factor=None, start=0.0, stop=2 * np.pi):
    """m points center + ρ·factor·(cos t, sin t), ρ² = χ²₂(level) unless ``radius2``."""
    t = np.linspace(start, stop, m, endpoint=False)
    r = np.sqrt(stats.chi2.ppf(level, df=2) if radius2 is None else radius2)
    M = np.linalg.cholesky(cov) if factor is None else factor
    return np.asarray(center) + r * (M @ np.vstack([np.cos(t), np.sin(t)])).T


def ellipse_with_radius2(radius2_of):
    """An ellipse of the right shape whose squared radius is ``radius2_of(level)``."""
    return lambda c, S, level, m: ellipse(c, S, level, m, radius2=radius2_of(level))


def ellipse_with_factor(factor_of):
    """An ellipse that maps the unit circle with ``factor_of(cov)`` in place of L."""
    return lambda c, S, level, m: ellipse(c, S, level, m, factor=factor_of(S))


def _chi2_2(level):
    return stats.chi2.ppf(level, df=2)


# --- chapter 4: predicted digits --------------------------------------------------------

EPS_MACH = 2.0**-53


def _kappa_s(X):
    return np.linalg.cond(X / np.linalg.norm(X, axis=0))


def digits(X, *, kappa=_kappa_s, eps=EPS_MACH, log=np.log10, losses=(1, 2), clip=True):
    """[QR, normal equations] = −log ε − (1, 2)·log κ_s, the second clipped at 0."""
    qr, ne = (-log(eps) - loss * log(kappa(X)) for loss in losses)
    return np.array([qr, max(0.0, ne) if clip else ne])


def digits_by_svd(X):
    """The same rules, with κ from the singular values and log10 written with log2."""
    d = np.linalg.svd(X / np.sqrt((X**2).sum(axis=0)), compute_uv=False)
    loss = np.log2(d[0] / d[-1]) / np.log2(10)
    return (53 * np.log10(2) - loss, max(0.0, 53 * np.log10(2) - 2 * loss))


# --- chapter 5: the logistic-noise MLE --------------------------------------------------


def _minus_logistic_loglik(beta, y, X, scale):
    u = (y - X @ beta) / scale
    return np.sum(u + 2 * np.logaddexp(0, -u))


def logistic_by_newton(y, X, scale, *, start="zeros", steps=200, tol=1e-13):
    """Newton ascent with step halving, from zeros or from least squares, stopped after
    ``steps`` steps or when a step moves β by less than tol·(1 + ‖β‖)."""
    beta = np.zeros(X.shape[1]) if start == "zeros" else _least_squares(y, X)[0]
    for _ in range(steps):
        u = (y - X @ beta) / scale
        grad = X.T @ np.tanh(u / 2) / scale
        hess = -(X.T * (0.5 / np.cosh(u / 2) ** 2)) @ X / scale**2
        step = -np.linalg.solve(hess, grad)
        t = 1.0
        while (_minus_logistic_loglik(beta + t * step, y, X, scale)
               > _minus_logistic_loglik(beta, y, X, scale) and t > 1e-12):
            t /= 2
        beta = beta + t * step
        if np.linalg.norm(t * step) < tol * (1 + np.linalg.norm(beta)):
            break
    return beta


def logistic_by_scipy_minimize(y, X, scale):
    """scipy.optimize.minimize at its default method and tolerances."""
    return optimize.minimize(_minus_logistic_loglik, np.zeros(X.shape[1]), args=(y, X, scale)).x


# --- chapter 5: the best constant step --------------------------------------------------


def _eigenvalues(X, sigma2):
    return np.linalg.eigvalsh(X.T @ X / sigma2)


def best_step(X, sigma2):
    lam = _eigenvalues(X, sigma2)
    return 2 / (lam[0] + lam[-1])


def best_step_by_svd(X, sigma2):
    d = np.linalg.svd(X, compute_uv=False)
    return 2 * sigma2 / (d[0] ** 2 + d[-1] ** 2)


# --- chapter 6: the observed information ------------------------------------------------


def observed_information(y, X, beta, sigma2, *, cross=None, corner=None):
    """J = −∇²ℓ written from the formula; ``cross`` and ``corner`` replace a block."""
    n, p = X.shape
    r = y - X @ beta
    J = np.empty((p + 1, p + 1))
    J[:p, :p] = X.T @ X / sigma2
    J[:p, p] = J[p, :p] = X.T @ r / sigma2**2 if cross is None else cross(X, r, sigma2)
    J[p, p] = r @ r / sigma2**3 - n / (2 * sigma2**2) if corner is None else corner(n, r @ r, sigma2)
    return J


def information_with(**blocks):
    return lambda y, X, beta, sigma2: observed_information(y, X, beta, sigma2, **blocks)


def fisher_information_by_hand(y, X, beta, sigma2):
    n = len(y)
    return scipy.linalg.block_diag(X.T @ X / sigma2, n / (2 * sigma2**2))


# --- chapter 7: s² and the MSE-optimal divisor ------------------------------------------


def s2(y, X):
    n, p = X.shape
    return _rss(y, X) / (n - p)


def s2_from_lstsq_residuals(y, X):
    """np.linalg.lstsq's second output is the RSS, but as an array of shape (1,)."""
    n, p = X.shape
    _, rss, *_ = np.linalg.lstsq(X, y, rcond=None)
    return rss / (n - p)


def mse_of_rss_over(c, n, p, with_variance=True):
    """MSE(RSS/c)/σ⁴ from the mean and variance of χ²(n − p); the bias alone without variance."""
    chi2 = stats.chi2(n - p)
    return chi2.var() / c**2 * with_variance + (chi2.mean() / c - 1) ** 2


def divisor_by_minimize_scalar(n, p, *, with_variance=True):
    res = optimize.minimize_scalar(mse_of_rss_over, args=(n, p, with_variance), bounds=(0.5, 4 * n),
                                   method="bounded", options={"xatol": 1e-10})
    return res.x


# --- chapter 8: the t interval and the χ² interval for σ² -------------------------------


def t_interval(y, X, level, *, quantile=None, variance="s2", sqrt=True):
    """β̂ ∓ q·se with (XᵀX)⁻¹ inverted outright, as many learners do; the keywords
    make the slips: ``quantile(level, n, p)``, σ̂² for s², the variance for the se."""
    n, p = X.shape
    beta, r = _least_squares(y, X)
    var = r @ r / (n - p if variance == "s2" else n) * np.diag(np.linalg.inv(X.T @ X))
    q = stats.t.ppf((1 + level) / 2, n - p) if quantile is None else quantile(level, n, p)
    half = q * (np.sqrt(var) if sqrt else var)
    return np.column_stack([beta - half, beta + half])


def t_interval_with(**slip):
    return lambda y, X, level: t_interval(y, X, level, **slip)


def _z_quantile(level, n, p):
    return stats.norm.ppf((1 + level) / 2)


def sigma2_interval(y, X, level, *, df=None, statistic=None, tail=None, swap=False, root=False):
    """(RSS/χ²_{n−p}(1 − a), RSS/χ²_{n−p}(a)), a = (1 − level)/2; the keywords make the slips."""
    n, p = X.shape
    k = n - p if df is None else df(n, p)
    value = _rss(y, X) if statistic is None else statistic(_rss(y, X), n, p)
    a = (1 - level) / 2 if tail is None else tail(level)
    lo, hi = value / stats.chi2.ppf(1 - a, k), value / stats.chi2.ppf(a, k)
    if swap:
        lo, hi = hi, lo
    return (np.sqrt(lo), np.sqrt(hi)) if root else (lo, hi)


def sigma2_interval_with(**slip):
    return lambda y, X, level: sigma2_interval(y, X, level, **slip)


def sigma2_interval_normal_approximation(y, X, level):
    n, p = X.shape
    s2_value = s2(y, X)
    half = stats.norm.ppf((1 + level) / 2) * s2_value * np.sqrt(2 / (n - p))
    return s2_value - half, s2_value + half


# --- chapter 9: exact sizes of the χ² tests ---------------------------------------------


def sizes_by_root_finding(n, p, p0, alpha, *, df=None, k=None, quantile=None, lr_scale=1.0,
                          wald_n=None):
    """Rejection rates of W, LR, LM > c with F ~ F(df, k), each statistic written as a
    function of F and the threshold on F found with brentq; the keywords make the slips."""
    df = p - p0 if df is None else df
    k = n - p if k is None else k
    crit = stats.chi2.ppf(1 - alpha if quantile is None else quantile(alpha), df)
    wald_n = n if wald_n is None else wald_n(n, p)
    statistics = [lambda f: wald_n * df * f / k,
                  lambda f: n / lr_scale * np.log1p(df * f / k),
                  lambda f: n * (df * f / k) / (1 + df * f / k)]
    sizes = []
    for statistic in statistics:
        if statistic(1e12) <= crit:  # the statistic never reaches the critical value
            sizes.append(0.0)
            continue
        f_star = optimize.brentq(lambda f: statistic(f) - crit, 0, 1e12, xtol=1e-14, rtol=1e-14)
        sizes.append(stats.f.sf(f_star, df, k))
    return np.array(sizes)


def sizes_with(**slip):
    return lambda n, p, p0, alpha: sizes_by_root_finding(n, p, p0, alpha, **slip)


def sizes_in_closed_form(n, p, p0, alpha):
    df, k = p - p0, n - p
    c = stats.chi2.ppf(1 - alpha, df)
    d = np.array([c / n, np.expm1(c / n), c / (n - c) if c < n else np.inf])
    return stats.f.sf(d * k / df, df, k)


def sizes_score_test_with_full_fit(n, p, p0, alpha):
    """σ̂² of the full fit in the score test: it then rejects exactly when W does."""
    return sizes_by_root_finding(n, p, p0, alpha)[[0, 1, 0]]


def sizes_wald_with_s2(n, p, p0, alpha):
    wald = sizes_by_root_finding(n, p, p0, alpha, wald_n=lambda n, p: n - p)
    return np.concatenate([wald[:1], sizes_by_root_finding(n, p, p0, alpha)[1:]])


# --- chapter 10: the profile-likelihood interval ----------------------------------------


def _lstsq(A, b):
    return np.linalg.lstsq(A, b, rcond=None)[0]


def _qr_solve(A, b):
    Q, R = np.linalg.qr(A)
    return scipy.linalg.solve_triangular(R, Q.T @ b)


def _profile_by_definition(y, X, j, solve):
    """ℓ_p(b): y − b·x_j regressed on the other columns with ``solve``, σ² maximised out."""
    n, others = len(y), np.delete(X, j, axis=1)

    def profile(b):
        target = y - b * X[:, j]
        r = target - others @ solve(others, target)
        return -n / 2 * (np.log(2 * np.pi * (r @ r) / n) + 1)
    return profile


def _package_profile(y, X, j, solve):
    """ℓ_p(b) from linreg_mle, which does its own least squares (``solve`` is not used)."""
    return lambda b: lm.profile_loglik_beta(y, X, j, b)


def _brackets(drop, centre):
    """Brackets of the two crossings: the step doubles until the drop is past the cut-off."""
    step = 1.0
    while drop(centre + step) < 0 or drop(centre - step) < 0:
        step *= 2
    return (centre - step, centre), (centre, centre + step)


def _by_brentq(drop, bracket):
    return optimize.brentq(drop, *bracket, xtol=1e-13, rtol=1e-13)


def _by_root_scalar(drop, bracket):
    """scipy.optimize.root_scalar with method="brentq", which calls brentq itself."""
    return optimize.root_scalar(drop, bracket=bracket, method="brentq", xtol=1e-13, rtol=1e-13).root


def lr_interval(y, X, j, level, *, solve=_lstsq, profile_of=_profile_by_definition,
                root=_by_brentq):
    """The exercise's recipe: the profile by its definition (least squares by lstsq),
    the crossings by brentq."""
    profile = profile_of(y, X, j, solve)
    centre = solve(X, y)[j]
    top, cut = profile(centre), stats.chi2.ppf(level, 1) / 2

    def drop(b):
        return top - profile(b) - cut

    return tuple(root(drop, bracket) for bracket in _brackets(drop, centre))


def lr_interval_in_closed_form(y, X, j, level):
    """(b − β̂_j)²/se² = T² and 2Δℓ = n log(1 + T²/(n − p)): right, but no root-finding."""
    n, p = X.shape
    beta, r = _least_squares(y, X)
    se2 = r @ r / (n - p) * np.linalg.inv(X.T @ X)[j, j]
    half = np.sqrt(se2 * (n - p) * np.expm1(stats.chi2.ppf(level, 1) / n))
    return beta[j] - half, beta[j] + half


def t_interval_for(y, X, j, level):
    return tuple(t_interval(y, X, level)[j])


def quadratic_interval(y, X, j, level, *, sigma2="fixed", slice_=False, cut=None, n_in_log=None):
    """β̂_j ± half, for the slips that keep the interval symmetric: σ² held at σ̂² (the
    Wald interval), a slice of ℓ in place of its profile, the wrong cut-off, n − p for n."""
    n, p = X.shape
    beta, r = _least_squares(y, X)
    c = stats.chi2.ppf(level, 1) if cut is None else cut(level)
    curvature = X[:, j] @ X[:, j] if slice_ else 1 / np.linalg.inv(X.T @ X)[j, j]
    if sigma2 == "fixed":  # the drop is (b − β̂_j)² curvature/(2σ̂²)
        half = np.sqrt(c * (r @ r) / n / curvature)
    else:  # σ² profiled out: the drop is (n/2) log(1 + (b − β̂_j)² curvature/RSS)
        m = n if n_in_log is None else n_in_log(n, p)
        half = np.sqrt((r @ r) * np.expm1(c / m) / curvature)
    return beta[j] - half, beta[j] + half


def profiled_interval_with(**slip):
    return lambda y, X, j, level: quadratic_interval(y, X, j, level, sigma2="profiled", **slip)


# --- chapter 11: the profile of the t degrees of freedom --------------------------------


def t_profile_by_own_em(y, X, df_values):
    """The learner's own EM loop for each ν, to a tight tolerance, returned as a list."""
    out = []
    for nu in df_values:
        beta, r = _least_squares(y, X)
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
        out.append(lm.log_likelihood_noise(y, X, beta_new, np.sqrt(b2), "t", nu))
    return out


def t_profile(y, X, df_values):
    """ℓ_p(ν) from fit_student_t, as the exercise suggests."""
    return np.array([lm.fit_student_t(y, X, df=d).loglik for d in df_values])


# --- chapter 12: the sandwich, from QR and numpy alone ----------------------------------


def _hc_omega(kind, r, h, n, p):
    """The diagonal of Ω̂ for HC0 to HC3."""
    return {"HC0": 1.0, "HC1": n / (n - p), "HC2": 1 / (1 - h), "HC3": 1 / (1 - h) ** 2}[kind] * r**2


def _by_qr(X, inverse=None):
    """(XᵀX)⁻¹Xᵀ = R⁻¹Qᵀ, with R⁻¹ applied by np.linalg.solve unless ``inverse`` forms it."""
    Q, R = np.linalg.qr(X)
    return np.linalg.solve(R, Q.T) if inverse is None else inverse(R) @ Q.T


def sandwich(y, X, kind, *, pseudo_inverse=_by_qr, omega_of=_hc_omega):
    """A Ω̂ Aᵀ with A = (XᵀX)⁻¹Xᵀ from ``pseudo_inverse(X)`` and Ω̂ from ``omega_of``."""
    n, p = X.shape
    A = pseudo_inverse(X)
    h = np.einsum("ij,ji->i", X, A)  # leverages, the diagonal of XA
    r = y - X @ (A @ y)
    return (A * omega_of(kind, r, h, n, p)) @ A.T


def sandwich_mixing_up(asked, given):
    """Right for every kind except ``asked``, where it returns the sandwich ``given``."""
    return lambda y, X, kind: sandwich(y, X, given if kind == asked else kind)


def sandwich_with_omega(omega, *, asked=("HC0", "HC1", "HC2", "HC3")):
    """Ω̂ = diag(omega(r, h, n, p)) where ``kind`` is one of ``asked``, right elsewhere."""
    def omega_of(kind, r, h, n, p):
        return omega(r, h, n, p) if kind in asked else _hc_omega(kind, r, h, n, p)
    return lambda y, X, kind: sandwich(y, X, kind, omega_of=omega_of)


def sandwich_with_package_residuals(y, X, kind):
    """Right, from QR, but with the residuals taken from linreg_mle."""
    residuals = lm.fit_mle(y, X).residuals
    return sandwich(y, X, kind, omega_of=lambda kind, r, h, n, p: _hc_omega(kind, residuals, h, n, p))


def classical_cov(y, X, divisor):
    n, p = X.shape
    R_inverse = np.linalg.inv(np.linalg.qr(X)[1])
    return _rss(y, X) / divisor(n, p) * R_inverse @ R_inverse.T


# --- chapter 13: the robust t statistic and the Box–Cox profile -------------------------


def robust_t(y, X, j, b0, *, cov=lambda y, X: sandwich(y, X, "HC3"), square=False, null=True,
             variance=False, index=lambda j, p: j):
    """(β̂_k − b0)/√Cov_kk with k = index(j, p); the keywords make the slips."""
    k = index(j, X.shape[1])
    beta = _least_squares(y, X)[0]
    var = cov(y, X)[k, k]
    value = (beta[k] - (b0 if null else 0)) / (var if variance else np.sqrt(var))
    return value**2 if square else value


def robust_t_with(**slip):
    return lambda y, X, j, b0: robust_t(y, X, j, b0, **slip)


def _next_index(j, p):
    """The index after j, or before it where j is the last one."""
    return j + 1 if j + 1 < p else j - 1


def _previous_index(j, p):
    return j - 1 if j >= 1 else j + 1


def boxcox_profile(y, X, zeta, *, transform=None, jacobian=None, divisor=None):
    """ℓ̂ of the transformed regression plus the Jacobian (ζ − 1) Σ log y; the keywords
    replace the transform, the Jacobian term or σ̂²'s divisor n."""
    n, p = X.shape
    if transform is None:
        z = np.log(y) if zeta == 0 else (y**zeta - 1) / zeta
    else:
        z = transform(y, zeta)
    rss = _rss(z, X)
    sigma2 = rss / (n if divisor is None else divisor(n, p))
    ll = -n / 2 * np.log(2 * np.pi * sigma2) - rss / (2 * sigma2)
    return ll + ((zeta - 1) * np.log(y).sum() if jacobian is None else jacobian(y, zeta))


def boxcox_with(**slip):
    return lambda y, X, zeta: boxcox_profile(y, X, zeta, **slip)


def boxcox_by_scipy(y, X, zeta):
    """The log-density of y: scipy's normal logpdf of the transform plus log|dz/dy|."""
    z = stats.boxcox(y, lmbda=zeta)
    beta, r = _least_squares(z, X)
    return stats.norm.logpdf(z, X @ beta, np.sqrt(np.mean(r**2))).sum() + np.sum(np.log(y ** (zeta - 1)))


def boxcox_without_the_log_case(y, X, zeta):
    """(y^ζ − 1)/ζ at every ζ: 0/0 = NaN at ζ = 0."""
    return boxcox_profile(y, X, zeta, transform=lambda y, zeta: (y**zeta - 1) / np.float64(zeta))


# --- the table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    check: str
    """The name of the check in ``checks.ALL``."""
    what: str
    """What the learner did."""
    fn: Callable
    expected: str | tuple[str, ...] | None
    """A fragment of the verdict (or a tuple of acceptable fragments); None: it passes."""
    defect: str | None = None
    """What is wrong in the check, where it does not yet give the expected verdict."""


PASSES = None


def _answers_to(check, *rows):
    """Rows ``(what, fn, expected[, defect])`` for one check."""
    return [Answer(check, *row) for row in rows]


ANSWERS = [
    # chapter 1: the grid search over (β, σ²)
    *_answers_to("check_grid_mle_2d",
        ("scipy on a table", grid_by_scipy, PASSES),
        ("product of densities on a meshgrid", grid_by_product_on_a_meshgrid, PASSES),
        ("two loops", grid_by_loops, PASSES),
        ("indices", grid_indices, "(indices) of the best grid points"),
        ("(σ², β)", lambda *args: grid_by_scipy(*args)[::-1], "wrong order"),
        ("argmin", partial(grid_by_scipy, pick=np.argmin), "*smallest*"),
        ("scipy scale=sigma2", partial(grid_by_scipy, scale_of=lambda s2: s2), "whose *square* fits best"),
        ("meshgrid, indexing='ij'", grid_on_a_meshgrid, PASSES),
        ("meshgrid, default indexing", partial(grid_on_a_meshgrid, indexing="xy"), "mixed up the axes"),
        ("x ignored",
         lambda y, x, betas, sigma2s: grid_by_scipy(y, np.ones_like(x), betas, sigma2s), "ignores x"),
        ("exact maximiser", grid_exact_maximiser, "not on the grid"),
        ("β alone", lambda *args: grid_by_scipy(*args)[0], "got a single number"),
    ),
    # chapter 2: ℓᵢ
    *_answers_to("check_log_likelihood_obs",
        ("formula", loglik_obs, PASSES),
        ("scipy logpdf", lambda y, X, beta, sigma2: stats.norm.logpdf(y, X @ beta, np.sqrt(sigma2)), PASSES),
        ("log of scipy's pdf", lambda *args: np.log(_pdf(*args)),
         "is −inf at observations 0, 2 of a test case"),
        ("log of the density's formula", loglik_obs_log_of_formula, "the log of 0.0 is −inf"),
        ("log of a clipped pdf",
         lambda *args: np.log(np.maximum(_pdf(*args), 1e-300)), "right except at observations 0, 2"),
        ("log of pdf plus a tiny number",
         lambda *args: np.log(_pdf(*args) + 1e-300), "right except at observations 0, 2"),
        ("rᵢ² over 2σ⁴",
         partial(loglik_obs_with, log_term=lambda s2: s2, square_term=np.square),
         "divides by 2σ⁴ (sigma2**2)"),
        ("σ⁴ everywhere",
         partial(loglik_obs_with, log_term=np.square, square_term=np.square),
         "with σ⁴ where σ² belongs"),
        ("scipy scale=sigma2",
         lambda y, X, beta, sigma2: stats.norm.logpdf(y, X @ beta, sigma2),
         "such as the `scale` of scipy.stats.norm"),
        ("σ everywhere",
         partial(loglik_obs_with, log_term=np.sqrt, square_term=np.sqrt), "with σ where σ² belongs"),
        ("the density", _pdf, "you returned the density itself"),
    ),
    # chapter 2: the likelihood ratio
    *_answers_to("check_likelihood_ratio",
        ("difference of scipy log-likelihoods", ratio_in_log_space, PASSES),
        ("product of density ratios", ratio_as_product_of_ratios, PASSES),
        ("sum of the logs of the densities",  # no single density underflows, only their product
         lambda y, X, a, b, s2: np.exp(np.log(_pdf(y, X, a, s2)).sum() - np.log(_pdf(y, X, b, s2)).sum()),
         PASSES),
        ("ratio of products", ratio_of_products, "underflows to exactly 0.0"),
        ("log of the ratio",
         lambda y, X, a, b, s2: _loglik(y, X, a, s2) - _loglik(y, X, b, s2), "logarithm of the ratio"),
        ("upside down", lambda y, X, a, b, s2: ratio_in_log_space(y, X, b, a, s2), "upside down"),
        ("quotient of log-likelihoods",
         lambda y, X, a, b, s2: _loglik(y, X, a, s2) / _loglik(y, X, b, s2),
         "divided the log-likelihoods"),
        ("RSS over σ², no ½",
         partial(ratio_from_rss, combine=lambda ra, rb: rb - ra, divisor=1), "square of the right one"),
        ("σ for σ²",
         lambda y, X, a, b, s2: ratio_in_log_space(y, X, a, b, np.sqrt(s2)), "σ where σ² belongs"),
        ("one ratio per observation", lambda y, X, a, b, s2: _pdf(y, X, a, s2) / _pdf(y, X, b, s2),
         "wrong shape"),
    ),
    # Slips in log space are wrong on the small first case, where nothing underflows:
    # they must be told what is wrong there, never that a product underflowed.
    *_answers_to("check_likelihood_ratio",
        ("+RSS in ℓ", ratio_with_rss_added,
         "upside down: it should be L(β_a)/L(β_b), not L(β_b)/L(β_a) (on test case 1 of 3)"),
        ("RSSs added",
         partial(ratio_from_rss, combine=lambda ra, rb: -(ra + rb), divisor=2),
         "is not correct: it is too small (on test case 1 of 3)"),
    ),
    # chapter 3: the Wald ellipse, judged rather than compared
    *_answers_to("check_wald_ellipse",
        ("Cholesky factor", ellipse, PASSES),
        ("symmetric square root, another start",
         lambda c, S, level, m: ellipse(c, S, level, m, factor=scipy.linalg.sqrtm(S).real,
                                        start=1.0, stop=1.0 + 2 * np.pi),
         PASSES),
        ("χ²₁ radius", ellipse_with_radius2(lambda level: stats.chi2.ppf(level, 1)),
         "one-dimensional quantile"),
        ("z² radius", ellipse_with_radius2(lambda level: stats.norm.ppf(level) ** 2),
         "one-dimensional quantile"),
        ("χ²₂ squared", ellipse_with_radius2(lambda level: _chi2_2(level) ** 2),
         "is the square of χ²₂(level)"),
        ("t = 1", ellipse_with_radius2(lambda level: 1.0), "with t = 1"),
        ("χ²₂/2", ellipse_with_radius2(lambda level: _chi2_2(level) / 2), "the drop in ℓ"),
        ("lower tail", ellipse_with_radius2(lambda level: _chi2_2(1 - level)), "lower-tail quantile"),
        ("3χ²₂", ellipse_with_radius2(lambda level: 3 * _chi2_2(level)), "the wrong size (too large)"),
        ("χ²₂/3", ellipse_with_radius2(lambda level: _chi2_2(level) / 3), "the wrong size (too small)"),
        ("transposed", lambda *args: ellipse(*args).T, "is transposed"),
        ("one point short", lambda *args: ellipse(*args)[:-1], "wrong shape"),
        ("a generator of pairs", lambda *args: (tuple(b) for b in ellipse(*args)),
         "got generator"),
        ("numbers as text", lambda *args: ellipse(*args).astype(str).tolist(), "got text"),
        ("NaN", lambda *args: ellipse(*args) * np.nan, "contains NaN or inf"),
        ("Σ⁻¹'s factor", ellipse_with_factor(lambda S: np.linalg.cholesky(np.linalg.inv(S))),
         "inverse covariance"),
        ("diagonal", ellipse_with_factor(lambda S: np.diag(np.sqrt(np.diag(S)))), "axis-aligned"),
        ("upper Cholesky factor", ellipse_with_factor(scipy.linalg.cholesky), "Bᵀ where B belongs"),
        ("Σ as the factor", ellipse_with_factor(lambda S: S), "multiplied by Σ itself"),
        ("no centre", lambda c, S, level, m: ellipse(np.zeros(2), S, level, m), "centred at the origin"),
        ("centre added twice", lambda c, S, level, m: ellipse(c, S, level, m) + c,
         "do not lie on one ellipse"),
        ("half of it", lambda *args: ellipse(*args, stop=np.pi), "only part of it"),
    ),
    # chapter 4: predicted digits
    *_answers_to("check_predicted_digits",
        ("from κ_s", digits, PASSES),
        ("from singular values", digits_by_svd, PASSES),
        ("κ of X", partial(digits, kappa=np.linalg.cond), "condition number of X as given"),
        ("normal equations lose log κ", partial(digits, losses=(1, 1)), "twice as many digits as QR"),
        ("QR loses 2 log κ", partial(digits, losses=(2, 2)), "not 2·log10 κ"),
        ("natural log", partial(digits, log=np.log), "use log10"),
        ("np.finfo eps", partial(digits, eps=np.finfo(float).eps), "unit roundoff"),
        ("not clipped", partial(digits, clip=False), "clip the prediction"),
        ("rows scaled",
         partial(digits, kappa=lambda X: np.linalg.cond(X / np.linalg.norm(X, axis=1, keepdims=True))),
         "scaled the rows"),
        ("columns over their maximum",
         partial(digits, kappa=lambda X: np.linalg.cond(X / np.abs(X).max(axis=0))),
         "by its largest entry"),
        ("normal equations first", lambda X: digits(X)[::-1], "wrong order"),
        ("QR alone", lambda X: digits(X)[0], "got a single number"),
    ),
    # chapter 5: the best constant step
    *_answers_to("check_best_step",
        ("eigenvalues", best_step, PASSES),
        ("singular values", best_step_by_svd, PASSES),
        ("1/λ_max", lambda X, s2: 1 / _eigenvalues(X, s2)[-1], "safe step 1/λ_max"),
        ("2/λ_max", lambda X, s2: 2 / _eigenvalues(X, s2)[-1], "stability limit 2/λ_max"),
        ("1/λ_min", lambda X, s2: 1 / _eigenvalues(X, s2)[0], "1/λ_min suits only the slowest"),
        ("σ² left out", lambda X, s2: best_step(X, 1.0), "left out σ²"),
        ("XᵀX times σ²", lambda X, s2: best_step(X, 1 / s2), "multiplied XᵀX by σ²"),
        ("singular values not squared",
         lambda X, s2: 2 * s2 / sum(np.linalg.svd(X, compute_uv=False)[[0, -1]]), "singular values of X"),
        ("mean eigenvalue", lambda X, s2: 1 / _eigenvalues(X, s2).mean(), "(their mean)"),
        ("1/(λ_min + λ_max)", lambda X, s2: best_step(X, s2) / 2, "off by a factor of 1/2"),
        ("negative", lambda X, s2: -best_step(X, s2), "wrong sign"),
        ("all eigenvalues", _eigenvalues, "wrong shape"),
    ),
    # chapter 5: logistic noise; scipy's default tolerances are enough, a loose stopping rule is not
    *_answers_to("check_logistic_noise_mle",
        ("Newton from zeros", logistic_by_newton, PASSES),
        ("scipy minimize, default tolerances", logistic_by_scipy_minimize, PASSES),
        ("lstsq", lambda y, X, scale: _least_squares(y, X)[0], "least-squares fit"),
        ("scale 1", lambda y, X, scale: logistic_by_newton(y, X, 1.0), "for scale 1"),
        ("scale b²", lambda y, X, scale: logistic_by_newton(y, X, scale**2),
         "b² where the scale b belongs"),
        ("one Newton step",
         partial(logistic_by_newton, start="least squares", steps=1), "single Newton step"),
        ("Newton stopped at a step of 0.1",
         partial(logistic_by_newton, start="least squares", tol=0.1),
         ("is close but not within the tolerance", "single Newton step")),
        ("negative", lambda *args: -logistic_by_newton(*args), "wrong sign"),
        ("a coefficient short", lambda *args: logistic_by_newton(*args)[:-1], "wrong shape"),
    ),
    # chapter 6: the observed information, without linreg_mle.hessian_theta
    *_answers_to("check_observed_information",
        ("formula", observed_information, PASSES),
        ("package Hessian",
         lambda y, X, beta, sigma2: -lm.hessian_theta(y, X, beta, sigma2),
         "your answer is right but calls linreg_mle.hessian_theta"),
        ("∇²ℓ", lambda *args: -observed_information(*args), "Hessian ∇²ℓ itself"),
        ("Fisher by hand", fisher_information_by_hand, "expected (Fisher) information"),
        ("σ for σ²",
         lambda y, X, beta, s2: observed_information(y, X, beta, np.sqrt(s2)), "with σ where σ² belongs"),
        ("σ⁴ for σ²",
         lambda y, X, beta, s2: observed_information(y, X, beta, s2**2), "with σ⁴ where σ² belongs"),
        ("cross block Xᵀr/σ²", information_with(cross=lambda X, r, s2: X.T @ r / s2),
         "wrong power of σ²"),
        ("cross block −Xᵀr/σ⁴", information_with(cross=lambda X, r, s2: -X.T @ r / s2**2),
         "cross block (β, σ²) has the wrong sign"),
        ("cross block 0",
         information_with(cross=lambda X, r, s2: np.zeros(X.shape[1])), "cross block (β, σ²) is missing"),
        ("corner RSS/(2σ⁶)",
         information_with(corner=lambda n, rss, s2: rss / (2 * s2**3) - n / (2 * s2**2)),
         "σ² corner is wrong"),
        ("corner sign",
         information_with(corner=lambda n, rss, s2: n / (2 * s2**2) - rss / s2**3),
         "σ² corner has the wrong sign"),
        ("a row short", lambda *args: observed_information(*args)[:-1], "wrong shape"),
    ),
    # s² (no chapter asks for it; test_assignments.py grades with this check)
    *_answers_to("check_unbiased_sigma2",
        ("RSS/(n − p)", s2, PASSES),
        ("RSS/n", lambda y, X: _rss(y, X) / len(y), "divided RSS by n:"),
        ("RSS/(n − 1)", lambda y, X: _rss(y, X) / (len(y) - 1), "sample variance"),
        ("RSS/(n − p − 1)", lambda y, X: _rss(y, X) / (len(y) - X.shape[1] - 1),
         "one degree of freedom too many"),
        ("RSS", _rss, "residual sum of squares itself"),
        ("s", lambda y, X: np.sqrt(s2(y, X)), "standard deviation"),
        ("np.var of the residuals",
         lambda y, X: np.var(_least_squares(y, X)[1], ddof=X.shape[1]), "centred the residuals"),
        ("np.var(y, ddof=1)", lambda y, X: np.var(y, ddof=1), "np.var(y, ddof=1)"),
        ("np.var(y, ddof=p)", lambda y, X: np.var(y, ddof=X.shape[1]), "fit the regression first"),
        ("twice s²", lambda y, X: 2 * s2(y, X), "is off by a factor of 2"),
        ("lstsq's RSS, shape (1,)", s2_from_lstsq_residuals,
         "expected one number, got an array of shape (1,): take the number out of it with .item()"),
        ("formatted", lambda y, X: f"{s2(y, X):.6f}", "expected a number, got text (str)"),
    ),
    # chapter 7: the MSE-optimal divisor, found with minimize_scalar
    *_answers_to("check_mse_optimal_divisor",
        ("minimize_scalar, bounded", divisor_by_minimize_scalar, PASSES),
        ("minimize_scalar, default method and tolerance",
         lambda n, p: optimize.minimize_scalar(mse_of_rss_over, args=(n, p)).x, PASSES),
        ("the formula typed in", lambda n, p: n - p + 2,
         "your answer is right but never calls scipy.optimize.minimize_scalar"),
        ("minimize_scalar on the bias alone",
         partial(divisor_by_minimize_scalar, with_variance=False), "that is the unbiased divisor n − p"),
        ("10n", lambda n, p: 10 * n, "too large"),
        ("1", lambda n, p: 1, "too small"),
    ),
    # chapter 8: the t interval
    *_answers_to("check_t_interval",
        ("lstsq and inv", t_interval, PASSES),
        ("z quantile", t_interval_with(quantile=_z_quantile), "normal quantile z"),
        ("σ̂²", t_interval_with(variance="mle"), "MLE σ̂² = RSS/n"),
        ("z and σ̂²", t_interval_with(quantile=_z_quantile, variance="mle"), "Wald (z) interval"),
        ("n − 1 degrees of freedom",
         t_interval_with(quantile=lambda level, n, p: stats.t.ppf((1 + level) / 2, n - 1)),
         "wrong degrees of freedom (n − 1)"),
        ("n degrees of freedom",
         t_interval_with(quantile=lambda level, n, p: stats.t.ppf((1 + level) / 2, n)),
         "wrong degrees of freedom (n)"),
        ("variance for se", t_interval_with(sqrt=False), "square root"),
        ("one-sided", t_interval_with(quantile=lambda level, n, p: stats.t.ppf(level, n - p)), "one-sided"),
        ("(2, p)", lambda *args: t_interval(*args).T, "transposed"),
    ),
    # chapter 8: the χ² interval for σ²
    *_answers_to("check_sigma2_ci",
        ("tuple", sigma2_interval, PASSES),
        ("list", lambda *args: list(sigma2_interval(*args)), PASSES),
        ("n degrees of freedom", sigma2_interval_with(df=lambda n, p: n), "you used n degrees of freedom"),
        ("n − 1 degrees of freedom", sigma2_interval_with(df=lambda n, p: n - 1),
         "n − 1 degrees of freedom"),
        ("quantiles swapped", sigma2_interval_with(swap=True), "wrong quantiles"),
        ("1 − level per tail", sigma2_interval_with(tail=lambda level: 1 - level), "into each tail"),
        ("σ̂²", sigma2_interval_with(statistic=lambda rss, n, p: rss / n), "you divided σ̂²"),
        ("s²", sigma2_interval_with(statistic=lambda rss, n, p: rss / (n - p)), "you divided s²"),
        ("for σ", sigma2_interval_with(root=True), "an interval for σ"),
        ("95 %", lambda y, X, level: sigma2_interval(y, X, 0.95), "use the `level` argument"),
        ("normal approximation", sigma2_interval_normal_approximation, "normal approximation"),
        ("lower end alone", lambda *args: sigma2_interval(*args)[0], "single number"),
    ),
    # chapter 9: exact sizes of the χ² tests
    *_answers_to("check_chi2_test_sizes",
        ("brentq on each statistic", sizes_by_root_finding, PASSES),
        ("closed form", sizes_in_closed_form, PASSES),
        ("p degrees of freedom",
         lambda n, p, p0, alpha: sizes_by_root_finding(n, p, p0, alpha, df=p), "used p degrees of freedom"),
        ("n residual degrees of freedom",
         lambda n, p, p0, alpha: sizes_by_root_finding(n, p, p0, alpha, k=n),
         "used n residual degrees of freedom"),
        ("α quantile", sizes_with(quantile=lambda alpha: alpha), "the α quantile"),
        ("cdf", lambda *args: 1 - sizes_by_root_finding(*args), "probabilities of *not* rejecting"),
        ("LR without the 2", sizes_with(lr_scale=2.0), "LR is half"),
        ("score test with the full fit", sizes_score_test_with_full_fit, "rejects exactly as the Wald test"),
        ("Wald with s²", sizes_wald_with_s2, "uses s² = RSS/(n − p)"),
        ("(LM, LR, W)", lambda *args: sizes_by_root_finding(*args)[::-1], "swapped"),
        ("Wald alone", lambda *args: sizes_by_root_finding(*args)[0], "single number"),
        ("Wald and LR", lambda *args: sizes_by_root_finding(*args)[:2], "wrong shape"),
    ),
    # chapter 10: the profile interval by lstsq and brentq, without the package's shortcuts
    *_answers_to("check_profile_lr_interval",
        ("lstsq profile, brentq", lr_interval, PASSES),
        ("lstsq profile, root_scalar's brentq", partial(lr_interval, root=_by_root_scalar), PASSES),
        ("package interval",
         lambda y, X, j, level: lm.beta_interval(y, X, j, level, "lr"),
         "your answer is right but calls linreg_mle.beta_interval"),
        ("package profile", partial(lr_interval, profile_of=_package_profile),
         "your answer is right but calls linreg_mle.profile_loglik_beta"),
        ("least squares by QR", partial(lr_interval, solve=_qr_solve),
         "your answer is right but never calls numpy.linalg.lstsq"),
        ("closed form", lr_interval_in_closed_form,
         "your answer is right but never calls scipy.optimize.brentq"),
        ("(upper, lower)", lambda *args: lr_interval(*args)[::-1], "wrong order"),
        ("three numbers", lambda *args: [0.0, 1.0, 2.0], "wrong shape"),
        ("t interval", t_interval_for, "t interval"),
        ("σ² fixed", quadratic_interval, "held σ² at σ̂²"),
        ("drop of χ²₁",
         profiled_interval_with(cut=lambda level: 2 * stats.chi2.ppf(level, 1)),
         "cut the profile at a drop of χ²₁"),
        ("(1 + level)/2 quantile",
         profiled_interval_with(cut=lambda level: stats.chi2.ppf((1 + level) / 2, 1)),
         "(1 + level)/2 quantile"),
        ("95 %", lambda y, X, j, level: lr_interval(y, X, j, 0.95), "95 % interval"),
        ("slice", profiled_interval_with(slice_=True), "a slice of ℓ, not its profile"),
        ("slice, σ² fixed", partial(quadratic_interval, slice_=True), "β̂ and σ² at σ̂²"),
        ("n − p in ℓ", profiled_interval_with(n_in_log=lambda n, p: n - p), "n − p where n belongs"),
    ),
    # chapter 11: the profile of the t degrees of freedom (the catalogue's own mistakes
    # already call fit_student_t as a learner would)
    *_answers_to("check_t_profile_df",
        ("own EM", t_profile_by_own_em, PASSES),
        ("negative", lambda *args: -t_profile(*args), "wrong sign"),
        ("one ν short", lambda *args: t_profile(*args)[:-1], "wrong shape"),
    ),
    # chapter 12: the sandwich, from np.linalg.qr, without linreg_mle and without an inverse
    *_answers_to("check_sandwich_cov",
        ("QR and solve", sandwich, PASSES),
        ("scipy's QR", partial(sandwich, pseudo_inverse=lambda X: scipy.linalg.solve_triangular(
            *(lambda Q, R: (R, Q.T))(*scipy.linalg.qr(X, mode="economic")))), PASSES),
        ("normal equations solved, no QR",
         partial(sandwich, pseudo_inverse=lambda X: np.linalg.solve(X.T @ X, X.T)),
         "your answer is right but never calls numpy.linalg.qr"),
        ("textbook inverse",
         partial(sandwich, pseudo_inverse=lambda X: np.linalg.inv(X.T @ X) @ X.T),
         "your answer is right but calls numpy.linalg.inv"),
        ("R inverted by numpy", partial(sandwich, pseudo_inverse=partial(_by_qr, inverse=np.linalg.inv)),
         "your answer is right but calls numpy.linalg.inv"),
        ("R inverted by scipy", partial(sandwich, pseudo_inverse=partial(_by_qr, inverse=scipy.linalg.inv)),
         "your answer is right but calls scipy.linalg.inv"),
        ("R pseudo-inverted", partial(sandwich, pseudo_inverse=partial(_by_qr, inverse=np.linalg.pinv)),
         "your answer is right but calls numpy.linalg.pinv"),
        ("residuals from the package", sandwich_with_package_residuals,
         "your answer is right but calls linreg_mle"),
        ("classical s²", lambda y, X, kind: classical_cov(y, X, lambda n, p: n - p),
         "classical s²(XᵀX)⁻¹"),
        ("classical σ̂²", lambda y, X, kind: classical_cov(y, X, lambda n, p: n),
         "classical σ̂²(XᵀX)⁻¹"),
        ("always HC3", lambda y, X, kind: sandwich(y, X, "HC3"),
         "you returned HC3 (does your function look at `kind`?)"),
        ("always HC1", lambda y, X, kind: sandwich(y, X, "HC1"), "you returned HC1 (does"),
        ("HC0 for HC1", sandwich_mixing_up("HC1", "HC0"), "you left out the correction: that is HC0"),
        ("HC1 with (n − p)/n",
         sandwich_with_omega(lambda r, h, n, p: r**2 * (n - p) / n, asked=("HC1",)), "not by (n − p)/n"),
        ("HC1 with n/(n − 1)",
         sandwich_with_omega(lambda r, h, n, p: r**2 * n / (n - 1), asked=("HC1",)), "you used n/(n − 1)"),
        ("HC2 for HC3", sandwich_mixing_up("HC3", "HC2"), "you divided once (that is HC2)"),
        ("HC3 for HC2", sandwich_mixing_up("HC2", "HC3"), "you squared it (that is HC3)"),
        ("HC1 for HC2", sandwich_mixing_up("HC2", "HC1"), "you applied the HC1 factor"),
        ("HC2 times (1 − h)", sandwich_with_omega(lambda r, h, n, p: r**2 * (1 - h), asked=("HC2",)),
         "you multiplied by (1 − h_i)"),
        ("HC3 over h²", sandwich_with_omega(lambda r, h, n, p: r**2 / h**2, asked=("HC3",)),
         "you divided by h_i instead of 1 − h_i"),
        ("|r|", sandwich_with_omega(lambda r, h, n, p: np.abs(r)), "you used |r̂_i|"),
        ("y²",
         lambda y, X, kind: sandwich(y, X, kind, omega_of=lambda kind, r, h, n, p: y**2),
         "you used y_i² itself"),
        ("the meat", lambda y, X, kind: X.T @ X @ sandwich(y, X, kind) @ X.T @ X,
         "you returned only the middle"),
        ("bread once", lambda y, X, kind: sandwich(y, X, kind) @ X.T @ X, "you used it once"),
        ("standard errors", lambda *args: np.sqrt(np.diag(sandwich(*args))), "wrong shape"),
        ("twice", lambda *args: 2 * sandwich(*args), "factor of 2"),
    ),
    # chapter 13: the robust t statistic
    *_answers_to("check_robust_t",
        ("HC3 from QR", robust_t, PASSES),
        ("classical s²", robust_t_with(cov=lambda y, X: classical_cov(y, X, lambda n, p: n - p)),
         "classical standard error √[s²(XᵀX)⁻¹]_jj"),
        ("classical σ̂²", robust_t_with(cov=lambda y, X: classical_cov(y, X, lambda n, p: n)),
         "classical standard error √[σ̂²(XᵀX)⁻¹]_jj"),
        *[(kind, robust_t_with(cov=partial(sandwich, kind=kind)), f"you used the {kind} sandwich")
          for kind in ("HC0", "HC1", "HC2")],
        ("β_j = 0", robust_t_with(null=False), "you tested β_j = 0"),
        ("over the variance", robust_t_with(variance=True), "you divided by the variance"),
        ("T²", robust_t_with(square=True), "you returned T²"),
        ("the next coefficient", robust_t_with(index=_next_index), "indexed from 0"),
        ("the previous coefficient", robust_t_with(index=_previous_index), "indexed from 0"),
        ("negative", lambda *args: -robust_t(*args), "wrong sign"),
    ),
    # chapter 13: the Box–Cox profile
    *_answers_to("check_boxcox_loglik",
        ("lstsq", boxcox_profile, PASSES),
        ("scipy", boxcox_by_scipy, PASSES),
        ("no Jacobian", boxcox_with(jacobian=lambda y, zeta: 0.0), "you left out the Jacobian"),
        ("Jacobian subtracted", boxcox_with(jacobian=lambda y, zeta: -(zeta - 1) * np.log(y).sum()),
         "the Jacobian term has the wrong sign"),
        ("ζ Σ log y", boxcox_with(jacobian=lambda y, zeta: zeta * np.log(y).sum()), "not ζ Σ log y_i"),
        ("s²", boxcox_with(divisor=lambda n, p: n - p), "you evaluated ℓ at s² = RSS/(n − p)"),
        ("y^ζ", boxcox_with(transform=lambda y, zeta: np.log(y) if zeta == 0 else y**zeta),
         "you transformed with y^ζ"),
        ("log10 at 0",
         boxcox_with(transform=lambda y, zeta: np.log10(y) if zeta == 0 else (y**zeta - 1) / zeta),
         "you used log10"),
        ("no log case", boxcox_without_the_log_case, "treat ζ = 0 on its own"),
        ("negative", lambda *args: -boxcox_profile(*args), "wrong sign"),
        ("formatted", lambda *args: f"{boxcox_profile(*args):.3f}", "expected a number, got text (str)"),
    ),
]

SEEDS = (0, 1)


def _expected_fragments(answer: Answer) -> tuple[str, ...]:
    return answer.expected if isinstance(answer.expected, tuple) else (answer.expected,)


def test_the_table_tries_every_check_both_ways():
    """Each check gets at least one right and one wrong answer, and no row is there twice."""
    for name in checks.ALL:
        rows = [answer for answer in ANSWERS if answer.check == name]
        assert any(answer.expected is PASSES for answer in rows), name
        assert any(answer.expected is not PASSES for answer in rows), name
    assert len({(answer.check, answer.what) for answer in ANSWERS}) == len(ANSWERS)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # NaN and inf are diagnosed, not warned about
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("answer", [
    pytest.param(answer, id=f"{answer.check}: {answer.what}",
                 marks=pytest.mark.xfail(reason=answer.defect, strict=True) if answer.defect else ())
    for answer in ANSWERS])
def test_a_learners_answer_gets_its_verdict(answer, seed):
    check = checks.ALL[answer.check]
    verdict = check.diagnose(answer.fn, rng=seed)
    if answer.expected is PASSES:
        assert verdict is None, verdict
        return
    assert verdict is not None, "a wrong answer passed"
    assert any(fragment in verdict for fragment in _expected_fragments(answer)), verdict
    assert "\n" not in verdict  # one line: what is wrong, not a traceback
    if check.reference is None:  # judged: no number of the case is any business of the verdict
        assert not _printed_numbers(verdict), verdict
        return
    references = _references(check, seed)
    for number in _printed_numbers(verdict):
        assert not np.isclose(references, number, rtol=1e-3, atol=0).any(), verdict


def test_a_boxcox_answer_that_raises_at_zeta_0_is_shown_that_case():
    def my_boxcox(y, X, zeta):
        inverse = 1 / zeta  # ζ arrives as a Python float: ZeroDivisionError at ζ = 0
        return boxcox_profile(y, X, zeta, transform=lambda y, zeta: (y**zeta - 1) * inverse)

    verdict = checks.check_boxcox_loglik.diagnose(my_boxcox, rng=0)
    first, *trace = verdict.splitlines()
    assert first.startswith("your function raised ZeroDivisionError on test case 2 of 4, called with y = ")
    assert first.endswith(", zeta = 0:")
    assert "inverse = 1 / zeta" in verdict and trace[-1] == "ZeroDivisionError: float division by zero"


# --- what the test cases are designed to do ---------------------------------------------


def _rounds(name, count, seed=0):
    """``count`` rounds of the named check's test cases, each a list of argument tuples."""
    rng = np.random.default_rng(seed)
    return [[draw(rng) for draw in checks.ALL[name].cases] for _ in range(count)]


def _cases(name, rounds):
    """The argument tuples of ``rounds`` rounds, one after the other."""
    return [case for cases in _rounds(name, rounds) for case in cases]


def test_grid_cases_tell_every_mistake_apart_and_fit_a_product():
    """No two catalogued mistakes pick the same pair; the data are small enough that a
    product of densities is an ordinary float (the exercise is not about underflow)."""
    check = checks.check_grid_mle_2d
    for args in _cases("check_grid_mle_2d", 8):
        pairs = [check.reference(*args), *(wrong(*args) for wrong in check.mistakes.values())]
        for a in range(len(pairs)):
            for b in range(a + 1, len(pairs)):
                assert not np.allclose(pairs[a], pairs[b], rtol=1e-7)
        assert np.exp(_grid_loglik(*args).max()) > np.finfo(float).tiny


def test_the_last_loglik_case_has_observations_0_and_2_far_in_the_tail():
    for cases in _rounds("check_log_likelihood_obs", 10):
        depth = [(y - X @ beta) ** 2 / (2 * sigma2) for y, X, beta, sigma2 in cases]
        assert depth[0].max() < 750 and depth[1].max() < 750
        assert np.flatnonzero(depth[-1] > 750).tolist() == [0, 2]
        y, X, beta, sigma2 = cases[-1]
        assert np.all(_pdf(y, X, beta, sigma2)[[0, 2]] == 0.0)  # log(pdf) is −inf there
        assert np.all(np.isfinite(lm.log_likelihood_obs(y, X, beta, sigma2)))


def test_the_ratio_underflows_on_all_but_the_first_case():
    """The first case is small, so an algebra slip is caught before any underflow."""
    for cases in _rounds("check_likelihood_ratio", 6):
        for number, (y, X, beta_a, beta_b, sigma2) in enumerate(cases):
            likelihood = np.prod(_pdf(y, X, beta_a, sigma2))
            assert (likelihood > 0) == (number == 0)
            assert 1e-4 < ratio_in_log_space(y, X, beta_a, beta_b, sigma2) < 1e4


def test_digit_cases_alternate_moderate_and_ill_conditioned():
    """Moderate designs keep digits for the normal equations; ill ones clip them at 0."""
    for cases in _rounds("check_predicted_digits", 3):
        predictions = [digits(*case) for case in cases]
        assert all(qr > ne > 0 for qr, ne in predictions[0::2])
        assert all(qr > 2 and ne == 0 for qr, ne in predictions[1::2])


def test_s2_cases_have_no_intercept_and_residuals_off_zero():
    """p ≥ 2 keeps n − p from n − 1; without a constant column np.var's centring shows."""
    for y, X in _cases("check_unbiased_sigma2", 15):
        assert X.shape[1] >= 2 and not np.any(np.all(X == X[:1], axis=0))
        r = _least_squares(y, X)[1]
        assert abs(r.mean()) > 1e-6 * np.sqrt(np.mean(r**2))


def test_divisor_cases_have_p_at_least_3():
    """For p = 1 the answer is n + 1 and for p = 2 it is n: the general rule must show."""
    assert all(p >= 3 and n > p for n, p in _cases("check_mse_optimal_divisor", 25))


@pytest.mark.parametrize("name, position, avoided", [
    ("check_sigma2_ci", 2, [0.95]),
    ("check_profile_lr_interval", 3, [0.95, 0.9]),  # (1 + 0.9)/2 = 0.95
    ("check_chi2_test_sizes", 3, [0.05]),
])
def test_levels_are_never_the_usual_one(name, position, avoided):
    """So a hard-coded 95 % (or α = 5 %) is caught as such."""
    levels = {case[position] for case in _cases(name, 30)}
    assert levels and not levels & set(avoided)


def test_t_profile_cases_vary_with_nu():
    for y, X, df_values in _cases("check_t_profile_df", 3):
        assert 3 <= df_values.size <= 5 and np.all(np.diff(df_values) > 0)
        assert np.ptp(t_profile(y, X, df_values)) > 1e-3  # a constant answer is caught


def test_sandwich_cases_have_leverages_that_differ():
    """HC0, HC2 and HC3 then differ clearly, so a mix-up cannot pass by accident."""
    for y, X, kind in _cases("check_sandwich_cov", 10):
        h = np.sum(np.linalg.qr(X)[0] ** 2, axis=1)
        assert h.max() < 0.95 and h.max() - h.min() > 0.05


# --- the references are what the chapters say -------------------------------------------


def test_the_observed_information_at_the_mle_is_the_fisher_information():
    X, y = lm.simulate(30, [1.0, 2.0, -0.5], 1.3, rng=2)
    fit = lm.fit_mle(y, X)
    J = checks.check_observed_information.reference(y, X, fit.beta, fit.sigma2)
    np.testing.assert_allclose(J, lm.fisher_information(X, fit.sigma2), rtol=1e-10, atol=1e-10)


def test_the_divisor_minimises_the_exact_mse():
    """E[(RSS/c − σ²)²] = σ⁴[2k + (k − c)²]/c², k = n − p, on a fine grid of c."""
    for n, p in [(10, 3), (50, 7), (200, 3)]:
        k = n - p
        c = np.linspace(0.5 * k, 2 * k, 200_001)
        mse = (2 * k + (k - c) ** 2) / c**2
        assert abs(c[np.argmin(mse)] - checks.check_mse_optimal_divisor.reference(n, p)) < 1e-3


def test_the_best_step_contracts_fastest():
    """The reference step attains (κ − 1)/(κ + 1), and nearby steps do worse."""
    X, sigma2 = _cases("check_best_step", 1)[0]
    lam = _eigenvalues(X, sigma2)

    def contraction(a):
        return np.max(np.abs(1 - a * lam))

    a_star, kappa = checks.check_best_step.reference(X, sigma2), lam[-1] / lam[0]
    assert np.isclose(contraction(a_star), (kappa - 1) / (kappa + 1), rtol=1e-12)
    assert contraction(0.99 * a_star) > contraction(a_star) < contraction(1.01 * a_star)
