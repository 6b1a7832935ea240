r"""Figure helpers for the chapters.

Each helper draws on the matplotlib ``ax`` it is given and returns it. None
touches global state (no ``pyplot`` calls, no ``rcParams``), so a chapter keeps full
control of its figure. matplotlib itself is never imported at module level: the helpers
only call methods of the ``ax`` they receive. (``loglik_explorer``, which builds an
ipywidgets explorer, imports ipywidgets and ``matplotlib.figure.Figure`` when called, to
draw off-screen.)

Colours come from the Okabe–Ito palette, which stays distinguishable under the
common forms of colour blindness; colour maps default to ``viridis`` for the same reason.
"""
from __future__ import annotations

import numpy as np

from . import _validation as v

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

_BETA_LABELS = (r"$\beta_0$", r"$\beta_1$")


def _grid(b0, b1, ll):
    b0 = v.as_float_array(b0, "b0", 1)
    b1 = v.as_float_array(b1, "b1", 1)
    ll = v.as_float_array(ll, "ll", 2)
    if ll.shape != (b1.size, b0.size):
        raise ValueError(
            f"ll must have shape (len(b1), len(b0)) = {(b1.size, b0.size)} (as from log_likelihood_grid), "
            f"got {ll.shape}"
        )
    return b0, b1, ll


def plot_loglik_contours(ax, b0, b1, ll, *, mle=None, levels=12, cmap="viridis", labels=_BETA_LABELS):
    r"""Contours of ℓ(β₀, β₁) over a grid, optionally marking the maximum.

    Parameters
    ----------
    ax : matplotlib Axes
    b0, b1 : 1-D arrays
        Grid values of β₀ (x axis) and β₁ (y axis).
    ll : (len(b1), len(b0)) array
        ℓ on the grid, as returned by :func:`linreg_mle.log_likelihood_grid`.
    mle : (β̂₀, β̂₁), optional
        Marked with a cross.
    levels : int or sequence
        Passed to ``ax.contour``.
    """
    b0, b1, ll = _grid(b0, b1, ll)
    ax.contour(b0, b1, ll, levels=levels, cmap=cmap)
    if mle is not None:
        ax.plot(*mle, marker="x", markersize=10, mew=2, ls="none", color=OKABE_ITO["vermillion"],
                label=r"MLE $(\hat\beta_0, \hat\beta_1)$")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    return ax


def plot_loglik_surface(ax3d, b0, b1, ll, *, cmap="viridis", labels=_BETA_LABELS):
    r"""ℓ(β₀, β₁) as a 3-D surface; ``ax3d`` must be a 3-D axes (``projection="3d"``)."""
    if not hasattr(ax3d, "plot_surface"):
        raise ValueError('ax3d must be a 3-D axes, e.g. fig.add_subplot(projection="3d")')
    b0, b1, ll = _grid(b0, b1, ll)
    B0, B1 = np.meshgrid(b0, b1)
    ax3d.plot_surface(B0, B1, ll, cmap=cmap, linewidth=0, antialiased=True)
    ax3d.set_xlabel(labels[0])
    ax3d.set_ylabel(labels[1])
    ax3d.set_zlabel(r"$\ell(\beta_0, \beta_1)$")
    return ax3d


def plot_confidence_ellipse(ax, center, cov, *, level=0.95, color=OKABE_ITO["blue"], label=None, **kwargs):
    r"""The ellipse :math:`\{b : (b - c)^\top \Sigma^{-1} (b - c) \le \chi^2_{2}(\text{level})\}`.

    For a bivariate normal estimate with mean ``center`` and covariance ``cov`` it holds
    probability ``level``. The χ² quantile with 2 degrees of freedom has the closed form
    :math:`-2\log(1 - \text{level})`. With :math:`\Sigma = LL^\top` (Cholesky), the boundary
    is :math:`c + \sqrt{\chi^2}\,L(\cos t, \sin t)^\top`.

    Extra keyword arguments go to ``ax.plot``.
    """
    center = v.as_float_array(center, "center", 1)
    cov = v.as_float_array(cov, "cov", 2)
    if center.shape != (2,) or cov.shape != (2, 2):
        raise ValueError(f"center must have shape (2,) and cov (2, 2), got {center.shape} and {cov.shape}")
    if not 0 < level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    if not np.allclose(cov, cov.T) or not np.all(np.linalg.eigvalsh(cov) > 0):
        raise ValueError("cov must be a symmetric positive definite 2 × 2 matrix")
    radius = np.sqrt(-2 * np.log1p(-level))
    t = np.linspace(0, 2 * np.pi, 200)
    boundary = center[:, None] + radius * np.linalg.cholesky(cov) @ np.vstack([np.cos(t), np.sin(t)])
    ax.plot(*boundary, color=color, label=label, **kwargs)
    return ax


def plot_mc_histogram(ax, samples, *, truth=None, density_fn=None, bins=50, show_mean=True,
                      xlabel=None, truth_label="true value", density_label="theoretical density"):
    """Histogram (as a density) of Monte Carlo draws, with the truth, the mean and a density overlaid.

    Parameters
    ----------
    ax : matplotlib Axes
    samples : 1-D array
        Monte Carlo draws of an estimator.
    truth : float, optional
        Drawn as a dashed vertical line.
    density_fn : callable, optional
        Vectorised density, e.g. ``scipy.stats.chi2(df).pdf``; drawn over the histogram's range.
    show_mean : bool
        Draw the sample mean as a dotted line (the Monte Carlo estimate of E[estimator]).
    """
    samples = v.as_float_array(samples, "samples", 1)
    v.ensure_finite(samples, samples=samples)
    _, edges, _ = ax.hist(samples, bins=bins, density=True, color=OKABE_ITO["sky_blue"],
                          edgecolor="white", linewidth=0.5, label="Monte Carlo draws")
    if density_fn is not None:
        x = np.linspace(edges[0], edges[-1], 400)
        ax.plot(x, density_fn(x), color=OKABE_ITO["black"], label=density_label)
    if truth is not None:
        ax.axvline(truth, color=OKABE_ITO["vermillion"], ls="--", lw=2, label=truth_label)
    if show_mean:
        ax.axvline(samples.mean(), color=OKABE_ITO["blue"], ls=":", lw=2, label="Monte Carlo mean")
    ax.set_ylabel("density")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    return ax


# --- The log-likelihood explorer (chapter 2) ------------------------------------------
#
# One drawing function, ``plot_loglik_view``, serves both the static figure of the HTML
# book and the live ipywidgets explorer of Binder: the widget only re-calls it with the
# slider values. ``live_frontend`` decides whether a widget may be built at all (see its
# docstring for why that matters for the HTML book).

def plot_loglik_view(axes, y, X, beta, sigma2, *, mle=None):
    r"""The fit at (β₀, β₁, σ²) and its log-likelihood beside the maximum.

    Left axes: the data, the line :math:`\beta_0 + \beta_1 x` and the residuals as
    vertical segments. Right axes: :math:`\sigma^2 \mapsto \ell(\beta, \sigma^2)` at the
    current β (log σ² axis), the current point on it, and the overall maximum
    :math:`\ell(\hat\beta, \hat\sigma^2)` as a dashed line. The left axes' limits depend on
    the data only (not on β or σ²), so successive views of an explorer line up.

    Parameters
    ----------
    axes : pair of matplotlib Axes
        ``(ax_fit, ax_ll)``.
    y : (n,) array
    X : (n, 2) array
        Columns for β₀ and β₁: ones and the regressor x.
    beta : (2,) array
        (β₀, β₁).
    sigma2 : float
        σ² > 0.
    mle : MLEResult, optional
        ``linreg_mle.fit_mle(y, X)``; computed if not given.

    Returns
    -------
    (ax_fit, ax_ll)
    """
    from .fit import fit_mle
    from .likelihood import log_likelihood

    ax_fit, ax_ll = axes
    y, X = v.as_data(y, X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns (ones and x, for β₀ and β₁), got {X.shape[1]}")
    beta = v.as_coefficients(beta, 2)
    sigma2 = v.as_positive(sigma2, "sigma2")
    mle = fit_mle(y, X) if mle is None else mle
    n, x = y.size, X[:, 1]
    ll = log_likelihood(y, X, beta, sigma2)
    rss_beta = float(np.sum((y - X @ beta) ** 2))

    # Left: data, line, residuals. Limits from the data alone.
    x_lo, x_hi = x.min(), x.max()
    x_pad, y_pad = 0.05 * (x_hi - x_lo or 1.0), 0.25 * (np.ptp(y) or 1.0)
    xs = np.array([x_lo - x_pad, x_hi + x_pad])
    fitted = X @ beta
    ax_fit.vlines(x, np.minimum(y, fitted), np.maximum(y, fitted), color=OKABE_ITO["sky_blue"], lw=1.2,
                  label="residuals $y_i - x_i^\\top\\beta$")
    ax_fit.plot(x, y, "o", color=OKABE_ITO["black"], ms=4, label="data")
    ax_fit.plot(xs, mle.beta[0] + mle.beta[1] * xs, ls="--", lw=1, color=OKABE_ITO["bluish_green"],
                label="MLE line")
    ax_fit.plot(xs, beta[0] + beta[1] * xs, lw=2, color=OKABE_ITO["vermillion"],
                label=f"$\\beta_0 + \\beta_1 x$ at ({beta[0]:.2f}, {beta[1]:.2f})")
    ax_fit.set_xlim(*xs)
    ax_fit.set_ylim(y.min() - y_pad, y.max() + y_pad)
    ax_fit.set_xlabel("$x$")
    ax_fit.set_ylabel("$y$")
    ax_fit.legend(loc="upper left", fontsize="small")

    # Right: ℓ(β, ·) over σ² at the current β, the current point, the maximum.
    s2_lo = min(mle.sigma2, sigma2) / 8
    s2_hi = 8 * max(mle.sigma2, rss_beta / n, sigma2)
    s2 = np.geomspace(s2_lo, s2_hi, 200)
    curve = -0.5 * (n * np.log(2 * np.pi * s2) + rss_beta / s2)
    ax_ll.plot(s2, curve, color=OKABE_ITO["blue"], lw=1.5, label=r"$\ell(\beta, \sigma^2)$ at this $\beta$")
    ax_ll.axhline(mle.loglik, color=OKABE_ITO["bluish_green"], ls="--", lw=1,
                  label=f"maximum $\\hat\\ell$ = {mle.loglik:.1f}")
    ax_ll.plot([sigma2], [ll], "o", color=OKABE_ITO["vermillion"], ms=7, label=f"current $\\ell$ = {ll:.1f}")
    ax_ll.set_xscale("log")
    ax_ll.set_xlim(s2_lo, s2_hi)
    span = max(mle.loglik - ll, 0.1 * n)
    ax_ll.set_ylim(mle.loglik - 1.3 * span, mle.loglik + 0.7 * span)
    ax_ll.set_xlabel(r"$\sigma^2$ (log scale)")
    ax_ll.set_ylabel(r"$\ell(\beta, \sigma^2)$")
    ax_ll.legend(loc="upper right", fontsize="small")
    ax_ll.set_title(f"gap to the maximum: $\\hat\\ell - \\ell$ = {mle.loglik - ll:.2f}", fontsize="medium")
    return ax_fit, ax_ll


def live_frontend(environ=None) -> bool:
    """Whether this kernel was started by a Jupyter server for a notebook a person has open.

    Used to decide whether building an ipywidgets explorer makes sense. It matters for
    the HTML book: when the book build (nbclient) executes a cell that *creates* a
    widget, even in a cell hidden with ``remove-cell``, nbclient records the widget's
    state in the notebook metadata, and myst-nb then embeds that state plus require.js
    and the @jupyter-widgets HTML manager from a CDN in the page, where the widget
    would be dead. So a chapter creates widgets only when this returns True.

    Rule: the environment variable ``LINREG_MLE_WIDGETS`` decides if it is set
    (``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off``); otherwise the answer is
    whether ``JPY_SESSION_NAME`` is set. jupyter_server (JupyterLab, Notebook 7, Binder)
    puts the notebook's path in that variable for every kernel it starts for a notebook;
    nbclient, nbconvert, nbval and the book build do not.

    Parameters
    ----------
    environ : mapping, optional
        The environment to inspect; ``os.environ`` by default.
    """
    import os

    env = os.environ if environ is None else environ
    override = str(env.get("LINREG_MLE_WIDGETS", "")).strip().lower()
    if override in {"1", "true", "yes", "on"}:
        return True
    if override in {"0", "false", "no", "off"}:
        return False
    return bool(env.get("JPY_SESSION_NAME"))


def loglik_explorer(y, X, *, beta=None, sigma2=None, figsize=(10, 3.8), dpi=80):
    r"""A live explorer: sliders for β₀, β₁ and σ² that redraw :func:`plot_loglik_view`.

    Each slider change redraws the view on an off-screen matplotlib ``Figure`` (no
    ``pyplot``, no interactive backend needed) and shows it as a PNG in an
    ``ipywidgets.Image``, so it works in any Jupyter frontend that renders widgets.
    ipywidgets is imported only when this is called.

    Parameters
    ----------
    y : (n,) array
    X : (n, 2) array
        Ones and the regressor x.
    beta : (2,) array, optional
        Starting (β₀, β₁); the MLE by default.
    sigma2 : float, optional
        Starting σ²; the MLE σ̂² by default.

    Returns
    -------
    ipywidgets.VBox
        The sliders above the image. ``box.sliders`` is the tuple (β₀, β₁, σ²) of
        sliders, ``box.image`` the image widget and ``box.redraw()`` redraws by hand.
    """
    import io

    import ipywidgets as widgets
    from matplotlib.figure import Figure

    from .fit import fit_mle

    y, X = v.as_data(y, X)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns (ones and x, for β₀ and β₁), got {X.shape[1]}")
    mle = fit_mle(y, X)
    beta = mle.beta if beta is None else v.as_coefficients(beta, 2)
    sigma2 = mle.sigma2 if sigma2 is None else v.as_positive(sigma2, "sigma2")

    def beta_slider(j, name):
        half = max(8 * mle.se[j], abs(beta[j] - mle.beta[j]) * 1.2, 1e-3)
        lo, hi = mle.beta[j] - half, mle.beta[j] + half
        return widgets.FloatSlider(value=float(beta[j]), min=lo, max=hi, step=(hi - lo) / 400,
                                   description=name, readout_format=".3f", continuous_update=False)

    log_lo = np.log10(min(mle.sigma2, sigma2) / 10)
    log_hi = np.log10(max(mle.sigma2, sigma2) * 10)
    sliders = (
        beta_slider(0, "β₀"),
        beta_slider(1, "β₁"),
        widgets.FloatLogSlider(value=float(sigma2), base=10, min=log_lo, max=log_hi,
                               step=(log_hi - log_lo) / 400, description="σ²", readout_format=".3g",
                               continuous_update=False),
    )
    image = widgets.Image(format="png")
    fig = Figure(figsize=figsize, dpi=dpi)
    axes = fig.subplots(1, 2)
    # Fixed margins: a layout engine would re-measure every label on each redraw.
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.22)

    def redraw(change=None):
        for ax in axes:
            ax.clear()
        plot_loglik_view(axes, y, X, [sliders[0].value, sliders[1].value], sliders[2].value, mle=mle)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        image.value = buffer.getvalue()

    for slider in sliders:
        slider.observe(redraw, names="value")
    redraw()
    box = widgets.VBox([widgets.HBox(list(sliders)), image])
    box.sliders, box.image, box.redraw = sliders, image, redraw
    return box
