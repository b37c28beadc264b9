"""Independent reference answers for the tests (scipy, networkx, HiGHS, OR-Tools, LEMON, plain
Python): the one home of every oracle, so each reference is written once. One module per problem
family; import the names from this package (``from .oracles import check_path``).

Nothing here calls routecore's algorithms: the oracles start from the raw edge lists (the
scenario oracles from the network's tables and one constellation snapshot).
``same_result`` compares two routecore results exactly (for the determinism tests); the
``check_*`` helpers assert a certificate (a valid path, a cut, reduced costs) against the raw
edge list.
"""

from ._fair import (
    capped_flow_value,
    exact_fair_rates,
    highs_fair_rates,
    residual_closure,
)
from ._flow import (
    check_cut,
    flow_value,
    networkx_flow_value,
    problem_flow_value,
    residual_reach,
    scipy_flow_value,
)
from ._k_paths import (
    brute_group_pair,
    networkx_disjoint,
    networkx_k_lengths,
    path_multicommodity_lp,
    scipy_k_lengths,
    subdivided,
)
from ._min_cost import (
    check_min_cost_certificate,
    lemon_min_cost,
    mcf_arcs,
    networkx_min_cost,
    networkx_multi_sink_max_flow,
    ortools_min_cost,
    ortools_min_cost_max_flow,
)
from ._multicommodity import (
    check_multicommodity_flow,
    multicommodity_lp,
    multicommodity_lp_model,
)
from ._paths import (
    arcs,
    bfs_hops,
    check_path,
    core_lengths,
    elevation_deg,
    geo_bound,
    haversine_km,
    left_sum,
    lengths_of,
    networkx_graph,
    networkx_lengths,
    node_mask,
    same_result,
    scipy_lengths,
    scipy_lengths_within,
    unit_vector,
)
from ._scenario import (
    nx_ground,
    nx_max_flow,
    school_latency,
)

__all__ = [
    "arcs",
    "bfs_hops",
    "brute_group_pair",
    "capped_flow_value",
    "check_cut",
    "check_min_cost_certificate",
    "check_multicommodity_flow",
    "check_path",
    "core_lengths",
    "elevation_deg",
    "exact_fair_rates",
    "flow_value",
    "geo_bound",
    "haversine_km",
    "highs_fair_rates",
    "left_sum",
    "lemon_min_cost",
    "lengths_of",
    "mcf_arcs",
    "multicommodity_lp",
    "multicommodity_lp_model",
    "networkx_disjoint",
    "networkx_flow_value",
    "networkx_graph",
    "networkx_k_lengths",
    "networkx_lengths",
    "networkx_min_cost",
    "networkx_multi_sink_max_flow",
    "node_mask",
    "nx_ground",
    "nx_max_flow",
    "ortools_min_cost",
    "ortools_min_cost_max_flow",
    "path_multicommodity_lp",
    "problem_flow_value",
    "residual_closure",
    "residual_reach",
    "same_result",
    "school_latency",
    "scipy_flow_value",
    "scipy_k_lengths",
    "scipy_lengths",
    "scipy_lengths_within",
    "subdivided",
    "unit_vector",
]
