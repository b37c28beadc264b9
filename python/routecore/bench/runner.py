"""Running one family: routecore's methods and the peers, alternated, results checked.

Every contestant's graph is built first (untimed). Then ``rounds`` rounds run every contestant
once each, so that load changes on the machine touch all of them alike; a contestant's time is
the minimum over its runs. Round 0 runs them in the listed order (routecore ``auto`` first: its
result is the reference); later rounds in a random order (seeded by the family's seed) that
never starts with the contestant that ended the round before. A contestant run twice in a row
finds its data in the caches, which on a call of microseconds is worth more than any method:
with forward and reverse rounds, ``auto`` and the last peer were the ones that got such a
warm repeat. Each result is
compared with the result of routecore's ``auto`` (flow values exactly; distances to ``1e-9``
relative): a difference makes the contestant a ``mismatch`` (an error, with no time
reported). A contestant whose first run takes more than :data:`SLOW_FACTOR` times the fastest
first run (and over :data:`SLOW_FLOOR_S`) is not repeated; its one run is its time.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

import routecore as rc
from routecore.batch import max_flow_values
from routecore.flow import FLOW_METHODS
from routecore.paths import PATH_METHODS

from . import peers as peer_solvers
from .families import Family, Size, checksum
from .instances import FlowInstance, PathInstance

Kind = Literal["auto", "method", "peer"]
Status = Literal["ok", "mismatch", "error", "skipped"]

SLOW_FACTOR = 50.0
SLOW_FLOOR_S = 2.0
AUTO = "routecore"
"""Contestant name of routecore's default call (``method="auto"``, every thread)."""


@dataclass
class Contestant:
    """One line of a family's result."""

    name: str
    kind: Kind
    solver: peer_solvers.Solver | None = None
    status: Status = "ok"
    note: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def seconds(self) -> float | None:
        return min(self.runs) if self.runs and self.status == "ok" else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "seconds": self.seconds,
            "runs": self.runs,
            "note": self.note,
        }


def _own_flow(inst: FlowInstance, threads: int) -> list[Contestant]:
    g = rc.Graph(inst.num_nodes, inst.src, inst.dst, capacity=inst.capacity, directed=inst.directed)
    pairs = inst.pairs()
    if len(pairs) > 1:
        return _own_flow_pairs(g, pairs, threads)

    # The peers' timed calls return the value alone (PyMaxflow's maxflow(), igraph's
    # maxflow_value, OR-Tools' solve), and so does max_flow_value; max_flow (flows and a cut
    # as well) and min_cut (a cut) are shown beside it.
    def solve(method: Any) -> peer_solvers.Solver:
        return peer_solvers.Solver(
            lambda _: tuple(int(rc.max_flow_value(g, s, t, method=method)) for s, t in pairs)
        )

    picked = sorted({rc.max_flow(g, s, t).method for s, t in pairs})  # untimed, for the note
    own = [
        Contestant(AUTO, "auto", solve("auto"), note="max_flow_value, picks " + ", ".join(picked))
    ]
    own += [Contestant(f"routecore:{m}", "method", solve(m)) for m in FLOW_METHODS if m != "auto"]
    full = peer_solvers.Solver(lambda _: tuple(int(rc.max_flow(g, s, t).value) for s, t in pairs))
    note = "max_flow(method='auto'): the value, every edge's flow and a cut"
    own.append(Contestant("routecore:max_flow", "method", full, note=note))
    cut = peer_solvers.Solver(lambda _: tuple(int(rc.min_cut(g, s, t).value) for s, t in pairs))
    own.append(Contestant("routecore:min_cut", "method", cut, note="min_cut(method='auto')"))
    return own


def _own_flow_pairs(
    g: rc.Graph, pairs: Sequence[tuple[int, int]], threads: int
) -> list[Contestant]:
    """Many pairs: what a user asking for many values calls, one
    :func:`routecore.batch.max_flow_values` for all pairs (on ``threads`` threads, and on one
    as the peers run), beside one :func:`routecore.max_flow` call per pair."""
    sources = np.array([s for s, _ in pairs], dtype=np.int64)
    sinks = np.array([t for _, t in pairs], dtype=np.int64)

    def batch(method: Any, workers: int | None = None) -> peer_solvers.Solver:
        return peer_solvers.Solver(
            lambda _: tuple(
                max_flow_values(g, sources, sinks, method=method, threads=workers).tolist()
            )
        )

    per_call = peer_solvers.Solver(
        lambda _: tuple(int(rc.max_flow(g, s, t).value) for s, t in pairs)
    )
    note = f"max_flow_values, threads={threads}"
    own = [Contestant(AUTO, "auto", batch("auto", threads), note=note)]
    own += [
        Contestant(f"routecore:{m}", "method", batch(m, threads))
        for m in FLOW_METHODS
        if m != "auto"
    ]
    own.append(Contestant("routecore:1thread", "method", batch("auto", 1), note="threads=1"))
    own.append(
        Contestant("routecore:per_call", "method", per_call, note="max_flow() once per pair")
    )
    return own


def _own_paths(inst: PathInstance, threads: int) -> list[Contestant]:
    g = rc.Graph(inst.num_nodes, inst.src, inst.dst, weight=inst.weight, directed=inst.directed)
    if inst.point_to_point:
        pairs = list(zip(inst.sources.tolist(), inst.targets.tolist(), strict=True))

        def p2p(method: Any) -> peer_solvers.Solver:
            def run(_: Any) -> np.ndarray:
                found = [rc.shortest_path(g, s, t, method=method) for s, t in pairs]
                return np.array([np.inf if p is None else p.length for p in found])

            return peer_solvers.Solver(run)

        methods = [m for m in PATH_METHODS if m not in ("auto", "astar")]
        return [Contestant(AUTO, "auto", p2p("auto"))] + [
            Contestant(f"routecore:{m}", "method", p2p(m)) for m in methods
        ]
    if inst.sources.size == 1:
        s0 = int(inst.sources[0])
        return [
            Contestant(AUTO, "auto", peer_solvers.Solver(lambda _: rc.shortest_path_lengths(g, s0)))
        ]
    batch = inst.sources

    def lengths(workers: int) -> peer_solvers.Solver:
        return peer_solvers.Solver(lambda _: rc.shortest_path_lengths(g, batch, threads=workers))

    auto = Contestant(AUTO, "auto", lengths(inst.threads), note=f"threads={inst.threads}")
    if inst.threads == 1:
        return [auto]
    return [auto, Contestant("routecore:1thread", "method", lengths(1), note="threads=1")]


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, tuple):
        return isinstance(got, tuple) and got == want
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return False
    return bool(
        np.allclose(got, want, rtol=1e-9, atol=1e-9, equal_nan=False) or np.array_equal(got, want)
    )


def _describe_difference(got: Any, want: Any) -> str:
    if isinstance(want, tuple):
        first = next((i for i, (a, b) in enumerate(zip(got, want, strict=False)) if a != b), 0)
        if not isinstance(got, tuple) or len(got) != len(want):
            return f"returned {got!r:.60}, routecore auto {want!r:.60}"
        return f"value of call {first}: {got[first]} (routecore auto: {want[first]})"
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return f"shape {got.shape} (routecore auto: {want.shape})"
    bad = ~np.isclose(got, want, rtol=1e-9, atol=1e-9)
    i = np.unravel_index(int(np.argmax(bad)), bad.shape)
    where = tuple(map(int, i))
    return (
        f"{int(bad.sum())} entries differ, first at {where}: {got[i]} (routecore auto: {want[i]})"
    )


def _peer_contestants(
    family: Family, inst: FlowInstance | PathInstance, size: Size, available: Sequence[str]
) -> list[Contestant]:
    out = []
    for peer in available:
        if family.task not in peer_solvers.PEERS[peer][2]:
            continue
        c = Contestant(peer, "peer")
        reason = family.slow.get(peer) if size != "smoke" else None
        if peer == "networkx" and inst.num_edges > peer_solvers.NETWORKX_MAX_EDGES:
            reason = reason or f"over {peer_solvers.NETWORKX_MAX_EDGES:,} edges"
        if peer == "rustworkx" and inst.num_edges > peer_solvers.RUSTWORKX_MAX_EDGES:
            reason = f"over {peer_solvers.RUSTWORKX_MAX_EDGES:,} edges"
        if reason:
            c.status, c.note = "skipped", reason
            out.append(c)
            continue
        try:
            if isinstance(inst, FlowInstance):
                c.solver = peer_solvers.flow_solver(peer, inst)
            else:
                c.solver = peer_solvers.path_solver(peer, inst)
        except ValueError as exc:  # the peer cannot express this query
            c.status, c.note = "skipped", str(exc)
        except Exception as exc:
            c.status, c.note = "error", f"{type(exc).__name__}: {exc}"
        out.append(c)
    return out


def run_family(
    family: Family,
    size: Size,
    *,
    seed: int,
    rounds: int,
    threads: int,
    available: Sequence[str],
    log: Callable[[str], None] = lambda msg: print(msg, file=sys.stderr, flush=True),
) -> dict[str, Any]:
    """Build ``family``'s instance, run every contestant ``rounds`` times alternated, check
    the results; the family's record for the report."""
    t0 = time.perf_counter()
    inst = family.build(size, seed, threads)
    build_s = time.perf_counter() - t0
    own = _own_flow(inst, threads) if isinstance(inst, FlowInstance) else _own_paths(inst, threads)
    for c in own:
        if size != "smoke" and c.name in family.slow:
            c.status, c.note, c.solver = "skipped", family.slow[c.name], None
    contestants = own + _peer_contestants(family, inst, size, available)
    reference: Any = None
    rng = np.random.default_rng(seed)
    order = list(range(len(contestants)))
    for r in range(rounds):
        fastest_first = min(
            (c.runs[0] for c in contestants if c.runs and c.status == "ok"), default=None
        )
        if r > 0:
            order = _next_order(order, rng)
        for c in (contestants[i] for i in order):
            if c.status != "ok" or c.solver is None:
                continue
            if r > 0 and len(c.runs) < r:
                continue  # too slow to repeat
            if (
                r == 1
                and fastest_first is not None
                and c.runs[0] > max(SLOW_FACTOR * fastest_first, SLOW_FLOOR_S)
            ):
                c.note = (c.note + "; " if c.note else "") + "1 run (slow)"
                continue
            try:
                arg = c.solver.setup() if c.solver.setup is not None else None
                start = time.perf_counter()
                got = c.solver.call(arg)
                c.runs.append(time.perf_counter() - start)
            except Exception as exc:
                c.status, c.note = "error", f"{type(exc).__name__}: {exc}"
                continue
            if c.kind == "auto" and r == 0:
                reference = got
            elif r == 0 and reference is not None and not _same(got, reference):
                c.status, c.note = "mismatch", _describe_difference(got, reference)
    record = {
        "family": family.name,
        "task": family.task,
        "summary": family.summary,
        "instance": inst.describe(),
        "checksum": checksum(inst),
        "seed": seed,
        "build_s": build_s,
        "contestants": [c.as_dict() for c in contestants],
    }
    log(_progress_line(record))
    return record


def _next_order(previous: list[int], rng: np.random.Generator) -> list[int]:
    """A random order of the contestants that does not start with ``previous``'s last one (see
    the module notes: no contestant runs twice in a row)."""
    order = [int(i) for i in rng.permutation(len(previous))]
    if len(order) > 1 and order[0] == previous[-1]:
        order[0], order[-1] = order[-1], order[0]
    return order


def _progress_line(record: dict[str, Any]) -> str:
    parts = []
    for c in record["contestants"]:
        if c["status"] == "ok" and c["seconds"] is not None:
            parts.append(f"{c['name']} {c['seconds'] * 1e3:.3g} ms")
        else:
            parts.append(f"{c['name']} {c['status'].upper()}")
    return f"  {record['family']} ({record['instance']}): " + ", ".join(parts)
