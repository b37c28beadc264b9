"""Coerce and check user input once, at the boundary, before any C++ code runs.

The C++ core assumes what these functions guarantee: int32 node ids in range, C-contiguous arrays
of the exact dtype, finite non-negative weights and capacities, and sizes that fit 32-bit ids.
This module is the one home of every such check: graph type, node ids and terminal sets, edge-id
sets (closed edges, failure cases), per-edge values, coordinates, size limits, option values.

Two kinds of failure:

* bad graph or query data raise :class:`~routecore.errors.GraphError` naming the argument and
  the first offending position and value (:class:`~routecore.errors.NodeIndexError` for a node
  id out of range);
* a bad *option* (``method=``, ``threads=``, ``directed=``, ``reverse=``, ``values=``) raises
  a plain :class:`TypeError` (not the expected kind of value) or :class:`ValueError` (the right
  kind, a refused value) naming the option. (The executor's ``progress=`` and ``executor=``
  follow the same rule; :mod:`routecore.executor` checks them as it dispatches on them.)

>>> thread_count(1)
1
>>> terminal_sets([3, 1, 3], 0, 4)
(array([1, 3], dtype=int32), array([0], dtype=int32))
"""

from __future__ import annotations

from ._arrays import (
    MAX_FLOW_EDGES,
    MAX_ID_COUNT,
    MAX_WEIGHT_TOTAL,
    as_array,
    check_count,
    check_not_forbidden,
    check_weight_total,
    edge_endpoints,
    edge_values,
    forbidden_node_mask,
    node_id,
    node_id_array,
    node_ids,
    node_mask,
    read_only_view,
    refuse_bool_ids,
)
from ._demands import DEMAND_COLUMNS, demand_table, latency_budgets
from ._options import (
    astar_coordinates,
    choice,
    demand_values,
    flag,
    length_limit,
    real_number,
    thread_count,
)
from ._sets import (
    check_flow_size,
    check_graph,
    edge_mask,
    failure_cases,
    terminal_set,
    terminal_sets,
)

__all__ = [
    "DEMAND_COLUMNS",
    "MAX_FLOW_EDGES",
    "MAX_ID_COUNT",
    "MAX_WEIGHT_TOTAL",
    "as_array",
    "astar_coordinates",
    "check_count",
    "check_flow_size",
    "check_graph",
    "check_not_forbidden",
    "check_weight_total",
    "choice",
    "demand_table",
    "demand_values",
    "edge_endpoints",
    "edge_mask",
    "edge_values",
    "failure_cases",
    "flag",
    "forbidden_node_mask",
    "latency_budgets",
    "length_limit",
    "node_id",
    "node_id_array",
    "node_ids",
    "node_mask",
    "read_only_view",
    "real_number",
    "refuse_bool_ids",
    "terminal_set",
    "terminal_sets",
    "thread_count",
]
