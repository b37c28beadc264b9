"""The routecore exception family.

Every problem with a caller's input is reported as a :class:`RoutecoreError`, which is a
:class:`ValueError`, so ``except ValueError`` catches it too. Its three kinds are siblings:
:class:`GraphError` (graphs and queries), :class:`ScenarioError` (scenario files and tables) and
:class:`ConstellationError` (orbits, ground geometry, snapshots). A bad *option* value
(``method=``, ``progress=``, ``mode=``) raises a plain :class:`ValueError` or :class:`TypeError`
naming the option. Messages name what is wrong and where (the first offending edge index and its
value, the argument name, the node id).

>>> issubclass(ScenarioError, GraphError), issubclass(ScenarioError, RoutecoreError)
(False, True)
"""

from __future__ import annotations

__all__ = [
    "ConstellationError",
    "GraphError",
    "NodeIndexError",
    "RoutecoreError",
    "ScenarioError",
]


class RoutecoreError(ValueError):
    """Root of every routecore input error; also a :class:`ValueError`."""


class GraphError(RoutecoreError):
    """Invalid graph or query input (bad weights, ids, shapes, dtypes, terminals)."""


class NodeIndexError(GraphError, IndexError):
    """A node id outside ``[0, num_nodes)``; also an :class:`IndexError`."""


class ScenarioError(RoutecoreError):
    """A scenario file or table that cannot be used.

    The message names the file, the row (1-based data row; the header is not counted), the
    line in the file and the column where the problem is; the same facts are kept as
    attributes (``None`` where they do not apply, e.g. a problem with a whole file).
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.line = line
        self.column = column


class ConstellationError(RoutecoreError):
    """Invalid constellation, orbit, ground-geometry or snapshot parameter (a ValueError)."""
