"""The README's ```python examples run as written, and its expected values hold.

Blocks that need outside resources (a Dask scheduler) are fenced as ```py and not run here.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_examples_run_and_match_their_comments() -> None:
    blocks = _python_blocks()
    assert len(blocks) >= 2
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    # The values the README's comments promise, recomputed independently of the comments.
    rc = namespace["rc"]
    g = namespace["g"]
    np.testing.assert_array_equal(rc.shortest_path_lengths(g, 0), [0.0, 5.0, 1.0, 6.0])  # type: ignore[attr-defined]
    p = namespace["p"]
    assert p.nodes.tolist() == [0, 1, 3]  # type: ignore[attr-defined]
    assert p.length == 6.0  # type: ignore[attr-defined]
    f = namespace["f"]
    assert f.value == 10  # type: ignore[attr-defined]
    np.testing.assert_array_equal(f.edge_flow, [6, 4, 6, 4])  # type: ignore[attr-defined]
    np.testing.assert_array_equal(f.cut_edges, [1, 2])  # type: ignore[attr-defined]
    zoo = namespace["zoo"]
    assert zoo.links["capacity_gbps"].tolist() == [100.0, 10.0]  # type: ignore[attr-defined]
    assert namespace["zoo_route"].nodes.tolist() == [0, 1, 2]  # type: ignore[attr-defined]
    table = namespace["table"]
    assert len(table) > 0  # type: ignore[arg-type]
    # Bring your own data: the TLE system, the scenario's [systems], the terminals.csv table.
    assert namespace["tracked"].num_satellites == 1584  # type: ignore[attr-defined]
    assert namespace["steps"].tolist() == [21600.0, 22500.0, 23400.0, 24300.0]  # type: ignore[attr-defined]
    assert namespace["xyz"].shape == (4, 1584, 3)  # type: ignore[attr-defined]
    assert {k: c.num_satellites for k, c in namespace["systems"].items()} == {"shell1-tle": 1584}  # type: ignore[attr-defined]
    assert len(table) == 2 * 2 * 2  # type: ignore[arg-type]
    assert set(table["constellation"]) == {"oneweb", "shell1-tle"}  # type: ignore[index]
