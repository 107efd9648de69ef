"""The metric engine: figures of shops over windows of time, on a slice.

A caller names the cells it wants, each a ``Window`` (one shop over ``[start, end)``) read
on one ``FactFilter`` (a dimension's value, every value of it, or a set of users), and the
bases of the metrics it wants (``bases_for``). ``read_bases`` runs each fact family's
grouped statement once over all the cells, reusing the readings a ``FigureCache`` keeps at
the request's data version (``CachedAt``). ``value_of`` is a metric's value in one cell,
``figure_set`` its values over a group of cells (the peer shops' windows).

The engine imports its own modules, the catalogue's enums (``resolvers.catalogue``: plain
data that imports nothing else; the rest of the catalogue, labels and definitions, is the
published API's, so it stays beside the resolvers rather than inside the engine) and
``vocabulary``; never ``schema``, ``service`` or the rest of ``resolvers``. Every other
module imports the engine from here, never from its modules (``tests/test_layers.py``).
"""

from resolvers.engine.aggregates import Aggregates
from resolvers.engine.cache import CachedAt, FigureCache
from resolvers.engine.families import Bases, read_bases
from resolvers.engine.formulas import (
    FORMULAS,
    ZERO,
    Formula,
    Value,
    bases_for,
    figure_set,
    value_of,
)
from resolvers.engine.lanes import CONNECTION_LANE
from resolvers.engine.windows import NO_KEY, FactFilter, Window

__all__ = [
    "CONNECTION_LANE",
    "FORMULAS",
    "NO_KEY",
    "ZERO",
    "Aggregates",
    "Bases",
    "CachedAt",
    "FactFilter",
    "FigureCache",
    "Formula",
    "Value",
    "Window",
    "bases_for",
    "figure_set",
    "read_bases",
    "value_of",
]
