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
    later stages and sets ``partial``; Ctrl-C elsewhere in a stage after the first keeps the
    stages before it, likewise. ``on_stage(name, result)`` is called after each stage
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

    # Before the first stage finishes there is nothing to keep: Ctrl-C then propagates.
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
    sweep_opts: dict[str, Any] = {"threads": threads, "executor": executor}
    constellations = dict(zip(DEMO_CONSTELLATIONS, (cs.STARLINK_SHELL1, cs.ONEWEB), strict=True))

    def failures() -> None:
        # The failure sweep, on the base network with all routes and without the avoided ones.
        cases: dict[str, dict[str, Any]] = {"all routes": {}}
        if avoid:
            cases[f"avoid {', '.join(avoid)}"] = {"avoid_countries": avoid}
        for name, extra in cases.items():
            with progress(f"link failures, {name}") as report:
                sweep = analyses.failure_sweep(
                    net, pairs=pairs, progress=report, **sweep_opts, **extra
                )
            result.sweeps[name] = sweep
            if sweep.attrs["partial"]:
                result.partial = True
                return

    def schools() -> None:
        with progress("satellite time steps") as report:
            table = analyses.school_connectivity(
                net,
                constellations,
                result.times_s,
                policies=("home", "any", "abroad"),
                progress=report,
                **sweep_opts,
            )
        summary = school_summary(table, result.home) if len(table) else None
        result.schools, result.school_summary = table, summary
        result.partial = bool(table.attrs["partial"])

    def siting() -> None:
        with progress("gateway sites x time steps") as report:
            table = analyses.gateway_siting(
                net, constellations, result.times_s, mode="single", progress=report, **sweep_opts
            )
        result.siting = table
        result.partial = bool(table.attrs["partial"])

    # Each stage runs only when the ones before it finished; Ctrl-C anywhere in a stage (or in
    # on_stage) keeps what the earlier stages computed and marks the result partial.
    stages: list[tuple[str, Callable[[], None] | None]] = [
        ("transit", None),  # computed above
        ("failures", failures),
        ("schools", schools),
    ]
    if result.home:
        stages.append(("siting", siting))
    for name, run in stages:
        if result.partial:
            break
        try:
            if run is not None:
                t0 = time.perf_counter()
                run()
                result.seconds[name] = time.perf_counter() - t0
            if on_stage:
                on_stage(name, result)
        except KeyboardInterrupt:
            result.partial = True
    return result


def school_summary(schools: pd.DataFrame, home: str) -> pd.DataFrame:
    """One row per (constellation, policy) of a :func:`~routecore.analyses.school_connectivity`
    table: schools always / never connected, mean connected share, median of the median and
    95th percentile of the p95 latencies, schools whose main gateway is abroad, and the four
    most used gateways.

    >>> import pandas as pd
    >>> schools = pd.DataFrame({"constellation": "s", "policy": "any", "connected_share": [1.0],
    ...     "median_latency_ms": [20.0], "p95_latency_ms": [30.0], "gateway": ["g"],
    ...     "gateway_country": ["KZ"]})
    >>> school_summary(schools, "KZ")[["schools", "always_connected", "gateways"]].values.tolist()
    [[1, 1, 'g 1']]
    """
    import numpy as np
    import pandas as pd

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
    }
