"""The ``routecore`` commands: :func:`main` and one function per sub-command.

Each command loads its scenario, calls the analyses, and hands the result to
:mod:`routecore.cli.render` (tables) or :mod:`routecore.cli.output` (JSON, files).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import RoutecoreError
from .demo import DEMO_GEOJSON, DEMO_STEP_S, DEMO_STEPS
from .parser import build_parser
from .transit_commands import TRANSIT_COMMANDS

if TYPE_CHECKING:
    from rich.console import Console

    from ..scenario import Network

__all__ = ["EXIT_INTERRUPTED", "EXIT_USAGE", "CliError", "main", "run_demo"]

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
_EXTRAS_HINT = 'the routecore command needs the domain extras: pip install "routecore[geo]"'


class CliError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input, 130 interrupted).

    >>> main(["route", "almaty", "astana", "--json"])  # doctest: +ELLIPSIS
    {
      "src": "almaty",
      ...
    0
    """
    args = build_parser().parse_args(argv)
    func = _COMMANDS[args.command]
    try:
        _check_extras()
        return func(args)
    except (CliError, RoutecoreError) as exc:
        # RoutecoreError covers ScenarioError, whose message names the file, row and column.
        print(f"routecore: error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        # Writing an output: a read-only directory, a full disk, a path through a file. The
        # writers are atomic (routecore._atomic), so nothing half-written is left behind.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"routecore: error: {where}{exc.strerror or exc}", file=sys.stderr)
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


def _console(args: argparse.Namespace) -> Console:
    from rich.console import Console

    # With --json the tables go to stderr-free silence: stdout carries only the document.
    return Console(quiet=bool(getattr(args, "json", False)), highlight=False)


def _load(args: argparse.Namespace) -> Network:
    from ..scenario import load_scenario

    net = load_scenario(args.scenario)
    variant = getattr(args, "variant", None)
    return net.variant(variant) if variant else net


def _cmd_report(args: argparse.Namespace) -> int:
    from .demo import scenario_summary
    from .output import emit_json
    from .render import print_report

    doc = scenario_summary(_load(args))
    if args.json:
        emit_json(doc)
    else:
        print_report(_console(args), doc)
    return 0


def _cmd_route(args: argparse.Namespace) -> int:
    from ..analyses import route_between
    from .output import emit_json
    from .render import print_route

    net = _load(args)
    src, dst = net.find_node(args.src), net.find_node(args.dst)
    weight = {"latency": "latency_ms", "length": "length_km", "hops": None}[args.by]
    result = route_between(net, src, dst, weight=weight, avoid_countries=args.avoid_country)
    if args.geojson is not None:
        from .. import geojson

        empty = {"type": "FeatureCollection", "features": []}
        _write_geojson(args, empty if result is None else geojson.route_to_geojson(result, net))
    if result is None:
        if args.json:
            ids = net.column("nodes", "id")
            emit_json({"src": ids[src], "dst": ids[dst], "route": None})
        else:
            _console(args).print(
                f"No route from {args.src} to {args.dst}"
                + (f" avoiding {', '.join(args.avoid_country)}" if args.avoid_country else ""),
                markup=False,
            )
        return 0
    if args.json:
        emit_json(result.to_dict())
    else:
        print_route(_console(args), result)
    return 0


def _cmd_flow(args: argparse.Namespace) -> int:
    from ..analyses import flow_between
    from .output import emit_json
    from .render import print_flow

    net = _load(args)
    ids = net.column("nodes", "id")
    sources = [str(ids[net.find_node(k)]) for k in args.sources]
    sinks = [str(ids[net.find_node(k)]) for k in args.sinks]
    if set(sources) & set(sinks):
        raise CliError(f"{sorted(set(sources) & set(sinks))[0]!r} is in both --from and --to")
    result = flow_between(net, sources, sinks, avoid_countries=args.avoid_country)
    if args.geojson is not None:
        from .. import geojson

        _write_geojson(args, geojson.flow_to_geojson(result, net))
    if args.json:
        emit_json(result.to_dict())
    else:
        print_flow(_console(args), result, args.avoid_country)
    return 0


def _write_geojson(args: argparse.Namespace, collection: dict[str, Any]) -> None:
    """Write ``collection`` to ``--geojson FILE`` (atomically); say so unless printing JSON."""
    from ..geojson import write_geojson

    out: Path = args.geojson
    if out.is_dir():
        raise CliError(
            f"--geojson {out} is a directory; give a file name such as {out / 'out.geojson'}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_geojson(out, collection)
    if not args.json:
        _console(args).print(f"wrote {out}", markup=False)


MAP_FORMATS = ("png", "svg", "pdf")
"""The file types ``routecore map --out`` writes, chosen by the file name's suffix."""


def _check_map_path(out: Path, option: str = "--out") -> None:
    """Refuse a map file name that is a directory or has no image suffix we write."""
    if out.is_dir():
        raise CliError(f"{option} {out} is a directory; give a file name such as {out / 'map.png'}")
    if out.suffix[1:].lower() not in MAP_FORMATS:
        raise CliError(
            f"{option} {out}: the name must end in {', '.join('.' + f for f in MAP_FORMATS)}"
        )


def _cmd_map(args: argparse.Namespace) -> int:
    from ..plotting import network_map

    out: Path = args.out
    _check_map_path(out)
    net = _load(args)
    out.parent.mkdir(parents=True, exist_ok=True)
    network_map(net, path=out)
    _console(args).print(f"wrote {args.out}", markup=False)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from .output import emit_json

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
            force=args.force,
            systems=args.system,
            geojson=args.out / DEMO_GEOJSON if args.geojson is True else args.geojson,
        )
    doc["elapsed_s"] = round(time.perf_counter() - started, 2)
    if args.json:
        emit_json(doc)
    if doc["partial"]:
        print(
            f"routecore: interrupted; the finished part is in {doc['outputs']['json']}",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return 0


@contextlib.contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A ``dask.distributed.Client`` connected to ``address``, closed afterwards.

    Connecting has one overall deadline, Dask's ``distributed.comm.timeouts.connect`` (30 s by
    default; e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``): Dask's own timeout does not
    cover a peer that accepts and then stays silent, and a peer that is not a Dask scheduler
    can fail in any way (a garbage frame length once asked for exbibytes), so every failure
    becomes a :class:`CliError`.
    """
    try:
        import dask
        import distributed
        from dask.utils import parse_timedelta
    except ImportError:
        raise CliError('--scheduler needs Dask: pip install "routecore[dask]"') from None
    deadline_s = float(parse_timedelta(dask.config.get("distributed.comm.timeouts.connect")))
    _probe_scheduler(address, deadline_s)
    try:
        make_client: Callable[..., Any] = distributed.Client
        client = make_client(address, timeout=deadline_s, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise CliError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        yield client


def _probe_scheduler(address: str, deadline_s: float) -> None:
    """Ask ``address`` who it is, within ``deadline_s``; a :class:`CliError` unless a Dask
    scheduler answers.

    The question runs on its own event loop in a daemon thread: a peer that is not a Dask
    scheduler can fail in any way (a garbage frame length once asked for exbibytes of memory)
    or never answer, and neither may reach the caller as anything but one line.
    """
    import asyncio

    from distributed.comm import core

    connect: Callable[..., Any] = core.connect
    outcome: dict[str, Any] = {}
    done = threading.Event()

    async def ask() -> Any:
        comm = await connect(address, timeout=deadline_s)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    def run() -> None:
        try:
            outcome["answer"] = asyncio.run(asyncio.wait_for(ask(), deadline_s))
        except TimeoutError:
            outcome["error"] = f"no answer within {deadline_s:g} s"
        except BaseException as exc:  # any failure is reported as one line
            outcome["error"] = _one_line(str(exc))[:200] or type(exc).__name__
        finally:
            done.set()

    # A daemon thread, so that an attempt that ignores its deadline cannot keep us waiting.
    threading.Thread(target=run, name="routecore-dask-probe", daemon=True).start()
    prefix = f"cannot reach the Dask scheduler at {address}"
    if not done.wait(deadline_s + 1.0):
        raise CliError(f"{prefix}: no answer within {deadline_s:g} s")
    if "error" in outcome:
        raise CliError(f"{prefix}: {outcome['error']}")
    answer = outcome.get("answer")
    if not (isinstance(answer, dict) and answer.get("type") == "Scheduler"):
        raise CliError(f"{prefix}: the peer answered, but not as a Dask scheduler")


def _progress_bars(
    console: Console,
) -> Callable[[str], contextlib.AbstractContextManager[Callable[[int, int], None]]]:
    """Per sweep, a transient progress bar on ``console`` and the callback that moves it."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    @contextlib.contextmanager
    def bar_for(description: str) -> Iterator[Callable[[int, int], None]]:
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

    return bar_for


def run_demo(
    scenario: str,
    out: Path,
    *,
    steps: int = DEMO_STEPS,
    step_s: float = DEMO_STEP_S,
    pairs: bool = False,
    threads: int | None = None,
    console: Console | None = None,
    executor: Any = None,
    force: bool = False,
    systems: Sequence[str] | None = None,
    geojson: Path | None = None,
) -> dict[str, Any]:
    """Run the demo's analyses (:func:`~routecore.cli.demo.compute_demo`), print each stage
    as it finishes, write ``map.png``, ``results.json`` and ``schools.csv`` into ``out``;
    returns the JSON document.

    The sweeps show a progress bar and run on ``executor`` when one is given (see
    :mod:`routecore.executor`). Ctrl-C during a sweep stops the demo after that sweep: its
    finished part is printed and written, later analyses are skipped, and the document has
    ``"partial": true``. Ctrl-C at any later point keeps what finished in the same way; the
    results are written first and the map last (see
    :func:`~routecore.cli.output.write_demo_outputs`).

    ``out`` is checked before anything runs: a :class:`CliError` if it is a file or holds
    one of the demo's file names that routecore did not write there (``force`` replaces
    them). Every file is written atomically.

    ``systems`` picks the constellations (see :func:`~routecore.cli.demo.choose_systems`).
    ``geojson`` also writes the transit cuts, failure cases and schools as one GeoJSON file
    (``routecore demo --geojson`` without a file name: ``out / DEMO_GEOJSON``)."""
    from rich.console import Console

    from ..scenario import load_scenario
    from .demo import compute_demo
    from .output import OutputError, claim_output_dir, write_demo_outputs
    from .render_demo import print_demo_stage, print_headline

    console = console or Console(highlight=False)
    if geojson is not None and geojson.is_dir():
        raise CliError(f"--geojson {geojson} is a directory; give a file name")
    # A file inside the output directory is claimed like the demo's own files.
    inside = geojson is not None and geojson.parent.resolve() == out.resolve()
    try:
        claim_output_dir(out, force=force, extra=[geojson.name] if geojson and inside else [])
    except OutputError as exc:
        raise CliError(str(exc)) from None
    print_headline(console, load_scenario(scenario))
    result = compute_demo(
        scenario,
        steps=steps,
        step_s=step_s,
        pairs=pairs,
        threads=threads,
        executor=executor,
        progress=_progress_bars(console),
        on_stage=lambda stage, partial: print_demo_stage(console, stage, partial),
        systems=systems,
    )
    doc, written = write_demo_outputs(result, out, force=True, geojson=geojson)  # claimed above
    console.print(f"wrote {', '.join(written)}", markup=False)
    return doc


def _cmd_capacity(args: argparse.Namespace) -> int:
    import warnings

    from .. import constellation as cs
    from ..analyses import school_capacity
    from .capacity import CAPACITY_PRESETS, capacity_doc, capacity_table, capacity_times
    from .output import OutputError, emit_json, write_csv

    net = _load(args)
    names = args.constellation or list(CAPACITY_PRESETS)
    unknown = [n for n in names if n not in cs.PRESETS]
    if unknown:
        raise CliError(f"unknown constellation {unknown[0]!r}; presets: {', '.join(cs.PRESETS)}")
    if args.demand_mbps is not None and not (
        args.demand_mbps >= 0 and args.demand_mbps < float("inf")
    ):
        raise CliError(f"--demand-mbps must be a finite number >= 0, got {args.demand_mbps}")
    if args.map is not None:
        _check_map_path(args.map, "--map")
    times = capacity_times(args.window_s, args.steps)
    console = _console(args)
    with _progress_bars(console)("capacity time steps") as report, warnings.catch_warnings():
        warnings.simplefilter("ignore", cs.ShortWindowWarning)
        result = school_capacity(
            net,
            {n: cs.PRESETS[n] for n in names},
            times,
            policies=tuple(args.policy or ("home", "any", "abroad")),
            demand_mbps=args.demand_mbps,
            threads=args.threads,
            progress=report,
        )
    if args.schools_csv is not None:
        try:
            write_csv(args.schools_csv, result.schools)
        except OutputError as exc:
            raise CliError(str(exc)) from None
    if args.map is not None and len(result.summary):
        from ..plotting_capacity import capacity_map

        args.map.parent.mkdir(parents=True, exist_ok=True)
        capacity_map(net, result, path=args.map)
    if args.json:
        emit_json(capacity_doc(result, times))
    else:
        home = str(net.meta.get("analysis", {}).get("home_country", ""))
        console.print(capacity_table(result, home))
        for line in result.assumptions:
            console.print(f"[dim]assumption: {line}[/dim]", highlight=False)
        for written in (args.schools_csv, args.map):
            if written is not None:
                console.print(f"wrote {written}", markup=False)
    return EXIT_INTERRUPTED if result.partial else 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _cmd_demo,
    "report": _cmd_report,
    "route": _cmd_route,
    "flow": _cmd_flow,
    "map": _cmd_map,
    "capacity": _cmd_capacity,
    **TRANSIT_COMMANDS,
}
