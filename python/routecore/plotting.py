"""A readable map of a scenario: places, links, routes and the min cut (matplotlib).

The map is a plain longitude/latitude chart (equirectangular, with the aspect corrected for the
map's middle latitude). Country outlines stored in the scenario's ``[outlines]`` table are drawn
as a light background; no other geography is needed. Drawing uses the object-oriented
matplotlib API with the Agg canvas, so it works without a display and leaves pyplot alone.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ._map_drawing import draw_outlines, label_nodes

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .scenario import Network

__all__ = ["ROUTE_COLORS", "network_map"]

MEDIUM_STYLE: dict[str, dict[str, Any]] = {
    "fiber": {"color": "#6b7280", "linestyle": "-"},
    "submarine": {"color": "#0e7490", "linestyle": (0, (4, 2))},
    "microwave": {"color": "#a16207", "linestyle": ":"},
    "feeder": {"color": "#7c3aed", "linestyle": ":"},
    "user_link": {"color": "#c4b5fd", "linestyle": ":"},
    "isl": {"color": "#db2777", "linestyle": ":"},
}
KIND_STYLE: dict[str, dict[str, Any]] = {
    "pop": {"marker": "o", "s": 46, "label": "PoP / city"},
    "gateway": {"marker": "^", "s": 110, "label": "Satellite gateway"},
    "ixp": {"marker": "*", "s": 190, "label": "Internet exchange"},
    "datacenter": {"marker": "s", "s": 50, "label": "Data centre"},
    "cable_landing": {"marker": "D", "s": 62, "label": "Cable landing"},
}
ROUTE_COLORS = ("#2563eb", "#059669", "#9333ea", "#0891b2", "#ca8a04")
"""Colours of the highlighted routes, in the order the routes are given."""
CUT_COLOR = "#dc2626"
SINK_CUT_COLOR = "#f97316"


def network_map(
    network: Network,
    *,
    path: str | os.PathLike[str] | None = None,
    title: str | None = None,
    routes: Mapping[str, Sequence[str]] | None = None,
    cut_links: Iterable[str] = (),
    sink_cut_links: Iterable[str] | None = None,
    critical_links: Iterable[str] | None = None,
    link_flow_gbps: Mapping[str, float] | None = None,
    show_terminals: bool = True,
    terminal_values: Mapping[str, float] | None = None,
    terminal_label: str = "",
    extent: tuple[float, float, float, float] | None = None,
    note: str | None = None,
    dpi: int = 150,
) -> Figure:
    """Draw the network on a longitude/latitude map; optionally save it as PNG.

    Parameters
    ----------
    network : Network
    path : path-like, optional
        Where to save the figure (format from the suffix, e.g. ``.png``).
    title : str, optional
        Defaults to the scenario title or name.
    routes : mapping of label -> node ids, optional
        Paths to draw on top, each in its own colour, e.g. the lowest-latency transit route.
    cut_links : iterable of link ids
        Links drawn in red as the minimum cut (the one closest to the sources, when
        ``sink_cut_links`` is given too).
    sink_cut_links : iterable of link ids, optional
        The minimum cut closest to the sinks. When it differs from ``cut_links`` the minimum
        cut is not unique: its links are drawn dashed and the legend says so.
    critical_links : iterable of link ids, optional
        Links in every minimum cut (the only single links whose upgrade raises the max flow),
        outlined in black and named in the legend.
    link_flow_gbps : mapping of link id -> flow, optional
        When given, a link's width follows its flow instead of its capacity.
    show_terminals : bool, default True
        Draw terminals (schools) as small dots.
    terminal_values : mapping of node id -> float, optional
        Colour the terminals by these values (e.g. median latency), with a colour bar titled
        ``terminal_label``; terminals with NaN / missing values are drawn as crosses.
    terminal_label : str
    extent : (lon_min, lon_max, lat_min, lat_max), optional
        Default: every non-terminal node with a margin.
    note : str, optional
        A text box in the top right corner (e.g. the headline numbers).
    dpi : int, default 150

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> fig = network_map(load_scenario("central-asia"))
    >>> len(fig.axes) >= 1
    True
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    nodes = network.nodes
    links = network.links
    meta = network.meta
    home = str(meta.get("analysis", {}).get("home_country", ""))
    lat = nodes["lat"].to_numpy()
    lon = nodes["lon"].to_numpy()
    kind = nodes["kind"].to_numpy(dtype=object)
    big = kind != "terminal"
    if extent is None:
        lo_x, hi_x = float(lon[big].min()), float(lon[big].max())
        lo_y, hi_y = float(lat[big].min()), float(lat[big].max())
        pad_x, pad_y = 0.04 * (hi_x - lo_x) + 1.0, 0.08 * (hi_y - lo_y) + 1.0
        extent = (lo_x - pad_x, hi_x + pad_x, lo_y - pad_y, hi_y + pad_y)
    x0, x1, y0, y1 = extent
    aspect = 1.0 / max(math.cos(math.radians(0.5 * (y0 + y1))), 0.2)
    width = 16.0
    height = min(max(0.85 * width * (y1 - y0) * aspect / (x1 - x0) + 2.4, 5.0), 12.0)
    fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.set_facecolor("#f8fafc")
    draw_outlines(ax, meta.get("outlines", {}), home)

    # Links: width ~ log capacity (or flow), style by medium.
    a_row, b_row = network.link_ends()
    values = links["capacity_gbps"].to_numpy(dtype=float)
    if link_flow_gbps is not None:
        values = np.array([float(link_flow_gbps.get(i, 0.0)) for i in links["id"]])
    widths = _widths(values)
    cut = set(cut_links)
    mediums_used: list[str] = []
    for e in range(len(links)):
        medium = str(links["medium"].iat[e])
        if medium not in mediums_used:
            mediums_used.append(medium)
        style = MEDIUM_STYLE.get(medium, MEDIUM_STYLE["fiber"])
        ax.plot(
            [lon[a_row[e]], lon[b_row[e]]],
            [lat[a_row[e]], lat[b_row[e]]],
            color=style["color"],
            linestyle=style["linestyle"],
            linewidth=widths[e],
            alpha=0.85,
            solid_capstyle="round",
            zorder=2,
        )

    # Routes on top of the links, slightly offset so two routes on one link stay visible.
    handles: list[Any] = []
    for k, (label, route) in enumerate((routes or {}).items()):
        rows = network.node_index(list(route))
        color = ROUTE_COLORS[k % len(ROUTE_COLORS)]
        shift = 0.12 * (k - 0.5 * (len(routes or {}) - 1))
        ax.plot(
            lon[rows],
            lat[rows] + shift,
            color=color,
            linewidth=3.2,
            alpha=0.9,
            zorder=4,
            solid_joinstyle="round",
            solid_capstyle="round",
        )
        handles.append(Line2D([], [], color=color, linewidth=3.2, label=label))

    # The min cut: thick red segments with a white halo; an equally tight second cut dashed.
    index = {lid: e for e, lid in enumerate(links["id"])}

    def draw(lids: Iterable[str], color: str, linestyle: Any, z: int) -> None:
        for lid in lids:
            e = index[lid]
            xs = [lon[a_row[e]], lon[b_row[e]]]
            ys = [lat[a_row[e]], lat[b_row[e]]]
            ax.plot(xs, ys, color="white", linewidth=9, zorder=z, solid_capstyle="round")
            ax.plot(
                xs,
                ys,
                color=color,
                linewidth=5.5,
                linestyle=linestyle,
                zorder=z + 1,
                solid_capstyle="round",
            )

    other = set(sink_cut_links) if sink_cut_links is not None else cut
    unique = other == cut
    if cut:
        draw(sorted(cut), CUT_COLOR, "-", 5)
        label = (
            "Minimum cut"
            if sink_cut_links is None
            else (
                "Minimum cut (unique)"
                if unique
                else "Minimum cut closest to the sources (not unique)"
            )
        )
        handles.append(Line2D([], [], color=CUT_COLOR, linewidth=5.5, label=label))
    if not unique and other:
        draw(sorted(other - cut), SINK_CUT_COLOR, (0, (2, 1)), 5)
        handles.append(
            Line2D(
                [],
                [],
                color=SINK_CUT_COLOR,
                linewidth=5.5,
                linestyle=(0, (2, 1)),
                label="Equally tight cut closest to the sinks",
            )
        )
    if critical_links is not None and not unique:
        crit = sorted(critical_links)
        for lid in crit:
            e = index[lid]
            ax.plot(
                [lon[a_row[e]], lon[b_row[e]]],
                [lat[a_row[e]], lat[b_row[e]]],
                color="black",
                linewidth=1.6,
                zorder=7,
            )
        text = ", ".join(crit) if crit else "none: no single upgrade raises the flow"
        handles.append(
            Line2D([], [], color="black", linewidth=1.6, label=f"In every minimum cut: {text}")
        )

    if show_terminals and (~big).any():
        term = np.flatnonzero(~big)
        label = f"School terminal ({term.size:,})"
        if terminal_values is not None:
            ids = nodes["id"].to_numpy(dtype=object)[term]
            values = np.array([terminal_values.get(i, np.nan) for i in ids], dtype=float)
            known = np.isfinite(values)
            ax.scatter(
                lon[term[~known]],
                lat[term[~known]],
                s=6,
                marker="x",
                color="#991b1b",
                linewidths=0.7,
                zorder=3,
            )
            dots = ax.scatter(
                lon[term[known]],
                lat[term[known]],
                s=7,
                c=values[known],
                cmap="plasma_r",
                alpha=0.85,
                linewidths=0,
                zorder=3,
            )
            bar = fig.colorbar(
                dots, ax=ax, orientation="vertical", fraction=0.018, pad=0.01, shrink=0.7
            )
            bar.set_label(terminal_label, fontsize=9)
            bar.ax.tick_params(labelsize=8)
            if (~known).any():
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="x",
                        linestyle="",
                        markersize=5,
                        color="#991b1b",
                        label=f"School never connected ({int((~known).sum()):,})",
                    )
                )
            color = "#7c3aed"
        else:
            ax.scatter(
                lon[term], lat[term], s=3, color="#64748b", alpha=0.45, linewidths=0, zorder=3
            )
            color = "#64748b"
        handles.append(
            Line2D([], [], marker="o", linestyle="", markersize=3, color=color, label=label)
        )

    country = nodes["country"].to_numpy(dtype=object)
    for node_kind, style in KIND_STYLE.items():
        kind_rows = np.flatnonzero(kind == node_kind)
        if kind_rows.size == 0:
            continue
        face = np.where(country[kind_rows] == home, "#b45309", "#1f2937") if home else "#1f2937"
        ax.scatter(
            lon[kind_rows],
            lat[kind_rows],
            marker=style["marker"],
            s=style["s"],
            c=face,
            edgecolors="white",
            linewidths=1.0,
            zorder=7,
        )
        handles.append(
            Line2D(
                [],
                [],
                marker=style["marker"],
                linestyle="",
                markersize=8,
                markerfacecolor="#1f2937",
                markeredgecolor="white",
                label=style["label"],
            )
        )

    for medium in mediums_used:
        style = MEDIUM_STYLE.get(medium, MEDIUM_STYLE["fiber"])
        handles.append(
            Line2D(
                [],
                [],
                color=style["color"],
                linestyle=style["linestyle"],
                linewidth=2.5,
                label=medium.replace("_", " ").capitalize(),
            )
        )
    if home:
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=8,
                markerfacecolor="#b45309",
                markeredgecolor="white",
                label=f"Site in {home}",
            )
        )

    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(aspect)
    ax.set_xlabel("Longitude (°E)")
    ax.set_ylabel("Latitude (°N)")
    ax.grid(True, color="#e2e8f0", linewidth=0.6, zorder=0)
    ax.set_title(title or str(meta.get("title", network.name)), fontsize=14, loc="left")
    width_note = "flow" if link_flow_gbps is not None else "capacity"
    fig.legend(
        handles=handles,
        loc="outside lower center",
        fontsize=9,
        frameon=False,
        ncol=min(len(handles), 6),
        title=f"Line width ~ log {width_note}",
        title_fontsize=9,
    )
    if note:
        ax.text(
            0.995,
            0.985,
            note,
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize=9.5,
            color="#111827",
            zorder=9,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#cbd5e1"},
        )
    label_nodes(ax, nodes, big, extent)
    if path is not None:
        from pathlib import Path

        import matplotlib as mpl

        from ._atomic import atomic_path

        # Written atomically (routecore._atomic); the format follows path's suffix as before.
        with atomic_path(path) as part:
            fig.savefig(part, format=Path(path).suffix[1:] or mpl.rcParams["savefig.format"])
    return fig


def _widths(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    positive = values[values > 0]
    if positive.size == 0:
        return np.full(values.shape, 1.0)
    lo, hi = math.log10(positive.min()), math.log10(positive.max())
    span = max(hi - lo, 1e-9)
    scaled = (np.log10(np.maximum(values, positive.min())) - lo) / span
    return np.where(values > 0, 0.8 + 2.6 * scaled, 0.4)
