"""The routecore exception family.

Every problem with a caller's input is reported as a :class:`GraphError`, which is a
:class:`ValueError`, so ``except ValueError`` catches it too. Messages name what is wrong and
where (the first offending edge index and its value, the argument name, the node id).
"""

from __future__ import annotations

__all__ = ["GraphError", "NodeIndexError", "ScenarioError"]


class GraphError(ValueError):
    """Invalid graph or query input (bad weights, ids, shapes, dtypes, terminals)."""


class NodeIndexError(GraphError, IndexError):
    """A node id outside ``[0, num_nodes)``; also an :class:`IndexError`."""


class ScenarioError(GraphError):
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
