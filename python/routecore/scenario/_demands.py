"""``demands.csv``: a city-pair demand matrix in the scenario file format.

UTF-8 CSV with a header row and one row per demand::

    source,target,gbps,max_latency_ms,name
    almaty,frankfurt,400,45,Almaty-Frankfurt

``source`` and ``target`` (node ids of the scenario, different from each other) and ``gbps`` (a
number >= 0) are required; ``max_latency_ms`` (a one-way propagation budget >= 0; an empty cell
means none) and ``name`` are optional. Other columns are refused. The file rules are the
scenario loader's (a regular file of at most 64 MiB, plain decimal numbers), and every problem
is a :class:`~routecore.errors.ScenarioError` naming the file, row, line and column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ._checks import _float_column, _text_column
from ._csv import _check_plain_numbers, _read_csv

if TYPE_CHECKING:
    import pandas as pd

    from ._model import Network

__all__ = ["DEMAND_FILE_COLUMNS", "load_demands"]

DEMAND_FILE_COLUMNS = ("source", "target", "gbps", "max_latency_ms", "name")
"""The columns of ``demands.csv`` (``source``, ``target``, ``gbps`` required)."""


def load_demands(path: str | os.PathLike[str], network: Network | None = None) -> pd.DataFrame:
    """Read a ``demands.csv`` file (see the module documentation for the format).

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    network : Network, optional
        When given, every ``source`` and ``target`` must be one of its node ids.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target``, ``name`` (str; ``source-target`` where not given),
        ``gbps`` and ``max_latency_ms`` (float; ``inf`` where not given), in file order.

    Raises
    ------
    ScenarioError
        Not a regular file, too large, not UTF-8, no rows, a missing or unknown column, an
        empty id, a demand from a node to itself, an id the network does not have, or a bad
        number; the message names the file, row, line and column.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "demands.csv")
    ...     _ = p.write_text("source,target,gbps,max_latency_ms\\nalmaty,frankfurt,400,45\\n")
    ...     d = load_demands(p)
    >>> d["source"].tolist(), d["gbps"].tolist(), d["max_latency_ms"].tolist()
    (['almaty'], [400.0], [45.0])
    """
    import pandas as pd

    from ..errors import ScenarioError

    label = str(path)
    df, where = _read_csv(Path(path))
    unknown = [c for c in df.columns if c not in DEMAND_FILE_COLUMNS]
    if unknown:
        raise where.error(
            None, unknown[0], f"unknown column; demands.csv has {', '.join(DEMAND_FILE_COLUMNS)}"
        )
    if len(df) == 0:
        raise ScenarioError(f"{label}: no demand rows after the header", file=label)
    source = _text_column(df, "source", where, required=True)
    target = _text_column(df, "target", where, required=True)
    for column, ids in (("source", source), ("target", target)):
        empty = np.flatnonzero(ids == "")
        if empty.size:
            raise where.error(int(empty[0]), column, "empty node id")
    same = np.flatnonzero(source == target)
    if same.size:
        raise where.error(int(same[0]), "target", "a demand from a node to itself")
    if network is not None:
        known = set(network.column("nodes", "id").tolist())
        for column, ids in (("source", source), ("target", target)):
            bad = [i for i, v in enumerate(ids) if v not in known]
            if bad:
                raise where.error(bad[0], column, f"{ids[bad[0]]!r} is not a node of the network")
    for column in ("gbps", "max_latency_ms"):
        if column in df.columns:
            _check_plain_numbers(df[column].tolist(), column, where)
    gbps = _float_column(df, "gbps", where, required=True)
    budget = _float_column(df, "max_latency_ms", where, required=False)
    budget = np.where(np.isnan(budget), np.inf, budget)
    names = _text_column(df, "name", where, required=False)
    default = np.array([f"{s}-{t}" for s, t in zip(source, target, strict=True)], dtype=object)
    names = np.where(names == "", default, names)
    return pd.DataFrame(
        {
            "source": source,
            "target": target,
            "name": names.astype(object),
            "gbps": gbps,
            "max_latency_ms": budget,
        }
    )
