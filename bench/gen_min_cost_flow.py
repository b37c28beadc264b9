"""Min-cost flow instances for bench_min_cost_flow.py (and the NETGEN tests).

NETGEN instances come from ``pynetgen`` (a pure-Python port of Klingman, Napier & Stutz's NETGEN)
with NETGEN-8-style parameters chosen here: ``n`` nodes, ``8 n`` arcs, ``sqrt(n)`` sources and
sinks, total supply ``1000 sqrt(n)``, costs 1..10,000, capacities 1..1,000, 30 % of skeleton arcs
at the highest cost. These are *our* settings, not LEMON's parameter files, so the optimal costs
differ from LEMON's published netgen_8_* values. The grid family is ``pynetgen.grid_generate``
(a GRIDGEN-style grid: rows x columns of transshipment nodes, a master source and sink).
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
def grid(rows: int, columns: int, seed: int = 13502460) -> McfInstance:
    """A GRIDGEN-style grid from pynetgen: rows x columns, diagonal and reverse arcs."""
    import pynetgen

    gen = functools.partial(
        pynetgen.grid_generate,
        seed=seed,
        rows=rows,
        columns=columns,
        skeleton=max(1, rows // 8),
        diagonal=1,
        reverse=1,
        mincost=1,
        maxcost=10000,
        supply=1000 * rows,
        hicost=30,
        capacitated=100,
        mincap=1,
        maxcap=1000,
    )
    return _generated(f"grid_{rows}x{columns}", gen)
