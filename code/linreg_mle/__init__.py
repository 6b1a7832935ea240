r"""Maximum likelihood for Gaussian linear regression: the shared code of the course module.

The model is :math:`y = X\beta + \varepsilon` with :math:`\varepsilon \sim \mathcal N(0, \sigma^2 I_n)`.
Every function validates its input and raises ``ValueError`` naming the argument at fault.

Submodules imported on demand (they are not loaded by ``import linreg_mle``):

- ``linreg_mle.plotting``: figure helpers that draw on a matplotlib ``ax`` you pass in;
- ``linreg_mle.checks``: self-checks for the exercises.
"""
from .fit import MLEResult, fit_mle, fit_numerical
from .likelihood import (
    fisher_information,
    hessian,
    hessian_theta,
    log_likelihood,
    log_likelihood_grid,
    log_likelihood_obs,
    negative_log_likelihood,
    rss,
    score,
    score_theta,
)
from .simulation import (
    FixedDesignDraws,
    simulate,
    simulate_estimates,
    simulate_beta_hat,
    simulate_sigma2_estimates,
    simulate_sigma2_fixed_design,
)

__all__ = [
    "FixedDesignDraws",
    "MLEResult",
    "fisher_information",
    "fit_mle",
    "fit_numerical",
    "hessian",
    "hessian_theta",
    "log_likelihood",
    "log_likelihood_grid",
    "log_likelihood_obs",
    "negative_log_likelihood",
    "rss",
    "score",
    "score_theta",
    "simulate",
    "simulate_beta_hat",
    "simulate_estimates",
    "simulate_sigma2_estimates",
    "simulate_sigma2_fixed_design",
]
__version__ = "0.1.0"
