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
from .flow import FlowResult, MinCut, max_flow, max_flow_value, min_cut
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
    "max_flow_value",
    "min_cut",
    "nearest_source",
    "shortest_path",
    "shortest_path_lengths",
    "shortest_path_tree",
]

from ._version import __version__

# The second wave's algorithms (issues 12 and 13): min-cost flow, max-min fair share,
# multi-commodity flow, k shortest paths and disjoint paths.
from .disjoint import DisjointPaths, disjoint_paths
from .fair_share import FairShare, max_min_fair
from .k_paths import k_shortest_paths
from .min_cost import MinCostFlowResult, min_cost_flow
from .multicommodity import MulticommodityFlow, multicommodity_flow

__all__ += [
    "DisjointPaths",
    "FairShare",
    "MinCostFlowResult",
    "MulticommodityFlow",
    "disjoint_paths",
    "k_shortest_paths",
    "max_min_fair",
    "min_cost_flow",
    "multicommodity_flow",
]
