"""Self-checks for the exercises: call one on your answer, read what is wrong.

Every check prints a verdict (``✅ Correct: ...`` or ``❌ ...: what is wrong``),
returns True or False, and never prints the reference answer.

For chapter authors: :func:`check` is the shared machinery; add a chapter's checks
to ``chNN.py``, list them in its ``__all__``, and they appear here unchanged.
"""
from . import ch01, ch02, ch03, ch04, ch05
from ._core import check, standard_factors
from .ch01 import *  # noqa: F403
from .ch02 import *  # noqa: F403
from .ch03 import *  # noqa: F403
from .ch04 import *  # noqa: F403
from .ch05 import *  # noqa: F403
from . import inference
from .inference import *  # noqa: F403
from . import computing, numerical
from .computing import *  # noqa: F403
from .numerical import *  # noqa: F403
from . import robust
from .robust import *  # noqa: F403
from . import noise
from .noise import *  # noqa: F403

__all__ = [
    "check",
    "standard_factors",
    *ch01.__all__,
    *ch02.__all__,
    *ch03.__all__,
    *ch04.__all__,
    *ch05.__all__,
    *inference.__all__,
    *computing.__all__,
    *numerical.__all__,
    *robust.__all__,
    *noise.__all__,
]
