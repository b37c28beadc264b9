"""The ``routecore`` command line's arguments: one sub-parser per command."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from .._version import __version__
from .demo import DEMO_GEOJSON, DEMO_STEP_S, DEMO_STEPS

__all__ = ["DEFAULT_SCENARIO", "MAX_STEPS", "MAX_THREADS", "build_parser"]

DEFAULT_SCENARIO = "central-asia"
"""The scenario every command reads unless told otherwise."""


MAX_STEPS = 100_000
"""The most time steps ``demo --steps`` takes (about 69 days at 60 s a step): each step is a
satellite snapshot per constellation, so a larger count would only exhaust memory or time."""

MAX_THREADS = 1024
"""The most threads ``--threads`` takes."""


def positive_int(text: str, high: int | None = None) -> int:
    """An argparse type: a whole number >= 1 (counts such as ``--threads`` and ``--steps``),
    and at most ``high`` when given.

    >>> positive_int("4")
    4
    >>> positive_int("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a whole number >= 1, got '0'
    >>> positive_int(str(10**12), high=MAX_STEPS)
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be at most 100000, got '1000000000000'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, got {text!r}")
    if high is not None and value > high:
        raise argparse.ArgumentTypeError(f"must be at most {high}, got {text!r}")
    return value


def _steps(text: str) -> int:
    return positive_int(text, MAX_STEPS)


def _threads(text: str) -> int:
    return positive_int(text, MAX_THREADS)


def positive_seconds(text: str) -> float:
    """An argparse type: a finite number of seconds > 0 (``--step-s``).

    >>> positive_seconds("60")
    60.0
    >>> positive_seconds("inf")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a finite number > 0, got 'inf'
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``routecore`` argument parser; ``args.command`` names the sub-command.

    >>> build_parser().parse_args(["route", "almaty", "astana"]).by
    'latency'
    """
    parser = argparse.ArgumentParser(
        prog="routecore",
        description="Routing and capacity analyses on scenario networks (shortest paths and "
        "max-flow in C++).",
        epilog="Start with 'routecore demo'. SCENARIO is a scenario directory or a bundled "
        f"scenario name (default {DEFAULT_SCENARIO!r}).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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

    def geojson_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--geojson",
            type=Path,
            metavar="FILE",
            help="also write the result's lines as GeoJSON (RFC 7946) for QGIS or a web map",
        )

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
        help="output directory (default ./routecore-out); routecore only replaces files "
        "it wrote there itself",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace results.json, schools.csv and map.png in DIR even if routecore did "
        "not write them",
    )
    p.add_argument(
        "--steps",
        type=_steps,
        default=DEMO_STEPS,
        metavar="N",
        help=f"time steps for the satellite analysis (default {DEMO_STEPS})",
    )
    p.add_argument(
        "--step-s",
        type=positive_seconds,
        default=DEMO_STEP_S,
        metavar="SECONDS",
        help=f"seconds between time steps (default {DEMO_STEP_S:g}: {DEMO_STEPS} steps make 24 h, "
        "many orbits of every system; a window shorter than one orbit is flagged)",
    )
    p.add_argument("--pairs", action="store_true", help="also sweep every pair of link failures")
    p.add_argument(
        "--threads",
        type=_threads,
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
    p.add_argument(
        "--system",
        action="append",
        default=None,
        metavar="NAME",
        help="a constellation for the satellite stages (repeatable): a preset ("
        "starlink-shell1, starlink-shell1-bent-pipe, oneweb, oneweb-55) or a system declared "
        "in the scenario's [systems]; default: the scenario's systems, else the presets",
    )
    p.add_argument(
        "--geojson",
        nargs="?",
        const=True,  # no FILE: DEMO_GEOJSON in the output directory (a bool is not converted)
        type=Path,
        metavar="FILE",
        help=f"also write transit cuts, link failures and schools as GeoJSON (RFC 7946); "
        f"without FILE, {DEMO_GEOJSON} in the output directory",
    )
    json_opt(p)

    p = sub.add_parser(
        "report",
        help="summarise a scenario: places, links, variants, assumptions",
        description="Check a scenario directory and summarise it.",
    )
    p.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, metavar="SCENARIO_DIR")
    json_opt(p)

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
    geojson_opt(p)

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
    geojson_opt(p)

    p = sub.add_parser(
        "map", help="draw a scenario map (PNG)", description="Draw the scenario's places and links."
    )
    scenario_opts(p)
    p.add_argument(
        "--out",
        "-o",
        default="map.png",
        type=Path,
        metavar="FILE",
        help="the image to write: .png (default map.png), .svg or .pdf",
    )

    p = sub.add_parser(
        "capacity",
        help="how much each school gets: carried traffic, fair share, bottleneck, latency",
        description="Per satellite system and gateway policy, over time steps: the traffic all "
        "schools can send at once (max-flow), the max-min fair rates, the bottleneck in "
        "plain words and the latency under load. Capacities come from the constellation "
        "presets and the scenario's [capacity] table (see 'routecore report').",
    )
    scenario_opts(p)
    p.add_argument(
        "--constellation",
        "-c",
        action="append",
        default=None,
        metavar="PRESET",
        help="a constellation preset (repeatable; default starlink-shell1 and oneweb)",
    )
    p.add_argument(
        "--policy",
        action="append",
        choices=("home", "any", "abroad"),
        default=None,
        help="gateway policy (repeatable; default all three)",
    )
    p.add_argument("--steps", type=_steps, default=12, metavar="N", help="time steps (default 12)")
    p.add_argument(
        "--window-s",
        type=positive_seconds,
        default=86_400.0,
        metavar="SECONDS",
        help="the steps spread evenly over this window (default 86400: one day)",
    )
    p.add_argument(
        "--demand-mbps",
        type=float,
        default=None,
        metavar="MBPS",
        help="demand of every school without its own demand_mbps (default: the scenario's, "
        "else 20 Mbit/s, the Kazakh norm)",
    )
    p.add_argument(
        "--schools-csv",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the per-school time series (rate and latency per step) as CSV",
    )
    p.add_argument(
        "--map",
        type=Path,
        default=None,
        metavar="FILE",
        help="also draw the capacity map (.png, .svg or .pdf): each school's fair-share rate "
        "and each gateway's saturation, for the first system and policy",
    )
    p.add_argument("--threads", type=_threads, default=None, metavar="N", help="threads")
    json_opt(p)

    # Transit planning (issue 13): routecore.cli.transit_commands.
    p = sub.add_parser(
        "paths",
        help="k fastest routes and the best link/node/risk-group disjoint route pairs",
        description="The k fastest loopless routes between two places, and the best pair of "
        "routes that share no link, no node, or no shared-risk group (landing station, "
        "operator or country), with the latency penalty of protection. Latencies are one-way "
        "propagation in ms.",
    )
    p.add_argument("src", metavar="SRC")
    p.add_argument("dst", metavar="DST")
    scenario_opts(p)
    p.add_argument(
        "-k", type=positive_int, default=5, metavar="N", help="routes to list (default 5)"
    )
    p.add_argument(
        "--groups",
        choices=("landing", "operator", "country"),
        default="landing",
        help="what a shared-risk group is (default landing: the links at one cable landing)",
    )
    p.add_argument(
        "--avoid-country",
        action="append",
        default=[],
        metavar="CC",
        help="do not pass through nodes of this country (repeatable), e.g. RU",
    )
    p.add_argument(
        "--map",
        type=Path,
        default=None,
        metavar="FILE",
        help="also draw the disjoint route pair on a map (.png, .svg or .pdf)",
    )
    p.add_argument(
        "--map-mode",
        choices=("edge", "node", "group"),
        default="group",
        help="which disjoint pair the map shows (default group: no shared risk group)",
    )
    json_opt(p)
    geojson_opt(p)

    p = sub.add_parser(
        "demands",
        help="can a city-pair demand matrix be carried at once, per cable variant and policy",
        description="Maximum concurrent flow of a demand matrix (demands.csv: source,target,"
        "gbps[,max_latency_ms,name]) per cable variant and avoid-country policy: lambda (>= 1: "
        "the whole matrix fits), the saturated links, and the pairs whose routes exceed their "
        "one-way latency budget.",
    )
    p.add_argument(
        "--scenario",
        "-s",
        default=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help=f"scenario directory or bundled name (default {DEFAULT_SCENARIO})",
    )
    p.add_argument(
        "--demands",
        type=Path,
        default=None,
        metavar="FILE",
        help="the demand matrix (default: demands.csv in the scenario directory)",
    )
    p.add_argument(
        "--variant",
        action="append",
        default=None,
        metavar="NAME",
        help="a cable variant to compare (repeatable; default every tcfo- variant)",
    )
    p.add_argument(
        "--avoid-country",
        action="append",
        default=[],
        metavar="CC",
        help="the avoid policy's countries (repeatable; default the scenario's, e.g. RU)",
    )
    p.add_argument(
        "--epsilon",
        type=float,
        default=0.01,
        metavar="EPS",
        help="certified relative gap of lambda (default 0.01)",
    )
    json_opt(p)
    return parser
