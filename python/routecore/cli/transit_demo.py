"""The demo's transit-planning stage: demand matrix, diverse routes, worst node failures.

:func:`compute_transit_planning` answers three carrier questions on a scenario and
:func:`print_transit_planning` / :func:`transit_planning_doc` show them (the demo's tables and
its ``results.json`` member ``transit_planning``):

* can the scenario's demand matrix (``demands.csv``) be carried at once, per cable variant and
  avoid-country policy (lambda, :func:`~routecore.analyses.transit_demands`);
* for the two largest demands, the best pair of routes sharing no link / node / landing
  station and the latency penalty of protection (:func:`~routecore.analyses.route_diversity`);
* the worst single node failures (:func:`~routecore.analyses.node_failure_sweep`), with all
  routes and avoiding the scenario's countries.

Latencies are one-way propagation (ms). The shipped demand matrix is [ASSUMED].
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from ..analyses import DiversityReport, TransitDemands
    from ..scenario import Network
    from .demo import ProgressFactory

__all__ = [
    "DIVERSE_PAIRS",
    "WORST_NODES",
    "TransitPlanning",
    "compute_transit_planning",
    "print_transit_planning",
    "transit_planning_doc",
]

DIVERSE_PAIRS = 2
"""City pairs the demo shows diverse routes for (the largest demands)."""

WORST_NODES = 3
"""Node failures the demo lists per policy."""


@dataclass
class TransitPlanning:
    """What :func:`compute_transit_planning` found.

    Attributes
    ----------
    demands : pandas.DataFrame or None
        The scenario's demand matrix (``None``: the scenario has no ``demands.csv``).
    carried : TransitDemands or None
        :func:`~routecore.analyses.transit_demands` of ``demands``.
    diversity : DiversityReport
        :func:`~routecore.analyses.route_diversity` for the pairs shown.
    node_failures : dict of str to pandas.DataFrame
        :func:`~routecore.analyses.node_failure_sweep` per policy (``"all routes"``,
        ``"avoid RU"``).
    partial : bool
        Ctrl-C stopped a node sweep (its table holds the finished cases).
    """

    demands: pd.DataFrame | None
    carried: TransitDemands | None
    diversity: DiversityReport
    node_failures: dict[str, pd.DataFrame] = field(default_factory=dict)
    partial: bool = False


def _pairs(net: Network, demands: pd.DataFrame | None) -> list[tuple[str, str]]:
    if demands is not None and len(demands):
        top = demands.sort_values("gbps", ascending=False, kind="stable").head(DIVERSE_PAIRS)
        return list(zip(top["source"].astype(str), top["target"].astype(str), strict=True))
    analysis = net.meta.get("analysis", {})
    sources, sinks = analysis.get("transit_sources", []), analysis.get("transit_sinks", [])
    return [(str(sources[0]), str(t)) for t in sinks[:DIVERSE_PAIRS]] if sources else []


def compute_transit_planning(
    net: Network,
    *,
    avoid: Sequence[str],
    progress: ProgressFactory | None = None,
    sweep_opts: dict[str, Any] | None = None,
) -> TransitPlanning:
    """Run the three analyses of the stage (see the module documentation).

    ``progress`` and ``sweep_opts`` (``threads``, ``executor``) are those of the demo's sweeps.

    >>> from routecore.scenario import load_scenario
    >>> tp = compute_transit_planning(load_scenario("central-asia"), avoid=["RU"])
    >>> sorted(tp.node_failures), bool(tp.carried.cases["carried"].all())
    (['all routes', 'avoid RU'], True)
    """
    import contextlib

    from .. import analyses

    @contextlib.contextmanager
    def silent(_description: str) -> Any:
        yield None

    progress = progress or silent
    demands = net.demands()
    carried = analyses.transit_demands(net, demands) if demands is not None else None
    diversity = analyses.route_diversity(net, _pairs(net, demands), k=3)
    tp = TransitPlanning(demands, carried, diversity)
    cases: dict[str, list[str]] = {"all routes": []}
    if avoid:
        cases[f"avoid {', '.join(avoid)}"] = list(avoid)
    for name, countries in cases.items():
        with progress(f"node failures, {name}") as report:
            sweep = analyses.node_failure_sweep(
                net, avoid_countries=countries, progress=report, **(sweep_opts or {})
            )
        tp.node_failures[name] = sweep
        if sweep.attrs["partial"]:
            tp.partial = True
            break
    return tp


def transit_planning_doc(tp: TransitPlanning) -> dict[str, Any]:
    """The ``transit_planning`` member of the demo's ``results.json``."""
    from .output import jsonable

    def records(df: Any) -> Any:
        return jsonable(df.to_dict(orient="records"))

    return {
        "latency": "one-way propagation, ms",
        "demand_matrix": None if tp.demands is None else records(tp.demands),
        "carried": None
        if tp.carried is None
        else {
            "cases": records(tp.carried.cases),
            "saturated_links": records(tp.carried.links),
            "pairs": records(tp.carried.pairs),
        },
        "diverse_routes": records(tp.diversity.protection),
        "risk_groups": tp.diversity.groups,
        "worst_node_failures": {
            name: records(df.head(WORST_NODES)) for name, df in tp.node_failures.items()
        },
    }


def _ms(x: float) -> str:
    return f"{x:.1f}" if math.isfinite(x) else "cut off"


def print_transit_planning(console: Console, tp: TransitPlanning, row: Callable[..., None]) -> None:
    """Print the stage: lambda per case, the diverse route pairs, the worst node failures.

    ``row(table, *cells)`` adds a row whose text is shown as is.
    """
    from rich.table import Table

    if tp.carried is not None and tp.demands is not None:
        total = float(tp.demands["gbps"].sum())
        t = Table(
            title=f"Demand matrix ({len(tp.demands)} city pairs, {total:,.0f} Gbit/s, "
            "[ASSUMED]): carried at once? lambda = how many times over",
            title_justify="left",
        )
        for col in ("variant", "policy", "lambda", "carried", "late pairs", "saturated"):
            t.add_column(
                col, justify="left" if col in ("variant", "policy", "saturated") else "right"
            )
        pairs, links = tp.carried.pairs, tp.carried.links
        for case in tp.carried.cases.to_dict(orient="records"):
            here = (pairs["variant"] == case["variant"]) & (pairs["policy"] == case["policy"])
            late = int((~pairs.loc[here, "meets_budget"]).sum())
            full = links[
                (links["variant"] == case["variant"]) & (links["policy"] == case["policy"])
            ]
            row(
                t,
                str(case["variant"]),
                str(case["policy"]),
                f"{case['lambda']:.2f}",
                "yes" if case["carried"] else "NO",
                f"{late} of {int(here.sum())}",
                ", ".join(full["link"].astype(str).tolist()[:2])
                + (f" +{len(full) - 2}" if len(full) > 2 else ""),
            )
        console.print(t)
    t = Table(
        title="Diverse route pairs (one-way propagation ms; penalty = backup - fastest)",
        title_justify="left",
    )
    for col in ("pair", "shares no", "fastest", "backup", "penalty"):
        t.add_column(col, justify="left" if col in ("pair", "shares no") else "right")
    words = {"edge": "link", "node": "node", "group": f"{tp.diversity.groups} station"}
    for p in tp.diversity.protection.to_dict(orient="records"):
        two = bool(p["backup_nodes"])
        row(
            t,
            f"{p['src']} -> {p['dst']}",
            words[str(p["mode"])],
            _ms(float(p["fastest_ms"])),
            _ms(float(p["backup_ms"])) if two else "none",
            f"+{p['penalty_ms']:.1f}" if two else "—",
        )
    console.print(t)
    t = Table(title=f"Worst node failures (top {WORST_NODES})", title_justify="left")
    for col in ("policy", "failed", "lost Gbit/s", "lost", "added ms"):
        t.add_column(col, justify="left" if col in ("policy", "failed") else "right")
    for name, sweep in tp.node_failures.items():
        for r in sweep.head(WORST_NODES).to_dict(orient="records"):
            added = float(r["added_latency_ms"])
            row(
                t,
                name,
                ", ".join(r["failed"]),
                f"{r['lost_gbps']:,.0f}",
                f"{r['lost_share']:.0%}",
                "cut off" if not math.isfinite(added) else f"+{added:.1f}",
            )
    console.print(t)
