"""Rendering of the demo for the terminal: the opening panel and each finished stage's tables
(transit capacity and cuts, failures, schools, gateway siting, capacity).

Nothing here computes an analysis; it formats what :mod:`routecore.cli.demo` returns, with the
cell helpers of :mod:`routecore.cli.render`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .render import _add_row, _fmt, _node_label, _policy_words, _route_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..scenario import Network
    from .demo import DemoResult

__all__ = ["print_demo_stage", "print_headline"]

_LATENCY_CAPTION = (
    "ms: one-way propagation (speed of light only, no processing or scheduling delay); "
    "RTT: round trip, 2 x one-way propagation plus any delay the scenario declares in [delays]"
)


def _cut_cell(row: Any) -> str:
    """The minimum cut of a transit case for the table: its links, or that it is not unique."""
    if row.get("cut_is_unique", True):
        return f"{', '.join(row['cut_links']) or '—'} (unique)"
    return "not unique: see below"


def _cuts_text(cases: Any) -> Any:
    """For every transit case whose minimum cut is not unique: both canonical cuts and the
    links in every minimum cut (the only single links whose upgrade raises the max flow)."""
    from rich.text import Text

    text = Text()
    for _, row in cases.iterrows():
        if row.get("cut_is_unique", True):
            continue
        every = ", ".join(row["critical_links"])
        text.append(f"{row['variant']}, {row['policy']}: ", style="bold")
        text.append(
            "the minimum cut is NOT unique. Closest to the sources: "
            f"{', '.join(row['cut_links']) or '—'}; closest to the sinks: "
            f"{', '.join(row['cut_links_closest_to_sinks']) or '—'} (every minimum cut lies "
            "between them). In every minimum cut: "
            + (
                f"{every} (the only single links whose upgrade raises the max flow)\n"
                if every
                else "no link, so no single-link upgrade raises the max flow\n"
            )
        )
    return text


def _transit_title(net: Network) -> str:
    """ "Transit: A, B → C" from the scenario's transit sources and sinks (up to 3 names each)."""
    analysis = net.meta.get("analysis", {})
    sides = [
        [_node_label(net, n) for n in analysis.get(k, [])]
        for k in ("transit_sources", "transit_sinks")
    ]
    text = [", ".join(n[:3]) + (f" and {len(n) - 3} more" if len(n) > 3 else "") for n in sides]
    return f"Transit: {text[0]} → {text[1]}"


def _transit_table(net: Network, cases: Any) -> Any:
    from rich.table import Table

    t = Table(title=_transit_title(net), title_justify="left")
    t.add_column("cable")
    t.add_column("routes")
    t.add_column("max flow\nTbit/s", justify="right")
    t.add_column("minimum cut (links)", overflow="fold")
    t.add_column("fastest: one-way\npropagation / RTT", justify="right")
    for _, row in cases.iterrows():
        _add_row(
            t,
            row["variant"],
            row["policy"],
            _fmt(row["max_flow_gbps"] / 1000, 1),
            _cut_cell(row),
            f"{_fmt(row['best_latency_ms'], 1)} / {_fmt(2 * row['best_latency_ms'], 1)} ms "
            f"to {_node_label(net, row['best_sink'])}",
        )
    return t


def _routes_text(net: Network, routes: Any) -> Any:
    from rich.text import Text

    text = Text()
    seen = set()
    for _, row in routes.iterrows():
        key = (row["policy"], row["sink"], tuple(row["route"]))
        if key in seen:
            continue
        seen.add(key)
        text.append(f"{row['policy']} → {_node_label(net, row['sink'])}: ", style="bold")
        if row["route"]:
            text.append(
                f"{row['latency_ms']:.1f} ms one-way propagation "
                f"({2 * row['latency_ms']:.1f} ms RTT), {row['length_km']:,.0f} km: "
            )
            text.append(_route_text(net, row["route"]) + "\n", style="dim")
        else:
            text.append("no route\n")
    return text


def _sweep_table(sweeps: dict[str, Any], top: int) -> Any:
    import pandas as pd
    from rich.table import Table

    names = list(sweeps)
    merged = None
    for name in names:
        df = sweeps[name][["failed", "lost_gbps", "added_latency_ms"]].copy()
        df["failed"] = df["failed"].map(lambda f: " + ".join(f))
        df = df.rename(columns={"lost_gbps": f"lost:{name}", "added_latency_ms": f"ms:{name}"})
        merged = df if merged is None else pd.merge(merged, df, on="failed", how="outer")
    assert merged is not None
    lost_cols = [f"lost:{n}" for n in names]
    ms_cols = [f"ms:{n}" for n in names]
    harm = merged[lost_cols].max(axis=1)
    delay = merged[ms_cols].replace(float("inf"), 1e12).max(axis=1)
    merged = merged.assign(_h=harm, _d=delay).sort_values(["_h", "_d"], ascending=False)
    t = Table(title=f"Worst single-link failures (top {top})", title_justify="left")
    t.add_column("failed link(s)")
    for n in names:
        t.add_column(f"lost Gbit/s\n{n}", justify="right")
        t.add_column(f"+ms one-way\n{n}", justify="right")
    for _, row in merged.head(top).iterrows():
        cells = [row["failed"]]
        for n in names:
            ms = row[f"ms:{n}"]
            cells += [_fmt(row[f"lost:{n}"], 0), "cut off" if ms == float("inf") else _fmt(ms, 1)]
        _add_row(t, *cells)
    return t


def _school_summary_table(summary: Any, steps: dict[str, int], step_s: float, home: str) -> Any:
    from rich.table import Table
    from rich.text import Text

    counts = sorted(set(steps.values()))
    shown = "/".join(str(c) for c in counts)
    t = Table(
        title=f"Rural schools → internet exchange ({shown} time steps, every {step_s:g} s)",
        title_justify="left",
        caption=Text(_LATENCY_CAPTION, style="dim"),
        caption_justify="left",
    )
    t.add_column("system")
    t.add_column("gateways")
    t.add_column("always\nonline", justify="right")
    t.add_column("time\nonline", justify="right")
    t.add_column("one-way\nms:\nmedian\n/ p95", justify="right")
    t.add_column("RTT\nms:\nmedian", justify="right")
    t.add_column("main gateway (schools)", overflow="fold")
    for _, row in summary.iterrows():
        _add_row(
            t,
            row["constellation"],
            _policy_words(str(row["policy"]), home),
            f"{row['always_connected'] / row['schools']:.0%}",
            f"{row['mean_connected_share']:.1%}",
            f"{_fmt(row['median_latency_ms'], 1)} / {_fmt(row['p95_latency_ms'], 1)}",
            _fmt(row.get("median_rtt_ms", 2 * row["median_latency_ms"]), 1),
            row["gateways"],
        )
    return t


def _siting_table(siting: Any, home: str, top: int) -> Any:
    from rich.table import Table
    from rich.text import Text

    t = Table(
        title=f"Best single in-country gateway site ({home}), by school latency (top {top})",
        title_justify="left",
        caption=Text(_LATENCY_CAPTION, style="dim"),
        caption_justify="left",
    )
    for name, justify in [
        ("system", "left"),
        ("rank", "right"),
        ("site", "left"),
        ("time\nonline", "right"),
        ("one-way\nms:\nmedian\n/ p95", "right"),
        ("RTT\nms:\nmedian", "right"),
        ("worst school\nonline", "right"),
    ]:
        t.add_column(name, justify=justify)  # type: ignore[arg-type]
    for cname, grp in siting.groupby("constellation", sort=False):
        for _, row in grp.head(top).iterrows():
            _add_row(
                t,
                cname,
                str(row["rank"]),
                f"{row['name']} ({row['kind']})",
                f"{row['connected_share']:.1%}",
                f"{_fmt(row['median_latency_ms'], 1)} / {_fmt(row['p95_latency_ms'], 1)}",
                _fmt(row.get("median_rtt_ms", 2 * row["median_latency_ms"]), 1),
                f"{row['worst_school_connected_share']:.0%}",
            )
    return t


def _cut(parts: dict[str, Any]) -> str:
    """A note for a sweep stopped by Ctrl-C."""
    for df in parts.values():
        if df.attrs.get("partial"):
            if "cases_done" in df.attrs:
                done, total = df.attrs["cases_done"], df.attrs["cases_total"]
                return f" (interrupted: {done} of {total} cases)"
            steps = df.attrs["steps_done"]
            total = df.attrs["steps_total"] * len(steps)
            return f" (interrupted: {sum(steps.values())} of {total} time steps)"
    return ""


def print_headline(console: Console, net: Network) -> None:
    """The demo's opening panel: the scenario's title and size.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.scenario import load_scenario
    >>> console = Console(file=io.StringIO(), width=100)
    >>> print_headline(console, load_scenario("central-asia"))
    >>> "scenario 'central-asia'" in console.file.getvalue()
    True
    """
    from rich.panel import Panel
    from rich.text import Text

    headline = Text(str(net.meta.get("title", net.name)) + "\n", style="bold")
    headline.append(
        f"scenario {net.name!r}: {net.num_nodes:,} places, {net.num_links} links, "
        f"{len(net.meta.get('assumptions', []))} listed assumptions",
        style="",
    )
    console.print(Panel.fit(headline, border_style="cyan"))


def _spread_table(spread: Any, home: str) -> Any:
    """The constellation presets side by side (the readings of the uncertain figures)."""
    from rich.table import Table

    t = Table(
        title="Constellation assumptions: schools per preset (user min. elevation, lasers)",
        title_justify="left",
    )
    t.add_column("system", no_wrap=True)
    t.add_column("reading", no_wrap=True)
    t.add_column("gate-\nways")
    for name in ("always\nonline", "time\nonline", "median\nms", "p95\nms"):
        t.add_column(name, justify="right")
    for r in spread.itertuples():
        _add_row(
            t,
            str(r.system).split(",")[0],
            f"{r.user_elevation_deg:g}°, {'lasers' if r.laser_links else 'bent pipe'}",
            f"in {home}" if r.policy == "home" else str(r.policy),
            f"{r.always_online_share:.0%}",
            f"{r.time_online_share:.1%}",
            _fmt(r.median_latency_ms),
            _fmt(r.p95_latency_ms),
        )
    return t


def print_demo_stage(console: Console, stage: str, result: DemoResult) -> None:
    """Print one finished stage of :func:`~routecore.cli.demo.compute_demo` (its tables and
    its wall time), as the demo passes it to ``on_stage``.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.cli.demo import compute_demo
    >>> console = Console(file=io.StringIO(), width=120)
    >>> result = compute_demo("central-asia", steps=1, on_stage=lambda stage, r:
    ...     print_demo_stage(console, stage, r))
    >>> "Worst single-link failures" in console.file.getvalue()
    True
    """
    net, seconds = result.net, result.seconds.get(stage, 0.0)
    if stage == "transit":
        cases, routes = result.transit.cases, result.transit.routes
        console.print(_transit_table(net, cases))
        console.print(_cuts_text(cases))
        console.print(_routes_text(net, routes[routes["variant"] == cases.iloc[0]["variant"]]))
        console.print(f"[dim]transit capacity: {seconds:.2f} s[/dim]")
    elif stage == "failures":
        console.print(_sweep_table(result.sweeps, top=10))
        console.print(f"[dim]failure sweep: {seconds:.2f} s{_cut(result.sweeps)}[/dim]")
    elif stage == "planning" and result.planning is not None:
        from .transit_demo import print_transit_planning

        print_transit_planning(console, result.planning, _add_row)
        console.print(f"[dim]transit planning: {seconds:.2f} s[/dim]")
    elif stage == "schools" and result.schools is not None:
        if result.school_summary is not None:
            steps = result.schools.attrs["steps_done"]
            console.print(
                _school_summary_table(result.school_summary, steps, result.step_s, result.home)
            )
        if result.spread is not None and len(result.spread):
            console.print(_spread_table(result.spread, result.home))
        cut = _cut({"": result.schools})
        console.print(f"[dim]school connectivity: {seconds:.2f} s{cut}[/dim]")
    elif stage == "siting" and result.siting is not None:
        if len(result.siting):
            console.print(_siting_table(result.siting, result.home, top=5))
        cut = _cut({"": result.siting})
        console.print(f"[dim]gateway siting: {seconds:.2f} s{cut}[/dim]")
    elif stage == "capacity" and result.capacity is not None:
        from .capacity import capacity_table

        console.print(capacity_table(result.capacity, result.home))
        console.print(f"[dim]school capacity: {seconds:.2f} s[/dim]")
    from rich.text import Text

    for note in result.notes.get(stage, []):
        console.print(Text.assemble(("note: ", "yellow"), note))
