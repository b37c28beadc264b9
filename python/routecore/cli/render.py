"""Rendering for the terminal: the rich tables of the report, route and flow commands, and the
cell formatting every table shares (the demo's stages: :mod:`routecore.cli.render_demo`).

Nothing here computes an analysis; it formats what :mod:`routecore.analyses` and
:mod:`routecore.cli.demo` return.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses import FlowReport, Route
    from ..scenario import Network

__all__ = ["print_flow", "print_report", "print_route"]


def _fmt(x: float, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:,.{digits}f}"


def _add_row(table: Any, *cells: Any) -> None:
    """Add a row whose text is shown as is (rich markup in data, like "[[sources]]", stays)."""
    from rich.text import Text

    table.add_row(*(Text(c) if isinstance(c, str) else c for c in cells))


def _node_label(net: Network, node_id: str) -> str:
    row = int(net.node_index([node_id])[0])
    return str(net.nodes["name"].iat[row])


def _policy_words(policy: str, home: str) -> str:
    return {"home": f"in {home} only", "abroad": f"outside {home} only"}.get(policy, policy)


def _route_text(net: Network, route: Sequence[str]) -> str:
    names = [_node_label(net, n) for n in route]
    return " → ".join(names)


def print_report(console: Console, doc: dict[str, Any]) -> None:
    """Print a :func:`~routecore.cli.demo.scenario_summary` as tables.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.cli.demo import scenario_summary
    >>> from routecore.scenario import load_scenario
    >>> console = Console(file=io.StringIO(), width=100)
    >>> print_report(console, scenario_summary(load_scenario("central-asia")))
    >>> "Assumptions" in console.file.getvalue()
    True
    """
    from rich.table import Table

    console.print(f"{doc['title']}  ({doc['name']})", style="bold", markup=False)
    if doc["description"]:
        console.print(doc["description"], style="dim", markup=False)
    t = Table(title="Places", title_justify="left")
    t.add_column("kind")
    t.add_column("count", justify="right")
    t.add_column("countries")
    for kind, row in doc["nodes_by_kind"].items():
        _add_row(t, kind, f"{row['count']:,}", ", ".join(row["countries"]))
    console.print(t)
    t = Table(title="Links", title_justify="left")
    for col in ("medium", "count", "km total", "Gbit/s min", "Gbit/s max"):
        t.add_column(col, justify="left" if col == "medium" else "right")
    for medium, row in doc["links_by_medium"].items():
        _add_row(
            t,
            medium,
            str(row["count"]),
            _fmt(row["length_km"], 0),
            _fmt(row["capacity_gbps_min"], 0),
            _fmt(row["capacity_gbps_max"], 0),
        )
    console.print(t)
    if doc["variants"]:
        t = Table(title="Variants", title_justify="left")
        t.add_column("name")
        t.add_column("description")
        for name, text in doc["variants"].items():
            _add_row(t, name, text)
        console.print(t)
    t = Table(title=f"Assumptions ({len(doc['assumptions'])})", title_justify="left")
    t.add_column("id")
    t.add_column("subject")
    t.add_column("value", overflow="fold")
    for a in doc["assumptions"]:
        _add_row(t, a["id"], a["subject"], a["value"])
    console.print(t)
    console.print(
        f"{doc['sources']} sources cited; every figure marked [UNCERTAIN] or "
        "[ASSUMED] is listed above.",
        style="dim",
        markup=False,
    )


def print_route(console: Console, route: Route) -> None:
    """Print a route hop by hop.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.analyses import route_between
    >>> from routecore.scenario import load_scenario
    >>> console = Console(file=io.StringIO(), width=100)
    >>> print_route(console, route_between(load_scenario("central-asia"), "almaty", "astana"))
    >>> console.file.getvalue().startswith("almaty -> astana")
    True
    """
    from rich.table import Table

    t = Table(
        title=f"{route.nodes[0]} -> {route.nodes[-1]}: {_fmt(route.latency_ms, 2)} ms one-way "
        f"propagation ({_fmt(2 * route.latency_ms, 2)} ms RTT), "
        f"{_fmt(route.length_km, 0)} km, {len(route.links)} links",
        title_justify="left",
    )
    for col in ("#", "from", "to", "link", "medium", "km", "ms one-way", "Gbit/s"):
        t.add_column(col, justify="left" if col in ("from", "to", "link", "medium") else "right")
    for i, hop in enumerate(route.hops(), start=1):
        _add_row(
            t,
            str(i),
            hop["from"],
            hop["to"],
            hop["link"],
            hop["medium"],
            _fmt(hop["length_km"], 0),
            _fmt(hop["latency_ms"], 2),
            _fmt(hop["capacity_gbps"], 0),
        )
    console.print(t)


def print_flow(console: Console, report: FlowReport, avoid: Sequence[str]) -> None:
    """Print a max-flow: its value, the minimum cut and the busiest links.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.analyses import flow_between
    >>> from routecore.scenario import load_scenario
    >>> console = Console(file=io.StringIO(), width=100)
    >>> report = flow_between(load_scenario("central-asia"), ["khorgos"], ["istanbul"])
    >>> print_flow(console, report, [])
    >>> console.file.getvalue().startswith("Max flow khorgos -> istanbul")
    True
    """
    from rich.table import Table

    console.print(
        f"Max flow {', '.join(report.sources)} -> {', '.join(report.sinks)}: "
        f"{_fmt(report.value_gbps, 0)} Gbit/s"
        + (f" (avoiding {', '.join(avoid)})" if avoid else ""),
        style="bold",
        markup=False,
    )
    unique = report.cut_is_unique
    t = Table(
        title="Minimum cut (unique)"
        if unique
        else "Minimum cut closest to the sources (NOT unique)",
        title_justify="left",
    )
    for col in ("link", "from", "to", "medium", "Gbit/s"):
        t.add_column(col, justify="right" if col == "Gbit/s" else "left")
    for row in report.cut_rows():
        _add_row(t, row["link"], row["a"], row["b"], row["medium"], _fmt(row["capacity_gbps"], 0))
    console.print(t)
    if not unique:
        every = ", ".join(report.critical_links)
        console.print(
            "Equally tight cut closest to the sinks: "
            f"{', '.join(report.cut_links_closest_to_sinks) or '—'}. In every minimum cut: "
            + (
                f"{every} (the only single links whose upgrade raises the max flow)."
                if every
                else "no link, so no single-link upgrade raises the max flow."
            ),
            markup=False,
        )
    t = Table(title="Busiest links", title_justify="left")
    for col in ("link", "flow Gbit/s", "capacity", "utilisation"):
        t.add_column(col, justify="left" if col == "link" else "right")
    for row in report.busiest(10):
        _add_row(
            t,
            row["link"],
            _fmt(row["flow_gbps"], 0),
            _fmt(row["capacity_gbps"], 0),
            f"{row['utilisation']:.0%}",
        )
    console.print(t)
