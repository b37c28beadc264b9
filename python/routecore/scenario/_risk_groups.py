"""``[risk_groups]`` in ``scenario.toml``: named sets of links and nodes that fail together.

A shared-risk group is what one event takes down at once: a duct carrying several cables, a
landing station and the cables that land there, a power grid serving a gateway and a city.
The table maps a group name to the ids (link ids, node ids, or both) of its members::

    [risk_groups]
    aktau-landing = ["aktau", "tcfo"]
    caspian-seabed = ["tcfo", "tcfo-north"]

A member that is both a node id and a link id means both. A variant that removes a member
drops it from its groups (it has failed already). :func:`check_risk_groups` refuses a group
that is not a non-empty list of text, and an id the scenario does not have, naming the file,
line and key.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from ._keys import TomlLines, key_error

__all__ = ["check_risk_groups", "variant_risk_groups"]


def check_risk_groups(
    meta: Mapping[str, Any],
    node_ids: Set[str],
    link_ids: Set[str],
    file: str,
    lines: TomlLines | None,
) -> None:
    """Refuse a malformed ``[risk_groups]`` table or a member the scenario does not have.

    >>> check_risk_groups({"risk_groups": {"duct": ["a-b", "x"]}}, {"a", "b"}, {"a-b"},
    ...                   "scenario.toml", None)
    Traceback (most recent call last):
    ...
    routecore.errors.ScenarioError: scenario.toml, key 'risk_groups.duct': 'x' is neither a \
node id nor a link id of the scenario
    """
    groups = meta.get("risk_groups")
    if groups is None:
        return
    if not isinstance(groups, dict):
        raise key_error(file, lines, ("risk_groups",), "must be a table: name = [ids]")
    for name, members in groups.items():
        here = ("risk_groups", name)
        if not isinstance(members, list) or not members:
            raise key_error(
                file, lines, here, f"{members!r} must be a non-empty list of node or link ids"
            )
        for member in members:
            if not isinstance(member, str):
                raise key_error(file, lines, here, f"{member!r} must be a node or link id (text)")
            if member not in node_ids and member not in link_ids:
                raise key_error(
                    file,
                    lines,
                    here,
                    f"{member!r} is neither a node id nor a link id of the scenario",
                )


def variant_risk_groups(
    groups: Mapping[str, list[str]], node_ids: Set[str], link_ids: Set[str]
) -> dict[str, list[str]]:
    """The groups of a variant: members it removed are dropped, emptied groups too.

    >>> variant_risk_groups({"d": ["a", "l1"], "e": ["l2"]}, {"a"}, {"l1"})
    {'d': ['a', 'l1']}
    """
    out = {
        name: [m for m in members if m in node_ids or m in link_ids]
        for name, members in groups.items()
    }
    return {name: members for name, members in out.items() if members}
