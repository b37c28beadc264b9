"""``routecore capacity`` and the demo's capacity stage: how much each school gets.

:func:`capacity_times` picks the time steps, :func:`capacity_doc` turns a
:class:`~routecore.analyses.SchoolCapacity` into the JSON document and :func:`capacity_table`
into the terminal table. The analysis itself is :func:`routecore.analyses.school_capacity`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from ..analyses import SchoolCapacity

__all__ = [
    "CAPACITY_PRESETS",
    "DEMO_CAPACITY_STEPS",
    "capacity_doc",
    "capacity_table",
    "capacity_times",
]

CAPACITY_PRESETS = ("starlink-shell1", "oneweb")
"""The systems ``routecore capacity`` compares unless ``--constellation`` says otherwise."""

DEMO_CAPACITY_STEPS = 4
"""Time steps of the demo's capacity stage, spread evenly over the demo's window (the max-flow,
fair-share and min-cost solves cost far more per step than the latency sweep; ``routecore
capacity --steps`` runs more)."""

_CAPTION = (
    "means over the steps. carried: most traffic all schools send at once (max-flow), share "
    "of demand; guaranteed: the smallest max-min fair rate (worst step); schools at full "
    "demand under fair sharing; one-way ms: propagation only, flow-weighted under load / the "
    "unloaded shortest path; bottleneck: the minimum cut closest to the schools, most "
    "frequent group"
)


def capacity_times(window_s: float, steps: int) -> npt.NDArray[np.float64]:
    """``steps`` times evenly spread over ``[0, window_s)``.

    >>> capacity_times(86_400.0, 4).tolist()
    [0.0, 21600.0, 43200.0, 64800.0]
    """
    return np.arange(steps, dtype=np.float64) * (window_s / steps)


def _fmt(x: Any, digits: int = 1) -> str:
    try:
        value = float(x)
    except (TypeError, ValueError):
        return str(x)
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def capacity_table(result: SchoolCapacity, home: str) -> Any:
    """The summary of ``result`` as a rich table (one row per system and policy)."""
    from rich.table import Table
    from rich.text import Text

    summary = result.summary
    steps = sorted(set(summary["steps"].tolist())) if len(summary) else [0]
    demand = float(summary["demand_gbps"].iat[0]) if len(summary) else math.nan
    t = Table(
        title=f"How much each school gets ({'/'.join(map(str, steps))} time steps, "
        f"{_fmt(demand, 1)} Gbit/s demanded)",
        title_justify="left",
        caption=Text(_CAPTION, style="dim"),
        caption_justify="left",
    )
    for name, justify in (
        ("system", "left"),
        ("gateways", "left"),
        ("carried\nGbit/s\n(share)", "right"),
        ("guaran-\nteed\nMbit/s", "right"),
        ("schools\nat full\ndemand", "right"),
        ("one-way\nms load\n/ none", "right"),
        ("bottleneck (share of steps)", "left"),
    ):
        t.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for _, r in summary.iterrows():
        policy = str(r["policy"])
        share = r["carried_share_mean"]
        t.add_row(
            str(r["constellation"]),
            f"in {home}" if policy == "home" else policy,
            f"{_fmt(r['carried_gbps_mean'])} ({'-' if math.isnan(share) else f'{share:.0%}'})",
            _fmt(r["guaranteed_mbps_min"]),
            _fmt(r["schools_full_demand_mean"], 0),
            f"{_fmt(r['loaded_one_way_propagation_ms'])} / "
            f"{_fmt(r['unloaded_one_way_propagation_ms'])}",
            f"{r['bottleneck']} ({r['bottleneck_share']:.0%})",
        )
    return t


def _records(df: Any) -> list[dict[str, Any]]:
    from .output import jsonable

    out: list[dict[str, Any]] = jsonable(df.to_dict(orient="records"))
    return out


def capacity_doc(result: SchoolCapacity, times_s: npt.ArrayLike) -> dict[str, Any]:
    """The JSON document of a capacity run: summary and per-step rows, the time steps, the
    assumptions, whether it was stopped early (per-school rows go to CSV, not JSON)."""
    return {
        "times_s": np.asarray(times_s, dtype=np.float64).tolist(),
        "partial": result.partial,
        "summary": _records(result.summary),
        "steps": _records(result.steps),
        "assumptions": list(result.assumptions),
        "latency_basis": "one-way propagation (RTT = 2 x one-way, propagation only)",
    }
