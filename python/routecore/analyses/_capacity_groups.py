"""Identical schools merged: the smaller capacity network the maximum flow and the fair share
of :func:`~routecore.analyses.school_capacity` solve.

Schools are *identical* at a step when they have user links to exactly the same satellites (the
same beams, where the system models beams: the same satellites and the same beam cell), the
same demand under every policy and no other edge (no ground link). All their edges have the same
capacities (a user link is the system's per-terminal capacity), so a group of ``k`` of them is
replaced by one of them, its demand edge and each user link carrying ``k`` times the capacity
(the others keep their nodes, without edges).

Exact for what the merged network answers:

* **maximum flow and minimum cuts**: a flow of the merged network, split evenly among the ``k``
  schools (each takes ``1/k`` of every merged edge's flow), is a flow of the full network with
  the same value, and a flow of the full network merges into one; so the maximum flows are
  equal, and so are the minimum cuts, a school group being on one side (the cut closest to the
  schools is unique and maps onto itself under any swap of identical schools). The bottleneck
  groups therefore have the same edges, their capacities summed in another order;
* **max-min fair rates**: the merged school is a source of weight ``k``
  (:func:`routecore.max_min_fair`'s ``weight``): identical schools get equal rates in the
  (unique) max-min fair allocation, so the weighted rates are theirs.

Latency under load is not merged: identical schools still differ in user-link latency.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._capacity_graph import EdgeKind, GroundPart, StepEdges, StepNetwork


@dataclass(frozen=True, eq=False)
class SchoolGroups:
    """A step's capacity network with identical schools merged (see the module notes).

    ``net``: the merged network (every policy's edges, as the step's network); ``group``: per
    school (scenario school index), its group; ``lead``: per group the school that stands for
    it; ``count``: per group how many schools it holds (float64, the fair share's weight).
    """

    net: StepNetwork
    group: npt.NDArray[np.int64]
    lead: npt.NDArray[np.int64]
    count: npt.NDArray[np.float64]

    def policy_part(self, part: GroundPart) -> GroundPart:
        """``part`` with each group's demand on its lead school (count x the per-school
        demand) and none on the others: what :func:`policy_view` needs on :attr:`net`."""
        demand = np.zeros_like(part.demand_gbps)
        demand[self.lead] = part.demand_gbps[self.lead] * self.count
        return dataclasses.replace(part, demand_gbps=demand)


def school_groups(base: StepNetwork, demands: npt.NDArray[np.float64]) -> SchoolGroups:
    """Merge the identical schools of ``base`` (a step's network with every policy's edges);
    ``demands``: (policies, schools) Gbit/s, the demand of each school under each policy."""
    n_s = base.schools.size
    kind, owner = base.kind, base.owner
    src, dst = base.src, base.dst
    user = kind == EdgeKind.USER_LINK
    # Graph node -> school index (schools are graph nodes 0..n-1 = scenario rows).
    index = np.full(base.edges.num_nodes, -1, dtype=np.int64)
    index[base.schools] = np.arange(n_s)
    u_school = index[src[user]]
    u_sat = owner[user]
    # A school with any edge besides its demand and user links is kept on its own.
    other = ~user & (kind != EdgeKind.DEMAND)
    alone = np.zeros(n_s, dtype=bool)
    for ends in (src[other], dst[other]):
        hit = index[ends]
        alone[hit[hit >= 0]] = True
    # Key of a school: its satellites (sorted, padded with -1), its demands (float bits), and
    # for a school kept alone its own index.
    if u_school.size and not (np.diff(u_school) >= 0).all():
        order = np.argsort(u_school, kind="stable")
        u_school, u_sat = u_school[order], u_sat[order]
    links = np.bincount(u_school, minlength=n_s)
    width = int(links.max(initial=0))
    start = np.concatenate(([0], np.cumsum(links)[:-1]))
    column = np.arange(u_school.size) - start[u_school]
    sats = np.full((n_s, width), -1, dtype=np.int64)
    sats[u_school, column] = u_sat
    sats.sort(axis=1)
    bits = np.ascontiguousarray(np.asarray(demands, dtype=np.float64).T).view(np.int64)
    own = np.where(alone, np.arange(n_s), -1)
    group, first = _rows_grouped(np.column_stack([sats, bits, own]))
    count = np.bincount(group).astype(np.float64)
    lead = first.astype(np.int64)
    # Keep the lead's demand and user links (x count), every other edge as it is.
    is_lead = np.zeros(n_s, dtype=bool)
    is_lead[lead] = True
    demand = kind == EdgeKind.DEMAND
    mine = demand | user
    # The school of each demand edge (its owner) and user link (its tail); 0 elsewhere.
    school_of = np.where(demand, owner, np.where(user, index[src], 0))
    keep = ~mine | is_lead[school_of]
    times = np.where(mine, count[group[school_of]], 1.0)[keep]
    cap = base.capacity[keep] * times
    cost = base.cost[keep]
    edges = StepEdges(base.edges.num_nodes, src[keep], dst[keep], cost, cap)
    net = dataclasses.replace(
        base, edges=edges, kind=kind[keep], owner=owner[keep], capacity=cap, cost=cost
    )
    return SchoolGroups(net, group, lead, count)


_MIX = np.random.default_rng(20261207).integers(1, 2**62, size=64, dtype=np.int64) | 1
"""Fixed odd multipliers of :func:`_rows_grouped`'s hash (one per key column, cycled)."""


def _rows_grouped(key: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.intp]]:
    """Group equal rows of ``key``: per row its group, per group its first row (groups in
    the order of their hash; any order serves). One 64-bit hash per row, sorted, then every
    row compared with its group's first: exact, and ``np.unique(axis=0)`` (a sort of the
    whole rows, far slower for 10^5 rows) only if two different rows ever share a hash."""
    mix = np.resize(_MIX, key.shape[1])
    with np.errstate(over="ignore"):
        h = (key * mix).sum(axis=1)  # wraps modulo 2**64
        h ^= h >> 31
    _, first, group = np.unique(h, return_index=True, return_inverse=True)
    group = group.reshape(-1)
    if not (key == key[first[group]]).all():
        _, first, group = np.unique(key, axis=0, return_index=True, return_inverse=True)
        group = group.reshape(-1)
    return group.astype(np.int64), first
