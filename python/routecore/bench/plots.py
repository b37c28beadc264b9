"""One bar chart per family (PNG and SVG), drawn with matplotlib when it is installed (the
``geo`` extra brings it); without it no plot is drawn and the report says so."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from routecore._atomic import atomic_path


def available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def plot_family(record: dict[str, Any], out: Path) -> list[Path]:
    """``<family>.png`` and ``<family>.svg`` under ``out``: each contestant's time (log scale),
    routecore ``auto`` in dark blue, its other methods light blue, peers grey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    timed = [c for c in record["contestants"] if c["seconds"] is not None]
    timed.sort(key=lambda c: c["seconds"])
    colours = {"auto": "#1f4e99", "method": "#8fb3e8", "peer": "#999999"}
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(timed) + 1.6))
    try:
        labels = [c["name"] for c in timed]
        ax.barh(labels, [c["seconds"] for c in timed], color=[colours[c["kind"]] for c in timed])
        ax.invert_yaxis()
        ax.set_xscale("log")
        ax.set_xlabel("seconds per solve, min of the runs (lower is faster)")
        ax.set_title(f"{record['family']}: {record['instance']}", fontsize=9)
        untimed = [
            f"{c['name']} ({c['status']})" for c in record["contestants"] if c["seconds"] is None
        ]
        if untimed:
            ax.text(
                0.99,
                0.01,
                "not timed: " + ", ".join(untimed),
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=6,
                wrap=True,
            )
        fig.tight_layout()
        out.mkdir(parents=True, exist_ok=True)
        paths = []
        for ext in ("png", "svg"):
            with atomic_path(out / f"{record['family']}.{ext}") as tmp:
                fig.savefig(tmp, format=ext, dpi=110)
            paths.append(out / f"{record['family']}.{ext}")
        return paths
    finally:
        plt.close(fig)
