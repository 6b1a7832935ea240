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
