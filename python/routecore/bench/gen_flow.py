"""Seeded max-flow instance families (every generator is a pure function of its arguments).

Grids (computer-vision style: pixels joined to their neighbours, each pixel also joined to a
source and a sink node, ``s = n_pixels``, ``t = n_pixels + 1``, pixel ids row-major):

``data="smooth"``
    A synthetic image of bright discs (balls in 3D) on a dark background with Gaussian noise;
    terminal capacities are the negative log-likelihoods of the two intensity models (the
    smaller subtracted, as vision codes do, so each pixel has a source *or* a sink edge);
    neighbour capacities ``30 exp(-dI^2 / 0.02)``, divided by the offset's length.
``data="noisy"``
    Neighbour capacities uniform in ``[1, 100]``, source and sink capacities each uniform in
    ``[0, 119]`` (zero-capacity terminal edges left out).
``pairs="undirected"``
    Each grid link is one undirected edge (usable both ways with its capacity).
``pairs="directed"``
    Each direction of a grid link is its own directed edge (as users build graphs from edge
    lists); with noisy data the two directions get independent capacities. Terminal edges
    point from ``s`` and into ``t``.

Classic families: GENRMF (Goldfarb & Grigoriadis), the Washington random level graph (RLG),
AK (Cherkassky & Goldberg's family that is hard for push-relabel; deterministic), bipartite
matching with unit capacities, and random sparse digraphs; :func:`repeated_small` asks many
max-flows on one small random graph.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Literal

import numpy as np

from .instances import FlowInstance, IntArray

GridData = Literal["smooth", "noisy"]
GridPairs = Literal["undirected", "directed"]

OFFSETS_4 = ((0, 1), (1, 0))
OFFSETS_8 = ((0, 1), (1, 0), (1, 1), (1, -1))
OFFSETS_6 = ((0, 0, 1), (0, 1, 0), (1, 0, 0))


def _neighbour_pairs(shape: tuple[int, ...], offset: Sequence[int]) -> tuple[IntArray, IntArray]:
    """(tails, heads): every cell and its neighbour at ``offset`` (both inside the grid)."""
    ids = np.arange(math.prod(shape), dtype=np.int64).reshape(shape)
    tail = tuple(
        slice(0, n - d) if d >= 0 else slice(-d, n) for n, d in zip(shape, offset, strict=True)
    )
    head = tuple(
        slice(d, n) if d >= 0 else slice(0, n + d) for n, d in zip(shape, offset, strict=True)
    )
    return ids[tail].ravel(), ids[head].ravel()


def _smooth_image(shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    coords = np.indices(shape, dtype=np.float64)
    fg = np.zeros(shape, dtype=bool)
    for _ in range(max(3, math.prod(shape) // 40000)):
        centre = [rng.uniform(0, n) for n in shape]
        r = rng.uniform(0.04, 0.15) * min(shape)
        dist2 = sum((c - x) ** 2 for c, x in zip(coords, centre, strict=True))
        fg |= dist2 < r * r
    return np.where(fg, 0.65, 0.35) + rng.normal(0, 0.18, shape)


def grid(
    shape: tuple[int, ...],
    offsets: Sequence[Sequence[int]],
    *,
    data: GridData,
    pairs: GridPairs,
    seed: int,
    name: str = "grid",
) -> FlowInstance:
    """A vision-style grid of ``shape`` pixels joined to their neighbours at ``offsets``.

    Examples
    --------
    >>> from routecore.bench.gen_flow import OFFSETS_4, grid
    >>> inst = grid((3, 4), OFFSETS_4, data="noisy", pairs="directed", seed=1)
    >>> inst.num_nodes, inst.source, inst.sink, inst.directed
    (14, 12, 13, True)
    """
    rng = np.random.default_rng(seed)
    pixels = math.prod(shape)
    links = [_neighbour_pairs(shape, off) for off in offsets]
    if data == "smooth":
        image = _smooth_image(shape, rng)
        sigma = 0.18
        cost_bg = (image - 0.35) ** 2 / (2 * sigma**2)
        cost_fg = (image - 0.65) ** 2 / (2 * sigma**2)
        source_cap = np.rint(20 * np.maximum(cost_bg - cost_fg, 0)).astype(np.int64).ravel()
        sink_cap = np.rint(20 * np.maximum(cost_fg - cost_bg, 0)).astype(np.int64).ravel()
        flat = image.ravel()
        link_caps = [
            np.rint(30 * np.exp(-((flat[h] - flat[t]) ** 2) / 0.02) / math.hypot(*off)).astype(
                np.int64
            )
            for (t, h), off in zip(links, offsets, strict=True)
        ]
        back_caps = link_caps
    else:
        link_caps = [rng.integers(1, 101, t.size) for t, _ in links]
        back_caps = [rng.integers(1, 101, t.size) for t, _ in links] if pairs == "directed" else []
        source_cap = rng.integers(0, 120, pixels)
        sink_cap = rng.integers(0, 120, pixels)
    s, t = pixels, pixels + 1
    pix = np.arange(pixels, dtype=np.int64)
    has_s, has_t = source_cap > 0, sink_cap > 0
    tails = [lt for lt, _ in links]
    heads = [lh for _, lh in links]
    caps = list(link_caps)
    if pairs == "directed":
        tails += heads[: len(links)]
        heads += [lt for lt, _ in links]
        caps += back_caps
    src = np.concatenate([*tails, np.full(int(has_s.sum()), s), pix[has_t]])
    dst = np.concatenate([*heads, pix[has_s], np.full(int(has_t.sum()), t)])
    cap = np.concatenate([*caps, source_cap[has_s], sink_cap[has_t]]).astype(np.int64)
    return FlowInstance(name, pixels + 2, src, dst, cap, pairs == "directed", s, t)


def genrmf(a: int, b: int, *, seed: int, c1: int = 1, c2: int = 10000) -> FlowInstance:
    """GENRMF: ``b`` frames of ``a x a`` grids; in-frame arcs to the four neighbours with
    capacity ``c2 a^2``, one arc from each node to a random node of the next frame (a random
    permutation per frame) with capacity uniform in ``[c1, c2]``; source and sink at opposite
    corners of the first and last frame."""
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
        np.concatenate(tails).astype(np.int64),
        np.concatenate(heads).astype(np.int64),
        np.concatenate(caps).astype(np.int64),
        True,
        0,
        n - 1,
    )


def washington_rlg(width: int, levels: int, *, seed: int, max_cap: int = 10000) -> FlowInstance:
    """Washington random level graph: ``levels`` columns of ``width`` nodes, each node with arcs
    to three random nodes of the next column (capacity uniform in ``[1, max_cap]``); the source
    feeds the first column and the last column drains into the sink (capacity ``3 max_cap``)."""
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
        "washington", n_inner + 2, src.astype(np.int64), dst.astype(np.int64), cap, True, s, t
    )


def ak(k: int) -> FlowInstance:
    """Cherkassky & Goldberg's AK(k) network (4k + 6 nodes, 6k + 7 arcs; no randomness).

    Two gadgets between source 0 and sink 1: a chain whose every node also has a unit arc to the
    chain's end (capacities falling along the chain), and a long path of capacity ``k`` with
    unit shortcut arcs that fold it back on itself. Push-relabel needs many relabels on it.

    Examples
    --------
    >>> from routecore.bench.gen_flow import ak
    >>> inst = ak(5)
    >>> inst.num_nodes, inst.num_edges
    (26, 37)
    """
    i = np.arange(k, dtype=np.int64)
    big = 1_000_000
    # Node numbers below are those of the original 1-based description, shifted at the end.
    d = 2 * k + 4
    parts: list[tuple[IntArray, IntArray, IntArray]] = [
        (i + 3, i + 4, k - i + 1),
        (i + 3, np.full(k, k + 4), np.ones(k, np.int64)),
        (np.array([k + 3, k + 3]), np.array([2 * k + 4, k + 4]), np.array([1, 1])),
    ]
    j = np.arange(k + 3, 2 * k + 3, dtype=np.int64)
    parts.append((j + 1, j + 2, np.full(j.size, k + 1)))
    j = np.arange(d, 2 * k + d + 1, dtype=np.int64)
    parts.append((j + 1, j + 2, np.full(j.size, k)))
    parts.append((i + d + 1, 2 * k + 2 - i + d, np.ones(k, np.int64)))
    parts.append((np.array([1, 1, d, 4 * k + 6]), np.array([3, d + 1, 2, 2]), np.full(4, big)))
    src = np.concatenate([p[0] for p in parts]) - 1
    dst = np.concatenate([p[1] for p in parts]) - 1
    cap = np.concatenate([p[2] for p in parts]).astype(np.int64)
    return FlowInstance("ak", 4 * k + 6, src, dst, cap, True, 0, 1)


def bipartite_matching(n_left: int, n_right: int, degree: int, *, seed: int) -> FlowInstance:
    """Maximum bipartite matching as unit-capacity max-flow: ``degree`` random right neighbours
    per left node (repeats possible), source -> left, right -> sink, all capacities 1."""
    rng = np.random.default_rng(seed)
    left = np.repeat(np.arange(n_left, dtype=np.int64), degree)
    right = n_left + rng.integers(0, n_right, left.size)
    s, t = n_left + n_right, n_left + n_right + 1
    src = np.concatenate([np.full(n_left, s), left, np.arange(n_left, n_left + n_right)])
    dst = np.concatenate([np.arange(n_left), right, np.full(n_right, t)])
    cap = np.ones(src.size, dtype=np.int64)
    return FlowInstance("bipartite", n_left + n_right + 2, src, dst, cap, True, s, t)


def random_sparse(num_nodes: int, degree: int, *, seed: int, max_cap: int = 1000) -> FlowInstance:
    """A random digraph: ``degree * num_nodes`` arcs with uniform random ends (self-loops and
    parallel arcs possible), capacities uniform in ``[1, max_cap]``; source 0, sink n - 1."""
    rng = np.random.default_rng(seed)
    m = degree * num_nodes
    src = rng.integers(0, num_nodes, m)
    dst = rng.integers(0, num_nodes, m)
    cap = rng.integers(1, max_cap + 1, m)
    return FlowInstance("random-sparse", num_nodes, src, dst, cap, True, 0, num_nodes - 1)


def repeated_small(num_nodes: int, degree: int, calls: int, *, seed: int) -> FlowInstance:
    """:func:`random_sparse` on ``num_nodes`` nodes with ``calls`` random (source, sink) pairs
    (distinct ends), solved one after another."""
    base = random_sparse(num_nodes, degree, seed=seed, max_cap=100)
    rng = np.random.default_rng(seed + 1)
    pairs = []
    for _ in itertools.repeat(None, calls):
        s, t = rng.choice(num_nodes, 2, replace=False)
        pairs.append((int(s), int(t)))
    return FlowInstance(
        "repeated-small",
        base.num_nodes,
        base.src,
        base.dst,
        base.capacity,
        True,
        pairs[0][0],
        pairs[0][1],
        tuple(pairs),
    )
