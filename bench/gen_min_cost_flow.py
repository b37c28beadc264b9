"""Min-cost flow instances for bench_min_cost_flow.py (and the NETGEN tests).

NETGEN instances come from ``pynetgen`` (a pure-Python port of Klingman, Napier & Stutz's NETGEN)
with NETGEN-8-style parameters chosen here: ``n`` nodes, ``8 n`` arcs, ``sqrt(n)`` sources and
sinks, total supply ``1000 sqrt(n)``, costs 1..10,000, capacities 1..1,000, 30 % of skeleton arcs
at the highest cost. These are *our* settings, not LEMON's parameter files, so the optimal costs
differ from LEMON's published netgen_8_* values. The grid family (``gridgen``) is a GRIDGEN-style
grid generator of our own, described at the function.
Instances are generated once per process and cached in memory.
"""

from __future__ import annotations

import functools
import math
import os
import tempfile
from typing import NamedTuple

import numpy as np
import numpy.typing as npt


class McfInstance(NamedTuple):
    """A min-cost flow problem as arc arrays (0-based node ids)."""

    name: str
    num_nodes: int
    tail: npt.NDArray[np.int32]
    head: npt.NDArray[np.int32]
    capacity: npt.NDArray[np.int64]
    cost: npt.NDArray[np.int64]
    supply: npt.NDArray[np.int64]


def read_dimacs_min(path: str, name: str) -> McfInstance:
    """Reads a DIMACS ``.min`` file (``p min``, ``n`` supplies, ``a`` arcs with low 0)."""
    n = 0
    supply: list[tuple[int, int]] = []
    arcs: list[list[int]] = []
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.startswith("a"):
                _, u, v, low, cap, cost = line.split()
                if int(low) != 0:
                    raise ValueError(f"{path}: lower bounds are not supported")
                arcs.append([int(u) - 1, int(v) - 1, int(cap), int(cost)])
            elif line.startswith("n"):
                _, v, b = line.split()
                supply.append((int(v) - 1, int(b)))
            elif line.startswith("p"):
                n = int(line.split()[2])
    a = np.array(arcs, dtype=np.int64).reshape(-1, 4)
    b = np.zeros(n, dtype=np.int64)
    for v, s in supply:
        b[v] += s
    return McfInstance(
        name,
        n,
        a[:, 0].astype(np.int32),
        a[:, 1].astype(np.int32),
        np.ascontiguousarray(a[:, 2]),
        np.ascontiguousarray(a[:, 3]),
        b,
    )


def _generated(name: str, generate: functools.partial[object]) -> McfInstance:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "instance.min")
        generate(fname=path)
        return read_dimacs_min(path, name)


@functools.cache
def netgen8(num_nodes: int, seed: int = 13502460) -> McfInstance:
    """A NETGEN instance with ``num_nodes`` nodes and 8 arcs per node (settings above)."""
    import pynetgen

    k = max(1, round(math.sqrt(num_nodes)))
    gen = functools.partial(
        pynetgen.netgen_generate,
        seed=seed,
        nodes=num_nodes,
        sources=k,
        sinks=k,
        density=8 * num_nodes,
        mincost=1,
        maxcost=10000,
        supply=1000 * k,
        hicost=30,
        capacitated=100,
        mincap=1,
        maxcap=1000,
    )
    return _generated(f"netgen8_{num_nodes}", gen)


@functools.cache
def gridgen(rows: int, columns: int, seed: int = 1) -> McfInstance:
    """A GRIDGEN-style grid of our own (numpy; not Bertsekas' GRIDGEN code or its RNG).

    ``rows x columns`` nodes, an arc to each of the four grid neighbours (about 4 arcs per
    node), costs 1..10,000 and capacities 1..1,000 drawn uniformly; ``rows`` sources in the
    first column and ``rows`` sinks in the last, 1,000 units each. A skeleton keeps it feasible:
    the vertical arcs of the first and last column and the arcs along row 0 have capacity equal
    to the total supply (like NETGEN's skeleton arcs).
    """
    rng = np.random.default_rng(seed)
    ids = np.arange(rows * columns).reshape(rows, columns)
    pairs = [
        (ids[:, :-1], ids[:, 1:]),  # right
        (ids[:, 1:], ids[:, :-1]),  # left
        (ids[:-1, :], ids[1:, :]),  # down
        (ids[1:, :], ids[:-1, :]),  # up
    ]
    tail = np.concatenate([a.ravel() for a, _ in pairs]).astype(np.int32)
    head = np.concatenate([b.ravel() for _, b in pairs]).astype(np.int32)
    m = tail.size
    cost = rng.integers(1, 10001, m, dtype=np.int64)
    capacity = rng.integers(1, 1001, m, dtype=np.int64)
    total = 1000 * rows
    col_t, col_h = tail % columns, head % columns
    row_t, row_h = tail // columns, head // columns
    vertical = col_t == col_h
    skeleton = (vertical & ((col_t == 0) | (col_t == columns - 1))) | (
        ~vertical & (row_t == 0) & (row_h == 0)
    )
    capacity[skeleton] = total
    supply = np.zeros(rows * columns, dtype=np.int64)
    supply[ids[:, 0]] += 1000
    supply[ids[:, -1]] -= 1000
    return McfInstance(f"grid_{rows}x{columns}", rows * columns, tail, head, capacity, cost, supply)
