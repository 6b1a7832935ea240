"""Bad input: every public function raises ValueError naming the argument and the problem."""
import numpy as np
import pytest

import linreg_mle as lm

N, P = 6, 3
RNG = np.random.default_rng(0)
X_OK = np.column_stack([np.ones(N), RNG.standard_normal((N, P - 1))])
Y_OK = X_OK @ np.array([1.0, 2.0, -1.0]) + RNG.standard_normal(N)
BETA_OK = np.array([0.5, 1.0, 0.0])  # the zero coefficient makes inf·0 = NaN reachable
SIGMA2_OK = 1.3


def _with(array, index, value):
    out = np.array(array, dtype=float)
    out[index] = value
    return out


# Functions of (y, X, beta, sigma2); rss takes no sigma2.
LIKELIHOOD_FUNCTIONS = {
    "rss": lambda y, X, beta, sigma2: lm.rss(y, X, beta),
    "log_likelihood": lm.log_likelihood,
    "log_likelihood_obs": lm.log_likelihood_obs,
    "negative_log_likelihood": lm.negative_log_likelihood,
    "score": lm.score,
    "score_theta": lm.score_theta,
    "hessian_theta": lm.hessian_theta,
}

# case name -> (changes to the valid arguments, pattern the message must match)
DATA_CASES = {
    "y_2d": ({"y": Y_OK[:, None]}, r"y must be 1-D .* got shape \(6, 1\)"),
    "y_scalar": ({"y": 3.0}, r"y must be 1-D .* got shape \(\)"),
    "y_text": ({"y": ["a"] * N}, r"y must be numeric"),
    "X_1d": ({"X": X_OK[:, 1]}, r"X must be 2-D .* got shape \(6,\)"),
    "X_3d": ({"X": X_OK[None]}, r"X must be 2-D .* got shape \(1, 6, 3\)"),
    "X_no_columns": ({"X": np.empty((N, 0)), "beta": np.empty(0)}, r"X must have at least one row and one column"),
    "row_mismatch": ({"y": Y_OK[:-1]}, r"X has 6 rows but y has 5 entries"),
    "beta_too_short": ({"beta": BETA_OK[:-1]}, r"beta must have length p = 3 .* got length 2"),
    "beta_2d": ({"beta": BETA_OK[:, None]}, r"beta must be 1-D"),
    "y_nan": ({"y": _with(Y_OK, 2, np.nan)}, r"y contains NaN or inf \(first at index 2"),
    "y_inf": ({"y": _with(Y_OK, 4, -np.inf)}, r"y contains NaN or inf \(first at index 4"),
    "X_nan": ({"X": _with(X_OK, (1, 1), np.nan)}, r"X contains NaN or inf \(first at index \(1, 1\)"),
    "X_inf": ({"X": _with(X_OK, (3, 0), np.inf)}, r"X contains NaN or inf \(first at index \(3, 0\)"),
    "X_inf_times_zero_coefficient": ({"X": _with(X_OK, (0, 2), np.inf)}, r"X contains NaN or inf"),
    "beta_nan": ({"beta": _with(BETA_OK, 1, np.nan)}, r"beta contains NaN or inf \(first at index 1"),
    "beta_inf": ({"beta": _with(BETA_OK, 0, np.inf)}, r"beta contains NaN or inf \(first at index 0"),
}
SIGMA2_CASES = {
    "sigma2_zero": (0.0, r"sigma2 must be a finite number > 0, got 0.0"),
    "sigma2_negative": (-1.0, r"sigma2 must be a finite number > 0, got -1.0"),
    "sigma2_nan": (np.nan, r"sigma2 must be a finite number > 0, got nan"),
    "sigma2_inf": (np.inf, r"sigma2 must be a finite number > 0, got inf"),
    "sigma2_vector": ([1.0, 2.0], r"sigma2 must be a single number"),
}


def _call(fn, changes):
    args = {"y": Y_OK, "X": X_OK, "beta": BETA_OK, "sigma2": SIGMA2_OK, **changes}
    return fn(args["y"], args["X"], args["beta"], args["sigma2"])


@pytest.mark.parametrize("case", DATA_CASES)
@pytest.mark.parametrize("name", LIKELIHOOD_FUNCTIONS)
def test_likelihood_functions_name_bad_data(name, case):
    changes, message = DATA_CASES[case]
    with pytest.raises(ValueError, match=message):
        _call(LIKELIHOOD_FUNCTIONS[name], changes)


@pytest.mark.parametrize("case", SIGMA2_CASES)
@pytest.mark.parametrize("name", [n for n in LIKELIHOOD_FUNCTIONS if n != "rss"])
def test_likelihood_functions_name_bad_sigma2(name, case):
    sigma2, message = SIGMA2_CASES[case]
    with pytest.raises(ValueError, match=message):
        _call(LIKELIHOOD_FUNCTIONS[name], {"sigma2": sigma2})


def test_valid_arguments_pass():
    """The baseline of every case above is valid, so each failure is due to its one change."""
    for fn in LIKELIHOOD_FUNCTIONS.values():
        assert np.all(np.isfinite(_call(fn, {})))


def test_overflow_with_finite_input_is_reported_as_overflow():
    with pytest.raises(ValueError, match="overflowed float64 although every input is finite"):
        lm.log_likelihood(Y_OK * 1e200, X_OK, BETA_OK, 1.0)


# --- functions of X and sigma2 --------------------------------------------------
@pytest.mark.parametrize("fn", [lm.hessian, lm.fisher_information], ids=["hessian", "fisher_information"])
@pytest.mark.parametrize(
    "X, sigma2, message",
    [
        (X_OK[:, 0], SIGMA2_OK, r"X must be 2-D"),
        (_with(X_OK, (2, 1), np.nan), SIGMA2_OK, r"X contains NaN or inf \(first at index \(2, 1\)"),
        (_with(X_OK, (5, 2), -np.inf), SIGMA2_OK, r"X contains NaN or inf \(first at index \(5, 2\)"),
        (X_OK, 0.0, r"sigma2 must be a finite number > 0"),
        (X_OK, np.nan, r"sigma2 must be a finite number > 0"),
    ],
    ids=["X_1d", "X_nan", "X_inf", "sigma2_zero", "sigma2_nan"],
)
def test_design_functions_name_bad_input(fn, X, sigma2, message):
    with pytest.raises(ValueError, match=message):
        fn(X, sigma2)


# --- fits ------------------------------------------------------------------------
FITS = {
    "fit_mle": lm.fit_mle,
    "fit_numerical": lm.fit_numerical,
    "fit_numerical_bfgs": lambda y, X: lm.fit_numerical(y, X, method="bfgs"),
}
X_DUPLICATE = np.column_stack([X_OK, X_OK[:, 1]])
X_ZERO_COLUMN = _with(X_OK, (slice(None), 2), 0.0)
FIT_CASES = {
    "n_equals_p": (Y_OK[:3], X_OK[:3], r"more rows than columns .* n = 3 observations, p = 3"),
    "n_below_p": (Y_OK[:2], X_OK[:2], r"n = 2 observations, p = 3"),
    "duplicate_column": (Y_OK, X_DUPLICATE, r"X is rank deficient: rank 3 < 4 columns"),
    "zero_column": (Y_OK, X_ZERO_COLUMN, r"X is rank deficient: rank 2 < 3 columns"),
    "y_nan": (_with(Y_OK, 0, np.nan), X_OK, r"y contains NaN or inf \(first at index 0"),
    "X_inf": (Y_OK, _with(X_OK, (4, 1), np.inf), r"X contains NaN or inf \(first at index \(4, 1\)"),
    "y_2d": (Y_OK[:, None], X_OK, r"y must be 1-D"),
    "X_1d": (Y_OK, X_OK[:, 1], r"X must be 2-D"),
    "row_mismatch": (Y_OK, X_OK[:-1], r"X has 5 rows but y has 6 entries"),
    "exact_fit": (X_OK @ BETA_OK, X_OK, r"y is fitted exactly"),
}


@pytest.mark.parametrize("case", FIT_CASES)
@pytest.mark.parametrize("name", FITS)
def test_fits_name_bad_input(name, case):
    y, X, message = FIT_CASES[case]
    with pytest.raises(ValueError, match=message):
        FITS[name](y, X)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"beta0": [1.0, 2.0]}, r"beta0 must have length p = 3 .* got length 2"),
        ({"beta0": [1.0, np.nan, 2.0]}, r"beta0 contains NaN or inf \(first at index 1"),
        ({"sigma2_0": 0.0}, r"sigma2_0 must be a finite number > 0"),
        ({"sigma2_0": -2.0}, r"sigma2_0 must be a finite number > 0"),
        ({"method": "gradient"}, r"method must be one of \['bfgs', 'newton'\], got 'gradient'"),
        ({"tol": 0.0}, r"tol must be a finite number > 0"),
        ({"max_iter": 0}, r"max_iter must be >= 1"),
        ({"max_iter": 2.5}, r"max_iter must be an integer"),
    ],
    ids=["beta0_length", "beta0_nan", "sigma2_0_zero", "sigma2_0_negative", "method", "tol", "max_iter_0", "max_iter_float"],
)
def test_fit_numerical_names_bad_options(options, message):
    with pytest.raises(ValueError, match=message):
        lm.fit_numerical(Y_OK, X_OK, **options)


# --- simulators and the grid ---------------------------------------------------------
@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: lm.simulate(0, [1.0], 1.0), r"n must be >= 1, got 0"),
        (lambda: lm.simulate(5.0, [1.0], 1.0), r"n must be an integer, got 5.0"),
        (lambda: lm.simulate(5, [], 1.0), r"beta must have at least one entry"),
        (lambda: lm.simulate(5, [[1.0]], 1.0), r"beta must be 1-D"),
        (lambda: lm.simulate(5, [1.0, np.nan], 1.0), r"beta contains NaN or inf \(first at index 1"),
        (lambda: lm.simulate(5, [1.0], -1.0), r"sigma must be a finite number >= 0, got -1.0"),
        (lambda: lm.simulate(5, [1.0], np.inf), r"sigma must be a finite number >= 0, got inf"),
        (lambda: lm.simulate(5, [1.0], 1.0, rng="seed"), r"rng must be None, an int seed or a numpy Generator"),
        (lambda: lm.simulate_sigma2_estimates(3, 3, 1.0, 10), r"n must be >= 4, got 3"),
        (lambda: lm.simulate_sigma2_estimates(10, 0, 1.0, 10), r"p must be >= 1, got 0"),
        (lambda: lm.simulate_sigma2_estimates(10, 2, -0.5, 10), r"sigma must be a finite number >= 0"),
        (lambda: lm.simulate_sigma2_estimates(10, 2, 1.0, 0), r"reps must be >= 1, got 0"),
        (lambda: lm.simulate_beta_hat(X_OK, BETA_OK[:2], 1.0, 10), r"beta must have length p = 3"),
        (lambda: lm.simulate_beta_hat(X_DUPLICATE, np.ones(4), 1.0, 10), r"X is rank deficient: rank 3 < 4"),
        (lambda: lm.simulate_beta_hat(X_OK[:3], BETA_OK, 1.0, 10), r"n = 3 observations, p = 3"),
        (lambda: lm.simulate_beta_hat(_with(X_OK, (0, 1), np.nan), BETA_OK, 1.0, 10), r"X contains NaN or inf"),
        (lambda: lm.simulate_beta_hat(X_OK, BETA_OK, 1.0, -1), r"reps must be >= 1"),
        (lambda: lm.log_likelihood_grid(Y_OK, X_OK, [0.0], [0.0], 1.0), r"X must have exactly 2 columns"),
        (lambda: lm.log_likelihood_grid(Y_OK, X_OK[:, :2], [[0.0]], [0.0], 1.0), r"b0_values must be 1-D"),
        (lambda: lm.log_likelihood_grid(Y_OK, X_OK[:, :2], [0.0], [np.inf], 1.0), r"b1_values contains NaN or inf"),
        (lambda: lm.log_likelihood_grid(_with(Y_OK, 1, np.nan), X_OK[:, :2], [0.0], [0.0], 1.0), r"y contains NaN"),
        (lambda: lm.log_likelihood_grid(Y_OK, X_OK[:, :2], [0.0], [0.0], -1.0), r"sigma2 must be a finite number > 0"),
    ],
    ids=[
        "simulate_n_0", "simulate_n_float", "simulate_beta_empty", "simulate_beta_2d", "simulate_beta_nan",
        "simulate_sigma_negative", "simulate_sigma_inf", "simulate_rng", "sigma2_mc_n_le_p", "sigma2_mc_p_0",
        "sigma2_mc_sigma", "sigma2_mc_reps", "beta_mc_beta_length", "beta_mc_rank", "beta_mc_n_le_p",
        "beta_mc_X_nan", "beta_mc_reps", "grid_columns", "grid_b0_2d", "grid_b1_inf", "grid_y_nan", "grid_sigma2",
    ],
)
def test_simulators_and_grid_name_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
