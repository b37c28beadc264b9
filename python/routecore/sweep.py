"""Sweeps over many cases: batched what-if queries on C++ threads, and the machinery that runs a
sweep's chunks here, on a :class:`concurrent.futures.Executor` or on a Dask cluster, with
progress reports and Ctrl-C.

Batched what-if queries
-----------------------
:func:`max_flow_under_failures` and :func:`lengths_under_failures` answer one question for many
variants of one graph, each with a few edges failed, in a single C++ call that runs the cases on
a thread pool with the GIL released (``cpp/include/routecore/failure_cases.h``).

Running a sweep
---------------
:func:`run_chunks` is what the sweeps of :mod:`routecore.analyses` use. A sweep is a function
``task(shared, chunk)`` applied to a list of chunks (blocks of failure cases, blocks of time
steps); ``shared`` holds what every chunk needs (a graph as CSR arrays, coordinates) and
travels to each worker once where the executor allows it. Where the chunks run is the
``executor=`` argument:

* ``None`` (default): here, one chunk after the other; each chunk's C++ calls use ``threads``
  cores. Nothing to start.
* any :class:`concurrent.futures.Executor` (``ThreadPoolExecutor``, ``ProcessPoolExecutor``,
  ``loky``...): every chunk is submitted with ``shared``; a process pool pickles ``shared`` with
  each chunk, so it is kept to compact arrays.
* a ``dask.distributed.Client``: ``shared`` is scattered to every worker once, then the chunks
  are submitted with a reference to it. Connect to a running cluster with
  ``Client("tcp://scheduler:8786")``; ``dask`` is imported only when a Client is passed.

Results come back in chunk order whatever order the chunks finish in, so a sweep returns the
same table on every executor.

Progress and interruption
-------------------------
``progress`` is ``None``, a callable ``progress(done, total)`` (in the sweep's own units: time
steps or failure cases) called after each chunk, or ``True`` for a progress bar on the terminal
(rich, on stderr). Ctrl-C (a :class:`KeyboardInterrupt` anywhere in the loop, the progress callback
included) stops the sweep: chunks not started are cancelled, the chunks already finished are
kept, and the sweep returns a *partial* result; its table has ``attrs["partial"] = True``
(``False`` for a complete run) and says how much was done.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import _as_array, node_ids, thread_count
from .errors import GraphError
from .flow import FlowMethod, _arc_capacity, _terminal_set
from .graph import Graph
from .paths import _blocked, _check_not_blocked

__all__ = [
    "ChunkRun",
    "Progress",
    "ProgressArg",
    "lengths_under_failures",
    "max_flow_under_failures",
    "run_chunks",
    "task_threads",
]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each chunk of a sweep."""

ProgressArg = Progress | bool | None
"""``None``/``False``: no report; ``True``: a terminal progress bar; a callable: called."""

_FLOW_METHODS: tuple[str, ...] = get_args(FlowMethod)


# ----------------------------------------------------------------------------- failure cases
def _failure_cases(
    failed: Any, num_edges: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``failed`` as (offsets, flat edge ids): a 2-D int array (rows padded with -1) or a
    sequence of sequences of edge ids."""
    if isinstance(failed, np.ndarray) and failed.ndim == 2:
        arr = failed
        if arr.size == 0:  # cases without failed edges, whatever the dtype
            return np.zeros(arr.shape[0] + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if arr.dtype.kind not in "iu":  # not bool, not timedelta64
            raise GraphError(f"failed: edge ids must be integers, got dtype {arr.dtype}")
        keep = arr >= 0
        offsets = np.zeros(arr.shape[0] + 1, dtype=np.int64)
        np.cumsum(keep.sum(axis=1), out=offsets[1:])
        flat = arr[keep].astype(np.int64)
        where = np.argwhere((arr >= num_edges) | (arr < -1))
        if where.size:
            i, j = (int(x) for x in where[0])
            raise GraphError(_bad_edge(f"failed[{i}][{j}]", int(arr[i, j]), num_edges))
        return offsets, flat
    try:
        cases = list(failed)
    except TypeError:
        raise GraphError(
            "failed must be a 2-D array of edge ids (one row per case, -1 for padding) or a "
            f"sequence of sequences of edge ids, got {type(failed).__name__}"
        ) from None
    rows = [_as_array(row, f"failed[{i}]") for i, row in enumerate(cases)]
    sizes = np.array([r.size for r in rows], dtype=np.int64)
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    for i, row in enumerate(rows):
        if row.ndim > 1 or (row.size and row.dtype.kind not in "iu"):
            raise GraphError(
                f"failed[{i}]: expected a flat list of integer edge ids, got {row.tolist()!r}"
            )
        bad = np.flatnonzero((row < 0) | (row >= num_edges))
        if bad.size:
            j = int(bad[0])
            raise GraphError(_bad_edge(f"failed[{i}][{j}]", int(row.reshape(-1)[j]), num_edges))
    if not rows:
        return offsets, np.zeros(0, dtype=np.int64)
    return offsets, np.concatenate([r.reshape(-1) for r in rows]).astype(np.int64)


def _bad_edge(where: str, value: int, num_edges: int) -> str:
    valid = f"valid ids are 0..{num_edges - 1}" if num_edges else "the graph has no edges"
    return f"{where} = {value} is not an edge id; {valid}"


def _case_arcs(
    graph: Graph, offsets: npt.NDArray[np.int64], edges: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Edge-id cases turned into arc-id cases: one arc per directed edge, two per undirected."""
    arc_edge = graph._arc_edge
    m = graph.num_edges
    forward = np.empty(m, dtype=np.int32)
    fwd = np.flatnonzero(arc_edge >= 0)
    forward[arc_edge[fwd]] = fwd
    if graph.directed:
        return offsets, np.ascontiguousarray(forward[edges])
    backward = np.empty(m, dtype=np.int32)
    bwd = np.flatnonzero(arc_edge < 0)
    backward[~arc_edge[bwd]] = bwd
    arcs = np.empty(2 * edges.shape[0], dtype=np.int32)
    arcs[0::2] = forward[edges]
    arcs[1::2] = backward[edges]
    return offsets * 2, arcs


def max_flow_under_failures(
    graph: Graph,
    sources: Any,
    sinks: Any,
    failed: Any,
    *,
    capacity: npt.ArrayLike | None = None,
    method: FlowMethod = "auto",
    threads: int | None = None,
) -> npt.NDArray[np.int64] | npt.NDArray[np.float64]:
    """The maximum flow value for many failure cases at once.

    Case ``i`` is the graph with the edges ``failed[i]`` given capacity 0. All cases run in one
    C++ call on ``threads`` threads (GIL released, Ctrl-C honoured); each case is one max-flow
    computation that stops once the value is known (no per-edge flows).

    Parameters
    ----------
    graph : Graph
    sources, sinks : int or array_like of int
        As in :func:`routecore.max_flow`: non-empty, disjoint.
    failed : array_like of int, shape (k, r), or sequence of k sequences of int
        The failed edge ids of each case; in a 2-D array, ``-1`` entries are padding; a flat
        sequence of ints fails one edge per case. A case with no edge is the intact graph.
    capacity : array_like, optional
        Base capacities (edge-id order) overriding the graph's; int or float as in
        :func:`routecore.max_flow`.
    method : {"auto", "push_relabel", "boykov_kolmogorov", "dinic", "ibfs"}
        As in :func:`routecore.max_flow`.
    threads : int, optional
        Worker threads (default: every core). The result does not depend on it.

    Returns
    -------
    ndarray of int64 or float64, shape (k,)
        The maximum flow value of each case (int64 for integer capacities).

    Raises
    ------
    GraphError
        Bad terminals, capacities, method or thread count; a failed edge id out of range names
        its case and position.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.sweep import max_flow_under_failures
    >>> g = rc.Graph(4, [0, 0, 1, 2], [1, 2, 3, 3], capacity=[3, 2, 2, 5])
    >>> max_flow_under_failures(g, 0, 3, [[], [0], [1, 2]]).tolist()
    [4, 2, 0]
    """
    if not isinstance(graph, Graph):
        raise GraphError(f"graph must be a routecore.Graph, got {type(graph).__name__}")
    if not isinstance(method, str) or method not in _FLOW_METHODS:
        raise GraphError(
            f"method must be one of {', '.join(map(repr, _FLOW_METHODS))}; got {method!r}"
        )
    n, m = graph.num_nodes, graph.num_edges
    src = _terminal_set(sources, n, "sources")
    dst = _terminal_set(sinks, n, "sinks")
    both = np.intersect1d(src, dst)
    if both.size:
        raise GraphError(f"node {int(both[0])} is both a source and a sink")
    cap = _arc_capacity(graph, capacity)
    offsets, edges = _failure_cases(failed, m)
    case_offsets, case_arcs = _case_arcs(graph, offsets, edges)
    workers = thread_count(threads)
    csr = (graph._first_out, graph._head, graph._arc_edge)
    values: npt.NDArray[np.int64] | npt.NDArray[np.float64]
    if cap.dtype == np.int64:
        values, status = _core.failure_max_flows_int64(
            *csr,
            cap.astype(np.int64, copy=False),
            graph.directed,
            m,
            src,
            dst,
            method,
            case_offsets,
            case_arcs,
            workers,
            *graph.flow_layout(),
        )
    else:
        values, status = _core.failure_max_flows_float64(
            *csr,
            cap.astype(np.float64, copy=False),
            graph.directed,
            m,
            src,
            dst,
            method,
            case_offsets,
            case_arcs,
            workers,
            *graph.flow_layout(),
        )
    overflow = np.flatnonzero(status == 1)
    if overflow.size:
        raise GraphError(
            f"case {int(overflow[0])}: integer capacities too large for an int64 flow value "
            "(the total leaving the sources and entering the sinks exceeds 2**61); scale the "
            "capacities down or use floats"
        )
    return values


def lengths_under_failures(
    graph: Graph,
    sources: Any,
    targets: Any,
    failed: Any,
    *,
    weight: npt.ArrayLike | None = None,
    forbidden_nodes: npt.ArrayLike | None = None,
    threads: int | None = None,
) -> npt.NDArray[np.float64]:
    """Shortest-path lengths from the nearest source to each target, for many failure cases.

    Case ``i`` is the graph with the edges ``failed[i]`` deleted (as
    ``nearest_source(..., forbidden_edges=failed[i])``). One C++ call runs every case, one
    multi-source Dijkstra search each, on ``threads`` threads.

    Parameters
    ----------
    graph : Graph
    sources : int or array_like of int
        Where routes start; none may be forbidden.
    targets : array_like of int
        The nodes whose lengths are reported.
    failed : array_like of int, shape (k, r), or sequence of k sequences of int
        As in :func:`max_flow_under_failures`.
    weight : array_like of float, optional
        Base weights (edge-id order) overriding the graph's; without either, hop counts.
    forbidden_nodes : array_like of bool or int, optional
        Nodes no route may enter, in every case.
    threads : int, optional
        Worker threads (default: every core). The result does not depend on it.

    Returns
    -------
    ndarray of float64, shape (k, len(targets))
        ``inf`` where a target cannot be reached in that case.

    Examples
    --------
    >>> import routecore as rc
    >>> from routecore.sweep import lengths_under_failures
    >>> g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 5.0], directed=False)
    >>> lengths_under_failures(g, [0], [2], [[], [1], [1, 2]]).ravel().tolist()
    [2.0, 5.0, inf]
    """
    from .paths import _arc_weight

    if not isinstance(graph, Graph):
        raise GraphError(f"graph must be a routecore.Graph, got {type(graph).__name__}")
    n, m = graph.num_nodes, graph.num_edges
    src, scalar = node_ids(sources, n, "sources")
    arr = _as_array(targets, "targets")
    dst, _ = node_ids(arr.reshape(-1) if arr.ndim == 0 else arr, n, "targets")
    mask = _blocked(graph, forbidden_nodes)
    _check_not_blocked(src, mask, "sources", scalar)
    w = _arc_weight(graph, weight)
    if w is None:
        w = np.ones(graph._head.shape[0], dtype=np.float64)
    offsets, edges = _failure_cases(failed, m)
    case_offsets, case_arcs = _case_arcs(graph, offsets, edges)
    out: npt.NDArray[np.float64] = _core.failure_lengths(
        graph._first_out,
        graph._head,
        graph._arc_edge,
        w,
        src,
        dst,
        mask,
        case_offsets,
        case_arcs,
        thread_count(threads),
    )
    return out


# ----------------------------------------------------------------------------- running chunks
def task_threads(threads: int | None, executor: Any) -> int:
    """Threads for the C++ calls inside one chunk: ``threads`` if given; otherwise every core
    when the chunks run here, and 1 when an executor already runs chunks side by side."""
    if threads is not None or executor is None:
        return thread_count(threads)
    return 1


def chunk_slices(total: int, size: int) -> list[slice]:
    """``[0, total)`` in consecutive slices of at most ``size`` (at least 1)."""
    size = max(1, int(size))
    return [slice(lo, min(lo + size, total)) for lo in range(0, total, size)]


@dataclass
class ChunkRun:
    """What :func:`run_chunks` returns.

    Attributes
    ----------
    results : list
        ``results[i]`` is the value of chunk ``i``, or ``None`` if it did not finish.
    finished : ndarray of bool
        Which chunks finished.
    interrupted : bool
        Whether a KeyboardInterrupt stopped the run.
    """

    results: list[Any]
    finished: npt.NDArray[np.bool_] = field(repr=False)
    interrupted: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.finished.all())


def _is_dask_client(executor: Any) -> bool:
    cls = type(executor)
    return cls.__module__.split(".")[0] == "distributed" and hasattr(executor, "scatter")


@contextlib.contextmanager
def _reporter(progress: ProgressArg, total: int, description: str) -> Iterator[Progress | None]:
    """The progress callback to call, opening a terminal bar for ``progress=True``."""
    if progress is None or progress is False:
        yield None
        return
    if progress is True:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        with RichProgress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done, _total: bar.update(task, completed=done)
        return
    if not callable(progress):
        raise GraphError(f"progress must be None, True or a callable, got {progress!r}")
    yield progress


def run_chunks(
    task: Callable[[Any, Any], Any],
    shared: Any,
    chunks: Sequence[Any],
    *,
    sizes: Sequence[int] | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    description: str = "sweep",
) -> ChunkRun:
    """Apply ``task(shared, chunk)`` to every chunk, here or on ``executor``.

    Parameters
    ----------
    task : callable
        A module-level function (executors pickle it by name).
    shared : object
        Passed to every call; sent once per worker to a Dask cluster (``Client.scatter``), with
        every chunk to a ``concurrent.futures`` executor.
    chunks : sequence
        One item per call; keep them small (index ranges, a few times).
    sizes : sequence of int, optional
        The work in each chunk in the unit the progress report counts (default 1 each).
    executor : None, concurrent.futures.Executor or dask.distributed.Client
    progress : None, True or callable(done, total)
    description : str
        Label of the terminal bar.

    Returns
    -------
    ChunkRun
        Results in chunk order; on KeyboardInterrupt, those that finished.
    """
    weights = [1] * len(chunks) if sizes is None else [int(s) for s in sizes]
    total = int(sum(weights))
    results: list[Any] = [None] * len(chunks)
    finished = np.zeros(len(chunks), dtype=bool)
    interrupted = False
    with _reporter(progress, total, description) as report:
        done = 0

        def record(i: int, value: Any) -> None:
            nonlocal done
            results[i] = value
            finished[i] = True
            done += weights[i]
            if report is not None:
                report(done, total)

        try:
            if executor is None:
                for i, chunk in enumerate(chunks):
                    record(i, task(shared, chunk))
            elif _is_dask_client(executor):
                _run_dask(executor, task, shared, chunks, results, finished, record)
            elif isinstance(executor, cf.Executor):
                _run_futures(executor, task, shared, chunks, results, finished, record)
            else:
                raise GraphError(
                    "executor must be None, a concurrent.futures.Executor or a "
                    f"dask.distributed.Client, got {type(executor).__name__}"
                )
        except KeyboardInterrupt:
            interrupted = True
    return ChunkRun(results, finished, interrupted)


def _run_futures(
    executor: cf.Executor,
    task: Callable[[Any, Any], Any],
    shared: Any,
    chunks: Sequence[Any],
    results: list[Any],
    finished: npt.NDArray[np.bool_],
    record: Callable[[int, Any], None],
) -> None:
    index = {executor.submit(task, shared, chunk): i for i, chunk in enumerate(chunks)}
    try:
        for future in cf.as_completed(index):
            record(index[future], future.result())
    except BaseException:
        for future in index:
            future.cancel()
        _harvest(
            ((index[f], f) for f in index if f.done() and not f.cancelled()),
            lambda f: f.exception() is None,
            results,
            finished,
        )
        raise


def _run_dask(
    client: Any,
    task: Callable[[Any, Any], Any],
    shared: Any,
    chunks: Sequence[Any],
    results: list[Any],
    finished: npt.NDArray[np.bool_],
    record: Callable[[int, Any], None],
) -> None:
    import distributed

    as_completed: Callable[..., Iterator[Any]] = distributed.as_completed

    shared_future = client.scatter(shared, broadcast=True, hash=False)
    futures = [client.submit(task, shared_future, chunk, pure=False) for chunk in chunks]
    index = {f.key: i for i, f in enumerate(futures)}
    try:
        for future in as_completed(futures):
            record(index[future.key], future.result())
    except BaseException:
        client.cancel([f for f in futures if not f.done()])
        _harvest(
            ((index[f.key], f) for f in futures if f.done()),
            lambda f: f.status == "finished",
            results,
            finished,
        )
        raise
    finally:
        client.cancel([shared_future])


def _harvest(
    candidates: Iterator[tuple[int, Any]],
    ok: Callable[[Any], bool],
    results: list[Any],
    finished: npt.NDArray[np.bool_],
) -> None:
    """Keep the results of chunks that finished but were not recorded yet (after Ctrl-C)."""
    for i, future in candidates:
        if finished[i]:
            continue
        with contextlib.suppress(BaseException):
            if ok(future):
                results[i] = future.result()
                finished[i] = True


def default_chunk_count(executor: Any) -> int:
    """How many chunks to cut a sweep into: a few per worker so that they balance."""
    if executor is None:
        return 1
    workers = 0
    if _is_dask_client(executor):
        with contextlib.suppress(Exception):
            workers = int(sum(executor.nthreads().values()))
    else:
        workers = int(getattr(executor, "_max_workers", 0) or 0)
    return 4 * max(workers, 2)


def chunk_size_for(total: int, executor: Any, *, local: int) -> int:
    """Chunk size: ``local`` when running here (progress granularity), otherwise enough chunks
    for every worker of the executor to get a few."""
    if executor is None:
        return max(1, local)
    return max(1, math.ceil(total / default_chunk_count(executor)))
