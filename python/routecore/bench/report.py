"""The suite's report: machine information, the ratio tables (Markdown), JSON, and the
regression check of one report against an earlier one.

Ratios are ``contestant time / routecore auto time`` measured in the same run (``> 1``: routecore
``auto`` is faster). "auto vs best own" is ``best own method's time / auto's time`` (about 1 or
more: ``auto`` is as fast as routecore's fastest method; below 1, how far it is off), with the
method named; ``max_flow`` (the full result beside ``auto``'s value), ``min_cut`` and thread
counts are shown but not counted as methods.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import routecore
from routecore._atomic import write_atomic

from .runner import AUTO

REPORT_VERSION = 1
NOT_METHODS = frozenset(
    {"routecore:max_flow", "routecore:min_cut", "routecore:1thread", "routecore:per_call"}
)
"""Own contestants shown in the tables but not candidates for "best own method"."""


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(peers: dict[str, str]) -> dict[str, Any]:
    """CPU, cores, OS, Python and the versions of routecore, numpy and the peers."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        usable = os.cpu_count() or 1
    try:
        load: list[float] | None = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - Windows
        load = None
    return {
        "date_utc": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "load_average": load,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "routecore": routecore.__version__,
        "peers": peers,
    }


def _summarise(record: dict[str, Any]) -> dict[str, Any]:
    """Add auto's time, the best own method and the ratios to a family record."""
    by_name = {c["name"]: c for c in record["contestants"]}
    auto = by_name.get(AUTO, {}).get("seconds")
    own = [
        c
        for c in record["contestants"]
        if c["kind"] == "method" and c["seconds"] is not None and c["name"] not in NOT_METHODS
    ]
    best = min(own, key=lambda c: c["seconds"], default=None)
    record["auto_s"] = auto
    record["best_own"] = None if best is None else best["name"]
    record["best_own_s"] = None if best is None else best["seconds"]
    record["auto_vs_best_own"] = None if best is None or not auto else best["seconds"] / auto
    for c in record["contestants"]:
        c["ratio"] = c["seconds"] / auto if auto and c["seconds"] is not None else None
    peers = [c for c in record["contestants"] if c["kind"] == "peer" and c["seconds"] is not None]
    fastest = min(peers, key=lambda c: c["seconds"], default=None)
    record["fastest_peer"] = None if fastest is None else fastest["name"]
    record["fastest_peer_ratio"] = None if fastest is None else fastest["ratio"]
    return record


def build_report(
    records: Sequence[dict[str, Any]], info: dict[str, Any], options: dict[str, Any]
) -> dict[str, Any]:
    return {
        "report_version": REPORT_VERSION,
        "machine": info,
        "options": options,
        "families": [_summarise(r) for r in records],
    }


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} µs"


def _cell(c: dict[str, Any] | None) -> str:
    if c is None:
        return ""
    if c["status"] == "ok":
        return "—" if c["ratio"] is None else f"{c['ratio']:.2f}"
    if c["status"] == "skipped":
        return "skip"
    return f"**{c['status'].upper()}**"


def _columns(records: Iterable[dict[str, Any]], kind: str) -> list[str]:
    names: list[str] = []
    for r in records:
        for c in r["contestants"]:
            if c["kind"] == kind and c["name"] not in names:
                names.append(c["name"])
    return names


def markdown_tables(report: dict[str, Any]) -> str:
    """One ratio table per task (max-flow, shortest paths) and the targets table
    (:func:`targets_markdown`), Markdown."""
    out = []
    titles = {"flow": "Max-flow", "paths": "Shortest paths"}
    for task, title in titles.items():
        records = [r for r in report["families"] if r["task"] == task]
        if not records:
            continue
        methods = _columns(records, "method")
        peers = _columns(records, "peer")
        head = ["family", "instance", "routecore auto", "auto vs best own", *methods, *peers]
        out.append(
            f"**{title}** — each cell: that contestant's time / routecore `auto`'s time "
            "(> 1: `auto` faster)\n"
        )
        out.append("| " + " | ".join(h.replace("routecore:", "") for h in head) + " |")
        out.append("|" + "---|" * len(head))
        for r in records:
            by_name = {c["name"]: c for c in r["contestants"]}
            auto = by_name.get(AUTO)
            auto_cell = _time(r["auto_s"]) if auto and auto["status"] == "ok" else _cell(auto)
            if auto and auto["note"].startswith("picks "):
                auto_cell += f" ({auto['note'][6:]})"
            vs = r["auto_vs_best_own"]
            vs_cell = "—" if vs is None else f"{vs:.2f} ({r['best_own'].split(':')[1]})"
            row = [r["family"], r["instance"], auto_cell, vs_cell]
            row += [_cell(by_name.get(n)) for n in methods + peers]
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    if any(r.get("auto_s") is not None for r in report["families"]):
        out.append(targets_markdown(report))
    problems = [
        f"- {r['family']} / {c['name']}: {c['status']}: {c['note']}"
        for r in report["families"]
        for c in r["contestants"]
        if c["status"] in ("mismatch", "error")
    ]
    if problems:
        out.append("**Errors and mismatches** (no time reported for these):\n")
        out += problems
        out.append("")
    return "\n".join(out)


TARGETS: dict[str, tuple[str | None, float]] = {
    "flow": (None, 1.0),
    "sssp": ("scipy", 3.0),
    "bfs": ("scipy", 3.0),
    "batch-satellite": ("networkit", 1.5),
}
"""Issue 14's targets by family prefix: ``(peer, ratio)``, the peer's time over routecore
``auto``'s that must be reached (``None``: the fastest peer). Max-flow also asks for a
geometric mean of :data:`FLOW_GEOMEAN_TARGET` over its families."""

FLOW_GEOMEAN_TARGET = 1.5


def _target(family: str) -> tuple[str | None, float] | None:
    for prefix, target in TARGETS.items():
        if family.startswith(prefix):
            return target
    return None


def targets_markdown(report: dict[str, Any]) -> str:
    """Per family: routecore ``auto``'s time, the fastest peer's, their ratio and the target
    (if the family has one), then the max-flow geometric mean; Markdown."""
    rows = [
        "**Targets** — ratio: the peer's time / routecore `auto`'s (> 1: `auto` faster)\n",
        "| family | routecore auto | fastest peer | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    flow_ratios = []
    for r in report["families"]:
        auto = r.get("auto_s")
        peers = [
            c
            for c in r["contestants"]
            if c["kind"] == "peer" and c["status"] == "ok" and c["seconds"] is not None
        ]
        if auto is None or not peers:
            continue
        fastest = min(peers, key=lambda c: c["seconds"])
        target = _target(r["family"])
        ratio = fastest["seconds"] / auto
        cells = [r["family"], _time(auto), f"{fastest['name']} {_time(fastest['seconds'])}"]
        cells.append(f"{ratio:.2f}")
        if r["task"] == "flow":
            flow_ratios.append(ratio)
        if target is None:
            cells += ["—", ""]
        else:
            peer, want = target
            named = next((c for c in peers if c["name"] == peer), None) if peer else fastest
            if named is None:
                cells += [f">= {want:g}x {peer}", "no peer time"]
            else:
                got = named["seconds"] / auto
                label = f">= {want:g}x {peer or 'fastest peer'}"
                if peer:
                    label += f" ({got:.2f})"
                cells += [label, "yes" if got >= want else "**no**"]
        rows.append("| " + " | ".join(cells) + " |")
    if flow_ratios:
        geomean = math.exp(sum(map(math.log, flow_ratios)) / len(flow_ratios))
        met = "yes" if geomean >= FLOW_GEOMEAN_TARGET else "**no**"
        rows.append(
            f"| max-flow, geometric mean of {len(flow_ratios)} families | | | {geomean:.2f} "
            f"| >= {FLOW_GEOMEAN_TARGET:g} | {met} |"
        )
    return "\n".join(rows) + "\n"


def machine_markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    peers = ", ".join(f"{k} {v}" for k, v in m["peers"].items()) or "none installed"
    opts = report["options"]
    return (
        f"Measured {m['date_utc']} with `python -m routecore.bench --size {opts['size']}` "
        f"(seed {opts['seed']}, min of {opts['rounds']} runs, alternated in one process, "
        f"{opts['threads']} threads for batches): {m['cpu']}, {m['usable_cores']} usable cores "
        f"(load average {m['load_average']}), {m['os']}, Python {m['python']}, numpy "
        f"{m['numpy']}, routecore {m['routecore']}; peers: {peers}."
    )


def write_report(report: dict[str, Any], out: Path) -> list[Path]:
    """``report.json`` and ``report.md`` under ``out``; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=1, allow_nan=False, default=_jsonable)
    md = "# routecore benchmark report\n\n" + machine_markdown(report) + "\n\n"
    md += markdown_tables(report)
    details = ["\n## Families\n"]
    for r in report["families"]:
        details.append(
            f"- **{r['family']}**: {r['summary']}; {r['instance']}; checksum {r['checksum']}"
        )
    md += "\n".join(details) + "\n"
    return [write_atomic(out / "report.json", text + "\n"), write_atomic(out / "report.md", md)]


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"cannot write {type(obj).__name__} to JSON")


def load_report(path: str | os.PathLike[str]) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        report: dict[str, Any] = json.load(fh)
    if report.get("report_version") != REPORT_VERSION:
        raise ValueError(
            f"{path}: report_version {report.get('report_version')!r}, expected {REPORT_VERSION}"
        )
    return report


def compare(old: dict[str, Any], new: dict[str, Any], threshold: float) -> list[str]:
    """Regressions of routecore's contestants: a time more than ``1 + threshold`` times the
    old report's on the same family (same instance checksum). Returns one line per regression.
    """
    if not (threshold >= 0 and math.isfinite(threshold)):
        raise ValueError(f"threshold must be a finite number >= 0, got {threshold}")
    old_families = {r["family"]: r for r in old["families"]}
    lines = []
    for r in new["families"]:
        before = old_families.get(r["family"])
        if before is None or before.get("checksum") != r["checksum"]:
            continue
        old_times = {c["name"]: c["seconds"] for c in before["contestants"]}
        for c in r["contestants"]:
            if c["kind"] == "peer" or c["seconds"] is None:
                continue
            was = old_times.get(c["name"])
            if was and c["seconds"] > was * (1 + threshold):
                lines.append(
                    f"{r['family']} / {c['name']}: {_time(c['seconds'])} vs {_time(was)} "
                    f"before (x{c['seconds'] / was:.2f}, threshold x{1 + threshold:.2f})"
                )
    return lines
