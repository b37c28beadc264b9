"""What ``routecore demo`` and ``routecore report`` compute, without printing anything.

:func:`compute_demo` runs the four analyses of the demo and returns a :class:`DemoResult`;
:mod:`routecore.cli.render_demo` turns it into tables and :mod:`routecore.cli.output` into the
JSON document, the map and the per-school CSV.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    import pandas as pd

    from ..analyses import TransitResult
    from ..scenario import Network

from .school_tables import preset_spread, school_summary

__all__ = [
    "DEMO_GEOJSON",
    "DEMO_PRESETS",
    "DEMO_STEPS",
    "DEMO_STEP_S",
    "DemoResult",
    "ProgressFactory",
    "assumption_notes",
    "choose_systems",
    "compute_demo",
    "preset_spread",
    "scenario_summary",
    "school_summary",
]

ProgressFactory = Callable[[str], contextlib.AbstractContextManager[Callable[[int, int], None]]]
"""Given a sweep's description, a context manager yielding its ``progress(done, total)``."""

DEMO_CONSTELLATIONS = ("Starlink shell 1", "OneWeb")
"""The systems the demo compares, by the names its tables use."""

DEMO_PRESETS: dict[str, str] = {
    "Starlink shell 1": "starlink-shell1",
    "Starlink shell 1, bent pipe": "starlink-shell1-bent-pipe",
    "OneWeb": "oneweb",
    "OneWeb, 55° users": "oneweb-55",
}
"""Table name -> :data:`routecore.constellation.PRESETS` name. The first reading of each system
(lasers; 35 deg) is the one of :data:`DEMO_CONSTELLATIONS`; the others show the spread."""

DEMO_GEOJSON = "demo.geojson"
"""The file ``demo --geojson`` writes into the output directory when given no file name."""

DEMO_STEPS = 288
DEMO_STEP_S = 300.0
"""The demo's default window: 288 x 300 s = 24 h, about 15 orbits of Starlink shell 1 (95.5 min)
and 13 of OneWeb (109 min). The former default, 96 x 60 s (1.6 h), is shorter than one OneWeb
orbit: OneWeb looked "always online" in-country for 95 % of the schools, 82 % over 24 h."""


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
    spread : pandas.DataFrame or None
        :func:`preset_spread`: availability and latency per constellation preset (reading).
    systems : dict of str to Constellation
        The systems the school stage ran, by table name: the presets (see
        :data:`DEMO_PRESETS`), the scenario's declared systems, or those chosen by name.
    notes : dict of str to list of str
        Per stage, what a reader must know to trust its table: assumptions that decide the
        result (:func:`assumption_notes`) and a time window shorter than an orbit.
    capacity : SchoolCapacity or None
        :func:`~routecore.analyses.school_capacity` of the main systems at
        ``capacity_times_s`` (:data:`~routecore.cli.capacity.DEMO_CAPACITY_STEPS` steps spread
        over the window).
    capacity_times_s : ndarray or None
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
    spread: pd.DataFrame | None = None
    systems: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    capacity: Any = None
    capacity_times_s: Any = None
    planning: Any = None  # TransitPlanning (routecore.cli.transit_demo), after "failures"


@contextlib.contextmanager
def _no_progress(description: str) -> Iterator[Callable[[int, int], None]]:
    yield lambda done, total: None


def compute_demo(
    scenario: str,
    *,
    steps: int = DEMO_STEPS,
    step_s: float = DEMO_STEP_S,
    pairs: bool = False,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressFactory | None = None,
    on_stage: Callable[[str, DemoResult], None] | None = None,
    systems: Sequence[str] | None = None,
) -> DemoResult:
    """Run the demo's analyses on ``scenario``: transit capacity, the failure sweep (with all
    routes and without the avoided countries), school connectivity and gateway siting.

    The sweeps run on ``executor`` when one is given (see :mod:`routecore.executor`) and report
    to ``progress(description)``. Ctrl-C during a sweep keeps its finished part, skips the
    later stages and sets ``partial``; Ctrl-C elsewhere in a stage after the first keeps the
    stages before it, likewise. ``on_stage(name, result)`` is called after each stage
    (``"transit"``, ``"failures"``, ``"planning"``, ``"schools"``, ``"siting"``,
    ``"capacity"``), e.g. to print it at once. ``"planning"`` is the transit-planning stage of
    :mod:`routecore.cli.transit_demo` (demand matrix, diverse routes, worst node failures).

    ``systems`` names the constellations of the satellite stages: presets
    (:data:`routecore.constellation.PRESETS`) or systems the scenario declares
    (:meth:`~routecore.scenario.Network.systems`). Default: the scenario's declared systems,
    else the presets of :data:`DEMO_PRESETS`.

    The default window is :data:`DEMO_STEPS` x :data:`DEMO_STEP_S` (24 h). A window shorter than
    the slowest system's orbit adds a note to ``notes["schools"]`` (the analyses' own
    :class:`~routecore.constellation.ShortWindowWarning` is not repeated).

    Examples
    --------
    >>> result = compute_demo("central-asia", steps=1, step_s=60.0)
    >>> result.partial, sorted(result.sweeps)
    (False, ['all routes', 'avoid RU'])
    >>> "shorter than one orbit" in result.notes["schools"][0]
    True
    >>> "optimistic readings" in result.notes["schools"][-1]
    True
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
    result.notes["transit"] = assumption_notes(net, result.transit.cases, None)
    sweep_opts: dict[str, Any] = {"threads": threads, "executor": executor}
    result.systems = choose_systems(net, systems)
    presets = systems is None and list(result.systems) == list(DEMO_PRESETS)
    main = {k: v for k, v in result.systems.items() if not presets or k in DEMO_CONSTELLATIONS}

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
                break
        result.notes["failures"] = assumption_notes(net, None, result.sweeps)

    def planning() -> None:
        from .transit_demo import compute_transit_planning

        result.planning = compute_transit_planning(
            net, avoid=avoid, progress=progress, sweep_opts=sweep_opts
        )
        result.partial = bool(result.planning.partial)

    def schools() -> None:
        note = cs.window_note(result.systems, result.times_s)
        result.notes["schools"] = [note] if note else []
        if presets:
            result.notes["schools"].append(
                "the main table uses the optimistic readings, both unsourced: Starlink shell 1 "
                "with 4 laser links on every satellite, OneWeb users down to 35° elevation; the "
                "preset table shows the other readings, and results.json lists every "
                "constellation assumption under 'constellations'"
            )
        with progress("satellite time steps") as report, warnings.catch_warnings():
            warnings.simplefilter("ignore", cs.ShortWindowWarning)  # it is in notes["schools"]
            table = analyses.school_connectivity(
                net,
                result.systems,
                result.times_s,
                policies=("home", "any", "abroad"),
                progress=report,
                **sweep_opts,
            )
        result.schools = table
        result.partial = bool(table.attrs["partial"])
        if len(table):
            summary = school_summary(table, result.home)
            shown = summary[summary["constellation"].isin(list(main))]
            result.school_summary = shown.reset_index(drop=True)
            result.spread = preset_spread(summary, result.systems)

    def siting() -> None:
        with progress("gateway sites x time steps") as report, warnings.catch_warnings():
            warnings.simplefilter("ignore", cs.ShortWindowWarning)
            table = analyses.gateway_siting(
                net, main, result.times_s, mode="single", progress=report, **sweep_opts
            )
        result.siting = table
        result.partial = bool(table.attrs["partial"])

    def capacity() -> None:
        from .capacity import DEMO_CAPACITY_STEPS, capacity_times

        k = min(DEMO_CAPACITY_STEPS, result.times_s.size)
        window = result.times_s.size * result.step_s
        times = capacity_times(window, k)
        result.notes["capacity"] = [
            f"{k} time steps, every {window / k / 3600:g} h over the {window / 3600:g} h window "
            "(each step runs a max-flow, the max-min fair share and a min-cost flow per "
            "policy); 'routecore capacity --steps N' runs more. Capacities are the presets' and "
            "the scenario's [capacity] table (gateway antennas A22/A23, demand A24)"
        ]
        with progress("capacity time steps") as report, warnings.catch_warnings():
            warnings.simplefilter("ignore", cs.ShortWindowWarning)
            res = analyses.school_capacity(
                net,
                main,
                times,
                policies=("home", "any", "abroad") if result.home else ("any",),
                progress=report,
                **sweep_opts,
            )
        result.capacity, result.capacity_times_s = res, times
        result.partial = bool(res.partial)

    # Each stage runs only when the ones before it finished; Ctrl-C anywhere in a stage (or in
    # on_stage) keeps what the earlier stages computed and marks the result partial.
    stages: list[tuple[str, Callable[[], None] | None]] = [
        ("transit", None),  # computed above
        ("failures", failures),
        ("planning", planning),
        ("schools", schools),
    ]
    if result.home:
        stages.append(("siting", siting))
    stages.append(("capacity", capacity))
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


def choose_systems(net: Network, names: Sequence[str] | None) -> dict[str, Any]:
    """The demo's constellations by table name: ``names`` looked up among the scenario's
    declared systems and the presets; without names, the declared systems, else the presets
    of :data:`DEMO_PRESETS`.

    Raises
    ------
    ScenarioError
        An unknown name (the message lists the known ones), or a bad ``[systems]`` entry.

    >>> from routecore.scenario import load_scenario
    >>> list(choose_systems(load_scenario("central-asia"), ["oneweb-55"]))
    ['oneweb-55']
    """
    from .. import constellation as cs
    from ..errors import ScenarioError

    declared = net.systems()
    if names is None:
        if declared:
            return dict(declared)
        return {label: cs.PRESETS[name] for label, name in DEMO_PRESETS.items()}
    known = {**cs.PRESETS, **declared}
    chosen: dict[str, Any] = {}
    for name in names:
        if name not in known:
            raise ScenarioError(
                f"--system {name!r}: neither a preset nor a system of scenario {net.name!r} "
                f"(known: {', '.join(known)})"
            )
        chosen[name] = known[name]
    return chosen


def _cited(ids: Any, links: pd.DataFrame, assumptions: dict[str, Any], word: str) -> list[str]:
    """Assumption ids cited by the given links whose subject mentions ``word``."""
    found: set[str] = set()
    for link in ids:
        if link in links.index:
            found.update(t.strip() for t in str(links.at[link, "source"]).split(";"))
    subject = {k: str(a.get("subject", "")).casefold() for k, a in assumptions.items()}
    return sorted(k for k in found if k in subject and word in subject[k])


def _named(ids: list[str], assumptions: dict[str, Any]) -> str:
    return "; ".join(f"{k} ({assumptions[k].get('subject', '')})" for k in ids)


def assumption_notes(
    net: Network, cases: pd.DataFrame | None, sweeps: dict[str, pd.DataFrame] | None
) -> list[str]:
    """Sentences naming the listed assumptions that decide a transit or failure result.

    For the transit ``cases`` (:func:`~routecore.analyses.transit_capacity`): the assumptions
    on capacity cited by the links of each minimum cut. For the failure ``sweeps``: the
    assumptions on topology cited by the single links whose failure cuts off every route.

    >>> from routecore.analyses import transit_capacity
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> notes = assumption_notes(net, transit_capacity(net, variants=["tcfo-2025"]).cases, None)
    >>> any("almaty-shymkent" in n and "A12" in n for n in notes)
    True
    """
    assumptions = {str(a.get("id")): a for a in net.meta.get("assumptions", [])}
    notes: list[str] = []
    if cases is not None and "cut_links" in cases.columns:
        groups: dict[tuple[str, ...], list[str]] = {}
        tables: dict[str, pd.DataFrame] = {}
        for rec in cases.to_dict("records"):
            variant = str(rec["variant"])
            if variant not in tables:
                v = net if variant == "base" else net.variant(variant)
                tables[variant] = v.links.set_index("id")
            cut = tuple(rec["cut_links"])
            ids = _cited(cut, tables[variant], assumptions, "capacity")
            if ids:
                groups.setdefault((*cut, "|", *ids), []).append(f"{variant} {rec['policy']}")
        for key, where in groups.items():
            split = key.index("|")
            cut, ids = key[:split], list(key[split + 1 :])
            notes.append(
                f"minimum cut {', '.join(cut)} ({', '.join(where)}): its links' capacities "
                f"cite listed assumptions: {_named(ids, assumptions)}"
            )
    links = net.links.set_index("id")
    for name, sweep in (sweeps or {}).items():
        if "disconnected" not in sweep.columns:
            continue
        cut_off = [f for f, d in zip(sweep["failed"], sweep["disconnected"], strict=True) if d]
        single = sorted({f[0] for f in cut_off if len(f) == 1})
        ids = _cited(single, links, assumptions, "topology")
        if single and ids:
            notes.append(
                f"{len(single)} single-link failures cut off every route ({name}): "
                f"{', '.join(single)}. That follows from the drawn topology, which is an "
                f"assumption: {_named(ids, assumptions)}"
            )
    return notes


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
