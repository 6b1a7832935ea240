"""The log-likelihood explorer of chapter 2: one drawing function, a widget built on it,
and the rule that keeps widgets out of the HTML book."""

import matplotlib

matplotlib.use("Agg")

import re  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import linreg_mle as lm  # noqa: E402
from linreg_mle import plotting  # noqa: E402


@pytest.fixture
def data():
    X, y = lm.simulate(40, [1.0, 2.0], 1.5, rng=0)
    return y, X, lm.fit_mle(y, X)


@pytest.fixture
def axes():
    fig = Figure()
    FigureCanvasAgg(fig)
    return fig.subplots(1, 2)


def test_view_draws_the_fit_residuals_and_the_current_loglik(data, axes):
    y, X, fit = data
    beta, sigma2 = fit.beta + [0.5, -0.4], 2.0
    returned = plotting.plot_loglik_view(axes, y, X, beta, sigma2, mle=fit)
    assert tuple(returned) == tuple(axes)
    ax_fit, ax_ll = axes
    # one residual segment per observation, from yᵢ to the line at (β₀, β₁)
    segments = ax_fit.collections[0].get_segments()
    assert len(segments) == y.size
    lengths = sorted(abs(s[1, 1] - s[0, 1]) for s in segments)
    assert np.allclose(lengths, sorted(np.abs(y - X @ beta)))
    # the current point sits at ℓ(β, σ²), and the dashed line at the maximum ℓ̂
    point = [line for line in ax_ll.get_lines() if line.get_marker() == "o"][0]
    assert np.isclose(point.get_xdata()[0], sigma2)
    assert np.isclose(point.get_ydata()[0], lm.log_likelihood(y, X, beta, sigma2))
    assert any(np.allclose(line.get_ydata(), fit.loglik) for line in ax_ll.get_lines())
    assert ax_ll.get_xscale() == "log"
    assert ax_fit.get_xlabel() and ax_ll.get_ylabel()


def test_view_curve_peaks_at_rss_over_n(data, axes):
    y, X, fit = data
    beta = fit.beta + [0.3, 0.2]
    plotting.plot_loglik_view(axes, y, X, beta, 1.0, mle=fit)
    curve = axes[1].get_lines()[0]
    s2, ll = curve.get_xdata(), curve.get_ydata()
    peak = s2[np.argmax(ll)]
    assert abs(np.log(peak) - np.log(lm.rss(y, X, beta) / y.size)) <= np.diff(np.log(s2))[0]


def test_view_at_the_mle_touches_the_maximum(data, axes):
    y, X, fit = data
    plotting.plot_loglik_view(axes, y, X, fit.beta, fit.sigma2)  # mle computed inside
    point = [line for line in axes[1].get_lines() if line.get_marker() == "o"][0]
    assert np.isclose(point.get_ydata()[0], fit.loglik)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"X": np.ones((40, 3))}, "exactly 2 columns"),
        ({"beta": [1.0]}, "length p = 2"),
        ({"sigma2": 0.0}, "sigma2"),
    ],
)
def test_view_rejects_bad_input(data, axes, kwargs, message):
    y, X, fit = data
    args = {"y": y, "X": X, "beta": fit.beta, "sigma2": 1.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        plotting.plot_loglik_view(axes, args["y"], args["X"], args["beta"], args["sigma2"])


@pytest.mark.parametrize(
    "environ, live",
    [
        ({}, False),                                               # nbclient, nbval, the book build
        ({"JPY_SESSION_NAME": "/home/jovyan/chapters/02_log_likelihood.md"}, True),  # jupyter_server
        ({"JPY_SESSION_NAME": ""}, False),
        ({"LINREG_MLE_WIDGETS": "1"}, True),
        ({"LINREG_MLE_WIDGETS": "on"}, True),
        ({"JPY_SESSION_NAME": "nb.ipynb", "LINREG_MLE_WIDGETS": "0"}, False),
        ({"JPY_SESSION_NAME": "nb.ipynb", "LINREG_MLE_WIDGETS": "false"}, False),
        ({"LINREG_MLE_WIDGETS": "maybe"}, False),                  # unknown value: no override
    ],
)
def test_live_frontend(environ, live):
    assert plotting.live_frontend(environ) is live


def test_live_frontend_reads_the_process_environment(monkeypatch):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.setenv("LINREG_MLE_WIDGETS", "yes")
    assert plotting.live_frontend() is True
    monkeypatch.setenv("LINREG_MLE_WIDGETS", "no")
    assert plotting.live_frontend() is False


def test_explorer_builds_and_redraws_headless(data):
    pytest.importorskip("ipywidgets")
    y, X, fit = data
    box = plotting.loglik_explorer(y, X)
    b0, b1, s2 = box.sliders
    assert [b0.value, b1.value] == pytest.approx(fit.beta) and s2.value == pytest.approx(fit.sigma2)
    assert b0.min < fit.beta[0] < b0.max and s2.min < np.log10(fit.sigma2) < s2.max
    first = box.image.value
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    b1.value = b1.value + 0.3          # the callback redraws the image
    second = box.image.value
    assert second != first and second[:8] == b"\x89PNG\r\n\x1a\n"
    s2.value = s2.value * 2
    assert box.image.value != second
    assert box.children[1] is box.image


def test_explorer_starts_where_asked(data):
    pytest.importorskip("ipywidgets")
    y, X, fit = data
    box = plotting.loglik_explorer(y, X, beta=fit.beta + [1.0, -1.0], sigma2=3 * fit.sigma2)
    b0, b1, s2 = box.sliders
    assert b0.value == pytest.approx(fit.beta[0] + 1.0) and b1.value == pytest.approx(fit.beta[1] - 1.0)
    assert s2.value == pytest.approx(3 * fit.sigma2, rel=1e-6)


WIDGET_TRACES = re.compile(
    r"application/vnd\.jupyter\.widget-(view|state)\+json|require(\.min)?\.js|@jupyter-widgets|"
    r"embed-amd|unpkg\.com|cdn\.jsdelivr\.net/npm/@jupyter",
    re.IGNORECASE,
)


@pytest.mark.build
def test_html_chapter_has_the_static_view_and_no_widget(book):
    """The explorer degrades to a figure: no widget view, no widget state, no widget scripts."""
    page = (book.html / "chapters" / "02_log_likelihood.html").read_text()
    assert not WIDGET_TRACES.search(page), WIDGET_TRACES.search(page)
    assert 'id="ch2-fig-explorer"' in page
