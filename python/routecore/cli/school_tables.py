"""The demo's per-system school tables: :func:`school_summary` condenses a
:func:`~routecore.analyses.school_connectivity` table to one row per (constellation, policy),
:func:`preset_spread` sets the constellation presets' readings side by side. Used by
:func:`routecore.cli.demo.compute_demo` (and importable from there)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["preset_spread", "school_summary"]


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


def preset_spread(summary: pd.DataFrame, systems: dict[str, Any]) -> pd.DataFrame:
    """Availability and latency per constellation preset, for the in-country and any-gateway
    policies: the spread between the readings of the uncertain constellation figures.

    ``summary`` is :func:`school_summary` of all the presets; ``systems`` maps its constellation
    names to the presets (:class:`~routecore.constellation.Constellation`).

    >>> import pandas as pd
    >>> from routecore.constellation import ONEWEB_55
    >>> summary = pd.DataFrame({"constellation": ["o"], "policy": ["home"], "schools": [4],
    ...     "always_connected": [1], "mean_connected_share": [0.9], "median_latency_ms": [9.0],
    ...     "p95_latency_ms": [17.0]})
    >>> preset_spread(summary, {"o": ONEWEB_55})[["preset", "user_elevation_deg",
    ...     "laser_links", "always_online_share"]].values.tolist()
    [['oneweb-55', 55.0, False, 0.25]]
    """
    import pandas as pd

    rows = []
    for rec in summary.to_dict("records"):
        if rec["policy"] not in ("home", "any") or rec["constellation"] not in systems:
            continue
        preset = systems[rec["constellation"]]
        rows.append(
            {
                "system": rec["constellation"],
                "preset": preset.name,
                "user_elevation_deg": float(preset.min_elevation_user_deg),
                "laser_links": bool(preset.has_isl),
                "policy": rec["policy"],
                "always_online_share": rec["always_connected"] / max(rec["schools"], 1),
                "time_online_share": float(rec["mean_connected_share"]),
                "median_latency_ms": float(rec["median_latency_ms"]),
                "p95_latency_ms": float(rec["p95_latency_ms"]),
            }
        )
    return pd.DataFrame(rows)
