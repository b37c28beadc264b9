"""Drawing helpers of :func:`routecore.plotting.network_map`: the country outlines behind the map
and the placement of node labels where they overlap least."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from matplotlib.axes import Axes

HOME_FILL = "#fef3c7"
"""Fill of the scenario's home country."""
FOREIGN_FILL = "#f3f4f6"
"""Fill of every other country."""


def draw_outlines(ax: Axes, outlines: Mapping[str, Any], home: str) -> None:
    from matplotlib.patches import Polygon

    for code, vertices in outlines.items():
        xy = np.asarray(vertices, dtype=float)
        fill = HOME_FILL if code == home else FOREIGN_FILL
        ax.add_patch(
            Polygon(xy, closed=True, facecolor=fill, edgecolor="#d6b26e", linewidth=1.0, zorder=1)
        )
        cx, cy = xy[:, 0].mean(), xy[:, 1].mean()
        ax.text(
            cx,
            cy + 1.8,
            code,
            fontsize=26,
            color="#e5c88f",
            ha="center",
            va="center",
            fontweight="bold",
            zorder=1,
        )


def label_nodes(
    ax: Axes, nodes: Any, big: npt.NDArray[np.bool_], extent: tuple[float, float, float, float]
) -> None:
    """Label every non-terminal node, placing each label where it overlaps least.

    Nodes at the same place share one stacked label (e.g. "Baku / + Baku DC"). Labels are
    placed greedily, most important first, at the first of eight positions around the marker
    that collides with no marker and no label placed before (or else the least bad one).
    """
    from matplotlib.patheffects import withStroke
    from matplotlib.transforms import Bbox

    groups: dict[tuple[float, float], list[int]] = {}
    for i in np.flatnonzero(big):
        key = (round(float(nodes["lat"].iat[i]), 2), round(float(nodes["lon"].iat[i]), 2))
        groups.setdefault(key, []).append(int(i))
    rank = {"pop": 0, "cable_landing": 1, "gateway": 2, "ixp": 3, "datacenter": 4}
    fig = ax.get_figure()
    assert fig is not None
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    fig.canvas.draw()  # apply the layout first so pixel positions are final
    to_px = ax.transData.transform
    marker_boxes = [
        Bbox.from_bounds(x - 6, y - 6, 12, 12)
        for x, y in to_px(np.c_[[k[1] for k in groups], [k[0] for k in groups]])
    ]
    axes_box = ax.get_window_extent(renderer)
    placed: list[Any] = []
    candidates = [
        (7, 4, "left", "bottom"),
        (7, -4, "left", "top"),
        (-7, 4, "right", "bottom"),
        (-7, -4, "right", "top"),
        (0, 9, "center", "bottom"),
        (0, -9, "center", "top"),
        (10, 0, "left", "center"),
        (-10, 0, "right", "center"),
    ]
    # Places with more facilities first: their stacked labels need the room most.
    order = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for (la, lo), rows in order:
        rows.sort(key=lambda r: rank.get(str(nodes["kind"].iat[r]), 9))
        names = [str(nodes["name"].iat[r]) for r in rows]
        text = names[0] + "".join(f"\n+ {n}" for n in names[1:])
        px, py = to_px((lo, la))
        own = Bbox.from_bounds(px - 6, py - 6, 12, 12)
        best = None
        for dx, dy, ha, va in candidates:
            label = ax.annotate(
                text,
                (lo, la),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=8.5,
                color="#111827",
                zorder=8,
                path_effects=[withStroke(linewidth=3, foreground="white")],
            )
            box = label.get_window_extent(renderer).expanded(1.04, 1.08)
            cost = sum(_overlap(box, b) for b in placed)
            cost += sum(_overlap(box, b) for b in marker_boxes if b.bounds != own.bounds)
            if not axes_box.containsx(box.x0) or not axes_box.containsx(box.x1):
                cost += 1e6
            if not axes_box.containsy(box.y0) or not axes_box.containsy(box.y1):
                cost += 1e6
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, label, box)
            else:
                label.remove()
            if cost == 0:
                break
        assert best is not None
        placed.append(best[2])


def _overlap(a: Any, b: Any) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return float(w * h) if w > 0 and h > 0 else 0.0
