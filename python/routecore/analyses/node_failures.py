"""Node and shared-risk-group failure sweeps, ranked like the link-failure sweep.

:func:`node_failure_sweep` fails places (a landing station, a gateway, a city): every link that
touches a failed node fails with it. :func:`group_failure_sweep` fails shared-risk groups: named
sets of links and nodes that one event takes down together (the scenario's ``[risk_groups]``,
see :mod:`routecore.scenario._risk_groups`, or groups derived from the tables as in
:func:`~routecore.analyses.risk_groups`). Both turn each case into the links it takes down and
hand the cases to the runner of :func:`~routecore.analyses.failure_sweep`, so the table, the
ranking, ``threads=`` / ``executor=`` / Dask and Ctrl-C (a partial table) are the same.

A failed node that is a transit source or sink drops out of the terminal set: it can neither
send nor receive (all its links are down). If every source or every sink fails, the case has
flow 0 and is ``disconnected``.

Assumptions: latencies are one-way propagation in ms; a failure removes capacity and routes at
once (no partial degradation, no restoration over spare capacity elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..batch import node_failure_edges
from ..errors import ScenarioError
from ..executor import ProgressArg
from ..scenario import Network
from .diversity import RISK_GROUPS, risk_groups
from .failures import run_failure_cases

try:
    import pandas as pd
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        'routecore.analyses needs pandas; install the domain extras: pip install "routecore[geo]"'
    ) from exc

__all__ = ["group_failure_sweep", "node_failure_sweep", "scenario_risk_groups"]


def node_failure_sweep(
    network: Network,
    *,
    nodes: Iterable[str] | None = None,
    sources: Iterable[str] | None = None,
    sinks: Iterable[str] | None = None,
    avoid_countries: Sequence[str] = (),
    pairs: bool = False,
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Every single node failure (and optionally every pair), ranked by harm.

    A failed node loses every link that touches it (capacity 0 for the max-flow, closed for
    the route search); a failed source or sink drops out of the terminal set.

    Parameters
    ----------
    network : Network
    nodes : iterable of node ids, optional
        The candidate nodes (default: every node with at least one link).
    sources, sinks, avoid_countries, threads, executor, progress, chunk_size
        As in :func:`~routecore.analyses.failure_sweep`.
    pairs : bool, default False
        Also fail every pair of candidate nodes.

    Returns
    -------
    pandas.DataFrame
        The table of :func:`~routecore.analyses.failure_sweep` with ``failed`` holding node
        ids, plus ``terminal`` (the case fails a source or sink); ``attrs["failure_kind"]``
        is ``"nodes"``.

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> sweep = node_failure_sweep(load_scenario("central-asia"))
    >>> sweep.loc[0, "failed"], float(sweep.loc[0, "lost_share"])  # a cut vertex
    (('almaty',), 1.0)
    """
    sources = None if sources is None else list(sources)
    sinks = None if sinks is None else list(sinks)
    a, b = network.link_ends()
    if nodes is None:
        rows = np.flatnonzero(np.bincount(np.concatenate([a, b]), minlength=network.num_nodes))
    else:
        rows = network.node_index(list(nodes)).astype(np.int64)
    cases = [[int(r)] for r in rows]
    if pairs:
        i, j = np.triu_indices(rows.size, k=1)
        cases += [[int(rows[x]), int(rows[y])] for x, y in zip(i, j, strict=True)]
    ids = network.column("nodes", "id")
    labels = [tuple(str(ids[r]) for r in case) for case in cases]
    failed = node_failure_edges(network.to_graph(), cases)
    table = run_failure_cases(
        network,
        failed,
        labels,
        sources=sources,
        sinks=sinks,
        avoid_countries=avoid_countries,
        threads=threads,
        executor=executor,
        progress=progress,
        chunk_size=chunk_size,
        description="node failures",
    )
    ends = _transit_terminals(network, sources, sinks)
    table["terminal"] = [bool(ends.intersection(case)) for case in table["failed"]]
    table.attrs["failure_kind"] = "nodes"
    return table


def group_failure_sweep(
    network: Network,
    groups: Mapping[str, Sequence[str]] | str | None = None,
    *,
    sources: Iterable[str] | None = None,
    sinks: Iterable[str] | None = None,
    avoid_countries: Sequence[str] = (),
    threads: int | None = None,
    executor: Any = None,
    progress: ProgressArg = None,
    chunk_size: int | None = None,
) -> pd.DataFrame:
    """Every shared-risk group failing on its own, ranked by harm.

    Parameters
    ----------
    network : Network
    groups : mapping of name to ids, or {"landing", "operator", "country"}, optional
        The groups: a mapping from group name to the link and node ids that fail together; or
        groups derived from the tables (:func:`~routecore.analyses.risk_groups`, named
        ``"landing:aktau"``, ``"operator:..."``, ``"country:KZ"``). Default: the scenario's
        ``[risk_groups]`` table.
    sources, sinks, avoid_countries, threads, executor, progress, chunk_size
        As in :func:`~routecore.analyses.failure_sweep`.

    Returns
    -------
    pandas.DataFrame
        The table of :func:`~routecore.analyses.failure_sweep` with ``failed`` holding the group
        name (a 1-tuple), plus ``members`` (the group's ids) and ``terminal`` (the group takes
        down a source or sink); ``attrs["failure_kind"]`` is ``"groups"``.

    Raises
    ------
    ScenarioError
        No groups given and none in the scenario; an empty group; an id that is neither a node
        nor a link of the network (naming the group).

    Examples
    --------
    >>> from routecore.scenario import load_scenario
    >>> net = load_scenario("central-asia")
    >>> sweep = group_failure_sweep(net, {"caspian": ["aktau", "siyazan"], "kz-hub": ["almaty"]})
    >>> sweep["failed"].tolist()[0], bool(sweep.loc[0, "lost_gbps"] > 0)
    (('kz-hub',), True)
    """
    sources = None if sources is None else list(sources)
    sinks = None if sinks is None else list(sinks)
    named = scenario_risk_groups(network) if groups is None else _named_groups(network, groups)
    node_pos = {str(v): i for i, v in enumerate(network.column("nodes", "id"))}
    link_pos = {str(v): i for i, v in enumerate(network.column("links", "id"))}
    g = network.to_graph()
    names = list(named)
    cases = []
    for name in names:
        members = named[name]
        if not members:
            raise ScenarioError(f"risk group {name!r} has no members")
        unknown = [m for m in members if m not in node_pos and m not in link_pos]
        if unknown:
            raise ScenarioError(
                f"risk group {name!r}: {unknown[0]!r} is neither a node id nor a link id "
                "of the network"
            )
        by_node = node_failure_edges(g, [[node_pos[m] for m in members if m in node_pos]])[0]
        by_link = [link_pos[m] for m in members if m in link_pos]
        cases.append(np.unique(np.concatenate([by_node[by_node >= 0], by_link])).astype(np.int64))
    width = max((c.size for c in cases), default=0)
    failed: npt.NDArray[np.int64] = np.full((len(cases), width), -1, dtype=np.int64)
    for i, c in enumerate(cases):
        failed[i, : c.size] = c
    table = run_failure_cases(
        network,
        failed,
        [(name,) for name in names],
        sources=sources,
        sinks=sinks,
        avoid_countries=avoid_countries,
        threads=threads,
        executor=executor,
        progress=progress,
        chunk_size=chunk_size,
        description="risk-group failures",
    )
    ends = _transit_terminals(network, sources, sinks)
    table["members"] = [tuple(named[case[0]]) for case in table["failed"]]
    table["terminal"] = [bool(ends.intersection(m)) for m in table["members"]]
    table.attrs["failure_kind"] = "groups"
    return table


def scenario_risk_groups(network: Network) -> dict[str, list[str]]:
    """The scenario's ``[risk_groups]`` table (name -> member ids).

    Raises
    ------
    ScenarioError
        The scenario declares no groups.

    Examples
    --------
    >>> from routecore.scenario import Network, load_scenario
    >>> base = load_scenario("central-asia")
    >>> meta = {**base.meta, "risk_groups": {"caspian": ["aktau", "tcfo"]}}
    >>> scenario_risk_groups(Network(base.nodes, base.links, meta))
    {'caspian': ['aktau', 'tcfo']}
    """
    groups: dict[str, list[str]] | None = network.meta.get("risk_groups")
    if not groups:
        raise ScenarioError(
            f"scenario {network.name!r} declares no [risk_groups]; add a table "
            "'[risk_groups]' with lines 'name = [\"link-or-node-id\", ...]' to scenario.toml, "
            "or pass groups= (a mapping, or one of " + ", ".join(RISK_GROUPS) + ")"
        )
    return {str(k): [str(m) for m in v] for k, v in groups.items()}


def _named_groups(
    network: Network, groups: Mapping[str, Sequence[str]] | str
) -> dict[str, list[str]]:
    if isinstance(groups, str):
        return _derived_groups(network, groups)
    if not isinstance(groups, Mapping):
        raise TypeError(
            f"groups must be a mapping of name to ids or one of {RISK_GROUPS}, "
            f"got {type(groups).__name__}"
        )
    out = {}
    for name, members in groups.items():
        if isinstance(members, str):
            raise ScenarioError(
                f"risk group {name!r}: members must be a list of ids, got the text {members!r}"
            )
        out[str(name)] = [str(m) for m in members]
    return out


def _derived_groups(network: Network, how: str) -> dict[str, list[str]]:
    """Groups of :func:`risk_groups` (one group id per link) as name -> link ids."""
    code = risk_groups(network, how)  # type: ignore[arg-type]  # checked there
    link_ids = network.column("links", "id").astype(str)
    a, _ = network.link_ends()
    if how == "landing":
        node_ids = network.column("nodes", "id").astype(str)
        label = {int(c): str(node_ids[c]) for c in np.unique(code[code >= 0])}
    elif how == "operator":
        op = network.column("links", "operator").astype(str)
        label = {int(c): str(op[np.flatnonzero(code == c)[0]]) for c in np.unique(code[code >= 0])}
    else:
        country = network.column("nodes", "country").astype(str)
        label = {
            int(c): str(country[a[np.flatnonzero(code == c)[0]]])
            for c in np.unique(code[code >= 0])
        }
    return {
        f"{how}:{label[c]}": link_ids[code == c].tolist()
        for c in sorted(label, key=lambda c: label[c])
    }


def _transit_terminals(
    network: Network, sources: Iterable[str] | None, sinks: Iterable[str] | None
) -> set[str]:
    """The ids of the transit sources and sinks (the scenario's when not given)."""
    ends = set(_terminal_ids(network, sources, "transit_sources"))
    return ends | set(_terminal_ids(network, sinks, "transit_sinks"))


def _terminal_ids(network: Network, ids: Iterable[str] | None, key: str) -> list[str]:
    if ids is not None:
        return [str(i) for i in ids]
    values: list[str] = network.meta.get("analysis", {}).get(key, [])
    return [str(v) for v in values]
