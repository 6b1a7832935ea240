"""The one QR factorisation the package is built on."""
from __future__ import annotations

import numpy as np

from ._validation import ensure_finite

# Rows per block of the tall-skinny QR below: a 512 × (p + 1) block stays in the CPU
# cache, and LAPACK runs it on one thread. One Householder QR of all n rows at once
# instead streams the whole matrix from memory twice per column, through
# multithreaded BLAS calls that stall whenever the machine is busy: 2-3× slower at
# n = 200,000, p = 10 on the course machine, and 5-10× when it is loaded.
_BLOCK_ROWS = 512


def qr_with_response(y: np.ndarray, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    r"""Triangular factor of ``X`` and the rotated response, from one QR of ``[X | y]``.

    Householder QR of the augmented matrix :math:`[X \mid y] = Q \begin{pmatrix} R & z \\ 0 & \rho \end{pmatrix}`
    gives everything least squares needs without ever forming :math:`Q` or :math:`X^\top X`:

    .. math::
        \lVert y - X b \rVert^2 = \lVert z - R b \rVert^2 + \rho^2,
        \qquad \hat\beta = R^{-1} z, \qquad \min_b \mathrm{RSS}(b) = \rho^2,
        \qquad X^\top X = R^\top R.

    It is computed as a tall-skinny QR (TSQR): each block of rows is factorised on its
    own, in one batched call, and the stacked triangles are factorised once more.
    Since :math:`A_i = Q_i R_i`, :math:`A = \mathrm{diag}(Q_i)\,[R_1; \dots; R_k]`, so the
    final triangle is an R of :math:`A` itself, with Householder's backward stability.
    Zero rows pad the last block; they do not change R.

    Returns ``(R, z, rho)`` with ``R`` of shape ``(p, p)``; rows of ``R`` beyond n are
    zero and ``rho`` is 0 when ``n <= p``.
    Raises ``ValueError`` naming ``y`` or ``X`` if either holds a NaN or inf.
    """
    n, p = X.shape
    block = max(_BLOCK_ROWS, p + 1)
    n_blocks = -(-n // block)
    A = np.empty((n_blocks * block, p + 1))
    A[:n, :p] = X
    A[:n, p] = y
    A[n:] = 0
    with np.errstate(invalid="ignore", over="ignore"):  # a non-finite input is reported below
        R_blocks = np.linalg.qr(A.reshape(n_blocks, block, p + 1), mode="r")
        R_aug = np.linalg.qr(R_blocks.reshape(-1, p + 1), mode="r")
    # A NaN or inf anywhere in X or y propagates into the small triangle.
    ensure_finite(R_aug, y=y, X=X)
    return R_aug[:p, :p], R_aug[:p, p], float(abs(R_aug[p, p]))
