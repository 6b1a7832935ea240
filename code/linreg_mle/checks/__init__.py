"""Self-checks for the exercises: call one on your function, read what is wrong.

Every check prints a verdict (``✅ Correct: ...`` or ``❌ ...: what is wrong``),
returns True or False, and never prints the reference answer::

    >>> from linreg_mle.checks import check_log_likelihood_obs
    >>> check_log_likelihood_obs(my_loglik_obs)
    ✅ Correct: log_likelihood_obs matches the reference on 3 random test cases.
    True

Pass ``rng=seed`` for the same test cases on every call. Each check is a
:class:`Check`, a description (reference, test cases, typical mistakes,
tolerance, rules) that the module of its unit declares; :data:`ALL` lists them
by name.
"""
from . import ch01, ch02, ch03, ch04, ch05, computing, inference, noise, numerical, robust
from ._core import Check, compare, standard_factors

_MODULES = (ch01, ch02, ch03, ch04, ch05, computing, inference, noise, numerical, robust)
ALL: dict[str, Check] = {name: getattr(module, name)
                         for module in _MODULES for name in module.__all__}
globals().update(ALL)

__all__ = ["ALL", "Check", "compare", "standard_factors", *ALL]
