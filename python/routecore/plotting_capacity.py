"""The capacity layer of the map: each school's fair-share rate and each gateway's saturation.

Drawn over :func:`routecore.plotting.network_map` (places, links, country outlines) from a
:class:`~routecore.analyses.SchoolCapacity`, for one system and gateway policy:

* **schools** coloured by their max-min fair rate in Mbit/s, the mean over the time steps
  (colour bar "Fair-share rate, Mbit/s"); schools that get nothing at any step are crosses;
* **gateways** as discs under their markers coloured by saturation, the carried traffic over
  the gateway's capacity (antennas, or the feeder links open to it) in percent, mean over the
  steps, and labelled "carried / capacity Gbit/s"; a gateway the policy closes is grey.

Carried traffic per gateway is one maximum flow's split (the fair-share flow), so only a
saturated gateway's figure holds for every maximum flow (see ``SchoolCapacity.gateways``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from .plotting import network_map

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .analyses import SchoolCapacity
    from .scenario import Network

__all__ = ["RATE_LABEL", "SATURATION_LABEL", "capacity_map", "capacity_map_values"]

RATE_LABEL = "Fair-share rate per school, Mbit/s"
"""The schools' colour bar title (the mean over the steps and the system follow it)."""

SATURATION_LABEL = "Gateway saturation, % of capacity carried"
"""The gateways' colour bar title."""


def capacity_map_values(
    result: SchoolCapacity, constellation: str | None = None, policy: str | None = None
) -> tuple[str, str, Any, Any]:
    """What :func:`capacity_map` draws: ``(constellation, policy, schools, gateways)``;
    ``schools`` maps school id -> mean fair rate (Mbit/s) over the steps, ``gateways`` is a
    DataFrame indexed by gateway id with the mean ``carried_gbps``, ``capacity_gbps`` and
    ``saturation`` (NaN where the gateway can take nothing) over the steps. Defaults: the
    first row of ``result.summary``.

    >>> from routecore import constellation as cs
    >>> from routecore.analyses import school_capacity
    >>> from routecore.scenario import load_scenario
    >>> res = school_capacity(load_scenario("central-asia"), [cs.STARLINK_SHELL1], [0.0],
    ...                       policies=("home",), demand_mbps=200.0, latency=False)
    >>> name, policy, rates, gateways = capacity_map_values(res)
    >>> round(float(rates.median()), 1), float(gateways.loc["kokterek", "saturation"])
    (160.0, 1.0)
    """
    summary = result.summary
    if len(summary) == 0:
        raise ValueError("the capacity result has no finished time step to draw")
    cname = str(summary["constellation"].iat[0]) if constellation is None else constellation
    pol = str(summary["policy"].iat[0]) if policy is None else policy
    chosen = (summary["constellation"] == cname) & (summary["policy"] == pol)
    if not chosen.any():
        pairs = sorted(set(zip(summary["constellation"], summary["policy"], strict=True)))
        raise ValueError(f"no rows for constellation {cname!r}, policy {pol!r}; have {pairs}")
    schools = result.schools
    rows = schools[(schools["constellation"] == cname) & (schools["policy"] == pol)]
    rates = rows.groupby("school", sort=False)["fair_rate_mbps"].mean()
    gw = result.gateways
    gw = gw[(gw["constellation"] == cname) & (gw["policy"] == pol)]
    gateways = gw.groupby("gateway", sort=False)[["carried_gbps", "capacity_gbps"]].mean()
    capacity = gateways["capacity_gbps"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        gateways["saturation"] = np.where(
            capacity > 0, gateways["carried_gbps"].to_numpy(dtype=float) / capacity, np.nan
        )
    return cname, pol, rates, gateways


def capacity_map(
    network: Network,
    result: SchoolCapacity,
    *,
    constellation: str | None = None,
    policy: str | None = None,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    dpi: int = 150,
) -> Figure:
    """The scenario map with the capacity layer (see the module notes); optionally saved.

    Parameters
    ----------
    network : Network
        The scenario ``result`` was computed on.
    result : SchoolCapacity
        From :func:`routecore.analyses.school_capacity`.
    constellation, policy : str, optional
        Which system and gateway policy to draw (default: the first of ``result.summary``).
    path : path-like, optional
        Where to save the figure (format from the suffix), written atomically.
    title : str, optional
    dpi : int, default 150

    Returns
    -------
    matplotlib.figure.Figure
        The school dots carry ``gid="fair-share-rates"`` and the gateway discs
        ``gid="gateway-saturation"`` (their colour values are the numbers drawn).

    Raises
    ------
    ValueError
        No finished step, or no rows for ``constellation`` / ``policy``.

    Examples
    --------
    >>> from routecore import constellation as cs
    >>> from routecore.analyses import school_capacity
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> res = school_capacity(net, [cs.ONEWEB], [0.0], policies=("home",), latency=False)
    >>> fig = capacity_map(net, res)
    >>> [a.get_label() for a in fig.axes[1:]]
    ['<colorbar>', '<colorbar>']
    """
    from matplotlib.lines import Line2D

    cname, pol, rates, gateways = capacity_map_values(result, constellation, policy)
    steps = int(result.summary["steps"].max())
    nodes = network.nodes
    ids = nodes["id"].to_numpy(dtype=object)
    lat = nodes["lat"].to_numpy(dtype=float)
    lon = nodes["lon"].to_numpy(dtype=float)
    words = {"home": "in-country gateways", "any": "any gateway", "abroad": "gateways abroad"}
    fig = network_map(
        network,
        show_terminals=False,
        title=title
        or f"{network.meta.get('title', network.name)}\nHow much each school gets: "
        f"{cname}, {words.get(pol, pol)} (mean over {steps} time step{'s' * (steps != 1)})",
        dpi=dpi,
    )
    ax = fig.axes[0]
    row = {node: i for i, node in enumerate(ids)}

    school_rows = np.array([row[s] for s in rates.index], dtype=np.int64)
    values = rates.to_numpy(dtype=float)
    none = ~(values > 0)
    ax.scatter(
        lon[school_rows[none]],
        lat[school_rows[none]],
        s=7,
        marker="x",
        color="#991b1b",
        linewidths=0.7,
        zorder=3,
        gid="schools-without-rate",
    )
    dots = ax.scatter(
        lon[school_rows[~none]],
        lat[school_rows[~none]],
        s=8,
        c=values[~none],
        cmap="viridis",
        linewidths=0,
        zorder=3,
        gid="fair-share-rates",
    )
    bar = fig.colorbar(dots, ax=ax, orientation="vertical", fraction=0.018, pad=0.01, shrink=0.7)
    bar.set_label(f"{RATE_LABEL}\n(mean over the steps)", fontsize=9)

    gw_rows = np.array([row[g] for g in gateways.index], dtype=np.int64)
    saturation = 100.0 * gateways["saturation"].to_numpy(dtype=float)
    closed = np.isnan(saturation)
    ax.scatter(
        lon[gw_rows[closed]], lat[gw_rows[closed]], s=520, color="#d1d5db", zorder=6, linewidths=0
    )
    discs = ax.scatter(
        lon[gw_rows[~closed]],
        lat[gw_rows[~closed]],
        s=520,
        c=saturation[~closed],
        cmap="Reds",
        vmin=0.0,
        vmax=100.0,
        edgecolors="#7f1d1d",
        linewidths=0.8,
        zorder=6,
        gid="gateway-saturation",
    )
    gbar = fig.colorbar(discs, ax=ax, orientation="vertical", fraction=0.018, pad=0.01, shrink=0.7)
    gbar.set_label(SATURATION_LABEL, fontsize=9)
    for g, r, carried, cap in zip(
        gateways.index,
        gw_rows,
        gateways["carried_gbps"].to_numpy(dtype=float),
        gateways["capacity_gbps"].to_numpy(dtype=float),
        strict=True,
    ):
        text = f"{carried:.0f} / {cap:.0f} Gbit/s" if cap > 0 else "closed"
        ax.annotate(
            text,
            (lon[r], lat[r]),
            xytext=(0, -16),
            textcoords="offset points",
            ha="center",
            fontsize=7.5,
            color="#7f1d1d",
            zorder=9,
            gid=f"gateway-label-{g}",
        )
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=4,
            color="#21918c",
            label="School: " + RATE_LABEL,
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=11,
            markerfacecolor="#ef4444",
            markeredgecolor="#7f1d1d",
            label="Gateway: carried / capacity (one maximum flow)",
        ),
    ]
    if none.any():
        handles.append(
            Line2D(
                [],
                [],
                marker="x",
                linestyle="",
                markersize=5,
                color="#991b1b",
                label=f"School with no rate ({int(none.sum()):,})",
            )
        )
    if closed.any():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=11,
                color="#d1d5db",
                label="Gateway closed by the policy",
            )
        )
    ax.legend(handles=handles, loc="lower left", fontsize=8.5, title="Capacity", framealpha=0.9)
    if path is not None:
        from pathlib import Path

        import matplotlib as mpl

        from ._atomic import atomic_path

        with atomic_path(path) as part:
            fig.savefig(part, format=Path(path).suffix[1:] or mpl.rcParams["savefig.format"])
    return fig
