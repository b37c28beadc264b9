"""The routecore exception family.

Every problem with a caller's input is reported as a :class:`GraphError`, which is a
:class:`ValueError`, so ``except ValueError`` catches it too. Messages name what is wrong and
where (the first offending edge index and its value, the argument name, the node id).
"""

from __future__ import annotations

__all__ = ["GraphError", "NodeIndexError"]


class GraphError(ValueError):
    """Invalid graph or query input (bad weights, ids, shapes, dtypes, terminals)."""


class NodeIndexError(GraphError, IndexError):
    """A node id outside ``[0, num_nodes)``; also an :class:`IndexError`."""
