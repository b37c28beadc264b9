"""The scenario analyses, plus the route and flow queries behind the command line.

Every graph computation goes through the C++ core (:func:`routecore.shortest_path_lengths`,
:func:`routecore.shortest_path`, :func:`routecore.nearest_source`, :func:`routecore.max_flow`);
these modules only prepare arrays and turn results into pandas tables. One module per analysis:

:mod:`~routecore.analyses.routes`
    :func:`route_between` and :func:`flow_between`: one route, one max-flow / min-cut.
:mod:`~routecore.analyses.transit`
    :func:`transit_capacity`: Asia -> Europe maximum flow, minimum cut, per-link utilisation and
    lowest-latency routes, with and without the countries to avoid, per capacity variant.
:mod:`~routecore.analyses.demands`
    :func:`transit_demands`: can a city-pair demand matrix (``demands.csv``) be carried at once
    (maximum concurrent flow, certified), which links saturate, which pairs' routes exceed their
    latency budget, per capacity variant and avoid-country policy.
:mod:`~routecore.analyses.failures`
    :func:`failure_sweep`: every single link failure (optionally every pair) ranked by lost
    transit capacity and added latency.
:mod:`~routecore.analyses.node_failures`
    :func:`node_failure_sweep` and :func:`group_failure_sweep`: the same ranking for failed
    nodes (a landing station, a gateway, a city) and shared-risk groups.
:mod:`~routecore.analyses.schools`
    :func:`school_connectivity`: per school and time step, the latency from the school to the
    nearest internet exchange over the satellites, a gateway and the ground network, under
    gateway policies; :func:`school_route` shows one school's route.
:mod:`~routecore.analyses.capacity`
    :func:`school_capacity`: how much each school gets over the satellites (carried traffic,
    max-min fair share, the bottleneck in the planner's words, latency under load), per
    system, policy and time step.
:mod:`~routecore.analyses.siting`
    :func:`gateway_siting`: candidate in-country gateway sites scored by school latency.

The satellite sweep both of the last two run (work shipped to the blocks, the per-process
ground index, the runner) is in ``_sky``, the per-column statistics in ``_stats``, the helpers
shared by all in ``_common``.

:mod:`~routecore.analyses.latency`
    What the latencies mean (one-way propagation), round trips, and the processing /
    scheduling delays a scenario may declare as assumptions (:func:`delay_assumptions`).

Conventions: latencies are one-way propagation, in ms (``*_rtt_ms`` columns give round trips);
capacities and flows in Gbit/s; ``inf`` / NaN mean "not connected". Node and link columns hold
scenario ids (text), never graph indices.

>>> from routecore import analyses
>>> from routecore.scenario import load_scenario
>>> analyses.route_between(load_scenario("central-asia"), "almaty", "astana").nodes[-1]
'astana'
"""

from __future__ import annotations

from ._common import latency_floor_ms
from .capacity import SchoolCapacity, capacity_network, school_capacity
from .demands import TransitDemands, transit_demands
from .failures import failure_sweep
from .latency import LATENCY_BASIS, DelayAssumptions, delay_assumptions
from .routes import FlowReport, Route, flow_between, route_between
from .schools import POLICIES, school_connectivity, school_route
from .siting import SITING_MODES, gateway_siting
from .transit import TransitResult, transit_capacity

__all__ = [
    "LATENCY_BASIS",
    "POLICIES",
    "SITING_MODES",
    "DelayAssumptions",
    "FlowReport",
    "Route",
    "SchoolCapacity",
    "TransitDemands",
    "TransitResult",
    "capacity_network",
    "delay_assumptions",
    "failure_sweep",
    "flow_between",
    "gateway_siting",
    "latency_floor_ms",
    "route_between",
    "school_capacity",
    "school_connectivity",
    "school_route",
    "transit_capacity",
    "transit_demands",
]

# Route diversity (issue 13, section 3), appended so that parallel edits above do not conflict.
from .diversity import RISK_GROUPS, DiversityReport, risk_groups, route_diversity
from .node_failures import group_failure_sweep, node_failure_sweep, scenario_risk_groups

__all__ += ["RISK_GROUPS", "DiversityReport", "risk_groups", "route_diversity"]
__all__ += ["group_failure_sweep", "node_failure_sweep", "scenario_risk_groups"]
