"""Plotting helpers: they draw on the given ax, return it, and leave global state alone."""
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy import stats  # noqa: E402

import linreg_mle as lm  # noqa: E402
from linreg_mle import plotting  # noqa: E402


@pytest.fixture
def ax():
    fig = Figure()
    FigureCanvasAgg(fig)  # a canvas without pyplot, so nothing global is created
    return fig.add_subplot()


@pytest.fixture
def surface():
    X, y = lm.simulate(50, [2.0, 0.5], 1.0, rng=0)
    b0, b1 = np.linspace(0, 4, 30), np.linspace(-0.5, 1.5, 20)
    return b0, b1, lm.log_likelihood_grid(y, X, b0, b1, 1.0), lm.fit_mle(y, X)


def test_import_does_not_load_pyplot():
    """``import linreg_mle`` loads no matplotlib at all; the submodules never load pyplot."""
    code = (
        "import sys, linreg_mle; print('matplotlib' in sys.modules); "
        "import linreg_mle.plotting, linreg_mle.checks; print('matplotlib.pyplot' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_contours(ax, surface):
    b0, b1, ll, fit = surface
    rc = dict(matplotlib.rcParams)
    assert plotting.plot_loglik_contours(ax, b0, b1, ll, mle=fit.beta[:2]) is ax
    assert ax.collections  # the contour set
    assert len(ax.lines) == 1 and np.allclose(ax.lines[0].get_xydata(), [fit.beta])
    assert ax.get_xlabel() == r"$\beta_0$" and ax.get_ylabel() == r"$\beta_1$"
    assert dict(matplotlib.rcParams) == rc
    ax.figure.canvas.draw()


def test_contours_reject_a_transposed_grid(ax, surface):
    b0, b1, ll, _ = surface
    with pytest.raises(ValueError, match=r"ll must have shape \(len\(b1\), len\(b0\)\) = \(20, 30\)"):
        plotting.plot_loglik_contours(ax, b0, b1, ll.T)


def test_surface(surface):
    b0, b1, ll, _ = surface
    fig = Figure()
    FigureCanvasAgg(fig)
    ax3d = fig.add_subplot(projection="3d")
    assert plotting.plot_loglik_surface(ax3d, b0, b1, ll) is ax3d
    assert ax3d.collections and "ell" in ax3d.get_zlabel()
    fig.canvas.draw()


def test_surface_needs_a_3d_axes(ax, surface):
    with pytest.raises(ValueError, match="ax3d must be a 3-D axes"):
        plotting.plot_loglik_surface(ax, *surface[:3])


def test_confidence_ellipse_has_the_chi2_radius(ax):
    center, cov = np.array([1.0, -2.0]), np.array([[2.0, 0.6], [0.6, 0.5]])
    assert plotting.plot_confidence_ellipse(ax, center, cov, level=0.9) is ax
    points = ax.lines[0].get_xydata() - center
    mahalanobis2 = np.einsum("ij,jk,ik->i", points, np.linalg.inv(cov), points)
    np.testing.assert_allclose(mahalanobis2, stats.chi2(2).ppf(0.9), rtol=1e-12)


@pytest.mark.parametrize(
    "cov, level, message",
    [
        (np.eye(3), 0.95, r"cov \(2, 2\)"),
        ([[1.0, 2.0], [2.0, 1.0]], 0.95, "symmetric positive definite"),
        (np.eye(2), 1.0, r"level must be in \(0, 1\)"),
    ],
)
def test_confidence_ellipse_rejects_bad_input(ax, cov, level, message):
    with pytest.raises(ValueError, match=message):
        plotting.plot_confidence_ellipse(ax, [0.0, 0.0], cov, level=level)


def test_mc_histogram(ax):
    samples = np.random.default_rng(1).chisquare(5, 2000)
    result = plotting.plot_mc_histogram(ax, samples, truth=5.0, density_fn=stats.chi2(5).pdf, bins=40,
                                        xlabel=r"$\mathrm{RSS}/\sigma^2$")
    assert result is ax
    assert len(ax.patches) == 40
    heights = np.array([patch.get_height() for patch in ax.patches])
    widths = np.array([patch.get_width() for patch in ax.patches])
    assert heights @ widths == pytest.approx(1.0)  # drawn as a density
    assert len(ax.lines) == 3  # density, truth, mean
    assert ax.lines[2].get_xdata()[0] == pytest.approx(samples.mean())
    assert ax.get_xlabel() == r"$\mathrm{RSS}/\sigma^2$"


def test_mc_histogram_rejects_nan(ax):
    with pytest.raises(ValueError, match=r"samples contains NaN or inf \(first at index 1"):
        plotting.plot_mc_histogram(ax, [1.0, np.nan, 2.0])


def test_palette_is_okabe_ito():
    assert len(plotting.OKABE_ITO) == 8
    assert plotting.OKABE_ITO["vermillion"] == "#D55E00"
