"""The transit-planning commands: ``routecore paths`` and ``routecore demands``.

``paths`` lists the k fastest routes between two places and the best route pairs that share no
link, no node or no shared-risk group, with the latency penalty of protection
(:func:`~routecore.analyses.route_diversity`). ``demands`` asks whether a city-pair demand matrix
can be carried at once per cable variant and avoid-country policy
(:func:`~routecore.analyses.transit_demands`). Both print tables, ``--json`` a document,
``paths --geojson`` the routes as lines, ``paths --map`` a map of the disjoint pair
(:func:`routecore.route_maps.diverse_routes_map`). Latencies are one-way propagation in ms.

Bad input (an unknown place, a bad count, a bad demand file) is a
:class:`~routecore.cli.commands.CliError` or :class:`~routecore.errors.RoutecoreError`: one line
on stderr and exit status 2, as for the other commands.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from ..analyses import DiversityReport, TransitDemands
    from ..scenario import Network

__all__ = ["MAX_K", "TRANSIT_COMMANDS", "demands_doc", "paths_doc"]

MAX_K = 1000
"""The most routes ``paths -k`` lists per pair."""

LATENCY_BASIS = "one-way propagation, ms"


def _fail(message: str) -> Exception:
    from .commands import CliError  # (commands imports this module)

    return CliError(message)


def _console(args: argparse.Namespace) -> Console:
    from rich.console import Console

    return Console(quiet=bool(args.json), highlight=False)


def _ms(x: Any) -> str:
    if x is None or not math.isfinite(float(x)):
        return "—"
    return f"{float(x):.1f}"


def _row(table: Any, *cells: str) -> None:
    from rich.text import Text

    table.add_row(*(Text(c) for c in cells))


# ----------------------------------------------------------------------------- paths
def paths_doc(report: DiversityReport, k: int) -> dict[str, Any]:
    """The JSON document of ``routecore paths``.

    >>> from routecore.analyses import route_diversity
    >>> from routecore.scenario import load_scenario
    >>> r = route_diversity(load_scenario("central-asia"), [("khorgos", "istanbul")], k=2)
    >>> doc = paths_doc(r, 2)
    >>> len(doc["routes"]), [p["mode"] for p in doc["protection"]]
    (2, ['edge', 'node', 'group'])
    """
    from .output import jsonable

    routes = report.routes
    src = str(routes["src"].iloc[0]) if len(routes) else None
    dst = str(routes["dst"].iloc[0]) if len(routes) else None
    return {
        "src": src,
        "dst": dst,
        "k": k,
        "groups": report.groups,
        "latency": LATENCY_BASIS,
        "routes": jsonable(routes.to_dict(orient="records")),
        "protection": jsonable(report.protection.to_dict(orient="records")),
    }


def print_paths(console: Console, report: DiversityReport, src: str, dst: str) -> None:
    """The routes and the protection table of ``routecore paths``.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.analyses import route_diversity
    >>> from routecore.scenario import load_scenario
    >>> console = Console(file=io.StringIO(), width=120)
    >>> r = route_diversity(load_scenario("central-asia"), [("khorgos", "istanbul")], k=2)
    >>> print_paths(console, r, "khorgos", "istanbul")
    >>> console.file.getvalue().startswith("Routes khorgos -> istanbul")
    True
    """
    from rich.table import Table

    console.print(f"Routes {src} -> {dst} (latency: {LATENCY_BASIS})", style="bold", markup=False)
    if report.routes.empty:
        console.print("No route.", markup=False)
        return
    t = Table(title="Fastest loopless routes", title_justify="left")
    for col in ("rank", "ms", "hops", "via"):
        t.add_column(col, justify="left" if col == "via" else "right")
    for row in report.routes.itertuples():
        _row(t, str(row.rank), _ms(row.latency_ms), str(row.hops), str(row.nodes))
    console.print(t)
    t = Table(
        title=f"Protection: the best pair of routes sharing no link / node / risk group "
        f"({report.groups})",
        title_justify="left",
    )
    for col in ("shares no", "primary ms", "backup ms", "penalty ms", "proven best", "backup via"):
        t.add_column(col, justify="left" if col in ("shares no", "backup via") else "right")
    words = {"edge": "link", "node": "node", "group": "risk group"}
    missing = []
    for row in report.protection.itertuples():
        if not row.backup_nodes:
            _row(t, words[str(row.mode)], "—", "—", "—", "", "none")
            missing.append(words[str(row.mode)])
            continue
        proven = "yes" if row.optimal else f"no (>= {_ms(row.lower_bound_ms)} ms in all)"
        _row(
            t,
            words[str(row.mode)],
            _ms(row.primary_ms),
            _ms(row.backup_ms),
            _ms(row.penalty_ms),
            proven,
            str(row.backup_nodes),
        )
    console.print(t)
    for word in missing:
        console.print(
            f"No two routes share no {word}: every route passes one {word} (or one "
            f"{word} alone joins the two places).",
            markup=False,
        )
    console.print(
        "penalty: backup latency minus the fastest route's (what protection costs).",
        style="dim",
        markup=False,
    )


def _cmd_paths(args: argparse.Namespace) -> int:
    from ..analyses import RISK_GROUPS, route_diversity
    from .output import emit_json

    if args.k < 1 or args.k > MAX_K:
        raise _fail(f"-k must be between 1 and {MAX_K}, got {args.k}")
    if args.groups not in RISK_GROUPS:  # (argparse choices already refuse others)
        raise _fail(f"--groups must be one of {', '.join(RISK_GROUPS)}")
    if args.map is not None:
        from .commands import MAP_FORMATS

        if args.map.is_dir():
            raise _fail(f"--map {args.map} is a directory; give a file name such as map.png")
        if args.map.suffix[1:].lower() not in MAP_FORMATS:
            formats = ", ".join("." + f for f in MAP_FORMATS)
            raise _fail(f"--map {args.map}: the name must end in {formats}")
        args.map.parent.mkdir(parents=True, exist_ok=True)
    net = _load(args)
    ids = net.column("nodes", "id")
    src, dst = (str(ids[net.find_node(x)]) for x in (args.src, args.dst))
    if src == dst:
        raise _fail(f"SRC and DST are the same place ({src!r})")
    report = route_diversity(
        net, [(src, dst)], k=args.k, groups=args.groups, avoid_countries=args.avoid_country
    )
    if args.geojson is not None:
        from ..geojson import diversity_to_geojson

        _write_geojson(args, diversity_to_geojson(report, net))
    if args.map is not None:
        from ..route_maps import diverse_routes_map

        diverse_routes_map(net, report, mode=args.map_mode, path=args.map)
        if not args.json:
            _console(args).print(f"wrote {args.map}", markup=False)
    if args.json:
        emit_json(paths_doc(report, args.k))
    else:
        print_paths(_console(args), report, src, dst)
    return 0


# --------------------------------------------------------------------------- demands
def demands_doc(result: TransitDemands, demands_file: str) -> dict[str, Any]:
    """The JSON document of ``routecore demands``: the cases, the saturated links, every
    (case, pair) row, and the assumptions."""
    from .output import jsonable

    return {
        "demands_file": demands_file,
        "latency": LATENCY_BASIS,
        "cases": jsonable(result.cases.to_dict(orient="records")),
        "saturated_links": jsonable(result.links.to_dict(orient="records")),
        "pairs": jsonable(result.pairs.to_dict(orient="records")),
        "assumptions": DEMAND_ASSUMPTIONS,
    }


DEMAND_ASSUMPTIONS = [
    "lambda: the largest factor by which every demand can be scaled and all still carried at "
    "once (maximum concurrent flow), certified between lambda and lambda_upper",
    "a pair misses its budget when a route carrying part of its flow is longer (one-way "
    "propagation) than its max_latency_ms; routing does not respect the budgets",
    "capacities per direction, as in the scenario; a link touching an avoided country gets none",
]


def print_demands(console: Console, result: TransitDemands, demands: Any, source: str) -> None:
    """The three tables of ``routecore demands``.

    >>> import io
    >>> from rich.console import Console
    >>> from routecore.analyses import transit_demands
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> d = net.demands()
    >>> console = Console(file=io.StringIO(), width=120)
    >>> print_demands(console, transit_demands(net, d, variants=[None]), d, "demands.csv")
    >>> console.file.getvalue().startswith("Demand matrix: 8 pairs")
    True
    """
    from rich.table import Table

    total = float(demands["gbps"].sum())
    console.print(
        f"Demand matrix: {len(demands)} pairs, {total:,.0f} Gbit/s in all ({source})",
        style="bold",
        markup=False,
    )
    t = Table(title="Can the whole matrix be carried at once?", title_justify="left")
    for col in ("variant", "policy", "lambda", "lambda upper", "carried"):
        t.add_column(col, justify="left" if col in ("variant", "policy") else "right")
    for case in result.cases.to_dict(orient="records"):
        _row(
            t,
            str(case["variant"]),
            str(case["policy"]),
            f"{case['lambda']:.2f}",
            f"{case['lambda_upper']:.2f}",
            "yes" if case["carried"] else "NO",
        )
    console.print(t)
    t = Table(title="Saturated links (the bottleneck at lambda)", title_justify="left")
    for col in ("variant", "policy", "link", "from", "to", "Gbit/s"):
        t.add_column(col, justify="right" if col == "Gbit/s" else "left")
    for row in result.links.itertuples():
        _row(
            t,
            str(row.variant),
            str(row.policy),
            str(row.link),
            str(row.a),
            str(row.b),
            f"{row.capacity_gbps:,.0f}",
        )
    console.print(t)
    late = result.pairs[~result.pairs["meets_budget"]]
    t = Table(
        title=f"Pairs missing their latency budget ({len(late)} of {len(result.pairs)} rows)",
        title_justify="left",
    )
    for col in ("variant", "policy", "pair", "Gbit/s", "budget ms", "worst route ms"):
        t.add_column(col, justify="left" if col in ("variant", "policy", "pair") else "right")
    for row in late.itertuples():
        _row(
            t,
            str(row.variant),
            str(row.policy),
            f"{row.source} -> {row.target}",
            f"{row.gbps:,.0f}",
            _ms(row.max_latency_ms),
            _ms(row.worst_route_ms),
        )
    console.print(t)
    for line in DEMAND_ASSUMPTIONS:
        console.print(f"assumption: {line}", style="dim", markup=False)


def _cmd_demands(args: argparse.Namespace) -> int:
    from ..analyses import transit_demands
    from ..scenario import load_demands, load_scenario
    from .output import emit_json

    if not (0 < args.epsilon < 1):
        raise _fail(f"--epsilon must be a number between 0 and 1, got {args.epsilon}")
    net = load_scenario(args.scenario)
    if args.demands is not None:
        demands, source = load_demands(args.demands, net), str(args.demands)
    else:
        found = net.demands()
        if found is None:
            raise _fail(
                f"scenario {net.name!r} has no demands.csv; give one with --demands FILE "
                "(columns source,target,gbps[,max_latency_ms,name])"
            )
        demands, source = found, f"the scenario's demands.csv ({net.name})"
    for name in args.variant or []:
        net.variant(name)  # an unknown name: a ScenarioError listing the known ones
    avoid = args.avoid_country if args.avoid_country else None
    result = transit_demands(
        net, demands, variants=args.variant, avoid_countries=avoid, epsilon=args.epsilon
    )
    if args.json:
        emit_json(demands_doc(result, source))
    else:
        print_demands(_console(args), result, demands, source)
    return 0


# --------------------------------------------------------------------------- helpers
def _load(args: argparse.Namespace) -> Network:
    from ..scenario import load_scenario

    net = load_scenario(args.scenario)
    return net.variant(args.variant) if args.variant else net


def _write_geojson(args: argparse.Namespace, collection: dict[str, Any]) -> None:
    from ..geojson import write_geojson

    out: Path = args.geojson
    if out.is_dir():
        raise _fail(f"--geojson {out} is a directory; give a file name such as {out / 'x.geojson'}")
    out.parent.mkdir(parents=True, exist_ok=True)
    write_geojson(out, collection)
    if not args.json:
        _console(args).print(f"wrote {out}", markup=False)


TRANSIT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "paths": _cmd_paths,
    "demands": _cmd_demands,
}
"""The sub-commands of this module by name (wired into :func:`routecore.cli.main`)."""
