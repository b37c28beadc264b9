"""Thread safety and GIL release.

A :class:`routecore.Graph` is immutable after construction, and every query allocates its own
workspace, so one graph may be queried from many Python threads at once. The only state a
graph fills in later is the reverse adjacency (``Graph.reverse_csr``, built on the first reverse
or bidirectional query) and the reverse-weight cache in ``routecore.paths``; both are checked
here under concurrent first use.

The tests compare against sequential runs bit for bit and never assert on wall-clock time:
GIL release is shown by a Python thread that keeps counting while a C++ call runs.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import routecore as rc

from .oracles import same_result

THREADS = 8


def grid(rows: int, cols: int, *, directed: bool, seed: int) -> tuple[rc.Graph, np.ndarray]:
    """A rows x cols grid with random integer weights and capacities, plus random shortcuts
    (so the graph is not planar and searches differ by method); returns (graph, coordinates)."""
    rng = np.random.default_rng(seed)
    idx = np.arange(rows * cols).reshape(rows, cols)
    src = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    dst = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    if directed:  # both directions, with independent weights
        src, dst = np.concatenate([src, dst]), np.concatenate([dst, src])
    extra = rows * cols // 10
    src = np.concatenate([src, rng.integers(0, rows * cols, extra)])
    dst = np.concatenate([dst, rng.integers(0, rows * cols, extra)])
    lat = np.repeat(np.linspace(0.0, 1.0, rows), cols)
    lon = np.tile(np.linspace(0.0, 1.0, cols), rows)
    weight = rng.integers(1, 100, src.size).astype(np.float64)
    capacity = rng.integers(0, 50, src.size)
    g = rc.Graph(rows * cols, src, dst, weight=weight, capacity=capacity, directed=directed)
    return g, np.stack([lat, lon])


def queries(g: rc.Graph, coords: np.ndarray) -> dict[str, Callable[[], Any]]:
    """Every kind of query, each deterministic for a given graph."""
    n = g.num_nodes
    rng = np.random.default_rng(1)
    sources = rng.integers(0, n, 6)
    s, t = int(sources[0]), int(sources[1])
    side = np.arange(n) % 7 == 0
    terminals = np.flatnonzero(side)
    out: dict[str, Callable[[], Any]] = {
        "lengths threads=1": lambda: rc.shortest_path_lengths(g, sources, threads=1),
        "lengths threads=2": lambda: rc.shortest_path_lengths(g, sources, threads=2),
        "lengths max_length": lambda: rc.shortest_path_lengths(g, s, max_length=300.0),
        "lengths hops": lambda: rc.shortest_path_lengths(g, sources, weight=np.ones(g.num_edges)),
        "nearest": lambda: rc.nearest_source(g, sources),
        "nearest reverse": lambda: rc.nearest_source(g, sources, reverse=True),
        "tree reverse": lambda: rc.shortest_path_tree(g, sources[:3], reverse=True),
        "min_cut": lambda: rc.min_cut(g, terminals[:5], terminals[-5:]),
    }
    for method in ("dijkstra", "bidirectional"):
        out[f"path {method}"] = lambda m=method: rc.shortest_path(g, s, t, method=m)
    out["path astar"] = lambda: rc.shortest_path(
        g, s, t, method="astar", coordinates=coords, min_cost_per_km=0.0
    )
    for method in ("push_relabel", "boykov_kolmogorov", "dinic", "ibfs"):
        out[f"max_flow {method}"] = lambda m=method: rc.max_flow(
            g, terminals[:5], terminals[-5:], method=m
        )
    return out


@pytest.fixture(scope="module", params=[True, False], ids=["directed", "undirected"])
def instance(request: pytest.FixtureRequest) -> tuple[rc.Graph, np.ndarray]:
    return grid(100, 100, directed=request.param, seed=7)


def test_eight_threads_match_sequential(instance: tuple[rc.Graph, np.ndarray]) -> None:
    """8 Python threads run every query on the same graph at once, each in its own order and
    three times over; every result equals the sequential one exactly."""
    g, coords = instance
    calls = queries(g, coords)
    names = sorted(calls)
    expected = {name: calls[name]() for name in names}
    start = threading.Barrier(THREADS)
    mismatches: list[str] = []
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            order = names[k % len(names) :] + names[: k % len(names)]
            start.wait()
            for _ in range(3):
                for name in order:
                    if not same_result(calls[name](), expected[name]):
                        mismatches.append(f"thread {k}: {name}")
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    assert not errors, errors
    assert not mismatches, mismatches


@pytest.mark.parametrize("seed", [0, 1])
def test_reverse_adjacency_built_concurrently(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lazily built reverse CSR (and the reverse weights cached per graph) may be first
    requested by several threads at once. The build is slowed down (the GIL released for 50 ms)
    so that all threads ask while it runs: it must run exactly once, and every thread must get
    the complete, correct, read-only result."""
    g, _ = grid(40, 40, directed=True, seed=seed)
    twin = rc.Graph(g.num_nodes, g.src, g.dst, weight=g.weight, directed=True)
    reference = twin.reverse_csr()
    expected_tree = rc.nearest_source(twin, [0, 5], reverse=True)
    real_build = rc._core.build_reverse_csr
    builds: list[int] = []

    def slow_build(*args: Any) -> Any:
        builds.append(1)
        time.sleep(0.05)
        return real_build(*args)

    monkeypatch.setattr(rc._core, "build_reverse_csr", slow_build)
    start = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS

    def worker(k: int) -> None:
        start.wait()
        if k % 2:
            results[k] = g.reverse_csr()
        else:
            results[k] = rc.nearest_source(g, [0, 5], reverse=True)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
    for th in pool:
        th.start()
    for th in pool:
        th.join()
    assert len(builds) == 1
    for k, r in enumerate(results):
        assert same_result(r, reference if k % 2 else expected_tree), k
    assert same_result(g.reverse_csr(), reference)
    assert all(not a.flags.writeable for a in g.reverse_csr())


# ------------------------------------------------------------------------ GIL release
@pytest.fixture(scope="module")
def big() -> tuple[rc.Graph, np.ndarray]:
    return grid(400, 400, directed=False, seed=3)


def _progress_during(call: Callable[[], Any]) -> int:
    """How many times the calling Python thread advanced a counter while ``call`` ran in
    another thread.

    The switch interval is raised to 600 s for the duration, so a thread waiting for the GIL
    cannot force a hand-over: if ``call`` held the GIL, the counter could not move between the
    worker's two reads around the call. (It was 10 s, and five sorts of a million floats in the
    sanitizer build on a loaded machine outlasted it: one forced hand-over, counter 1.)
    The counting loop sleeps(0) to give the GIL back between increments, so the worker is
    never held up."""
    counter = 0
    moved = [-1]
    done = threading.Event()

    def worker() -> None:
        before = counter
        # Repeated calls (at least 5, and until the counter moved or 3 s passed), so even a fast
        # one (well under a millisecond) spans enough OS scheduling slices for the counting
        # thread to be woken while the GIL is free, on a busy machine too. A call that holds the
        # GIL keeps the counter still however often it runs.
        start = time.monotonic()
        calls = 0
        while calls < 5 or (counter == before and time.monotonic() - start < 3.0):
            call()
            calls += 1
        moved[0] = counter - before
        done.set()

    old = sys.getswitchinterval()
    sys.setswitchinterval(600.0)
    try:
        th = threading.Thread(target=worker)
        th.start()
        while not done.is_set():
            counter += 1
            time.sleep(0)
        th.join()
    finally:
        sys.setswitchinterval(old)
    return moved[0]


def test_progress_measure_detects_a_gil_holder() -> None:
    """The measure is sound: a long call that holds the GIL throughout (the built-in sorted()
    on a list of floats, pure C without a GIL release) shows no progress at all, while one
    that releases it (time.sleep) does."""
    values = np.random.default_rng(0).random(1_000_000).tolist()
    assert _progress_during(lambda: sorted(values)) == 0
    assert _progress_during(lambda: time.sleep(0.05)) > 0


@pytest.mark.parametrize(
    "name",
    [
        "lengths threads=1",
        "lengths threads=2",
        "path dijkstra",
        "path bidirectional",
        "path astar",
        "nearest",
        "max_flow push_relabel",
        "max_flow boykov_kolmogorov",
        "max_flow dinic",
        "max_flow ibfs",
        "min_cut",
        "Graph",
    ],
)
def test_gil_released_during_long_calls(big: tuple[rc.Graph, np.ndarray], name: str) -> None:
    g, coords = big
    n = g.num_nodes
    corner = [0, n - 1]
    left = np.arange(0, n, 400)
    right = left + 399
    calls: dict[str, Callable[[], Any]] = {
        "lengths threads=1": lambda: rc.shortest_path_lengths(g, corner, threads=1),
        "lengths threads=2": lambda: rc.shortest_path_lengths(g, corner, threads=2),
        "path dijkstra": lambda: rc.shortest_path(g, 0, n - 1, method="dijkstra"),
        "path bidirectional": lambda: rc.shortest_path(g, 0, n - 1, method="bidirectional"),
        "path astar": lambda: rc.shortest_path(
            g, 0, n - 1, coordinates=coords, min_cost_per_km=0.0
        ),
        "nearest": lambda: rc.nearest_source(g, corner),
        "max_flow push_relabel": lambda: rc.max_flow(g, left, right, method="push_relabel"),
        "max_flow boykov_kolmogorov": lambda: rc.max_flow(g, 0, n - 1, method="boykov_kolmogorov"),
        "max_flow dinic": lambda: rc.max_flow(g, 0, n - 1, method="dinic"),
        "max_flow ibfs": lambda: rc.max_flow(g, 0, n - 1, method="ibfs"),
        "min_cut": lambda: rc.min_cut(g, left, right),
        "Graph": lambda: rc.Graph(n, g.src, g.dst, weight=g.weight, directed=False),
    }
    assert _progress_during(calls[name]) > 0
