"""The designs that the fitting tests try, from tiny to tall, with badly scaled columns."""
import numpy as np

# name: (n, p, a factor for each column or None)
SHAPES = {
    "small": (12, 3, None),
    "medium": (60, 4, None),
    "wide": (25, 12, None),
    "scaled": (100, 3, (1e3, 1e-3, 50.0)),
    "big": (2000, 6, None),
}


def designs(draw):
    """``{name: draw(n, p, rng)}`` for every shape, each with its own seed, and the
    columns of the design (the last item ``draw`` returns) scaled as the shape says."""
    problems = {}
    for seed, (name, (n, p, scales)) in enumerate(SHAPES.items()):
        *rest, X = draw(n, p, np.random.default_rng(seed))
        problems[name] = (*rest, X if scales is None else X * np.asarray(scales))
    return problems
