"""Seeded max-flow instances for bench_flow.py, built once per session (``functools.cache``).

The generators are those of the installed package's benchmark suite (``routecore.bench``,
``python -m routecore.bench``); this module picks the sizes and adds networkx's instances.

Every instance is an edge list with integer capacities below 2**31 (scipy needs int32), one
source and one sink, so every peer can solve the same problem:

``vision``
    A segmentation-style grid (1000 x 1000 pixels at full scale): a synthetic image of bright
    discs on a dark background with Gaussian noise; each pixel has a source edge and a sink edge
    with the negative log-likelihoods of the two intensity models (the smaller subtracted, as
    vision codes do), and 4-connected undirected smoothness edges ``lambda * exp(-dI^2 / 2s^2)``.
``genrmf``
    GENRMF (Goldfarb & Grigoriadis): ``b`` frames of ``a x a`` grids; in-frame arcs to the four
    neighbours with capacity ``c2 * a * a``, arcs from each node to a random node of the next
    frame (a random permutation per frame) with capacity uniform in ``[c1, c2]``; source and sink
    at opposite corners of the first and last frame.
``washington``
    Washington random level graph (RLG): ``levels`` columns of ``width`` nodes; each node has arcs
    to three random nodes of the next column, capacity uniform in ``[1, 10000]``; the source feeds
    the first column and the last column drains into the sink (capacity 30000), ~1M arcs at full
    scale.
``gl1``, ``gw1``, ``wlm3``
    The max-flow instances networkx ships in ``networkx/algorithms/flow/tests`` (source node 1,
    sink node ``len(G)``), when the installed networkx has them.
"""

from __future__ import annotations

import bz2
import functools
import os
import pickle
from dataclasses import dataclass

import numpy as np
from bench.conftest import smoke

from routecore.bench import gen_flow as gen
from routecore.bench import instances as suite


@dataclass(frozen=True)
class FlowInstance:
    name: str
    num_nodes: int
    src: np.ndarray  # int32
    dst: np.ndarray  # int32
    capacity: np.ndarray  # int64, all < 2**31
    directed: bool  # False: every edge usable both ways with its capacity
    source: int
    sink: int
    grid_shape: tuple[int, int] | None = None  # vision only: pixels are nodes 0 .. H*W-1

    @property
    def num_edges(self) -> int:
        return int(self.src.size)

    def directed_arcs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(tails, heads, capacities) with each undirected edge as two arcs."""
        if self.directed:
            return self.src, self.dst, self.capacity
        return (
            np.r_[self.src, self.dst].astype(np.int32),
            np.r_[self.dst, self.src].astype(np.int32),
            np.r_[self.capacity, self.capacity],
        )


NETWORKX_INSTANCES = ("gl1", "gw1", "wlm3")


def instance_names() -> list[str]:
    names = ["vision", "genrmf", "washington"]
    return names + [n for n in NETWORKX_INSTANCES if _networkx_path(n) is not None]


@functools.cache
def instance(name: str) -> FlowInstance:
    if name == "vision":
        side = 40 if smoke() else 1000
        return vision_grid(side, side, seed=1)
    if name == "genrmf":
        return genrmf(*((6, 4) if smoke() else (64, 48)), seed=2)
    if name == "washington":
        return washington_rlg(*((16, 8) if smoke() else (4096, 80)), seed=3)
    return networkx_instance(name)


def _from_package(
    inst: suite.FlowInstance, name: str, grid_shape: tuple[int, int] | None = None
) -> FlowInstance:
    return FlowInstance(
        name,
        inst.num_nodes,
        inst.src.astype(np.int32),
        inst.dst.astype(np.int32),
        inst.capacity,
        inst.directed,
        inst.source,
        inst.sink,
        grid_shape,
    )


def vision_grid(rows: int, cols: int, *, seed: int) -> FlowInstance:
    """routecore.bench's smooth 4-connected grid (the suite's ``flow-grid4-smooth``)."""
    inst = gen.grid((rows, cols), gen.OFFSETS_4, data="smooth", pairs="undirected", seed=seed)
    return _from_package(inst, "vision", grid_shape=(rows, cols))


def genrmf(a: int, b: int, *, seed: int) -> FlowInstance:
    return _from_package(gen.genrmf(a, b, seed=seed), "genrmf")


def washington_rlg(width: int, levels: int, *, seed: int) -> FlowInstance:
    return _from_package(gen.washington_rlg(width, levels, seed=seed), "washington")


def _networkx_path(name: str) -> str | None:
    import networkx as nx

    path = os.path.join(
        os.path.dirname(nx.__file__), "algorithms", "flow", "tests", f"{name}.gpickle.bz2"
    )
    return path if os.path.exists(path) else None


def networkx_instance(name: str) -> FlowInstance:
    path = _networkx_path(name)
    if path is None:
        raise FileNotFoundError(f"networkx does not ship {name}.gpickle.bz2")
    with bz2.BZ2File(path, "rb") as fh:
        graph = pickle.load(fh)
    index = {node: i for i, node in enumerate(graph.nodes)}
    edges = list(graph.edges(data="capacity"))
    src = np.array([index[u] for u, _, _ in edges], dtype=np.int32)
    dst = np.array([index[v] for _, v, _ in edges], dtype=np.int32)
    cap = np.array([c for _, _, c in edges], dtype=np.int64)
    return FlowInstance(name, len(index), src, dst, cap, True, index[1], index[len(graph)])
