r"""Self-checks for the unit on computing :math:`\hat\beta` accurately.

- :func:`check_predicted_digits`: the rules of thumb for the correct digits of QR and of
  the normal equations,

  .. math::
      -\log_{10}\epsilon_{\text{mach}} - \log_{10}\kappa_s, \qquad
      \max\big(0, -\log_{10}\epsilon_{\text{mach}} - 2\log_{10}\kappa_s\big),

  with :math:`\epsilon_{\text{mach}} = 2^{-53}` the unit roundoff of float64 and
  :math:`\kappa_s` the 2-norm condition number of ``X`` after dividing every column by
  its Euclidean length.

The check draws fresh random designs, names the mistakes a learner is likely to make,
and never prints the reference answer.
"""
from __future__ import annotations

import numpy as np

from ._core import Check

__all__ = ["check_predicted_digits"]

_EPS_MACH = np.finfo(float).eps / 2  # unit roundoff of float64, 2⁻⁵³


def _unit_columns(X):
    return X / np.linalg.norm(X, axis=0)


def _rules(kappa, *, eps=_EPS_MACH, log=np.log10, factors=(1, 2), clip=True):
    total = -log(eps)
    qr, ne = (total - f * log(kappa) for f in factors)
    return np.array([qr, max(0.0, ne) if clip else ne])


def _predicted_digits(X):
    """The reference: both rules of thumb, from the column-scaled condition number."""
    return _rules(np.linalg.cond(_unit_columns(X)))


def _design(rng, ill=False):
    """``(X,)``: a random polynomial design with columns rescaled by powers of ten.

    Moderately conditioned (κ_s from about 1e1 to 1e6, the normal equations keep a
    few digits) or, with ``ill``, so ill conditioned (κ_s from about 1e9 to 1e12)
    that the prediction for the normal equations is clipped at 0. The check tries
    both kinds.
    """
    n = int(rng.integers(20, 61))
    if ill:
        degree, start, width = 9, rng.uniform(1.0, 1.5), rng.uniform(0.7, 1.2)
    else:
        degree, start, width = int(rng.integers(2, 5)), rng.uniform(0.5, 2.0), rng.uniform(0.5, 1.5)
    x = np.linspace(start, start + width, n)
    X = np.vander(x, degree + 1, increasing=True)
    return (X * 10.0 ** rng.integers(-6, 7, size=degree + 1),)


def _ill_design(rng):
    return _design(rng, ill=True)


_MISTAKES = {
    "you used the condition number of X as given: divide every column by its length first "
    "(column sizes alone say nothing about accuracy)":
        lambda X: _rules(np.linalg.cond(X)),
    "the normal equations lose about twice as many digits as QR: forming XᵀX squares the "
    "condition number":
        lambda X: _rules(np.linalg.cond(_unit_columns(X)), factors=(1, 1)),
    "QR works on X itself and loses about log10 κ digits, not 2·log10 κ":
        lambda X: _rules(np.linalg.cond(_unit_columns(X)), factors=(2, 2)),
    "digits are decimal: use log10, not the natural logarithm":
        lambda X: _rules(np.linalg.cond(_unit_columns(X)), log=np.log),
    "ε_mach is the unit roundoff 2⁻⁵³; np.finfo(float).eps is twice that (2⁻⁵²)":
        lambda X: _rules(np.linalg.cond(_unit_columns(X)), eps=np.finfo(float).eps),
    "a method cannot keep fewer than 0 correct digits: clip the prediction for the normal "
    "equations at 0":
        lambda X: _rules(np.linalg.cond(_unit_columns(X)), clip=False),
    "you scaled the rows of X: scale its columns, one per coefficient":
        lambda X: _rules(np.linalg.cond(X / np.linalg.norm(X, axis=1, keepdims=True))),
    "you divided each column by its largest entry: divide it by its Euclidean length":
        lambda X: _rules(np.linalg.cond(X / np.abs(X).max(axis=0))),
    "the two predictions are in the wrong order: first QR, then the normal equations":
        lambda X: _predicted_digits(X)[::-1],
}


check_predicted_digits = Check(
    name="predicted_digits", reference=_predicted_digits,
    cases=(_design, _ill_design) * 2, mistakes=_MISTAKES, rtol=1e-6,
    doc="""Check ``fn(X)`` → [digits predicted for QR, for the normal equations].""")
