"""The command line's files and JSON: plain-JSON conversion, and the demo's outputs (the
``results.json`` document, the map and the per-school CSV)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .demo import scenario_summary
from .render import _node_label, _policy_words

if TYPE_CHECKING:
    from .demo import DemoResult

__all__ = ["emit_json", "jsonable", "write_demo_outputs"]


def jsonable(value: Any) -> Any:
    """Plain JSON types: numpy scalars and arrays unwrapped, NaN / inf as null.

    >>> import numpy as np
    >>> jsonable({"a": np.float64("inf"), "b": np.arange(2)})
    {'a': None, 'b': [0, 1]}
    """
    import numpy as np

    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit_json(doc: Any) -> None:
    """Print ``doc`` on stdout as one JSON document (see :func:`jsonable`)."""
    json.dump(jsonable(doc), sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def _records(df: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = jsonable(df.to_dict(orient="records"))
    return out


def _draw_map(result: DemoResult, path: Path) -> None:
    """The demo map: the base case's minimum cut, the fastest routes to the first sink, and
    each school's median latency under the first (constellation, policy) summarised."""
    from ..plotting import network_map

    net, transit = result.net, result.transit
    base = transit.cases.iloc[0]
    sink = str(transit.routes.iloc[0]["sink"])
    routes = {}
    for _, row in transit.routes[
        (transit.routes["variant"] == base["variant"]) & (transit.routes["sink"] == sink)
    ].iterrows():
        if row["route"]:
            label = (
                f"{_node_label(net, row['source'])} → {_node_label(net, sink)}, "
                f"{row['policy']}: {row['latency_ms']:.1f} ms one-way propagation"
            )
            routes[label] = row["route"]
    flows = transit.cases.set_index(["variant", "policy"])["max_flow_gbps"]
    note = "\n".join(f"{v}, {p}: {f / 1000:,.1f} Tbit/s" for (v, p), f in flows.items())
    terminals: dict[str, Any] = {}
    summary, schools = result.school_summary, result.schools
    if summary is not None and schools is not None:
        first = summary.iloc[0]
        shown = schools[
            (schools["constellation"] == first["constellation"])
            & (schools["policy"] == first["policy"])
        ]
        terminals = {
            "terminal_values": dict(zip(shown["school"], shown["median_latency_ms"], strict=True)),
            "terminal_label": f"School → exchange, median one-way propagation ms\n"
            f"({first['constellation']}, "
            f"gateways {_policy_words(str(first['policy']), result.home)})",
        }
    network_map(
        net,
        path=path,
        routes=routes,
        cut_links=base["cut_links"],
        sink_cut_links=base.get("cut_links_closest_to_sinks"),
        critical_links=base.get("critical_links"),
        title=f"{net.meta.get('title', net.name)}\nAsia→Europe minimum cut "
        f"({base['variant']}, {base['policy']}), fastest routes, and school latency",
        note="Asia→Europe max flow\n" + note,
        **terminals,
    )


def write_demo_outputs(result: DemoResult, out: Path) -> tuple[dict[str, Any], list[str]]:
    """Write ``map.png``, ``schools.csv`` (when the school stage ran) and ``results.json``
    into ``out`` (created if needed); returns the JSON document and the paths written.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from routecore.cli.demo import compute_demo
    >>> result = compute_demo("central-asia", steps=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     doc, written = write_demo_outputs(result, Path(tmp))
    >>> doc["partial"], [Path(p).name for p in written]
    (False, ['map.png', 'results.json', 'schools.csv'])
    """
    out.mkdir(parents=True, exist_ok=True)
    map_path, csv_path, json_path = out / "map.png", out / "schools.csv", out / "results.json"
    _draw_map(result, map_path)
    transit, schools, summary = result.transit, result.schools, result.school_summary
    doc: dict[str, Any] = {
        "scenario": scenario_summary(result.net),
        "partial": result.partial,
        "transit": {
            "cases": _records(transit.cases),
            "routes": _records(transit.routes),
            "links": _records(transit.links[transit.links["flow_gbps"] > 0]),
        },
        "failure_sweep": {name: _records(df) for name, df in result.sweeps.items()},
        "schools": None
        if schools is None
        else {
            "times_s": result.times_s.tolist(),
            "steps_done": schools.attrs["steps_done"],
            "summary": [] if summary is None else _records(summary),
            "per_school_csv": csv_path.name,
        },
        "gateway_siting": None if result.siting is None else _records(result.siting),
        "window": {"steps": int(result.times_s.size), "step_s": result.step_s},
        "constellations": {
            label: {
                "preset": c.name,
                "min_elevation_user_deg": c.min_elevation_user_deg,
                "min_elevation_feeder_deg": c.min_elevation_feeder_deg,
                "laser_links": c.has_isl,
                "assumptions": list(c.assumptions),
            }
            for label, c in result.systems.items()
        },
        "assumption_spread": None if result.spread is None else _records(result.spread),
        "notes": result.notes,
        "outputs": {
            "map": str(map_path),
            "json": str(json_path),
            "schools_csv": None if schools is None else str(csv_path),
        },
    }
    written = [str(map_path), str(json_path)]
    if schools is not None:
        schools.to_csv(csv_path, index=False)
        written.append(str(csv_path))
    json_path.write_text(
        json.dumps(jsonable(doc), indent=2, allow_nan=False) + "\n", encoding="utf-8"
    )
    return doc, written
