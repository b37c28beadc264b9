"""The ``routecore`` command line: ``demo``, ``report``, ``route``, ``flow`` and ``map``.

Every command reads a scenario (a directory, or the name of a bundled one; default
``central-asia``), prints readable tables (rich) or, with ``--json``, one JSON document on
stdout. Problems with the input (unknown node, bad file) end with exit code 2 and a one-line
message on stderr; ``main`` never raises for them.

The domain extras (pandas, rich, matplotlib, tomli-w) are imported lazily so that
``routecore --help`` works without them and a missing extra gives an install hint.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import RoutecoreError

if TYPE_CHECKING:
    from rich.console import Console

    from .scenario import Network

__all__ = ["main"]

DEFAULT_SCENARIO = "central-asia"
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
_EXTRAS_HINT = 'the routecore command needs the domain extras: pip install "routecore[geo]"'


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


# ---------------------------------------------------------------------------- argument parsing
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="routecore",
        description="Routing and capacity analyses on scenario networks (shortest paths and "
        "max-flow in C++).",
        epilog="Start with 'routecore demo'. SCENARIO is a scenario directory or a bundled "
        f"scenario name (default {DEFAULT_SCENARIO!r}).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def scenario_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--scenario",
            "-s",
            default=DEFAULT_SCENARIO,
            metavar="SCENARIO",
            help=f"scenario directory or bundled name (default {DEFAULT_SCENARIO})",
        )
        p.add_argument("--variant", metavar="NAME", help="apply a variant from scenario.toml")

    def json_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser(
        "demo",
        help="run all analyses on the default scenario; write a map and JSON",
        description="Run school connectivity, transit capacity and the failure sweep on a "
        "scenario, print the tables, and write map.png, results.json and per-school CSV to "
        "the output directory.",
    )
    p.add_argument("--scenario", "-s", default=DEFAULT_SCENARIO, metavar="SCENARIO")
    p.add_argument(
        "--out",
        "-o",
        default="routecore-out",
        type=Path,
        metavar="DIR",
        help="output directory (default ./routecore-out)",
    )
    p.add_argument(
        "--steps",
        type=int,
        default=96,
        metavar="N",
        help="time steps for the satellite analysis (default 96)",
    )
    p.add_argument(
        "--step-s",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="seconds between time steps (default 60; 96 x 60 s is about one Starlink orbit)",
    )
    p.add_argument("--pairs", action="store_true", help="also sweep every pair of link failures")
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        metavar="N",
        help="threads for batched searches (default: all cores; 1 per task with --scheduler)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the sweeps on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs the dask "
        "extra: pip install 'routecore[dask]')",
    )
    json_opt(p)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "report",
        help="summarise a scenario: places, links, variants, assumptions",
        description="Check a scenario directory and summarise it.",
    )
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, metavar="SCENARIO_DIR")
    json_opt(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "route",
        help="lowest-latency route between two places",
        description="Lowest-latency route between two nodes (ids or names, any case).",
    )
    p.add_argument("src", metavar="SRC")
    p.add_argument("dst", metavar="DST")
    scenario_opts(p)
    p.add_argument(
        "--avoid-country",
        action="append",
        default=[],
        metavar="CC",
        help="do not pass through nodes of this country (repeatable), e.g. RU",
    )
    p.add_argument(
        "--by",
        choices=("latency", "length", "hops"),
        default="latency",
        help="what to minimise (default latency)",
    )
    json_opt(p)
    p.set_defaults(func=_cmd_route)

    p = sub.add_parser(
        "flow",
        help="maximum flow and minimum cut between two sets of places",
        description="Maximum flow (Gbit/s) from the --from nodes to the --to nodes, with the "
        "links of a minimum cut and the busiest links.",
    )
    p.add_argument("--from", dest="sources", nargs="+", required=True, metavar="NODE")
    p.add_argument("--to", dest="sinks", nargs="+", required=True, metavar="NODE")
    scenario_opts(p)
    p.add_argument(
        "--avoid-country",
        action="append",
        default=[],
        metavar="CC",
        help="give no capacity to links touching this country (repeatable)",
    )
    json_opt(p)
    p.set_defaults(func=_cmd_flow)

    p = sub.add_parser(
        "map", help="draw a scenario map (PNG)", description="Draw the scenario's places and links."
    )
    scenario_opts(p)
    p.add_argument("--out", "-o", default="map.png", type=Path, metavar="FILE")
    p.set_defaults(func=_cmd_map)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 130 interrupted)."""
    parser = _parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        _check_extras()
        return func(args)
    except (CliError, RoutecoreError) as exc:
        # RoutecoreError covers ScenarioError, whose message names the file, row and column.
        print(f"routecore: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("routecore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _check_extras() -> None:
    import importlib.util

    missing = [m for m in ("pandas", "rich", "matplotlib") if importlib.util.find_spec(m) is None]
    if missing:
        raise CliError(f"{_EXTRAS_HINT} (missing: {', '.join(missing)})")


# ---------------------------------------------------------------------------- helpers
def _console(args: argparse.Namespace) -> Console:
    from rich.console import Console

    # With --json the tables go to stderr-free silence: stdout carries only the document.
    return Console(quiet=bool(getattr(args, "json", False)), highlight=False)


def _load(args: argparse.Namespace) -> Network:
    from .scenario import load_scenario

    net = load_scenario(args.scenario)
    variant = getattr(args, "variant", None)
    return net.variant(variant) if variant else net


def _emit_json(doc: Any) -> None:
    json.dump(_jsonable(doc), sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def _jsonable(value: Any) -> Any:
    """Plain JSON types: numpy scalars and arrays unwrapped, NaN / inf as null."""
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(df: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = _jsonable(df.to_dict(orient="records"))
    return out


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


# ---------------------------------------------------------------------------- report
def _cmd_report(args: argparse.Namespace) -> int:
    from rich.table import Table

    net = _load(args)
    doc = scenario_summary(net)
    if args.json:
        _emit_json(doc)
        return 0
    console = _console(args)
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
    return 0


def scenario_summary(net: Network) -> dict[str, Any]:
    """A JSON-ready summary of a scenario (used by ``routecore report``)."""
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
    }


# ---------------------------------------------------------------------------- route
def _cmd_route(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .analyses import route_between

    net = _load(args)
    src, dst = net.find_node(args.src), net.find_node(args.dst)
    weight = {"latency": "latency_ms", "length": "length_km", "hops": None}[args.by]
    result = route_between(net, src, dst, weight=weight, avoid_countries=args.avoid_country)
    if result is None:
        doc: dict[str, Any] = {
            "src": net.nodes["id"].iat[src],
            "dst": net.nodes["id"].iat[dst],
            "route": None,
        }
        if args.json:
            _emit_json(doc)
        else:
            _console(args).print(
                f"No route from {args.src} to {args.dst}"
                + (f" avoiding {', '.join(args.avoid_country)}" if args.avoid_country else ""),
                markup=False,
            )
        return 0
    if args.json:
        _emit_json(result.to_dict())
        return 0
    console = _console(args)
    t = Table(
        title=f"{result.nodes[0]} -> {result.nodes[-1]}: {_fmt(result.latency_ms, 2)} ms, "
        f"{_fmt(result.length_km, 0)} km, {len(result.links)} links",
        title_justify="left",
    )
    for col in ("#", "from", "to", "link", "medium", "km", "ms", "Gbit/s"):
        t.add_column(col, justify="right" if col in ("#", "km", "ms", "Gbit/s") else "left")
    for i, hop in enumerate(result.hops(), start=1):
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
    return 0


# ---------------------------------------------------------------------------- flow
def _cmd_flow(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .analyses import flow_between

    net = _load(args)
    sources = [str(net.nodes["id"].iat[net.find_node(k)]) for k in args.sources]
    sinks = [str(net.nodes["id"].iat[net.find_node(k)]) for k in args.sinks]
    if set(sources) & set(sinks):
        raise CliError(f"{sorted(set(sources) & set(sinks))[0]!r} is in both --from and --to")
    result = flow_between(net, sources, sinks, avoid_countries=args.avoid_country)
    if args.json:
        _emit_json(result.to_dict())
        return 0
    console = _console(args)
    console.print(
        f"Max flow {', '.join(sources)} -> {', '.join(sinks)}: "
        f"{_fmt(result.value_gbps, 0)} Gbit/s"
        + (f" (avoiding {', '.join(args.avoid_country)})" if args.avoid_country else ""),
        style="bold",
        markup=False,
    )
    t = Table(title="Minimum cut", title_justify="left")
    for col in ("link", "from", "to", "medium", "Gbit/s"):
        t.add_column(col, justify="right" if col == "Gbit/s" else "left")
    for row in result.cut_rows():
        _add_row(t, row["link"], row["a"], row["b"], row["medium"], _fmt(row["capacity_gbps"], 0))
    console.print(t)
    t = Table(title="Busiest links", title_justify="left")
    for col in ("link", "flow Gbit/s", "capacity", "utilisation"):
        t.add_column(col, justify="left" if col == "link" else "right")
    for row in result.busiest(10):
        _add_row(
            t,
            row["link"],
            _fmt(row["flow_gbps"], 0),
            _fmt(row["capacity_gbps"], 0),
            f"{row['utilisation']:.0%}",
        )
    console.print(t)
    return 0


# ---------------------------------------------------------------------------- map
def _cmd_map(args: argparse.Namespace) -> int:
    from .plotting import network_map

    net = _load(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    network_map(net, path=args.out)
    _console(args).print(f"wrote {args.out}", markup=False)
    return 0


# ---------------------------------------------------------------------------- demo
def _cmd_demo(args: argparse.Namespace) -> int:
    if args.steps < 1:
        raise CliError(f"--steps must be >= 1, got {args.steps}")
    if not args.step_s > 0:
        raise CliError(f"--step-s must be > 0, got {args.step_s}")
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        executor = stack.enter_context(_dask_client(args.scheduler)) if args.scheduler else None
        doc = run_demo(
            args.scenario,
            args.out,
            steps=args.steps,
            step_s=args.step_s,
            pairs=args.pairs,
            threads=args.threads,
            console=_console(args),
            executor=executor,
        )
    doc["elapsed_s"] = round(time.perf_counter() - started, 2)
    if args.json:
        _emit_json(doc)
    if doc["partial"]:
        print(
            f"routecore: interrupted; the finished part is in {doc['outputs']['json']}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return 0


@contextlib.contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A ``dask.distributed.Client`` connected to ``address``, closed afterwards."""
    try:
        import distributed
    except ImportError:
        raise CliError('--scheduler needs Dask: pip install "routecore[dask]"') from None
    try:
        connect: Callable[..., Any] = distributed.Client
        # Connection timeout: Dask's distributed.comm.timeouts.connect (30 s by default).
        client = connect(address)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CliError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        yield client


def run_demo(
    scenario: str,
    out: Path,
    *,
    steps: int = 96,
    step_s: float = 60.0,
    pairs: bool = False,
    threads: int | None = None,
    console: Console | None = None,
    executor: Any = None,
) -> dict[str, Any]:
    """Run the analyses, print them, write ``map.png``, ``results.json`` and ``schools.csv``
    into ``out``; returns the JSON document.

    The sweeps (link failures, school time steps, gateway sites) show a progress bar and run
    on ``executor`` when one is given (see :mod:`routecore.sweep`). Ctrl-C during a sweep
    stops the demo after that sweep: its finished part is printed and written, later
    analyses are skipped, and the document has ``"partial": true``."""
    import numpy as np
    from rich.console import Console
    from rich.panel import Panel
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from . import constellation as cs
    from .analyses import failure_sweep, gateway_siting, school_connectivity, transit_capacity
    from .plotting import network_map
    from .scenario import load_scenario

    console = console or Console(highlight=False)
    net = load_scenario(scenario)
    out.mkdir(parents=True, exist_ok=True)
    analysis = net.meta.get("analysis", {})
    avoid = list(analysis.get("avoid_countries", []))
    from rich.text import Text

    headline = Text(str(net.meta.get("title", net.name)) + "\n", style="bold")
    headline.append(
        f"scenario {net.name!r}: {net.num_nodes:,} places, {net.num_links} links, "
        f"{len(net.meta.get('assumptions', []))} listed assumptions",
        style="",
    )
    console.print(Panel.fit(headline, border_style="cyan"))

    # 1. Transit capacity ------------------------------------------------------------------
    t0 = time.perf_counter()
    transit = transit_capacity(net)
    console.print(_transit_table(net, transit.cases))
    base_variant = transit.cases.iloc[0]["variant"]
    console.print(_routes_text(net, transit.routes[transit.routes["variant"] == base_variant]))
    console.print(f"[dim]transit capacity: {time.perf_counter() - t0:.2f} s[/dim]")

    @contextlib.contextmanager
    def report(description: str) -> Iterator[Callable[[int, int], None]]:
        """A transient progress bar for one sweep, and the callback that moves it."""
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=None)
            yield lambda done, total: bar.update(task, completed=done, total=total)

    sweep_opts: dict[str, Any] = {"threads": threads, "executor": executor}
    partial = False

    # 2. Failure sweep, on the base network with all routes and without the avoided ones ---
    t0 = time.perf_counter()
    cases: dict[str, dict[str, Any]] = {"all routes": {}}
    if avoid:
        cases[f"avoid {', '.join(avoid)}"] = {"avoid_countries": avoid}
    sweeps = {}
    for name, extra in cases.items():
        with report(f"link failures, {name}") as progress:
            sweeps[name] = failure_sweep(net, pairs=pairs, progress=progress, **sweep_opts, **extra)
        if sweeps[name].attrs["partial"]:
            partial = True
            break
    console.print(_sweep_table(sweeps, top=10))
    console.print(f"[dim]failure sweep: {time.perf_counter() - t0:.2f} s{_cut(sweeps)}[/dim]")

    # 3. School connectivity over time -------------------------------------------------------
    constellations = {"Starlink shell 1": cs.STARLINK_SHELL1, "OneWeb": cs.ONEWEB}
    times = np.arange(steps) * step_s
    home = str(analysis.get("home_country", ""))
    schools = summary = None
    if not partial:
        t0 = time.perf_counter()
        with report("satellite time steps") as progress:
            schools = school_connectivity(
                net,
                constellations,
                times,
                policies=("home", "any", "abroad"),
                progress=progress,
                **sweep_opts,
            )
        partial = bool(schools.attrs["partial"])
        if len(schools):
            summary = _school_summary(schools, home)
            console.print(_school_table(summary, schools.attrs["steps_done"], step_s, home))
        console.print(
            f"[dim]school connectivity: {time.perf_counter() - t0:.2f} s{_cut({'': schools})}[/dim]"
        )

    # 4. Where to put an in-country gateway ----------------------------------------------------
    siting = None
    if not partial and home:
        t0 = time.perf_counter()
        with report("gateway sites x time steps") as progress:
            siting = gateway_siting(
                net, constellations, times, mode="single", progress=progress, **sweep_opts
            )
        partial = bool(siting.attrs["partial"])
        if len(siting):
            console.print(_siting_table(siting, home, top=5))
        console.print(
            f"[dim]gateway siting: {time.perf_counter() - t0:.2f} s{_cut({'': siting})}[/dim]"
        )

    # Outputs ---------------------------------------------------------------------------------
    base = transit.cases.iloc[0]
    sink = str(transit.routes.iloc[0]["sink"])
    routes = {}
    for _, row in transit.routes[
        (transit.routes["variant"] == base["variant"]) & (transit.routes["sink"] == sink)
    ].iterrows():
        if row["route"]:
            label = (
                f"{_node_label(net, row['source'])} → {_node_label(net, sink)}, "
                f"{row['policy']}: {row['latency_ms']:.1f} ms"
            )
            routes[label] = row["route"]
    flows = transit.cases.set_index(["variant", "policy"])["max_flow_gbps"]
    note = "\n".join(f"{v}, {p}: {f / 1000:,.1f} Tbit/s" for (v, p), f in flows.items())
    terminals: dict[str, Any] = {}
    if summary is not None and schools is not None:
        first = summary.iloc[0]
        shown = schools[
            (schools["constellation"] == first["constellation"])
            & (schools["policy"] == first["policy"])
        ]
        terminals = {
            "terminal_values": dict(zip(shown["school"], shown["median_latency_ms"], strict=True)),
            "terminal_label": f"School → exchange, median ms\n({first['constellation']}, "
            f"gateways {_policy_words(str(first['policy']), home)})",
        }
    map_path = out / "map.png"
    network_map(
        net,
        path=map_path,
        routes=routes,
        cut_links=base["cut_links"],
        title=f"{net.meta.get('title', net.name)}\nAsia→Europe minimum cut "
        f"({base['variant']}, {base['policy']}), fastest routes, and school latency",
        note="Asia→Europe max flow\n" + note,
        **terminals,
    )
    csv_path = out / "schools.csv"
    doc: dict[str, Any] = {
        "scenario": scenario_summary(net),
        "partial": partial,
        "transit": {
            "cases": _records(transit.cases),
            "routes": _records(transit.routes),
            "links": _records(transit.links[transit.links["flow_gbps"] > 0]),
        },
        "failure_sweep": {name: _records(df) for name, df in sweeps.items()},
        "schools": None
        if schools is None
        else {
            "times_s": times.tolist(),
            "steps_done": schools.attrs["steps_done"],
            "summary": [] if summary is None else _records(summary),
            "per_school_csv": csv_path.name,
        },
        "gateway_siting": None if siting is None else _records(siting),
        "outputs": {
            "map": str(map_path),
            "json": str(out / "results.json"),
            "schools_csv": None if schools is None else str(csv_path),
        },
    }
    written = [str(map_path), str(out / "results.json")]
    if schools is not None:
        schools.to_csv(csv_path, index=False)
        written.append(str(csv_path))
    (out / "results.json").write_text(
        json.dumps(_jsonable(doc), indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )
    console.print(f"wrote {', '.join(written)}", markup=False)
    return doc


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


def _siting_table(siting: Any, home: str, top: int) -> Any:
    from rich.table import Table

    t = Table(
        title=f"Best single in-country gateway site ({home}), by school latency (top {top})",
        title_justify="left",
    )
    for name, justify in [
        ("system", "left"),
        ("rank", "right"),
        ("site", "left"),
        ("time\nonline", "right"),
        ("median\nms", "right"),
        ("p95\nms", "right"),
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
                _fmt(row["median_latency_ms"], 1),
                _fmt(row["p95_latency_ms"], 1),
                f"{row['worst_school_connected_share']:.0%}",
            )
    return t


def _policy_words(policy: str, home: str) -> str:
    return {"home": f"in {home} only", "abroad": f"outside {home} only"}.get(policy, policy)


def _route_text(net: Network, route: Sequence[str]) -> str:
    names = [_node_label(net, n) for n in route]
    return " → ".join(names)


def _transit_table(net: Network, cases: Any) -> Any:
    from rich.table import Table

    t = Table(
        title="Asia → Europe transit: China border → Frankfurt, Istanbul", title_justify="left"
    )
    t.add_column("cable")
    t.add_column("routes")
    t.add_column("max flow\nTbit/s", justify="right")
    t.add_column("minimum cut (links)", overflow="fold")
    t.add_column("fastest", justify="right")
    for _, row in cases.iterrows():
        _add_row(
            t,
            row["variant"],
            row["policy"],
            _fmt(row["max_flow_gbps"] / 1000, 1),
            ", ".join(row["cut_links"]),
            f"{_fmt(row['best_latency_ms'], 1)} ms to {_node_label(net, row['best_sink'])}",
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
            text.append(f"{row['latency_ms']:.1f} ms, {row['length_km']:,.0f} km: ")
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
        t.add_column(f"+ms\n{n}", justify="right")
    for _, row in merged.head(top).iterrows():
        cells = [row["failed"]]
        for n in names:
            ms = row[f"ms:{n}"]
            cells += [_fmt(row[f"lost:{n}"], 0), "cut off" if ms == float("inf") else _fmt(ms, 1)]
        _add_row(t, *cells)
    return t


def _school_summary(schools: Any, home: str) -> Any:
    import numpy as np
    import pandas as pd

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
                "main_gateway_abroad": int(main_abroad.sum()),
                "gateways": ", ".join(f"{g} {n}" for g, n in top.head(4).items()),
            }
        )
    return pd.DataFrame(rows)


def _school_table(summary: Any, steps: dict[str, int], step_s: float, home: str) -> Any:
    from rich.table import Table

    counts = sorted(set(steps.values()))
    shown = "/".join(str(c) for c in counts)
    t = Table(
        title=f"Rural schools → internet exchange ({shown} time steps, every {step_s:g} s)",
        title_justify="left",
    )
    t.add_column("system")
    t.add_column("gateways")
    t.add_column("always\nonline", justify="right")
    t.add_column("time\nonline", justify="right")
    t.add_column("median\nms", justify="right")
    t.add_column("p95\nms", justify="right")
    t.add_column("main gateway (schools)", overflow="fold")
    for _, row in summary.iterrows():
        _add_row(
            t,
            row["constellation"],
            _policy_words(str(row["policy"]), home),
            f"{row['always_connected'] / row['schools']:.0%}",
            f"{row['mean_connected_share']:.1%}",
            _fmt(row["median_latency_ms"], 1),
            _fmt(row["p95_latency_ms"], 1),
            row["gateways"],
        )
    return t


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
