"""The two instance shapes every generator of the suite returns: plain numpy edge arrays, so
that routecore and every peer build their graph from exactly the same data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class FlowInstance:
    """One single-source, single-sink max-flow problem.

    Attributes
    ----------
    name : str
    num_nodes : int
    src, dst : ndarray of int64, shape (E,)
        Edge ``e`` joins ``src[e]`` and ``dst[e]``.
    capacity : ndarray of int64, shape (E,)
        Integer capacities below ``2**31`` (scipy's maximum_flow needs int32).
    directed : bool
        ``False``: every edge is usable both ways with its capacity.
    source, sink : int
    queries : tuple of (int, int)
        Further ``(source, sink)`` pairs solved one after another on the same graph (the
        "repeated small calls" family); empty for one solve of ``(source, sink)``.
    """

    name: str
    num_nodes: int
    src: IntArray
    dst: IntArray
    capacity: IntArray
    directed: bool
    source: int
    sink: int
    queries: tuple[tuple[int, int], ...] = field(default=())

    @property
    def num_edges(self) -> int:
        return int(self.src.size)

    def pairs(self) -> tuple[tuple[int, int], ...]:
        """Every ``(source, sink)`` pair one solve of the instance answers."""
        return self.queries or ((self.source, self.sink),)

    def directed_arcs(self) -> tuple[IntArray, IntArray, IntArray]:
        """(tails, heads, capacities) with each undirected edge as two arcs."""
        if self.directed:
            return self.src, self.dst, self.capacity
        return (
            np.concatenate([self.src, self.dst]),
            np.concatenate([self.dst, self.src]),
            np.concatenate([self.capacity, self.capacity]),
        )

    def describe(self) -> str:
        kind = "directed" if self.directed else "undirected"
        calls = f", {len(self.queries)} calls" if self.queries else ""
        return f"{self.num_nodes:,} nodes, {self.num_edges:,} {kind} edges{calls}"


@dataclass(frozen=True, eq=False)
class PathInstance:
    """A shortest-path problem: a graph and the queries on it.

    Attributes
    ----------
    name : str
    num_nodes : int
    src, dst : ndarray of int64, shape (E,)
    weight : ndarray of float64, shape (E,), or None
        ``None``: every edge counts 1 (breadth-first search).
    directed : bool
    sources : ndarray of int64
        The query's source nodes (one for single-source queries).
    targets : ndarray of int64
        Point-to-point queries: ``targets[i]`` is the target of ``sources[i]``; empty otherwise.
    threads : int
        Threads routecore and the peers that can use them get for a batch of sources.
    """

    name: str
    num_nodes: int
    src: IntArray
    dst: IntArray
    weight: FloatArray | None
    directed: bool
    sources: IntArray
    targets: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    threads: int = 1

    @property
    def num_edges(self) -> int:
        return int(self.src.size)

    @property
    def point_to_point(self) -> bool:
        return self.targets.size > 0

    def directed_arcs(self) -> tuple[IntArray, IntArray, FloatArray]:
        """(tails, heads, weights) with each undirected edge as two arcs (weight 1 if none)."""
        w = np.ones(self.src.size) if self.weight is None else self.weight
        if self.directed:
            return self.src, self.dst, w
        return (
            np.concatenate([self.src, self.dst]),
            np.concatenate([self.dst, self.src]),
            np.concatenate([w, w]),
        )

    def describe(self) -> str:
        kind = "directed" if self.directed else "undirected"
        what = "unweighted" if self.weight is None else "weighted"
        if self.point_to_point:
            query = f", {self.sources.size} point-to-point queries"
        else:
            query = f", {self.sources.size} source(s)"
            if self.threads > 1:
                query += f", {self.threads} threads"
        return f"{self.num_nodes:,} nodes, {self.num_edges:,} {kind} {what} edges{query}"
