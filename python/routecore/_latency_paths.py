"""Candidate paths for latency-budgeted multi-commodity flow (internal).

For each demand, the loopless paths from its source to its target whose ``weight`` sum is within
its budget, shortest first, at most ``k`` of them, over the edges of positive capacity (a path
through an edge of capacity 0 carries nothing). One batched, threaded
:func:`routecore.k_shortest_paths` core call lists ``k + 1`` paths per demand within the largest
budget; paths come in order of length, so those within demand ``j``'s own budget are a prefix of
its list, and the same prefix the search would give with ``max_length = budget[j]``. A demand
with at most ``k`` paths in that prefix has every path within its budget listed (``complete``).
Paths come back as CSR arc ids, the form the C++ solver stores.

>>> import numpy as np
>>> import routecore as rc
>>> g = rc.Graph(3, [0, 1, 0], [1, 2, 2], weight=[1.0, 1.0, 3.0])
>>> c = candidate_paths(g, np.array([0]), np.array([2]), np.array([2.5]), 5, None,
...                     np.ones(3))
>>> c.commodity_start.tolist(), c.path_start.tolist(), c.complete.tolist()
([0, 1], [0, 2], [True])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from . import _core
from ._arc_values import reverse_order, weights_without
from .graph import Graph, csr_view

_I32 = npt.NDArray[np.int32]
_I64 = npt.NDArray[np.int64]
_F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class CandidatePathSets:
    """Candidate paths per demand in the layout of ``CandidatePaths`` (multicommodity_flow.h).

    Demand ``j``'s candidates are paths ``commodity_start[j] .. commodity_start[j + 1] - 1``;
    path ``q`` uses arcs ``path_arcs[path_start[q]:path_start[q + 1]]``. ``complete[j]``: the
    candidates are every loopless path within the budget (fewer than ``k + 1`` were found).
    """

    commodity_start: _I64
    path_start: _I64
    path_arcs: _I32
    complete: npt.NDArray[np.bool_]


def _arcs_of(graph: Graph, tails: _I32, edges: _I32) -> _I32:
    """The CSR arc that crosses ``edges[i]`` leaving ``tails[i]`` (vectorised)."""
    view = csr_view(graph)
    ae = view.arc_edge
    num_arcs = ae.shape[0]
    arc_tail = np.repeat(
        np.arange(graph.num_nodes, dtype=np.int32), np.diff(view.first_out).astype(np.int64)
    )
    forward = np.full(graph.num_edges, -1, dtype=np.int64)
    backward = np.full(graph.num_edges, -1, dtype=np.int64)
    idx = np.arange(num_arcs, dtype=np.int64)
    forward[ae[ae >= 0]] = idx[ae >= 0]
    backward[~ae[ae < 0]] = idx[ae < 0]
    fwd = forward[edges]
    use_fwd = fwd >= 0
    use_fwd[use_fwd] = arc_tail[fwd[use_fwd]] == tails[use_fwd]
    return np.where(use_fwd, fwd, backward[edges]).astype(np.int32)


def candidate_paths(
    graph: Graph,
    source: _I32,
    target: _I32,
    budget: _F64,
    k: int,
    weight: npt.ArrayLike | None,
    capacity: _F64,
    threads: int = 1,
) -> CandidatePathSets:
    """Up to ``k`` loopless paths within ``budget[j]`` per demand (input already validated)."""
    per_edge = weights_without(graph, weight, capacity <= 0)
    w = graph.arc_values(per_edge)
    r_w = reverse_order(graph, per_edge) if graph.directed else w
    adjacency = csr_view(graph).adjacency
    reverse = graph.reverse_csr()
    num = source.shape[0]
    flats = _core.k_shortest_paths(
        *adjacency,
        w,
        *reverse,
        r_w,
        np.ascontiguousarray(source, dtype=np.int32),
        np.ascontiguousarray(target, dtype=np.int32),
        k + 1,
        None,
        float(budget.max(initial=0.0)),
        threads,
    )
    counts = np.zeros(num, dtype=np.int64)
    complete = np.zeros(num, dtype=bool)
    starts: list[_I64] = []
    tails: list[_I32] = []
    edges: list[_I32] = []
    for j, (offsets, nodes, path_edges, lengths) in enumerate(flats):
        # Paths through a closed edge (capacity 0, weight inf) have length inf: never within,
        # not even an infinite budget (they carry nothing and do not exist for the caller).
        within = int(np.searchsorted(lengths, budget[j], side="right"))
        within = min(within, int(np.isfinite(lengths).sum()))
        complete[j] = within <= k
        p = min(within, k)
        if source[j] == target[j]:
            p = 0  # needs no edge; the solver treats it as met
        counts[j] = p
        hops = np.diff(offsets[: p + 1])
        starts.append(hops)
        e = int(offsets[p])
        # The tail of the x-th edge of path i is nodes[x + i].
        tails.append(nodes[np.arange(e) + np.repeat(np.arange(p), hops)])
        edges.append(path_edges[:e])
    hops_all = np.concatenate(starts) if starts else np.zeros(0, np.int64)
    path_start = np.concatenate([[0], np.cumsum(hops_all)]).astype(np.int64)
    commodity_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    all_tails = np.concatenate(tails).astype(np.int32) if tails else np.zeros(0, np.int32)
    all_edges = np.concatenate(edges).astype(np.int32) if edges else np.zeros(0, np.int32)
    return CandidatePathSets(
        commodity_start=commodity_start,
        path_start=path_start,
        path_arcs=_arcs_of(graph, all_tails, all_edges),
        complete=complete,
    )
