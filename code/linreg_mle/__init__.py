r"""Maximum likelihood for Gaussian linear regression: the shared code of the course module.

The model is :math:`y = X\beta + \varepsilon` with :math:`\varepsilon \sim \mathcal N(0, \sigma^2 I_n)`.
Every function validates its input and raises ``ValueError`` naming the argument at fault.

Submodules imported on demand (they are not loaded by ``import linreg_mle``):

- ``linreg_mle.plotting``: figure helpers that draw on a matplotlib ``ax`` you pass in;
- ``linreg_mle.checks``: self-checks for the exercises;
- ``linreg_mle.catalog`` and ``linreg_mle.assignments``: the chapters' exercises read
  from their sources, and built into otter-grader assignments (for instructors).
"""
from . import inference
from .fit import MLEResult, fit_mle, fit_numerical, unscaled_cov
from .inference import (
    NestedTestResult,
    beta_interval,
    compare_nested,
    profile_loglik_beta,
    profile_loglik_sigma2,
    sigma2_interval,
)
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
from .noise import (
    LaplaceResult,
    StudentTResult,
    fit_laplace,
    fit_laplace_many,
    fit_student_t,
    log_likelihood_noise,
)
from .robust import sandwich_cov
from .simulation import (
    FixedDesignDraws,
    simulate,
    simulate_estimates,
    simulate_beta_hat,
    simulate_sigma2_estimates,
    simulate_sigma2_fixed_design,
)

__all__ = [
    *inference.__all__,
    "FixedDesignDraws",
    "LaplaceResult",
    "MLEResult",
    "StudentTResult",
    "fisher_information",
    "fit_laplace",
    "fit_laplace_many",
    "fit_mle",
    "fit_numerical",
    "fit_student_t",
    "hessian",
    "hessian_theta",
    "log_likelihood",
    "log_likelihood_grid",
    "log_likelihood_noise",
    "log_likelihood_obs",
    "negative_log_likelihood",
    "rss",
    "sandwich_cov",
    "score",
    "score_theta",
    "simulate",
    "simulate_beta_hat",
    "simulate_estimates",
    "simulate_sigma2_estimates",
    "simulate_sigma2_fixed_design",
    "unscaled_cov",
]
__version__ = "0.1.0"
