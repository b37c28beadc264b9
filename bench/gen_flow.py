"""Seeded max-flow instances for bench_flow.py, built once per session (``functools.cache``).

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


def vision_grid(rows: int, cols: int, *, seed: int) -> FlowInstance:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:rows, 0:cols]
    fg = np.zeros((rows, cols), dtype=bool)
    for _ in range(max(3, rows * cols // 40000)):
        cy, cx = rng.uniform(0, rows), rng.uniform(0, cols)
        r = rng.uniform(0.04, 0.15) * min(rows, cols)
        fg |= (yy - cy) ** 2 + (xx - cx) ** 2 < r * r
    image = np.where(fg, 0.65, 0.35) + rng.normal(0, 0.18, (rows, cols))
    # Data terms: -log N(I; mu, sigma) for both models, scaled to integers.
    sigma = 0.18
    cost_bg = (image - 0.35) ** 2 / (2 * sigma**2)
    cost_fg = (image - 0.65) ** 2 / (2 * sigma**2)
    source_cap = np.rint(20 * np.maximum(cost_bg - cost_fg, 0)).astype(np.int64)
    sink_cap = np.rint(20 * np.maximum(cost_fg - cost_bg, 0)).astype(np.int64)
    # Smoothness: strong between similar neighbours.
    beta = 2 * 0.1**2
    right = np.rint(30 * np.exp(-((image[:, 1:] - image[:, :-1]) ** 2) / beta)).astype(np.int64)
    down = np.rint(30 * np.exp(-((image[1:, :] - image[:-1, :]) ** 2) / beta)).astype(np.int64)
    ids = np.arange(rows * cols, dtype=np.int32).reshape(rows, cols)
    s, t = rows * cols, rows * cols + 1
    pix = ids.ravel()
    has_s, has_t = source_cap.ravel() > 0, sink_cap.ravel() > 0
    src = np.concatenate(
        [ids[:, :-1].ravel(), ids[:-1, :].ravel(), np.full(has_s.sum(), s), pix[has_t]]
    )
    dst = np.concatenate(
        [ids[:, 1:].ravel(), ids[1:, :].ravel(), pix[has_s], np.full(has_t.sum(), t)]
    )
    cap = np.concatenate(
        [right.ravel(), down.ravel(), source_cap.ravel()[has_s], sink_cap.ravel()[has_t]]
    )
    return FlowInstance(
        "vision",
        rows * cols + 2,
        src.astype(np.int32),
        dst.astype(np.int32),
        cap,
        False,
        s,
        t,
        grid_shape=(rows, cols),
    )


def genrmf(a: int, b: int, *, seed: int, c1: int = 1, c2: int = 10000) -> FlowInstance:
    rng = np.random.default_rng(seed)
    frame = np.arange(a * a, dtype=np.int64).reshape(a, a)
    right = np.c_[frame[:, :-1].ravel(), frame[:, 1:].ravel()]
    down = np.c_[frame[:-1, :].ravel(), frame[1:, :].ravel()]
    inner = np.r_[right, right[:, ::-1], down, down[:, ::-1]]
    tails, heads, caps = [], [], []
    for k in range(b):
        base = k * a * a
        tails.append(inner[:, 0] + base)
        heads.append(inner[:, 1] + base)
        caps.append(np.full(len(inner), c2 * a * a, dtype=np.int64))
        if k + 1 < b:
            tails.append(np.arange(a * a) + base)
            heads.append(rng.permutation(a * a) + base + a * a)
            caps.append(rng.integers(c1, c2 + 1, a * a))
    n = a * a * b
    return FlowInstance(
        "genrmf",
        n,
        np.concatenate(tails).astype(np.int32),
        np.concatenate(heads).astype(np.int32),
        np.concatenate(caps).astype(np.int64),
        True,
        0,
        n - 1,
    )


def washington_rlg(width: int, levels: int, *, seed: int, max_cap: int = 10000) -> FlowInstance:
    rng = np.random.default_rng(seed)
    n_inner = width * levels
    s, t = n_inner, n_inner + 1
    tails = np.repeat(np.arange(width * (levels - 1)), 3)
    heads = (tails // width + 1) * width + rng.integers(0, width, tails.size)
    src = np.r_[np.full(width, s), tails, np.arange(n_inner - width, n_inner)]
    dst = np.r_[np.arange(width), heads, np.full(width, t)]
    cap = np.r_[
        np.full(width, 3 * max_cap),
        rng.integers(1, max_cap + 1, tails.size),
        np.full(width, 3 * max_cap),
    ]
    return FlowInstance(
        "washington",
        n_inner + 2,
        src.astype(np.int32),
        dst.astype(np.int32),
        cap.astype(np.int64),
        True,
        s,
        t,
    )


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
