"""Access graphs: the directed graph of one snapshot in which only satellites relay traffic."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .._validation import read_only_view, thread_count
from ..graph import Graph
from ._snapshot import Medium, Snapshot, _graph_from_edges

__all__ = ["AccessGraph", "access_graph"]


@dataclass(frozen=True, eq=False)
class AccessGraph:
    """The directed access graph of a :class:`Snapshot` (see :func:`access_graph`).

    Attributes
    ----------
    graph : Graph
        Directed; node ids as in the snapshot (ground nodes, then satellites), ``weight`` = the
        one-way latency in ms, no capacities.
    medium : ndarray of int8, shape (E,)
        :class:`Medium` code of each edge of ``graph``, in edge-id order.
    """

    graph: Graph
    medium: npt.NDArray[np.int8]


def access_graph(snap: Snapshot, *, threads: int | None = None) -> AccessGraph:
    """Directed graph of one snapshot in which only satellites relay traffic.

    Feeder links point from the gateway to the satellite, user links from the satellite to the
    terminal, laser links (ISLs) both ways; ground links are left out. A search from a gateway
    therefore reaches terminals only through satellites, and never through another terminal or
    gateway: one batched search from every gateway gives each terminal's latency over each
    gateway.

    Parameters
    ----------
    snap : Snapshot
    threads : int, optional
        Threads for the CSR build (default: every core). The graph does not depend on it.

    Returns
    -------
    AccessGraph
        Edges: the user links, the feeder links, the laser links forward, then backward (each
        block in snapshot order).

    Examples
    --------
    >>> from routecore.constellation import STARLINK_SHELL1, GroundRole, Medium, snapshot
    >>> roles = [GroundRole.TERMINAL, GroundRole.GATEWAY]
    >>> snap = snapshot(STARLINK_SHELL1, 0.0, [43.25, 51.18], [76.91, 71.45], roles)
    >>> access = access_graph(snap)
    >>> access.graph.directed, access.graph.num_nodes == snap.num_ground + snap.num_satellites
    (True, True)
    >>> bool((access.medium != Medium.GROUND).all())
    True
    """
    # A snapshot's edges come in blocks by medium (ground, user, feeder, ISL).
    bounds = np.searchsorted(snap.medium, [Medium.USER_LINK, Medium.FEEDER, Medium.ISL, 4])
    user, feeder, isl = (slice(int(a), int(b)) for a, b in itertools.pairwise(bounds))
    src, dst, latency = snap.src, snap.dst, snap.latency_ms
    # User links are stored ground -> satellite: reverse them. Feeders keep their direction.
    tails = np.concatenate([dst[user], src[feeder], src[isl], dst[isl]])
    heads = np.concatenate([src[user], dst[feeder], dst[isl], src[isl]])
    weight = np.concatenate([latency[user], latency[feeder], latency[isl], latency[isl]])
    graph = _graph_from_edges(
        snap.num_ground + snap.num_satellites,
        tails,
        heads,
        weight,
        None,
        directed=True,
        threads=thread_count(threads),
    )
    medium = np.concatenate(
        [snap.medium[user], snap.medium[feeder], snap.medium[isl], snap.medium[isl]]
    )
    return AccessGraph(graph, read_only_view(medium))
