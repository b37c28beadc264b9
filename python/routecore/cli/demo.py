"""What ``routecore demo`` and ``routecore report`` compute, without printing anything.

:func:`compute_demo` runs the four analyses of the demo and returns a :class:`DemoResult`;
:mod:`routecore.cli.render` turns it into tables and :mod:`routecore.cli.output` into the
JSON document, the map and the per-school CSV.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from ..analyses import TransitResult
    from ..scenario import Network

__all__ = ["DemoResult", "ProgressFactory", "compute_demo", "scenario_summary", "school_summary"]

ProgressFactory = Callable[[str], contextlib.AbstractContextManager[Callable[[int, int], None]]]
"""Given a sweep's description, a context manager yielding its ``progress(done, total)``."""

DEMO_CONSTELLATIONS = ("Starlink shell 1", "OneWeb")
"""The systems the demo compares, by the names its tables use."""


@dataclass
class DemoResult:
    """Everything the demo computed, stage by stage (a later stage is ``None`` when an earlier
    one was stopped by Ctrl-C, or when the scenario has no home country for siting).

    Attributes
    ----------
    scenario : str
        The scenario as given (bundled name or directory).
    net : Network
    transit : TransitResult
    sweeps : dict of str to pandas.DataFrame
        :func:`~routecore.analyses.failure_sweep` per case (``"all routes"``, ``"avoid RU"``).
    times_s : ndarray
        The satellite time steps.
    step_s : float
    home : str
        The scenario's home country ("" if none).
    schools : pandas.DataFrame or None
        :func:`~routecore.analyses.school_connectivity`.
    school_summary : pandas.DataFrame or None
        :func:`school_summary` of ``schools``.
    siting : pandas.DataFrame or None
        :func:`~routecore.analyses.gateway_siting` (``mode="single"``).
    seconds : dict of str to float
        Wall time per stage: ``transit``, ``failures``, ``schools``, ``siting``.
    partial : bool
        A sweep was stopped by Ctrl-C; what finished is kept, later stages skipped.
    """

    scenario: str
    net: Network
    transit: TransitResult
    times_s: npt.NDArray[np.float64]
    step_s: float
    home: str
    sweeps: dict[str, pd.DataFrame] = field(default_factory=dict)
    schools: pd.DataFrame | None = None
    school_summary: pd.DataFrame | None = None
    siting: pd.DataFrame | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    partial: bool = False


@contextlib.contextmanager
def _no_progress(description: str) -> Iterator[Callable[[int, int], None]]:
    yield lambda done, total: None


def compute_demo(
    scenario: str,
    *,
    steps: int = 96,
    step_s: float = 60.0,
    pairs: bool = False,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressFactory | None = None,
    on_stage: Callable[[str, DemoResult], None] | None = None,
) -> DemoResult:
    """Run the demo's analyses on ``scenario``: transit capacity, the failure sweep (with all
    routes and without the avoided countries), school connectivity and gateway siting.

    The sweeps run on ``executor`` when one is given (see :mod:`routecore.executor`) and report
    to ``progress(description)``. Ctrl-C during a sweep keeps its finished part, skips the
    later stages and sets ``partial``. ``on_stage(name, result)`` is called after each stage
    (``"transit"``, ``"failures"``, ``"schools"``, ``"siting"``), e.g. to print it at once.

    Examples
    --------
    >>> result = compute_demo("central-asia", steps=1, step_s=60.0)
    >>> result.partial, sorted(result.sweeps)
    (False, ['all routes', 'avoid RU'])
    """
    import numpy as np

    from .. import analyses
    from .. import constellation as cs
    from ..scenario import load_scenario

    progress = progress or _no_progress
    net = load_scenario(scenario)
    analysis = net.meta.get("analysis", {})
    avoid = list(analysis.get("avoid_countries", []))

    t0 = time.perf_counter()
    result = DemoResult(
        scenario=scenario,
        net=net,
        transit=analyses.transit_capacity(net),
        times_s=np.arange(steps, dtype=np.float64) * step_s,
        step_s=step_s,
        home=str(analysis.get("home_country", "")),
    )
    result.seconds["transit"] = time.perf_counter() - t0
    if on_stage:
        on_stage("transit", result)
    sweep_opts: dict[str, Any] = {"threads": threads, "executor": executor}

    # The failure sweep, on the base network with all routes and without the avoided ones.
    t0 = time.perf_counter()
    cases: dict[str, dict[str, Any]] = {"all routes": {}}
    if avoid:
        cases[f"avoid {', '.join(avoid)}"] = {"avoid_countries": avoid}
    for name, extra in cases.items():
        with progress(f"link failures, {name}") as report:
            sweep = analyses.failure_sweep(net, pairs=pairs, progress=report, **sweep_opts, **extra)
        result.sweeps[name] = sweep
        if sweep.attrs["partial"]:
            result.partial = True
            break
    result.seconds["failures"] = time.perf_counter() - t0
    if on_stage:
        on_stage("failures", result)

    constellations = dict(zip(DEMO_CONSTELLATIONS, (cs.STARLINK_SHELL1, cs.ONEWEB), strict=True))
    if not result.partial:
        t0 = time.perf_counter()
        with progress("satellite time steps") as report:
            schools = analyses.school_connectivity(
                net,
                constellations,
                result.times_s,
                policies=("home", "any", "abroad"),
                progress=report,
                **sweep_opts,
            )
        result.schools = schools
        result.partial = bool(schools.attrs["partial"])
        if len(schools):
            result.school_summary = school_summary(schools, result.home)
        result.seconds["schools"] = time.perf_counter() - t0
        if on_stage:
            on_stage("schools", result)

    if not result.partial and result.home:
        t0 = time.perf_counter()
        with progress("gateway sites x time steps") as report:
            siting = analyses.gateway_siting(
                net, constellations, result.times_s, mode="single", progress=report, **sweep_opts
            )
        result.siting = siting
        result.partial = bool(siting.attrs["partial"])
        result.seconds["siting"] = time.perf_counter() - t0
        if on_stage:
            on_stage("siting", result)
    return result


def school_summary(schools: pd.DataFrame, home: str) -> pd.DataFrame:
    """One row per (constellation, policy) of a :func:`~routecore.analyses.school_connectivity`
    table: schools always / never connected, mean connected share, median of the median and
    95th percentile of the p95 latencies (one-way propagation, kept as ``median_latency_ms`` /
    ``p95_latency_ms`` and also named ``median_one_way_propagation_ms`` /
    ``p95_one_way_propagation_ms``), the same as round trips (``median_rtt_ms`` /
    ``p95_rtt_ms``, with the declared delays when the table has those columns, else twice the
    propagation), schools whose main gateway is abroad, and the four most used gateways.

    >>> import pandas as pd
    >>> schools = pd.DataFrame({"constellation": "s", "policy": "any", "connected_share": [1.0],
    ...     "median_latency_ms": [20.0], "p95_latency_ms": [30.0], "gateway": ["g"],
    ...     "gateway_country": ["KZ"]})
    >>> school_summary(schools, "KZ")[["schools", "always_connected", "gateways"]].values.tolist()
    [[1, 1, 'g 1']]
    """
    import numpy as np
    import pandas as pd

    def stat(values: Any, q: float) -> float:
        return float(np.nanpercentile(values, q)) if values.notna().any() else float("nan")

    rows = []
    for (cname, policy), grp in schools.groupby(["constellation", "policy"], sort=False):
        main_abroad = (grp["gateway_country"] != "") & (grp["gateway_country"] != home)
        top = grp.loc[grp["gateway"] != "", "gateway"].value_counts()
        rows.append(
            {
                "constellation": cname,
                "policy": policy,
                "schools": len(grp),
                "always_connected": int((grp["connected_share"] == 1.0).sum()),
                "never_connected": int((grp["connected_share"] == 0.0).sum()),
                "mean_connected_share": float(grp["connected_share"].mean()),
                "median_latency_ms": float(np.nanmedian(grp["median_latency_ms"]))
                if grp["median_latency_ms"].notna().any()
                else float("nan"),
                "p95_latency_ms": float(np.nanpercentile(grp["p95_latency_ms"], 95))
                if grp["p95_latency_ms"].notna().any()
                else float("nan"),
                "median_one_way_propagation_ms": stat(grp["median_latency_ms"], 50),
                "p95_one_way_propagation_ms": stat(grp["p95_latency_ms"], 95),
                "median_rtt_ms": stat(grp.get("median_rtt_ms", 2 * grp["median_latency_ms"]), 50),
                "p95_rtt_ms": stat(grp.get("p95_rtt_ms", 2 * grp["p95_latency_ms"]), 95),
                "main_gateway_abroad": int(main_abroad.sum()),
                "gateways": ", ".join(f"{g} {n}" for g, n in top.head(4).items()),
            }
        )
    return pd.DataFrame(rows)


def scenario_summary(net: Network) -> dict[str, Any]:
    """A JSON-ready summary of a scenario (used by ``routecore report`` and the demo).

    >>> from routecore.scenario import load_scenario
    >>> doc = scenario_summary(load_scenario("central-asia"))
    >>> doc["name"], doc["num_nodes"] > 0
    ('central-asia', True)
    """
    from ..analyses.latency import LATENCY_BASIS, delay_assumptions

    nodes, links, meta = net.nodes, net.links, net.meta
    by_kind: dict[str, Any] = {}
    for kind, grp in nodes.groupby("kind", sort=False):
        by_kind[str(kind)] = {"count": len(grp), "countries": sorted(set(grp["country"]))}
    by_medium: dict[str, Any] = {}
    for medium, grp in links.groupby("medium", sort=False):
        by_medium[str(medium)] = {
            "count": len(grp),
            "length_km": float(grp["length_km"].sum()),
            "capacity_gbps_min": float(grp["capacity_gbps"].min()),
            "capacity_gbps_max": float(grp["capacity_gbps"].max()),
        }
    return {
        "name": net.name,
        "title": str(meta.get("title", net.name)),
        "description": str(meta.get("description", "")),
        "num_nodes": net.num_nodes,
        "num_links": net.num_links,
        "nodes_by_kind": by_kind,
        "links_by_medium": by_medium,
        "variants": {k: str(v.get("description", "")) for k, v in meta.get("variants", {}).items()},
        "analysis": meta.get("analysis", {}),
        "assumptions": [
            {k: str(a.get(k, "")) for k in ("id", "subject", "value", "basis")}
            for a in meta.get("assumptions", [])
        ],
        "sources": len(meta.get("sources", [])),
        "latency": {
            "basis": LATENCY_BASIS,
            "rtt": "rtt_ms = 2 x (one-way propagation + declared one-way delays); "
            "propagation_rtt_ms = 2 x one-way propagation",
            "declared_delays": delay_assumptions(net).to_dict(),
        },
    }
