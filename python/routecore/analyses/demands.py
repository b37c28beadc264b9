"""Transit demand matrices: can a matrix of city-pair demands be carried at once?

:func:`transit_demands` runs :func:`routecore.multicommodity_flow` (maximum concurrent flow)
per capacity variant and avoid-country policy (the policies of
:func:`~routecore.analyses.transit_capacity`: links touching an avoided country get no
capacity). ``lambda >= 1`` means the whole matrix fits; the saturated links are the
bottleneck; a pair "misses its budget" when a route that carries part of its flow is longer
(one-way propagation latency, ms) than the pair's ``max_latency_ms``. By default routing ignores
the budgets and the table reports where the max-concurrent routing breaks them; with
``within_budgets=True`` each pair is routed only over paths within its budget
(``multicommodity_flow(max_latency=...)``, path-based: see :mod:`routecore.multicommodity`), so
a pair with no route within its budget makes lambda 0, and ``pairs`` gets a
``paths_complete`` column (``False``: lambda is certified for the pair's first
``paths_per_demand`` routes within the budget only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..multicommodity import multicommodity_flow
from ..scenario import Network
from ._common import _country_mask
from .transit import _policy_name, transit_cases

__all__ = ["TransitDemands", "transit_demands"]

SATURATED = 0.999
"""A link counts as saturated at this fraction of its capacity or more."""


@dataclass(frozen=True)
class TransitDemands:
    """Result of :func:`transit_demands`: three tables.

    Attributes
    ----------
    cases : pandas.DataFrame
        One row per (variant, policy): ``lambda`` (certified lower bound), ``lambda_upper``,
        ``carried`` (``lambda >= 1``), ``status``.
    links : pandas.DataFrame
        Saturated links per case: ``variant``, ``policy``, ``link``, ``a``, ``b``,
        ``load_gbps``, ``capacity_gbps``.
    pairs : pandas.DataFrame
        One row per (case, demand): ``source``, ``target``, ``gbps``, ``carried_gbps``,
        ``max_latency_ms``, ``worst_route_ms`` (one-way propagation of the longest route
        carrying its flow; inf when none) and ``meets_budget``.
    """

    cases: pd.DataFrame
    links: pd.DataFrame
    pairs: pd.DataFrame


def transit_demands(
    network: Network,
    demands: pd.DataFrame,
    *,
    variants: Sequence[str | None] | None = None,
    avoid_countries: Sequence[str] | None = None,
    epsilon: float = 0.01,
    within_budgets: bool = False,
    paths_per_demand: int = 20,
) -> TransitDemands:
    """Maximum concurrent flow of a demand matrix per variant and avoid-country policy.

    Parameters
    ----------
    network : Network
    demands : pandas.DataFrame
        As :func:`routecore.scenario.load_demands` returns: ``source``, ``target`` (node ids),
        ``gbps`` and ``max_latency_ms``.
    variants : sequence of variant names, optional
        Default: every ``tcfo-`` variant, or the network itself.
    avoid_countries : sequence of ISO codes, optional
        Default: the scenario's ``analysis.avoid_countries``.
    epsilon : float
        The certified relative gap of lambda.
    within_budgets : bool
        Route each pair only within its ``max_latency_ms`` (module notes); default ``False``.
    paths_per_demand : int
        With ``within_budgets``: candidate routes per pair (default 20).

    Returns
    -------
    TransitDemands

    Examples
    --------
    >>> import pandas as pd
    >>> from routecore import analyses
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> d = pd.DataFrame({"source": ["almaty"], "target": ["frankfurt"], "gbps": [100.0],
    ...                   "max_latency_ms": [60.0]})
    >>> r = analyses.transit_demands(net, d, variants=[None], avoid_countries=[])
    >>> bool(r.cases["carried"].iloc[0]), bool(r.cases["lambda"].iloc[0] > 1)
    (True, True)
    >>> b = analyses.transit_demands(net, d, variants=[None], avoid_countries=[],
    ...                              within_budgets=True)
    >>> bool((b.pairs["worst_route_ms"] <= 60.0).all())
    True
    """
    variants, policies = transit_cases(network, variants, avoid_countries)
    cases: list[dict[str, Any]] = []
    links: list[pd.DataFrame] = []
    pairs: list[pd.DataFrame] = []
    for variant in variants:
        net = network.variant(variant) if variant else network
        g = net.to_graph()
        assert g.capacity is not None  # to_graph always sets capacity_gbps
        a, b = net.link_ends()
        src = net.node_index(list(demands["source"]))
        dst = net.node_index(list(demands["target"]))
        amount = demands["gbps"].to_numpy(dtype=np.float64)
        budget = demands["max_latency_ms"].to_numpy(dtype=np.float64)
        for avoid in policies:
            cap = g.capacity.astype(np.float64)
            if avoid:
                blocked = _country_mask(net, avoid)
                cap = np.where(blocked[a] | blocked[b], 0.0, cap)
            r = multicommodity_flow(
                g,
                (src, dst, amount),
                capacity=cap,
                epsilon=epsilon,
                max_latency=budget if within_budgets else None,
                paths_per_demand=paths_per_demand,
            )
            name, vname = _policy_name(avoid), variant or "base"
            cases.append(
                {
                    "variant": vname,
                    "policy": name,
                    "lambda": r.value,
                    "lambda_upper": r.upper_bound,
                    "carried": r.value >= 1.0,
                    "status": r.status,
                }
            )
            full = np.flatnonzero((cap > 0) & (r.edge_load >= SATURATED * cap))
            links.append(
                pd.DataFrame(
                    {
                        "variant": vname,
                        "policy": name,
                        "link": net.column("links", "id")[full],
                        "a": net.column("links", "a")[full],
                        "b": net.column("links", "b")[full],
                        "load_gbps": r.edge_load[full],
                        "capacity_gbps": cap[full],
                    }
                )
            )
            worst = np.full(amount.size, np.inf)
            if r.path_flow.size:
                worst_used = np.full(amount.size, -np.inf)
                np.maximum.at(worst_used, r.path_commodity, r.path_length)
                worst = np.where(np.isfinite(worst_used), worst_used, np.inf)
            pairs.append(
                pd.DataFrame(
                    {
                        "variant": vname,
                        "policy": name,
                        "source": demands["source"].to_numpy(),
                        "target": demands["target"].to_numpy(),
                        "gbps": amount,
                        "carried_gbps": r.commodity_flow,
                        "max_latency_ms": budget,
                        "worst_route_ms": worst,
                        "meets_budget": worst <= budget,
                    }
                )
            )
            if r.paths_complete is not None:
                pairs[-1]["paths_complete"] = r.paths_complete
    return TransitDemands(
        pd.DataFrame(cases),
        pd.concat(links, ignore_index=True),
        pd.concat(pairs, ignore_index=True),
    )
