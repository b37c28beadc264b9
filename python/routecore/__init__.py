"""routecore: shortest paths and max-flow / min-cut in C++, on numpy arrays.

The package is a thin typed layer: it validates and converts input once, then hands CSR arrays to
the C++ core (``routecore._core``), which releases the GIL while it computes.
"""

from __future__ import annotations

from .errors import (
    ConstellationError,
    GraphError,
    NodeIndexError,
    RoutecoreError,
    ScenarioError,
)
from .flow import FlowResult, MinCut, max_flow, min_cut
from .geo import EARTH_RADIUS_KM
from .graph import Graph
from .paths import (
    Path,
    ShortestPathTree,
    nearest_source,
    shortest_path,
    shortest_path_lengths,
    shortest_path_tree,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "ConstellationError",
    "FlowResult",
    "Graph",
    "GraphError",
    "MinCut",
    "NodeIndexError",
    "Path",
    "RoutecoreError",
    "ScenarioError",
    "ShortestPathTree",
    "__version__",
    "max_flow",
    "min_cut",
    "nearest_source",
    "shortest_path",
    "shortest_path_lengths",
    "shortest_path_tree",
]

__version__ = "0.1.0"

# Min-cost flow (issue 12), appended so that parallel edits above do not conflict.
from .min_cost import MinCostFlowResult, min_cost_flow

__all__ += ["MinCostFlowResult", "min_cost_flow"]

# Route diversity (issue 13, section 1), appended so that parallel edits above do not conflict.
from .disjoint import DisjointPaths, disjoint_paths  # noqa: E402
from .k_paths import k_shortest_paths  # noqa: E402

__all__ += ["DisjointPaths", "disjoint_paths", "k_shortest_paths"]
