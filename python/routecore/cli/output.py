"""The command line's files and JSON: plain-JSON conversion, and the demo's outputs (the
``results.json`` document, the per-school CSV and the map).

Every file is written atomically (:mod:`routecore._atomic`). The demo claims its output
directory with a manifest, :data:`MANIFEST`, listing the files it writes there, and refuses
to replace a file of the same name that it did not write (unless forced). Text cells of CSV
outputs that a spreadsheet would run as a formula are neutralised (:func:`safe_csv_cell`).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._atomic import write_atomic
from .capacity import capacity_doc
from .demo import scenario_summary
from .render import _node_label, _policy_words
from .transit_demo import transit_planning_doc

if TYPE_CHECKING:
    from .demo import DemoResult

__all__ = [
    "CAPACITY_MAP",
    "DEMO_FILES",
    "MANIFEST",
    "OutputError",
    "claim_output_dir",
    "emit_json",
    "jsonable",
    "safe_csv_cell",
    "write_demo_outputs",
]

MANIFEST = ".routecore-out.json"
"""The file in a demo output directory that lists the files routecore wrote there."""

DEMO_FILES = ("results.json", "schools.csv", "map.png")
CAPACITY_MAP = "capacity_map.png"
"""The demo's capacity map (:func:`routecore.plotting_capacity.capacity_map`), written after
``map.png`` when the capacity stage finished a step."""
"""The demo's outputs, in the order they are written (the slow map last)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputError(Exception):
    """An output directory or file routecore must not write to (the CLI's one-line error)."""


def safe_csv_cell(value: Any) -> Any:
    """``value`` with a ``'`` in front if it is text a spreadsheet would run as a formula
    (starting with ``= + - @``, a tab or a carriage return); numbers and other text unchanged.

    >>> safe_csv_cell("=SUM(A1:A9)"), safe_csv_cell("-5"), safe_csv_cell(-5.0)
    ("'=SUM(A1:A9)", "'-5", -5.0)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _safe_csv_text(df: Any) -> str:
    """``df`` as CSV text, its text cells (object columns and column names) neutralised."""
    import pandas as pd

    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):  # text: object or string dtype
            out[column] = out[column].map(safe_csv_cell)
    out.columns = [safe_csv_cell(str(c)) for c in out.columns]
    text: str = out.to_csv(index=False, lineterminator="\n")
    return text


def write_csv(path: Path, df: Any) -> None:
    """Write ``df`` to ``path`` as CSV, atomically, text cells neutralised (``routecore
    capacity --schools-csv``); a directory as ``path`` is an :class:`OutputError`."""
    if Path(path).is_dir():
        raise OutputError(f"{path} is a directory; give a file name such as {Path(path) / 'x.csv'}")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(path), _safe_csv_text(df))


def claim_output_dir(out: Path, *, force: bool = False, extra: Sequence[str] = ()) -> None:
    """Make ``out`` the demo's output directory: create it, refuse when it is not a directory
    or holds one of :data:`DEMO_FILES` that routecore did not write (unless ``force``), and
    record the claim in :data:`MANIFEST`. ``extra`` names more files of this run inside
    ``out`` (``demo.geojson``), checked and recorded the same way.

    Raises
    ------
    OutputError
        ``out`` is a file, or it holds a file routecore would replace but did not write.
    OSError
        ``out`` cannot be created or written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "results.json").write_text("{}")
    ...     claim_output_dir(Path(tmp))
    Traceback (most recent call last):
    routecore.cli.output.OutputError: .../results.json exists and routecore did not write it; ...
    """
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; --out names the directory to write into")
    out.mkdir(parents=True, exist_ok=True)
    ours = _files_we_wrote(out)
    names = [*DEMO_FILES, *extra]
    for name in names:
        path = out / name
        if (path.exists() or path.is_symlink()) and name not in ours and not force:
            raise OutputError(
                f"{path} exists and routecore did not write it; choose another --out "
                "directory or pass --force to replace it"
            )
        if path.is_dir() and not path.is_symlink():
            raise OutputError(f"{path} is a directory; choose another --out directory")
    manifest = {"written_by": "routecore demo", "files": [*names, *sorted(ours - set(names))]}
    write_atomic(out / MANIFEST, json.dumps(manifest, indent=2) + "\n")


def _files_we_wrote(out: Path) -> set[str]:
    try:
        doc = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    files = doc.get("files") if isinstance(doc, dict) else None
    return {f for f in files if isinstance(f, str)} if isinstance(files, list) else set()


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


def write_demo_outputs(
    result: DemoResult, out: Path, *, force: bool = False, geojson: Path | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Write ``results.json``, ``schools.csv`` (when the school stage ran), ``map.png`` and
    :data:`CAPACITY_MAP` (when the capacity stage finished a step) into ``out`` (claimed with
    :func:`claim_output_dir`), in that order; returns the JSON document and the paths
    written.

    Each file is written atomically. The results come first and the slow map last, so that
    a failure or Ctrl-C while the map is drawn keeps them: ``results.json`` is then written
    again without the map (``"outputs": {"map": null}``); after Ctrl-C it says
    ``"partial": true`` and the document is returned, other errors propagate. A file of an
    earlier run that these results do not replace (``schools.csv``, ``map.png``) is removed.
    With ``geojson``, :func:`write_demo_geojson` writes that file after the CSV.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from routecore.cli.demo import compute_demo
    >>> result = compute_demo("central-asia", steps=1)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     doc, written = write_demo_outputs(result, Path(tmp))
    >>> doc["partial"], [Path(p).name for p in written]
    (False, ['results.json', 'schools.csv', 'map.png', 'capacity_map.png'])
    """
    claim_output_dir(out, force=force, extra=(CAPACITY_MAP,))
    json_path, csv_path, map_path = (out / name for name in DEMO_FILES)
    capacity_map_path = out / CAPACITY_MAP
    draw_capacity = result.capacity is not None and len(result.capacity.summary) > 0
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
        "transit_planning": None
        if result.planning is None
        else transit_planning_doc(result.planning),
        "schools": None
        if schools is None
        else {
            "times_s": result.times_s.tolist(),
            "steps_done": schools.attrs["steps_done"],
            "summary": [] if summary is None else _records(summary),
            "per_school_csv": csv_path.name,
        },
        "gateway_siting": None if result.siting is None else _records(result.siting),
        "capacity": None
        if result.capacity is None
        else capacity_doc(result.capacity, result.capacity_times_s),
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
            "capacity_map": str(capacity_map_path) if draw_capacity else None,
            "json": str(json_path),
            "schools_csv": None if schools is None else str(csv_path),
            "geojson": None if geojson is None else str(geojson),
        },
    }
    written = [str(json_path)]
    if schools is not None:
        write_atomic(csv_path, _safe_csv_text(schools))
        written.append(str(csv_path))
    else:
        csv_path.unlink(missing_ok=True)  # an earlier run's, which these results do not match
    if geojson is not None:
        written.append(str(write_demo_geojson(result, geojson)))
    write_atomic(json_path, _json_text(doc))
    capacity_map_path.unlink(missing_ok=True)  # an earlier run's (claimed above)
    try:
        _draw_map(result, map_path)
        written.append(str(map_path))
        if draw_capacity:
            from ..plotting_capacity import capacity_map

            capacity_map(result.net, result.capacity, path=capacity_map_path)
            written.append(str(capacity_map_path))
    except BaseException as exc:
        # Keep the results; say which maps are missing, and drop an earlier run's.
        for key, path in (("map", map_path), ("capacity_map", capacity_map_path)):
            if str(path) not in written:
                doc["outputs"][key] = None
                path.unlink(missing_ok=True)
        doc["partial"] = doc["partial"] or isinstance(exc, KeyboardInterrupt)
        write_atomic(json_path, _json_text(doc))
        if not isinstance(exc, KeyboardInterrupt):
            raise
        return doc, written
    return doc, written


def _json_text(doc: Any) -> str:
    return json.dumps(jsonable(doc), indent=2, allow_nan=False) + "\n"


def write_demo_geojson(result: DemoResult, path: Path) -> Path:
    """The demo's map layers as one GeoJSON file (atomically): the transit minimum cuts and
    critical links, every failure case of each sweep, and the schools of every system and
    policy; each feature's ``layer`` property says which (``transit``, ``failures: CASE``,
    ``schools``). Written with the :mod:`routecore.geojson` writers."""
    from .. import geojson

    layers = [("transit", geojson.flow_to_geojson(result.transit, result.net))]
    for name, sweep in result.sweeps.items():
        layers.append((f"failures: {name}", geojson.failures_to_geojson(sweep, result.net)))
    if result.schools is not None:
        layers.append(("schools", geojson.schools_to_geojson(result.schools)))
    features = [
        {**feature, "properties": {"layer": layer, **(feature.get("properties") or {})}}
        for layer, collection in layers
        for feature in collection["features"]
    ]
    return geojson.write_geojson(path, {"type": "FeatureCollection", "features": features})
