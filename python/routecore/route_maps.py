"""Maps of diverse routes: each city pair's disjoint primary and backup route on the scenario map.

:func:`diverse_routes_map` draws a :class:`~routecore.analyses.DiversityReport` with
:func:`routecore.plotting.network_map`: per pair, the primary and the backup route of one
disjointness mode, labelled with their one-way propagation latency and the backup's penalty
(its latency minus the pair's fastest route). ``routecore paths --map FILE`` writes it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal

from .plotting import ROUTE_COLORS, network_map

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from .scenario import Network

__all__ = ["diverse_routes_map"]

_WORDS = {"edge": "no link", "node": "no node", "group": "no risk group"}


def diverse_routes_map(
    network: Network,
    report: Any,
    *,
    mode: Literal["edge", "node", "group"] = "group",
    path: str | os.PathLike[str] | None = None,
    dpi: int = 150,
) -> Figure:
    """Draw each pair's ``mode``-disjoint primary and backup routes; optionally save the map.

    Parameters
    ----------
    network : Network
        The network the report was computed on.
    report : DiversityReport
        From :func:`~routecore.analyses.route_diversity`. At most
        ``len(ROUTE_COLORS) // 2`` pairs fit (two colours each).
    mode : {"edge", "node", "group"}, default "group"
        Which disjoint pair to draw (``group``: the report's shared-risk groups).
    path : path-like, optional
        Where to save the figure (format from the suffix).
    dpi : int, default 150

    Returns
    -------
    matplotlib.figure.Figure
        Pairs without two such routes are named in the note box, not drawn.

    Raises
    ------
    ValueError
        An unknown ``mode`` or more pairs than colours.

    Examples
    --------
    >>> from routecore.analyses import route_diversity
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> fig = diverse_routes_map(net, route_diversity(net, [("almaty", "frankfurt")], k=1))
    >>> labels = [t.get_text() for t in fig.legends[0].get_texts()]
    >>> [x for x in labels if x.startswith("almaty")]
    ['almaty → frankfurt primary 34.6 ms', 'almaty → frankfurt backup 44.1 ms (+9.8)']
    """
    if mode not in _WORDS:
        raise ValueError(f"mode must be one of {tuple(_WORDS)}; got {mode!r}")
    rows = report.protection[report.protection["mode"] == mode].to_dict(orient="records")
    if 2 * len(rows) > len(ROUTE_COLORS):
        raise ValueError(
            f"{len(rows)} pairs: a map shows at most {len(ROUTE_COLORS) // 2} (two colours each)"
        )
    routes: dict[str, list[str]] = {}
    missing = []
    for r in rows:
        pair = f"{r['src']} → {r['dst']}"
        if not r["backup_nodes"]:
            missing.append(pair)
            continue
        routes[f"{pair} primary {r['primary_ms']:.1f} ms"] = r["primary_nodes"].split(" > ")
        routes[f"{pair} backup {r['backup_ms']:.1f} ms (+{r['penalty_ms']:.1f})"] = r[
            "backup_nodes"
        ].split(" > ")
    what = _WORDS[mode] + (f" ({report.groups})" if mode == "group" else "")
    note = (
        f"Route pairs sharing {what}.\nLatency: one-way propagation; (+x): the backup's "
        "penalty over the fastest route."
    )
    if missing:
        note += f"\nNo such pair exists for: {', '.join(missing)}."
    return network_map(
        network,
        path=path,
        title=f"Diverse routes: {network.meta.get('title', network.name)}",
        routes=routes,
        show_terminals=False,
        note=note,
        dpi=dpi,
    )
