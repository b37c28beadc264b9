"""Applying a variant of ``scenario.toml`` to the base tables.

A variant removes nodes and links, overrides link fields and capacity settings
(``[variants.NAME.capacity]``, merged into ``[capacity]``, see ``_capacity``), and adds nodes
(``[[variants.NAME.add_nodes]]``) and links (``[[variants.NAME.add_links]]``). Added rows are
checked exactly like the rows of ``nodes.csv`` and ``links.csv`` (same columns, same physics
checks), and every error names the variant.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

from ._capacity import merge_capacity
from ._checks import _normalise_links, _normalise_nodes, _Where
from ._keys import TomlLines
from ._risk_groups import variant_risk_groups

__all__ = ["variant_tables"]


def _where(file: str, lines: TomlLines | None, name: str, key: str, count: int) -> _Where:
    label = f"{file}: variants.{name}.{key}"
    if lines is None:
        return _Where(label)
    found = [lines.line(("variants", name, key, i)) or 0 for i in range(count)]
    return _Where(label, found)


def _check_new_ids(df: pd.DataFrame, existing: pd.Series, where: _Where, what: str) -> None:
    clash = np.flatnonzero(df["id"].isin(existing).to_numpy())
    if clash.size:
        i = int(clash[0])
        raise where.error(
            i, "id", f"{what} id {df['id'].iat[i]!r} is already in the scenario; pick a new id"
        )


def variant_tables(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    meta: dict[str, Any],
    name: str,
    *,
    file: str,
    lines: TomlLines | None,
    fiber_index: float,
    route_slack: float,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """The node table, link table and metadata of variant ``name`` (checked, not yet a Network).

    The metadata keeps everything but ``variants`` and records ``derived_from``.
    """
    spec: dict[str, Any] = meta["variants"][name]
    nodes = nodes.copy()
    links = links.copy()
    drop_nodes = set(spec.get("remove_nodes", []))
    if drop_nodes:
        nodes = nodes[~nodes["id"].isin(drop_nodes)]
        links = links[~(links["a"].isin(drop_nodes) | links["b"].isin(drop_nodes))]
    drop_links = set(spec.get("remove_links", []))
    if drop_links:
        links = links[~links["id"].isin(drop_links)]
    for link_id, changes in spec.get("links", {}).items():
        rows = links.index[links["id"] == link_id]
        for field, value in changes.items():
            links.loc[rows, field] = value
            if field == "latency_ms":
                links.loc[rows, "latency_given"] = True
    new_nodes: list[dict[str, Any]] = spec.get("add_nodes", [])
    if new_nodes:
        where = _where(file, lines, name, "add_nodes", len(new_nodes))
        added = _normalise_nodes(pd.DataFrame(new_nodes), where)
        _check_new_ids(added, nodes["id"], where, "node")
        nodes = pd.concat([nodes, added], ignore_index=True)
    new_links: list[dict[str, Any]] = spec.get("add_links", [])
    if new_links:
        where = _where(file, lines, name, "add_links", len(new_links))
        node_ids = pd.Index(nodes["id"].to_numpy(dtype=object))
        added = _normalise_links(
            pd.DataFrame(new_links),
            node_ids,
            fiber_index,
            where,
            lat=nodes["lat"].to_numpy(dtype=np.float64),
            lon=nodes["lon"].to_numpy(dtype=np.float64),
            route_slack=route_slack,
        )
        _check_new_ids(added, links["id"], where, "link")
        links = pd.concat([links, added], ignore_index=True)
    out: dict[str, Any] = copy.deepcopy({k: v for k, v in meta.items() if k != "variants"})
    out["derived_from"] = {"scenario": str(meta.get("name", "unnamed")), "variant": name}
    if "capacity" in spec:
        out["capacity"] = merge_capacity(out.get("capacity", {}), spec["capacity"])
    analysis = out.get("analysis", {})
    for key in ("internet_exchanges", "transit_sources", "transit_sinks"):
        if key in analysis:
            analysis[key] = [n for n in analysis[key] if n not in drop_nodes]
    if isinstance(out.get("risk_groups"), dict):
        out["risk_groups"] = variant_risk_groups(
            out["risk_groups"], set(nodes["id"]), set(links["id"])
        )
    return nodes.reset_index(drop=True), links.reset_index(drop=True), out
