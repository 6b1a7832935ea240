r"""Likelihood-based inference: Wald, likelihood-ratio and score tests, and intervals.

The model is :math:`y = X\beta + \varepsilon`, :math:`\varepsilon \sim \mathcal N(0, \sigma^2 I_n)`,
with ``X`` of shape ``(n, p)``, full column rank and n > p. Its maximised log-likelihood is
:math:`\hat\ell = -\tfrac n2(\log 2\pi + \log\hat\sigma^2 + 1)` with :math:`\hat\sigma^2 = \mathrm{RSS}/n`,
and :math:`s^2 = \mathrm{RSS}/(n-p)`. A confidence level is ``level`` :math:`= 1 - \alpha`.

**Nested hypotheses** (:func:`compare_nested`). H0 says that :math:`\mathrm E\,y` lies in the span of
``X0`` (``p0 < p`` columns), a subspace of the span of ``X``; ``X0`` may be any basis of it. With
:math:`P, P_0` the projections onto the two spans, :math:`\mathrm{RSS}_0 - \mathrm{RSS} =
\lVert (P - P_0) y\rVert^2`, ``df`` :math:`= p - p_0` and :math:`D = (\mathrm{RSS}_0 - \mathrm{RSS})/\mathrm{RSS}`:

.. math::
    W = nD, \qquad \mathrm{LR} = 2(\hat\ell - \hat\ell_0) = n\log(1 + D), \qquad
    \mathrm{LM} = \frac{nD}{1 + D} = \frac{n(\mathrm{RSS}_0 - \mathrm{RSS})}{\mathrm{RSS}_0}, \qquad
    F = \frac{(\mathrm{RSS}_0 - \mathrm{RSS})/\mathrm{df}}{\mathrm{RSS}/(n - p)} = \frac{n - p}{\mathrm{df}}\,D.

The Wald statistic uses the full fit's :math:`\hat\sigma^2 = \mathrm{RSS}/n`, the score (Lagrange
multiplier) statistic the restricted fit's :math:`\tilde\sigma^2 = \mathrm{RSS}_0/n`. Each is an
increasing function of F, and :math:`x \ge \log(1 + x) \ge x/(1 + x)` gives W ≥ LR ≥ LM. Their
p-values are from :math:`\chi^2_{\mathrm{df}}` (asymptotic); F's is from
:math:`F_{\mathrm{df},\,n-p}`, exact under normal errors.

**Intervals for** :math:`\beta_j` (:func:`beta_interval`), with
:math:`\mathrm{se}(\hat\beta_j) = s\sqrt{[(X^\top X)^{-1}]_{jj}}` and :math:`T(b) = (\hat\beta_j - b)/\mathrm{se}(\hat\beta_j)`:

- ``"t"``: :math:`\hat\beta_j \pm t_{n-p,(1+\text{level})/2}\, \mathrm{se}(\hat\beta_j)` (statsmodels' ``conf_int``);
- ``"wald"``: :math:`\hat\beta_j \pm z_{(1+\text{level})/2}\, \hat\sigma\sqrt{[(X^\top X)^{-1}]_{jj}}`;
- ``"lr"``: :math:`\{b : 2(\hat\ell - \ell_p(b)) \le \chi^2_{1,\text{level}}\}`, where
  :math:`\ell_p(b)` maximises ℓ over the other coefficients and σ². Since
  :math:`\min_{\beta_j = b}\mathrm{RSS}(\beta) = \mathrm{RSS} + (b - \hat\beta_j)^2/[(X^\top X)^{-1}]_{jj}`,
  :math:`2(\hat\ell - \ell_p(b)) = n\log(1 + T(b)^2/(n - p))`, and the interval is
  :math:`\hat\beta_j \pm \mathrm{se}(\hat\beta_j)\sqrt{(n - p)(e^{\chi^2_{1,\text{level}}/n} - 1)}`.

**Intervals for** :math:`\sigma^2` (:func:`sigma2_interval`):

- ``"chi2"``: :math:`[\mathrm{RSS}/\chi^2_{n-p,(1+\text{level})/2},\ \mathrm{RSS}/\chi^2_{n-p,(1-\text{level})/2}]`, exact;
- ``"wald"``: :math:`\hat\sigma^2 \pm z_{(1+\text{level})/2}\,\hat\sigma^2\sqrt{2/n}` (its lower end is
  negative when :math:`n < 2z^2`; it is returned as it is);
- ``"lr"``: :math:`\{v : 2(\hat\ell - \ell_p(v)) \le \chi^2_{1,\text{level}}\}` with
  :math:`\ell_p(v) = \max_\beta \ell(\beta, v)`. With :math:`x = \hat\sigma^2/v`,
  :math:`2(\hat\ell - \ell_p(v)) = n(x - 1 - \log x)`; its two roots are
  :math:`x_\pm = -\mathcal W_k(-e^{-1-\chi^2_{1,\text{level}}/n})` on the branches k = −1 and 0 of
  Lambert's function :math:`\mathcal W`, and the interval is :math:`[\hat\sigma^2/x_+,\ \hat\sigma^2/x_-]`.

**Many responses, one design.** :func:`beta_interval`, :func:`sigma2_interval` and
:func:`compare_nested` also take ``y`` as a ``(reps, n)`` stack of responses that share ``X``, as in a fixed-design Monte Carlo: one QR of ``X`` serves every row, and
each result is then an array with one entry per row. Least squares is always solved through a QR
factorisation of ``X``, never through :math:`(X^\top X)^{-1}`, which would square the condition number.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg
from scipy import special, stats

from . import _validation as v
from .fit import fit_mle
from .likelihood import _loglik_from_rss
from .simulation import _fixed_design_qr

__all__ = [
    "NestedTestResult",
    "beta_interval",
    "compare_nested",
    "profile_loglik_beta",
    "profile_loglik_sigma2",
    "sigma2_interval",
]

_BETA_METHODS = ("t", "wald", "lr")
_SIGMA2_METHODS = ("chi2", "wald", "lr")


# --- least squares for one response or a stack of them ------------------------------------


@dataclass(frozen=True)
class _Fits:
    """Least-squares fits of ``reps`` responses on one design (internal)."""

    y: np.ndarray  # (reps, n): the responses, one per row
    beta: np.ndarray  # (reps, p)
    rss: np.ndarray  # (reps,)
    residuals: np.ndarray  # (reps, n)
    c_diag: np.ndarray  # (p,): the diagonal of (XᵀX)⁻¹
    n: int
    p: int
    stacked: bool  # was y given as a (reps, n) stack?
    Q: np.ndarray | None = None  # (n, p): orthonormal basis of span(X), when the fit made one

    def out(self, value):
        """A float for a single response, the array for a stack."""
        return value if self.stacked else float(value[0])


def _fit(y, X, *, need_q: bool = False) -> _Fits:
    """Validate ``(y, X)`` and fit every response by least squares through the QR of ``X``.

    ``need_q`` keeps the thin ``Q`` of ``X`` for the caller, even for one response.
    """
    Y, X, stacked = v.as_responses(y, X)
    if not stacked and not need_q:
        # One response: fit_mle is the package's reference fit, with every refusal it makes.
        fit = fit_mle(Y[0], X)
        c_diag = np.diag(fit.cov_beta) / fit.sigma2
        return _Fits(Y, fit.beta[None, :], np.array([fit.rss]), fit.residuals[None, :], c_diag,
                     fit.n, fit.p, False)
    if not stacked:
        v.ensure_finite(Y[0], y=Y[0])  # named as fit_mle names it
    Q, R = _fixed_design_qr(X)  # validates X (n > p, finite, full rank) and factorises it once
    n, p = X.shape
    with np.errstate(invalid="ignore", over="ignore"):  # a non-finite y is reported below
        rotated = Y @ Q  # row k: (Qᵀ y_k)ᵀ
        residuals = Y - rotated @ Q.T  # row k: ((I − P) y_k)ᵀ, never RSS = ‖y‖² − ‖Qᵀy‖² (cancellation)
        rss = np.einsum("kn,kn->k", residuals, residuals)
    v.ensure_finite(rss, y=Y)
    for k in np.flatnonzero(np.sqrt(rss) <= n * np.finfo(float).eps * np.linalg.norm(Y, axis=1))[:1]:
        v.check_not_exact_fit(float(np.sqrt(rss[k])), Y[k])  # raises, naming the problem
    beta = scipy.linalg.solve_triangular(R, rotated.T, check_finite=False).T
    R_inv = scipy.linalg.solve_triangular(R, np.eye(p), check_finite=False)
    return _Fits(Y, beta, rss, residuals, np.einsum("ij,ij->i", R_inv, R_inv), n, p, stacked, Q)


# --- intervals ------------------------------------------------------------------------------


def beta_interval(y, X, j, level=0.95, method="t"):
    r"""A confidence interval for the coefficient :math:`\beta_j`.

    Parameters
    ----------
    y : (n,) array, or (reps, n) array of responses sharing ``X``
    X : (n, p) array
        Full column rank, n > p.
    j : int
        The coefficient, 0 <= j < p (column ``j`` of ``X``).
    level : float
        The confidence level 1 − α, strictly between 0 and 1.
    method : {"t", "wald", "lr"}
        ``"t"``: :math:`\hat\beta_j \pm t_{n-p,(1+\text{level})/2}\,\mathrm{se}`, with
        :math:`\mathrm{se} = s\sqrt{[(X^\top X)^{-1}]_{jj}}`, :math:`s^2 = \mathrm{RSS}/(n-p)`; exact under normal errors,
        equal to statsmodels' ``conf_int(alpha=1 - level)``.
        ``"wald"``: :math:`\hat\beta_j \pm z_{(1+\text{level})/2}\,\hat\sigma\sqrt{[(X^\top X)^{-1}]_{jj}}`, with the
        MLE :math:`\hat\sigma^2 = \mathrm{RSS}/n`.
        ``"lr"``: the profile-likelihood interval :math:`\{b : 2(\hat\ell - \ell_p(b)) \le
        \chi^2_{1,\text{level}}\}`, in closed form
        :math:`\hat\beta_j \pm \mathrm{se}\,\sqrt{(n-p)(e^{\chi^2_{1,\text{level}}/n} - 1)}`.

    Returns
    -------
    (lower, upper) : floats, or (reps,) arrays for a stack of responses

    Raises
    ------
    ValueError
        For a ``level`` outside (0, 1) or NaN, a ``j`` out of range, an unknown ``method``,
        and everything :func:`linreg_mle.fit_mle` refuses.
    """
    level = v.as_level(level)
    method = v.as_choice(method, "method", _BETA_METHODS)
    fits = _fit(y, X)
    j = v.as_column_index(j, fits.p)
    n, p = fits.n, fits.p
    se = np.sqrt(fits.rss / (n - p) * fits.c_diag[j])  # se(β̂_j) = s √[(XᵀX)⁻¹]_jj, one per response
    if method == "t":
        multiplier = stats.t.ppf((1 + level) / 2, n - p)
    elif method == "wald":
        # z σ̂ √[(XᵀX)⁻¹]_jj = z √((n − p)/n) · se(β̂_j)
        multiplier = stats.norm.ppf((1 + level) / 2) * np.sqrt((n - p) / n)
    else:
        # n log(1 + T²/(n − p)) <= χ²  ⟺  T² <= (n − p)(e^{χ²/n} − 1); expm1 keeps the digits for large n.
        multiplier = np.sqrt((n - p) * np.expm1(stats.chi2.ppf(level, 1) / n))
    centre = fits.beta[:, j]
    return fits.out(centre - multiplier * se), fits.out(centre + multiplier * se)


def _lr_sigma2_roots(n: int, level: float) -> tuple[float, float]:
    r"""The roots :math:`x_- < 1 < x_+` of :math:`n(x - 1 - \log x) = \chi^2_{1,\text{level}}`.

    Lambert's function gives them in closed form: :math:`x e^{-x} = e^{-1-c}` with
    :math:`c = \chi^2/n`, so :math:`x = -\mathcal W_k(-e^{-1-c})`, k = 0 and −1. Near the branch
    point (c small, large n) that argument rounds to :math:`-1/e` and the formula loses its digits,
    so there the series :math:`w = s + s^2/3 + s^3/36`, :math:`s = \pm\sqrt{2c}`, starts instead.
    Newton steps on :math:`g(w) = w - \log(1 + w) - c`, :math:`w = x - 1`, then give full
    accuracy at every n.
    """
    c = stats.chi2.ppf(level, 1) / n
    roots = []
    for branch, sign in ((0, -1), (-1, 1)):
        if c > 1e-3:
            w = -special.lambertw(-np.exp(-1 - c), branch).real - 1
        else:
            s = sign * np.sqrt(2 * c)
            w = s + s**2 / 3 + s**3 / 36
        for _ in range(3):
            w -= (w - np.log1p(w) - c) * (1 + w) / w
        roots.append(1 + w)
    return roots[0], roots[1]


def sigma2_interval(y, X, level=0.95, method="chi2"):
    r"""A confidence interval for the noise variance :math:`\sigma^2`.

    Parameters
    ----------
    y, X, level
        As for :func:`beta_interval`.
    method : {"chi2", "wald", "lr"}
        ``"chi2"``: :math:`[\mathrm{RSS}/\chi^2_{n-p,(1+\text{level})/2},\
        \mathrm{RSS}/\chi^2_{n-p,(1-\text{level})/2}]`, exact under normal errors, since
        :math:`\mathrm{RSS}/\sigma^2 \sim \chi^2_{n-p}`.
        ``"wald"``: :math:`\hat\sigma^2 \pm z_{(1+\text{level})/2}\,\hat\sigma^2\sqrt{2/n}`, from the
        Fisher information :math:`n/(2\sigma^4)` at :math:`\hat\sigma^2`. The lower end is negative
        when :math:`n < 2z^2`; it is not truncated.
        ``"lr"``: the profile-likelihood interval :math:`\{v : 2(\hat\ell - \ell_p(v)) \le
        \chi^2_{1,\text{level}}\}`, :math:`\ell_p(v) = \max_\beta \ell(\beta, v)`; its ends solve
        :math:`n(x - 1 - \log x) = \chi^2_{1,\text{level}}` with :math:`x = \hat\sigma^2/v`.

    Returns and raises as :func:`beta_interval` does (there is no ``j`` to check).
    """
    level = v.as_level(level)
    method = v.as_choice(method, "method", _SIGMA2_METHODS)
    fits = _fit(y, X)
    n, p = fits.n, fits.p
    sigma2_hat = fits.rss / n
    if method == "chi2":
        k = n - p
        lower = fits.rss / stats.chi2.ppf((1 + level) / 2, k)
        upper = fits.rss / stats.chi2.isf((1 + level) / 2, k)  # the (1 − level)/2 quantile, accurately
    elif method == "wald":
        half = stats.norm.ppf((1 + level) / 2) * np.sqrt(2 / n)
        lower, upper = sigma2_hat * (1 - half), sigma2_hat * (1 + half)
    else:
        u_low, u_high = _lr_sigma2_roots(n, level)
        lower, upper = sigma2_hat / u_high, sigma2_hat / u_low
    return fits.out(lower), fits.out(upper)


# --- profile log-likelihoods -----------------------------------------------------------------


def profile_loglik_beta(y, X, j, b):
    r"""The profile log-likelihood :math:`\ell_p(\beta_j)` at the values ``b``, by its definition.

    :math:`\ell_p(b) = \max\{\ell(\beta, \sigma^2) : \beta_j = b,\ \sigma^2 > 0\}`. For each b the
    other coefficients are refitted by least squares of :math:`y - b\,x_j` on the other columns
    (one QR serves every b), giving :math:`\mathrm{RSS}_j(b)`; then σ² is maximised out,
    :math:`\ell_p(b) = -\tfrac n2(\log 2\pi + \log(\mathrm{RSS}_j(b)/n) + 1)`. It is computed
    this way, not from the closed form :math:`\hat\ell - \tfrac n2\log(1 + T(b)^2/(n-p))`, so
    that the two can be compared.

    Parameters
    ----------
    y : (n,) array
    X : (n, p) array
    j : int
        The coefficient, 0 <= j < p.
    b : float or array
        Values of :math:`\beta_j`.

    Returns
    -------
    float or array of the shape of ``b``
    """
    fits = _fit(v.as_float_array(y, "y", 1), X)  # validates y and X as fit_mle does
    X = v.as_design(X)
    j = v.as_column_index(j, fits.p)
    b_arr = v.as_finite_values(b, "b")
    n = fits.n
    Yb = fits.y - b_arr.reshape(-1, 1) * X[:, j][None, :]  # one response per value of b
    others = np.delete(X, j, axis=1)
    if others.shape[1] == 0:
        rss_j = np.einsum("kn,kn->k", Yb, Yb)
    else:
        Q, _ = np.linalg.qr(others)
        residuals = Yb - (Yb @ Q) @ Q.T
        rss_j = np.einsum("kn,kn->k", residuals, residuals)
    ll = _loglik_from_rss(n, rss_j, np.log(rss_j / n))
    return float(ll[0]) if b_arr.ndim == 0 else ll.reshape(b_arr.shape)


def profile_loglik_sigma2(y, X, sigma2):
    r"""The profile log-likelihood :math:`\ell_p(\sigma^2) = \max_\beta \ell(\beta, \sigma^2) = \ell(\hat\beta, \sigma^2)`.

    The maximising β is :math:`\hat\beta` whatever σ² is, so
    :math:`\ell_p(\sigma^2) = -\tfrac n2\log(2\pi\sigma^2) - \mathrm{RSS}/(2\sigma^2)`.

    Parameters
    ----------
    y : (n,) array
    X : (n, p) array
    sigma2 : float or array
        Values of σ², each finite and > 0.

    Returns
    -------
    float or array of the shape of ``sigma2``
    """
    fits = _fit(v.as_float_array(y, "y", 1), X)
    s2 = v.as_finite_values(sigma2, "sigma2")
    if not np.all(s2 > 0):
        raise ValueError("sigma2 must hold numbers > 0 (variances), got one <= 0")
    ll = _loglik_from_rss(fits.n, fits.rss[0], np.log(s2))
    return float(ll) if s2.ndim == 0 else ll


# --- nested tests -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class NestedTestResult:
    r"""Wald, likelihood-ratio, score and F tests of a nested linear hypothesis.

    H0: :math:`\mathrm E\,y` lies in the span of ``X0``; the alternative model has ``X``. For a
    stack of responses every statistic, p-value and RSS is an array with one entry per response.

    Attributes
    ----------
    wald : float or array
        :math:`W = n(\mathrm{RSS}_0 - \mathrm{RSS})/\mathrm{RSS}`: the squared distance of
        :math:`\hat\beta` from H0 in the metric of :math:`X^\top X/\hat\sigma^2`.
    lr : float or array
        :math:`\mathrm{LR} = n\log(\mathrm{RSS}_0/\mathrm{RSS}) = 2(\hat\ell - \hat\ell_0)`,
        statsmodels' ``compare_lr_test``.
    score : float or array
        :math:`\mathrm{LM} = n(\mathrm{RSS}_0 - \mathrm{RSS})/\mathrm{RSS}_0`: the score
        (Lagrange multiplier) statistic at the restricted fit, with its
        :math:`\tilde\sigma^2 = \mathrm{RSS}_0/n`; statsmodels' ``compare_lm_test``.
    f : float or array
        :math:`F = \dfrac{(\mathrm{RSS}_0 - \mathrm{RSS})/\mathrm{df}}{\mathrm{RSS}/\mathrm{df\_resid}}`,
        statsmodels' ``compare_f_test``.
    wald_pvalue, lr_pvalue, score_pvalue : float or array
        Upper tail probabilities of ``wald``, ``lr`` and ``score`` under :math:`\chi^2_{\mathrm{df}}`,
        their law as n → ∞ (not exact at any finite n).
    f_pvalue : float or array
        Upper tail probability of ``f`` under :math:`F_{\mathrm{df},\,\mathrm{df\_resid}}`, exact
        under normal errors.
    df : int
        :math:`p - p_0`, the number of restrictions.
    df_resid : int
        :math:`n - p`, the residual degrees of freedom of the full model.
    rss, rss0 : float or array
        The residual sums of squares of the full and the restricted fits.
    n : int
        The number of observations.
    """

    wald: float | np.ndarray
    lr: float | np.ndarray
    score: float | np.ndarray
    f: float | np.ndarray
    wald_pvalue: float | np.ndarray
    lr_pvalue: float | np.ndarray
    score_pvalue: float | np.ndarray
    f_pvalue: float | np.ndarray
    df: int
    df_resid: int
    rss: float | np.ndarray
    rss0: float | np.ndarray
    n: int


def compare_nested(y, X, X0) -> NestedTestResult:
    r"""Test H0: :math:`\mathrm E\,y \in \operatorname{span}(X_0)` against the model with ``X``.

    Parameters
    ----------
    y : (n,) array, or (reps, n) array of responses sharing ``X`` and ``X0``
    X : (n, p) array
        The full model's design: full column rank, n > p.
    X0 : (n, p0) array
        The restricted model's design: full column rank, p0 < p, and every column in the span of
        ``X`` (any basis of a subspace of it, not only a subset of the columns of ``X``). A column
        counts as in the span when its distance from the span is at most
        :math:`\sqrt{\epsilon_{\text{mach}}} \approx 1.5 \times 10^{-8}` of its length.

    Returns
    -------
    NestedTestResult

    Raises
    ------
    ValueError
        For ``X0`` with the wrong number of rows, at least as many columns as ``X``, rank
        deficient, or not nested in ``X``; and everything :func:`linreg_mle.fit_mle` refuses.
    """
    # One QR of X serves the fit, the nesting check and RSS0 − RSS.
    fits = _fit(y, X, need_q=True)
    X, Q = v.as_design(X), fits.Q
    n, p = X.shape
    X0 = v.as_design(X0, "X0")
    if X0.shape[0] != n:
        raise ValueError(
            f"X0 has {X0.shape[0]} rows but X has {n}: the restricted design needs one row per observation too"
        )
    p0 = X0.shape[1]
    if p0 >= p:
        raise ValueError(
            f"X0 must have fewer columns than X to be a restriction of it: p0 = {p0} columns, p = {p}"
        )
    Q0, R0 = scipy.linalg.qr(X0, mode="economic", check_finite=False)
    v.ensure_finite(R0, X0=X0)
    v.check_full_rank(R0, n, name="X0")
    v.check_nested(X0, Q)
    # The restricted fits, for every response at once: r0 = (I − P0) y.
    Y = fits.y
    residuals0 = Y - (Y @ Q0) @ Q0.T
    rss0 = np.einsum("kn,kn->k", residuals0, residuals0)
    # RSS0 − RSS = ‖P r0‖² = ‖Qᵀ r0‖² (as P P0 = P0), computed directly rather than as a
    # difference of two nearly equal sums of squares, which would cancel when H0 fits well.
    drop = np.einsum("kp,kp->k", residuals0 @ Q, residuals0 @ Q)
    D = drop / fits.rss
    df, df_resid = p - p0, n - p
    wald, lr, score = n * D, n * np.log1p(D), n * D / (1 + D)
    f = D * df_resid / df
    return NestedTestResult(
        wald=fits.out(wald),
        lr=fits.out(lr),
        score=fits.out(score),
        f=fits.out(f),
        wald_pvalue=fits.out(stats.chi2.sf(wald, df)),
        lr_pvalue=fits.out(stats.chi2.sf(lr, df)),
        score_pvalue=fits.out(stats.chi2.sf(score, df)),
        f_pvalue=fits.out(stats.f.sf(f, df, df_resid)),
        df=df,
        df_resid=df_resid,
        rss=fits.out(fits.rss),
        rss0=fits.out(rss0),
        n=n,
    )
