"""Loading scenario directories and the scenarios bundled with the package."""

from __future__ import annotations

import copy
import os
import stat
import tomllib
from pathlib import Path

from ..errors import ScenarioError
from ._checks import _Where
from ._csv import _read_csv, _read_file_text, _recover_interrupted_save
from ._model import Network

__all__ = ["bundled_scenarios", "load_network", "load_scenario"]


def load_network(directory: str | os.PathLike[str]) -> Network:
    """Load a scenario directory (``nodes.csv``, ``links.csv``, ``scenario.toml``).

    Raises
    ------
    ScenarioError
        A missing or malformed file, or any problem :class:`Network` checks; the message names
        the file, row, line and column. Only regular files (or symlinks to them) of at most
        :data:`~routecore.scenario._csv.MAX_FILE_BYTES` are read: a FIFO, a device, a
        directory or a larger file is refused before it is read.

    Examples
    --------
    >>> import tempfile
    >>> net = load_scenario("central-asia")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     load_network(net.save(tmp)) == net
    True
    """
    root = Path(directory)
    problem = _not_a_directory(root)
    if problem:
        raise ScenarioError(f"{root}: {problem}", file=str(root))
    _recover_interrupted_save(root)
    toml_path = root / "scenario.toml"
    label = str(toml_path)
    toml_text = _read_file_text(toml_path)
    try:
        meta = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{label}: not valid TOML: {exc}", file=label) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ScenarioError(f"{label}: not valid TOML: nested too deeply", file=label) from None
    nodes, w_nodes = _read_csv(root / "nodes.csv")
    links, w_links = _read_csv(root / "links.csv")
    return Network(
        nodes,
        links,
        meta,
        _where=(w_nodes, w_links, _Where(label)),
        _toml=(toml_text, copy.deepcopy(meta)),
    )


def _not_a_directory(path: Path) -> str:
    """Why ``path`` is not a directory ("" if it is); never raises (a name too long, a
    symlink loop, a denied search permission are reasons like any other)."""
    try:
        is_dir = stat.S_ISDIR(os.stat(path).st_mode)
    except FileNotFoundError:
        return "not a scenario directory (no such directory)"
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        return f"not a scenario directory ({getattr(exc, 'strerror', None) or exc})"
    return "" if is_dir else "not a scenario directory"


def _bundled_root() -> Path:
    # routecore/data, beside this package both in a wheel and in an editable install (whose
    # importlib.resources view multiplexes the build tree and the source tree).
    return Path(__file__).resolve().parent.parent / "data"


def bundled_scenarios() -> list[str]:
    """Names of the scenarios shipped inside the package (e.g. ``central-asia``).

    >>> "central-asia" in bundled_scenarios()
    True
    """
    root = _bundled_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "scenario.toml").is_file())


def load_scenario(name_or_path: str | os.PathLike[str]) -> Network:
    """Load a scenario directory, or a bundled scenario by name (``"central-asia"``).

    Raises
    ------
    ScenarioError
        Neither a directory nor a bundled name, or any problem :func:`load_network` reports.

    >>> load_scenario("central-asia").name
    'central-asia'
    """
    path = Path(name_or_path)
    if not _not_a_directory(path):
        return load_network(path)
    key = str(name_or_path)
    if key in bundled_scenarios():
        return load_network(_bundled_root() / key)
    raise ScenarioError(
        f"{key}: neither a scenario directory nor a bundled scenario "
        f"(bundled: {', '.join(bundled_scenarios()) or 'none'})",
        file=key,
    )
