"""Input validation shared by every public function.

Every check raises ``ValueError`` with a message that names the argument and
says what was expected. The checks are cheap by design: shapes and scalars are
checked up front, but finiteness of large arrays is checked *after* the
computation, on its (small) result. A NaN or inf in ``y``, ``X`` or ``beta``
always reaches the residuals ``r = y - X @ beta`` (``inf * 0`` is NaN, and
``inf - inf`` is NaN), so a finite ``r @ r`` proves the inputs were finite.
Only when that cheap test fails do we pay for the per-argument scan that names
the culprit (:func:`ensure_finite`).
"""
from __future__ import annotations

import numbers

import numpy as np


def as_float_array(a, name: str, ndim: int) -> np.ndarray:
    """``a`` as a float array with ``ndim`` dimensions (no copy if it already is one)."""
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric, got {type(a).__name__}: {err}") from None
    if arr.ndim != ndim:
        what = {1: "1-D (a vector)", 2: "2-D (an n × p matrix)"}[ndim]
        raise ValueError(f"{name} must be {what}, got shape {arr.shape}")
    return arr


def as_design(X, name: str = "X") -> np.ndarray:
    """The design matrix: 2-D, at least one row and one column."""
    X = as_float_array(X, name, 2)
    if 0 in X.shape:
        raise ValueError(f"{name} must have at least one row and one column, got shape {X.shape}")
    return X


def as_data(y, X) -> tuple[np.ndarray, np.ndarray]:
    """``(y, X)`` with ``y`` 1-D, ``X`` 2-D, and one row of ``X`` per entry of ``y``."""
    y = as_float_array(y, "y", 1)
    X = as_design(X)
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X has {X.shape[0]} rows but y has {y.shape[0]} entries: need one row of X per observation"
        )
    return y, X


def as_coefficients(beta, p: int, name: str = "beta") -> np.ndarray:
    """A coefficient vector of length ``p`` (one entry per column of ``X``)."""
    beta = as_float_array(beta, name, 1)
    if beta.shape[0] != p:
        raise ValueError(f"{name} must have length p = {p} (one per column of X), got length {beta.shape[0]}")
    return beta


def as_positive(value, name: str, *, allow_zero: bool = False) -> float:
    """A finite scalar ``> 0`` (or ``>= 0`` with ``allow_zero``)."""
    try:
        value = float(np.asarray(value, dtype=float).item())
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a single number, got {value!r}") from None
    low_ok = value >= 0 if allow_zero else value > 0
    if not (low_ok and np.isfinite(value)):  # NaN fails both comparisons
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return value


def as_count(value, name: str, minimum: int) -> int:
    """An integer ``>= minimum`` (numpy integers accepted, floats and bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return int(value)


def as_rng(rng) -> np.random.Generator:
    """``np.random.default_rng(rng)``: ``None``, an int seed, or a ``Generator``."""
    try:
        return np.random.default_rng(rng)
    except (TypeError, ValueError) as err:
        raise ValueError(f"rng must be None, an int seed or a numpy Generator, got {rng!r}: {err}") from None


def ensure_finite(result, **inputs: np.ndarray):
    """Return ``result`` if it is all finite; otherwise name the input that is not.

    ``result`` is something cheap to test (a scalar or a small array) that is
    non-finite whenever any of ``inputs`` is. The scan of the inputs runs only
    on failure. If every input is finite, the computation overflowed.
    """
    if np.isfinite(result).all():
        return result
    for name, arr in inputs.items():
        bad = ~np.isfinite(arr)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            index = where[0] if len(where) == 1 else where
            raise ValueError(f"{name} contains NaN or inf (first at index {index}, value {arr[where]})")
    raise ValueError(
        "the result overflowed float64 although every input is finite: rescale y and X "
        f"(inputs: {', '.join(inputs)})"
    )


def check_fittable(n: int, p: int) -> None:
    """A fit needs more observations than coefficients, or σ̂² = RSS/n is 0."""
    if n <= p:
        raise ValueError(
            f"X must have more rows than columns to fit: n = {n} observations, p = {p} coefficients (need n > p)"
        )


def matrix_rank_from_r(R: np.ndarray, n: int) -> int:
    """Numerical rank of ``X`` from its QR factor ``R``, blind to column scaling.

    Rescaling a column of ``X`` rescales the same column of ``R`` and changes
    neither the column space nor the accuracy of Householder QR, so the rank is
    judged on ``R D⁻¹``, where ``D`` holds the column norms (``‖X e_j‖ = ‖R e_j‖``,
    as ``Q`` has orthonormal columns). Its singular values are those of the
    equilibrated ``X D⁻¹``; the tolerance is ``numpy.linalg.matrix_rank``'s,
    ``max(n, p) · eps · σ_max``. A design whose columns are 1e4, 1 and 1e-13 in
    size is then full rank, as it is, while an exact collinearity stays rank
    deficient at every scale. An all-zero column has rank 0 on its own.
    """
    norms = np.linalg.norm(R, axis=0)
    nonzero = norms > 0
    if not nonzero.any():
        return 0
    singular_values = np.linalg.svd(R[:, nonzero] / norms[nonzero], compute_uv=False)
    tol = max(n, R.shape[1]) * np.finfo(float).eps * singular_values[0]
    return int((singular_values > tol).sum())


def check_full_rank(R: np.ndarray, n: int, name: str = "X") -> None:
    p = R.shape[1]
    rank = matrix_rank_from_r(R, n)
    if rank < p:
        raise ValueError(
            f"{name} is rank deficient: rank {rank} < {p} columns, so β is not identified "
            "(a column is a linear combination of others, e.g. a duplicate or an all-zero column)"
        )


def check_not_exact_fit(rho: float, y: np.ndarray) -> None:
    """Refuse a fit whose minimal RSS = ρ² is zero to working precision.

    ρ/‖y‖ is the sine of the angle between y and the column space of X. Below
    the rank tolerance, ``n · eps``, y lies in that space up to rounding: then
    σ̂² = RSS/n = 0, ℓ is unbounded above, and no MLE exists.
    """
    n = y.shape[0]
    if rho <= n * np.finfo(float).eps * np.linalg.norm(y):
        raise ValueError(
            "y is fitted exactly by X (RSS = 0 to working precision): σ̂² = RSS/n = 0, "
            "ℓ is unbounded, and no MLE exists"
        )


def as_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """One of the strings ``choices``, matched without regard to case; returned as spelled there."""
    if isinstance(value, str):
        for choice in choices:
            if value.casefold() == choice.casefold():
                return choice
    raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def check_leverage_below_one(leverage: np.ndarray, what: str) -> None:
    """Refuse a correction that divides by 1 − h_i when some leverage h_i is 1.

    h_i = 1 means observation i alone pins down a direction of β (e.g. a dummy
    column that is 1 for that row only): its residual is 0 whatever y_i is, and
    r_i²/(1 − h_i) is 0/0. The tolerance allows for the rounding of h_i = ‖Q_i‖².
    """
    n = leverage.shape[0]
    at_one = np.flatnonzero(1 - leverage <= 16 * n * np.finfo(float).eps)
    if at_one.size:
        raise ValueError(
            f"{what} divides by 1 − h_i, but observation {int(at_one[0])} has leverage h_i = 1 "
            f"({at_one.size} such observation{'s' if at_one.size > 1 else ''}): it alone determines a "
            "direction of β (e.g. a dummy column for that one row), so its residual is 0 whatever "
            "y_i is; use HC0 or HC1, or drop that observation and its column"
        )


NOISE_LAWS = ("gaussian", "laplace", "logistic", "t")


def as_noise(noise, df) -> tuple[str, float | None]:
    """A noise law by name, with its degrees of freedom: ``df`` > 0 for ``"t"``, None otherwise."""
    if not isinstance(noise, str) or noise not in NOISE_LAWS:
        raise ValueError(f"noise must be one of {', '.join(map(repr, NOISE_LAWS))}, got {noise!r}")
    if noise == "t":
        if df is None:
            raise ValueError("noise='t' needs df, the degrees of freedom ν > 0 of the Student-t law")
        return noise, as_positive(df, "df")
    if df is not None:
        raise ValueError(f"df is used only with noise='t', got df={df!r} with noise={noise!r}")
    return noise, None


def as_level(level, name: str = "level") -> float:
    """A confidence level 1 − α: a number strictly between 0 and 1 (NaN refused)."""
    try:
        value = float(np.asarray(level, dtype=float).item())
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a single number strictly between 0 and 1, got {level!r}") from None
    if isinstance(level, bool) or not 0 < value < 1:  # NaN fails the comparison
        raise ValueError(
            f"{name} must be strictly between 0 and 1 (a confidence level 1 − α, e.g. 0.95), got {level!r}"
        )
    return value


def as_column_index(j, p: int, name: str = "j") -> int:
    """The index of a column of X: an integer with 0 <= j < p (numpy integers accepted)."""
    if isinstance(j, bool) or not isinstance(j, numbers.Integral):
        raise ValueError(f"{name} must be an integer index of a column of X, got {j!r}")
    if not 0 <= j < p:
        raise ValueError(f"{name} is out of range: X has p = {p} columns, so {name} must be in 0..{p - 1}, got {j}")
    return int(j)


def as_finite_values(a, name: str) -> np.ndarray:
    """A number or an array of numbers, all finite."""
    try:
        arr = np.asarray(a, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric, got {type(a).__name__}: {err}") from None
    ensure_finite(arr, **{name: arr})
    return arr


def as_responses(y, X) -> tuple[np.ndarray, np.ndarray, bool]:
    """``(Y, X, stacked)``: one response ``y`` of length n, or a ``(reps, n)`` stack of responses
    that share the design ``X``, returned as a 2-D ``Y`` with one response per row."""
    X = as_design(X)
    try:
        Y = np.asarray(y, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"y must be numeric, got {type(y).__name__}: {err}") from None
    if Y.ndim == 1:
        as_data(Y, X)  # the message for a length mismatch
        return Y[None, :], X, False
    if Y.ndim != 2 or 0 in Y.shape:
        raise ValueError(
            f"y must be 1-D (one response) or 2-D (one response per row, sharing X), got shape {Y.shape}"
        )
    if Y.shape[1] != X.shape[0]:
        raise ValueError(
            f"X has {X.shape[0]} rows but each row of y has {Y.shape[1]} entries: need one row of X per observation"
        )
    return Y, X, True


def check_nested(X0: np.ndarray, Q: np.ndarray, name: str = "X0", other: str = "X") -> None:
    """Refuse ``X0`` unless each of its columns lies in the span of ``Q`` (orthonormal columns
    spanning ``other``), judged by the residual of its projection relative to its length.

    Any basis of a subspace passes, not only a subset of the columns of ``other``. The tolerance
    √eps ≈ 1.5e-8 allows for rounding in a basis computed from ``other`` (e.g. ``X @ A``), while a
    column outside the span, however slightly, leaves a residual far above it. ``X0`` must already
    be known to have no zero column (full rank).
    """
    residual = X0 - Q @ (Q.T @ X0)
    relative = np.linalg.norm(residual, axis=0) / np.linalg.norm(X0, axis=0)
    worst = int(np.argmax(relative))
    tol = np.sqrt(np.finfo(float).eps)
    if not relative[worst] <= tol:
        raise ValueError(
            f"{name} is not nested in {other}: column {worst} of {name} lies outside the column space of "
            f"{other} (its distance from that space is {relative[worst]:.2g} of its length, more than "
            f"{tol:.1g}); the restricted model must be a special case of the full one"
        )
