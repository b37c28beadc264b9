"""Sweeps: the batched failure-case queries against networkx / scipy on the reduced graphs, and
the chunk runner: the same tables whatever the threads, chunking and executor (threads,
processes), progress reports, and partial results after Ctrl-C (simulated in the progress
callback, and a real SIGINT sent to a subprocess). The Dask cluster test is in test_dask.py."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, get_args

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import routecore as rc
from routecore import constellation as cs
from routecore.analyses import failure_sweep, gateway_siting, school_connectivity
from routecore.analyses._sky import _SkyWork
from routecore.analyses.failures import _FailureWork
from routecore.batch import lengths_under_failures, max_flow_under_failures
from routecore.executor import run_chunks
from routecore.scenario import Network

from .oracles import nx_ground, problem_flow_value, school_latency, scipy_lengths
from .strategies import EdgeList, FlowProblem, edge_lists, flow_problems


@st.composite
def failure_lists(draw: st.DrawFn, num_edges: int) -> list[list[int]]:
    """Up to 8 cases of 0-3 failed edges (repeats within a case allowed)."""
    if num_edges == 0:
        return [[] for _ in range(draw(st.integers(0, 3)))]
    edge = st.integers(0, num_edges - 1)
    return draw(st.lists(st.lists(edge, max_size=3), max_size=8))


# ---------------------------------------------------------------------- batched failures
@given(flow_problems(), st.data())
def test_max_flow_under_failures_equals_networkx_without_those_edges(
    p: FlowProblem, data: st.DataObject
) -> None:
    cases = data.draw(failure_lists(len(p.src)))
    method = data.draw(st.sampled_from(get_args(rc.flow.FlowMethod)))
    g = rc.Graph(p.num_nodes, p.src, p.dst, capacity=p.capacity, directed=p.directed)
    values = max_flow_under_failures(g, p.sources, p.sinks, cases, method=method, threads=2)
    assert values.shape == (len(cases),) and values.dtype == np.int64
    for i, failed in enumerate(cases):
        cap = p.capacity.copy()
        cap[failed] = 0
        assert values[i] == problem_flow_value(p, cap), (i, method)
    one = max_flow_under_failures(g, p.sources, p.sinks, cases, method=method, threads=1)
    np.testing.assert_array_equal(one, values)


@given(flow_problems(capacities="float"), st.data())
def test_float_capacities_under_failures(p: FlowProblem, data: st.DataObject) -> None:
    cases = data.draw(failure_lists(len(p.src)))
    g = rc.Graph(p.num_nodes, p.src, p.dst, directed=p.directed)
    values = max_flow_under_failures(g, p.sources, p.sinks, cases, capacity=p.capacity)
    total = float(p.capacity.sum())
    for i, failed in enumerate(cases):
        cap = p.capacity.copy()
        cap[failed] = 0.0
        want = rc.max_flow(g, p.sources, p.sinks, capacity=cap).value
        assert values[i] == pytest.approx(want, rel=1e-9, abs=1e-9 * total), i


@given(edge_lists(), st.data())
def test_lengths_under_failures_equal_scipy_without_those_edges(
    el: EdgeList, data: st.DataObject
) -> None:
    n, m = el.num_nodes, len(el.src)
    sources = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3)))
    targets = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=4)))
    cases = data.draw(failure_lists(m))
    weighted = data.draw(st.booleans())
    g = rc.Graph(n, el.src, el.dst, weight=el.weight if weighted else None, directed=el.directed)
    got = lengths_under_failures(g, sources, targets, cases, threads=2)
    assert got.shape == (len(cases), targets.size)
    w = el.weight if weighted else np.ones(m)
    for i, failed in enumerate(cases):
        keep = np.ones(m, dtype=bool)
        keep[failed] = False
        want = scipy_lengths(n, el.src[keep], el.dst[keep], w[keep], el.directed, sources)
        np.testing.assert_allclose(got[i], want.min(axis=0)[targets], rtol=1e-12, atol=1e-12)
        # The same as one nearest_source search with those edges closed.
        single, _ = rc.nearest_source(g, sources, forbidden_edges=keep == 0)
        np.testing.assert_array_equal(got[i], single[targets])
    np.testing.assert_array_equal(
        lengths_under_failures(g, sources, targets, cases, threads=1), got
    )


def test_failure_case_formats_and_errors() -> None:
    g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0], capacity=[4, 4, 1])
    padded = np.array([[-1, -1], [1, -1], [1, 2]])
    as_lists = [[], [1], [1, 2]]
    np.testing.assert_array_equal(
        max_flow_under_failures(g, 0, 2, padded), max_flow_under_failures(g, 0, 2, as_lists)
    )
    assert max_flow_under_failures(g, 0, 2, as_lists).tolist() == [5, 1, 0]
    assert max_flow_under_failures(g, 0, 2, []).shape == (0,)
    assert lengths_under_failures(g, 0, [2], as_lists)[:, 0].tolist() == [2.0, 5.0, np.inf]
    for bad, message in [
        ([[0], [3]], r"failed\[1\]\[0\] = 3 is not an edge id; valid ids are 0\.\.2"),
        (np.array([[0, 7]]), r"failed\[0\]\[1\] = 7 is not an edge id"),
        (np.array([[0, -2]]), r"failed\[0\]\[1\] = -2 is not an edge id"),
        ([[0.5]], r"failed\[0\]: expected a flat list of integer edge ids"),
        (5, r"failed must be a 2-D array of edge ids"),
    ]:
        with pytest.raises(rc.GraphError, match=message):
            max_flow_under_failures(g, 0, 2, bad)
        with pytest.raises(rc.GraphError, match=message):
            lengths_under_failures(g, 0, [2], bad)
    with pytest.raises(rc.GraphError, match="both a source and a sink"):
        max_flow_under_failures(g, [0, 2], 2, [[]])
    with pytest.raises(ValueError, match=r"threads must be >= 1"):
        lengths_under_failures(g, 0, [2], [[]], threads=0)
    with pytest.raises(ValueError, match=r"method must be one of 'auto'"):
        max_flow_under_failures(g, 0, 2, [[]], method="simplex")  # type: ignore[arg-type]


def test_sweep_module_re_exports_batch_and_executor() -> None:
    """routecore.sweep, the former home of both halves, keeps its names (the same objects)."""
    import routecore.batch
    import routecore.executor
    import routecore.sweep

    for name in routecore.sweep.__all__:
        home = routecore.batch if "failures" in name else routecore.executor
        assert getattr(routecore.sweep, name) is getattr(home, name), name


# ---------------------------------------------------------------------- the chunk runner
def _square(shared: int, chunk: int) -> int:
    return shared * chunk * chunk


def _slow_square(shared: int, chunk: int) -> int:
    time.sleep(0.02)
    return shared * chunk * chunk


def _fail_on_three(shared: int, chunk: int) -> int:
    if chunk == 3:
        raise ValueError("chunk 3 is bad")
    return chunk


def test_run_chunks_keeps_chunk_order_on_every_executor() -> None:
    chunks = list(range(10))
    want = [2 * c * c for c in chunks]
    assert run_chunks(_square, 2, chunks).results == want
    with ThreadPoolExecutor(3) as pool:
        run = run_chunks(_square, 2, chunks, executor=pool)
    assert run.results == want and run.complete and not run.interrupted


def test_run_chunks_reports_progress_in_work_units() -> None:
    seen: list[tuple[int, int]] = []
    run_chunks(_square, 1, [1, 2, 3], sizes=[5, 1, 4], progress=lambda d, t: seen.append((d, t)))
    assert seen == [(5, 10), (6, 10), (10, 10)]


def test_run_chunks_errors_propagate_and_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="chunk 3 is bad"):
        run_chunks(_fail_on_three, 0, list(range(6)))
    with ThreadPoolExecutor(2) as pool, pytest.raises(ValueError, match="chunk 3 is bad"):
        run_chunks(_fail_on_three, 0, list(range(6)), executor=pool)
    with pytest.raises(TypeError, match=r"executor must be None, a concurrent\.futures"):
        run_chunks(_square, 1, [1], executor="tcp://127.0.0.1:8786")
    with pytest.raises(TypeError, match="progress must be None, True or a callable"):
        run_chunks(_square, 1, [1], progress="yes")  # type: ignore[arg-type]


def stop_after(k: int) -> Any:
    """A progress callback that presses Ctrl-C once ``k`` reports have come in."""
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == k:
            raise KeyboardInterrupt

    return progress


def test_interrupt_keeps_the_finished_chunks() -> None:
    run = run_chunks(_square, 1, list(range(10)), progress=stop_after(4))
    assert run.interrupted and not run.complete
    assert run.finished.tolist() == [True] * 4 + [False] * 6
    assert run.results[:4] == [0, 1, 4, 9] and run.results[4:] == [None] * 6
    with ThreadPoolExecutor(2) as pool:
        run = run_chunks(_slow_square, 1, list(range(40)), executor=pool, progress=stop_after(4))
    assert run.interrupted and 4 <= run.finished.sum() < 40
    for i in np.flatnonzero(run.finished):
        assert run.results[i] == i * i


# ------------------------------------------------------------------------- the sweeps
@pytest.fixture(scope="module")
def small_net(thin_schools: Callable[[int], Network]) -> Network:
    """Every 40th school (50 schools)."""
    return thin_schools(40)


@pytest.fixture(scope="module")
def pair_sweep(net: Network) -> pd.DataFrame:
    return failure_sweep(net, pairs=True, threads=1)


TIMES = np.arange(6) * 600.0
SYSTEMS = {"starlink": cs.STARLINK_SHELL1, "oneweb": cs.ONEWEB}


@pytest.fixture(scope="module")
def school_table(small_net: Network) -> pd.DataFrame:
    return school_connectivity(small_net, SYSTEMS, TIMES, policies=("home", "any"), threads=1)


def test_failure_sweep_is_the_same_for_any_threads_chunks_and_executor(
    net: Network, pair_sweep: pd.DataFrame
) -> None:
    assert len(pair_sweep) == 35 + 35 * 34 // 2 and not pair_sweep.attrs["partial"]
    pd.testing.assert_frame_equal(failure_sweep(net, pairs=True, threads=2), pair_sweep)
    pd.testing.assert_frame_equal(failure_sweep(net, pairs=True, chunk_size=7), pair_sweep)
    with ThreadPoolExecutor(2) as pool:
        pd.testing.assert_frame_equal(
            failure_sweep(net, pairs=True, executor=pool, chunk_size=50), pair_sweep
        )


def test_failure_sweep_closes_failed_links(net: Network, pair_sweep: pd.DataFrame) -> None:
    """Latency after a failure equals networkx on the network without those links; a case
    that cuts every route is reported as disconnected (inf), not as a detour over the dead
    link."""
    g = nx_ground(net)
    sample = pair_sweep.iloc[:: max(1, len(pair_sweep) // 60)]
    assert pair_sweep["disconnected"].any()
    for row in list(sample.itertuples()) + list(
        pair_sweep[pair_sweep["disconnected"]].itertuples()
    ):
        h = g.copy()
        h.remove_edges_from([(u, v) for u, v, d in g.edges(data=True) if d["link"] in row.failed])
        best = min(
            (
                nx.shortest_path_length(h, s, t, weight="latency")
                for s in ("khorgos", "urumqi")
                for t in ("frankfurt", "istanbul")
                if nx.has_path(h, s, t)
            ),
            default=np.inf,
        )
        assert row.latency_ms == pytest.approx(best, rel=1e-12), row.failed
        assert row.disconnected == (best == np.inf)


def test_failure_sweep_progress_and_interrupt(net: Network, pair_sweep: pd.DataFrame) -> None:
    seen: list[tuple[int, int]] = []
    failure_sweep(net, pairs=True, chunk_size=100, progress=lambda d, t: seen.append((d, t)))
    assert [d for d, _ in seen] == [100, 200, 300, 400, 500, 600, 630]
    assert {t for _, t in seen} == {630}
    part = failure_sweep(net, pairs=True, chunk_size=100, progress=stop_after(2))
    assert part.attrs["partial"] and part.attrs["cases_done"] == 200
    assert part.attrs["cases_total"] == 630 and len(part) == 200
    # The rows kept are exactly those of the full run for the first 200 cases.
    full = pair_sweep.set_index("failed")
    pd.testing.assert_frame_equal(
        part.set_index("failed"), full.loc[part["failed"]], check_names=False
    )


def test_school_sweep_is_the_same_for_any_threads_chunks_and_executor(
    small_net: Network, school_table: pd.DataFrame
) -> None:
    assert school_table.attrs["steps_done"] == {"starlink": 6, "oneweb": 6}
    same = [
        school_connectivity(small_net, SYSTEMS, TIMES, threads=2),
        school_connectivity(small_net, SYSTEMS, TIMES, chunk_size=4),
    ]
    with ThreadPoolExecutor(2) as pool:
        same.append(school_connectivity(small_net, SYSTEMS, TIMES, executor=pool, chunk_size=2))
    for table in same:
        pd.testing.assert_frame_equal(table, school_table)


def test_school_sweep_interrupted_equals_a_run_over_the_finished_steps(
    small_net: Network,
) -> None:
    # One block at a time, so exactly the first two finish. (Side by side, a third may finish
    # before the interrupt lands and is kept: the test below covers that case.)
    part = school_connectivity(
        small_net, SYSTEMS, TIMES, threads=1, chunk_size=2, progress=stop_after(2)
    )
    assert part.attrs["partial"]
    assert part.attrs["steps_done"] == {"starlink": 4, "oneweb": 0}
    assert part.attrs["times_done"] == {"starlink": TIMES[:4].tolist(), "oneweb": []}
    want = school_connectivity(small_net, {"starlink": cs.STARLINK_SHELL1}, TIMES[:4])
    pd.testing.assert_frame_equal(part, want)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="blocks run side by side on 2 threads")
def test_school_sweep_interrupted_out_of_order_names_the_steps_it_covers(
    small_net: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    import routecore.analyses.schools as analyses

    step = analyses._policy_chunk
    interrupted = threading.Event()

    def first_block_last(work: Any, chunk: Any) -> Any:
        # Blocks 2 and 3 finish first, on the other thread. Block 1, and any block started
        # after them, wait for the interrupt and then fail, so whatever the timing they are
        # never among the finished blocks that the interrupted sweep keeps.
        if chunk[0] == "starlink" and chunk[1][0] in (TIMES[2], TIMES[4]):
            return step(work, chunk)
        interrupted.wait(timeout=120)
        raise RuntimeError("held until the interrupt")

    def stop_at_the_second_block(done: int, total: int) -> None:
        if done == 4:
            interrupted.set()
            raise KeyboardInterrupt

    monkeypatch.setattr(analyses, "_policy_chunk", first_block_last)
    part = school_connectivity(
        small_net, SYSTEMS, TIMES, threads=2, chunk_size=2, progress=stop_at_the_second_block
    )
    assert part.attrs["partial"]
    assert part.attrs["times_done"] == {"starlink": TIMES[2:].tolist(), "oneweb": []}
    monkeypatch.setattr(analyses, "_policy_chunk", step)
    want = school_connectivity(small_net, {"starlink": cs.STARLINK_SHELL1}, TIMES[2:])
    pd.testing.assert_frame_equal(part, want)


def test_progress_true_draws_a_bar_and_changes_nothing(
    small_net: Network, school_table: pd.DataFrame
) -> None:
    got = school_connectivity(small_net, SYSTEMS, TIMES, progress=True)
    pd.testing.assert_frame_equal(got, school_table)


class _RecordingExecutor(ThreadPoolExecutor):
    """A thread pool that notes the name of every function submitted to it."""

    def __init__(self) -> None:
        super().__init__(2)
        self.submitted: list[str] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.submitted.append(fn.__name__)
        return super().submit(fn, *args, **kwargs)


def test_sweeps_send_every_chunk_to_the_executor_given(net: Network, small_net: Network) -> None:
    """executor= is used, not just accepted: every chunk is submitted to it (the tables equal
    the local runs, which other tests check)."""
    with _RecordingExecutor() as pool:
        failure_sweep(net, chunk_size=10, executor=pool)
        assert pool.submitted == ["_failure_chunk"] * 4  # 35 single-link cases
    with _RecordingExecutor() as pool:
        school_connectivity(small_net, SYSTEMS, TIMES, chunk_size=2, executor=pool)
        assert pool.submitted == ["_policy_chunk"] * 6  # 2 systems x 3 blocks of 2 steps
    with _RecordingExecutor() as pool:
        gateway_siting(small_net, SYSTEMS, TIMES[:3], chunk_size=1, executor=pool)
        assert pool.submitted == ["_siting_chunk"] * 6


@pytest.fixture
def shipped(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[Any, Any]]:
    """What the sweeps hand to run_chunks, by task name: (shared work, chunks)."""
    from routecore.analyses import _sky, failures

    seen: dict[str, tuple[Any, Any]] = {}

    def spy(task: Any, shared: Any, chunks: Any, **kwargs: Any) -> Any:
        seen[task.__name__] = (shared, chunks)
        return run_chunks(task, shared, chunks, **kwargs)

    for module in (_sky, failures):
        monkeypatch.setattr(module, "run_chunks", spy)
    return seen


def test_a_worker_indexes_the_ground_once_per_sweep(
    small_net: Network, shipped: dict[str, tuple[Any, Any]]
) -> None:
    """A worker process of a concurrent.futures executor gets a pickled copy of the work with
    every block; the copies of one sweep share one ground index there, another sweep gets its
    own, and a sweep run here keeps nothing once it is done."""
    import routecore.analyses._sky as an

    school_connectivity(small_net, SYSTEMS, TIMES[:2])
    work, _ = shipped["_policy_chunk"]
    assert not work.received and work.token not in an._ground_index.received_tokens()
    blob = pickle.dumps(work)
    first, second = pickle.loads(blob), pickle.loads(blob)
    assert first.received and first.token == work.token
    index = an._prepared(first, "starlink")
    assert an._prepared(second, "starlink") is index
    other = pickle.loads(pickle.dumps(_SkyWork(**{**vars(work), "token": "another sweep"})))
    assert an._prepared(other, "starlink") is not index
    # Only the latest sweep's indexes are kept.
    assert an._ground_index.received_tokens() == ["another sweep"]


def test_tasks_ship_compact_arrays_not_the_network(
    net: Network, shipped: dict[str, tuple[Any, Any]]
) -> None:
    """What travels to a worker: the shared work once (CSR arrays, coordinates), then a small
    description of each chunk."""
    failure_sweep(net, pairs=True, chunk_size=64)
    school_connectivity(net, SYSTEMS, TIMES, chunk_size=2)
    fail_work, fail_chunks = shipped["_failure_chunk"]
    sky_work, sky_chunks = shipped["_policy_chunk"]
    assert isinstance(fail_work, _FailureWork) and isinstance(sky_work, _SkyWork)
    graph_bytes = len(pickle.dumps(fail_work.graph))
    assert graph_bytes < fail_work.graph.nbytes + 1024  # CSR arrays, little else
    assert len(pickle.dumps(fail_work)) < graph_bytes + 2_000  # + 35 capacities, latencies
    assert max(len(pickle.dumps(c)) for c in fail_chunks) < 2_500  # 64 cases x 2 ids
    # 2,000 schools: three float/int arrays of 2,004 entries plus the constellations.
    assert len(pickle.dumps(sky_work)) < 80_000
    assert max(len(pickle.dumps(c)) for c in sky_chunks) < 1_000


def test_gateway_siting_matches_an_independent_oracle(small_net: Network) -> None:
    """One time step: the siting score of a site is the median / share over the schools of the
    networkx oracle's latency with only that site (or it and the existing gateways) allowed."""
    t = 300.0
    sites = ["akkol", "almaty", "aktobe"]
    for mode, extra in (("single", set()), ("added", {"kokterek", "akkol"})):
        res = gateway_siting(small_net, {"oneweb": cs.ONEWEB}, [t], candidates=sites, mode=mode)
        assert list(res["rank"]) == [1, 2, 3] and set(res["site"]) == set(sites)
        for row in res.itertuples():
            nodes = small_net.nodes.copy()
            nodes.loc[nodes["id"] == row.site, "kind"] = "gateway"
            as_gateway = Network(nodes, small_net.links, small_net.meta)
            lat = np.array(
                list(school_latency(as_gateway, cs.ONEWEB, t, {row.site} | extra).values())
            )
            connected = np.isfinite(lat)
            assert row.connected_share == pytest.approx(connected.mean())
            assert row.median_latency_ms == pytest.approx(np.median(lat[connected]), rel=1e-9)
            assert row.p95_latency_ms == pytest.approx(np.percentile(lat[connected], 95), rel=1e-9)
        key = list(zip(-res["connected_share"], res["median_latency_ms"], strict=True))
        assert key == sorted(key)


def test_gateway_siting_defaults_and_executor(small_net: Network) -> None:
    single = gateway_siting(small_net, SYSTEMS, TIMES[:3])
    kz = small_net.nodes[
        (small_net.nodes["country"] == "KZ") & small_net.nodes["kind"].isin(["gateway", "pop"])
    ]
    assert len(single) == 2 * len(kz) and set(single["site"]) == set(kz["id"])
    with ThreadPoolExecutor(2) as pool:
        pd.testing.assert_frame_equal(
            gateway_siting(small_net, SYSTEMS, TIMES[:3], executor=pool, chunk_size=1), single
        )
    added = gateway_siting(small_net, SYSTEMS, TIMES[:3], mode="added")
    # Adding a site never makes coverage worse than the existing gateways alone.
    base = school_connectivity(small_net, SYSTEMS, TIMES[:3], policies=("home",))
    for cname, grp in added.groupby("constellation"):
        share = base.loc[base["constellation"] == cname, "connected_share"].mean()
        assert (grp["connected_share"] >= share - 1e-12).all()
    with pytest.raises(ValueError, match="mode must be one of"):
        gateway_siting(small_net, SYSTEMS, TIMES[:1], mode="best")


# ----------------------------------------------------------------------- a real Ctrl-C
SIGINT_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    from routecore import constellation as cs
    from routecore.analyses import school_connectivity
    from routecore.scenario import load_scenario

    net = load_scenario("central-asia")

    def progress(done, total):
        print(f"step {done}", flush=True)
        time.sleep(0.2)

    res = school_connectivity(
        net, [cs.STARLINK_SHELL1], np.arange(200) * 60.0, threads=1, progress=progress
    )
    print(json.dumps({"partial": res.attrs["partial"], "done": res.attrs["steps_done"],
                      "rows": len(res)}), flush=True)
    """
)


def test_sigint_returns_the_finished_steps() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-c", SIGINT_SCRIPT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.strip() == "step 3":
                proc.send_signal(signal.SIGINT)
                break
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    doc = json.loads(out.strip().splitlines()[-1])
    assert doc["partial"] is True
    done = doc["done"]["starlink-shell1"]
    assert 3 <= done < 200
    assert doc["rows"] == 2 * 2000  # both policies, every school


# ------------------------------------------------------------------------- the command line
def test_demo_ctrl_c_in_a_sweep_writes_the_finished_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C in the school sweep (pressed after its second block): the demo prints and writes
    what is finished, skips the rest, and exits 130."""
    import routecore.analyses
    from routecore.cli import main

    real = routecore.analyses.school_connectivity

    def interrupted(*args: Any, **kwargs: Any) -> pd.DataFrame:
        cli_progress = kwargs.pop("progress")

        def progress(done: int, total: int) -> None:
            cli_progress(done, total)
            if done >= 2:
                raise KeyboardInterrupt

        # One block at a time, so exactly two finish (side by side a third might, and be kept).
        return real(*args, progress=progress, **{**kwargs, "threads": 1})

    monkeypatch.setattr(routecore.analyses, "school_connectivity", interrupted)
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--steps", "3", "--step-s", "600"]) == 130
    captured = capsys.readouterr()
    # 4 constellation presets x 3 steps (the demo's preset spread runs in the same sweep)
    assert "interrupted" in captured.err and "2 of 12 time steps" in captured.out
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert doc["partial"] is True
    assert doc["schools"]["steps_done"] == {
        "Starlink shell 1": 2,
        "Starlink shell 1, bent pipe": 0,
        "OneWeb": 0,
        "OneWeb, 55° users": 0,
    }
    assert doc["gateway_siting"] is None  # skipped after the interrupt
    assert len(doc["failure_sweep"]["all routes"]) == 35  # finished before the interrupt
    lines = (out / "schools.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 3 * 2000  # one constellation, three policies


@given(
    st.integers(1, 30),
    st.integers(1, 20),
    st.data(),
)
def test_column_quantiles_equal_numpy(rows: int, cols: int, data: st.DataObject) -> None:
    """The vectorised per-school statistics equal numpy's nan-aware reductions exactly."""
    import warnings

    from routecore.analyses._stats import _column_quantiles

    values = st.one_of(
        st.none(), st.sampled_from([0.5, 1.0, 2.5]), st.floats(0, 100, allow_nan=False)
    )
    cells = data.draw(st.lists(values, min_size=rows * cols, max_size=rows * cols))
    x = np.array([np.nan if v is None else v for v in cells], dtype=np.float64).reshape(rows, cols)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns
        want = (np.nanmedian(x, axis=0), np.nanpercentile(x, 95, axis=0), np.nanmin(x, axis=0))
    for w, g in zip(want, _column_quantiles(x), strict=True):
        np.testing.assert_array_equal(g, w)
