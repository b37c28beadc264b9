"""``python -m routecore.bench``: run the suite, write the report, compare with an old one.

Exit status: 0 when every result agreed and no regression was found; 1 when ``--compare``
found a regression; 2 when a result did not match routecore's ``auto`` (or routecore itself
failed); 3 for bad options. Progress goes to stderr, the ratio tables to stdout.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import families as fam
from . import peers, plots, report
from .runner import run_family

REGRESSION, MISMATCH, USAGE = 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m routecore.bench",
        description="Benchmark routecore against the installed peer libraries on seeded "
        "instance families; write a report (Markdown, JSON, plots).",
    )
    p.add_argument(
        "--size",
        choices=fam.SIZES,
        default="default",
        help="instance sizes: smoke (about a minute), default, large",
    )
    p.add_argument(
        "--family",
        metavar="PATTERN",
        help="comma-separated globs or substrings of family names (default: all)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("routecore-bench"),
        metavar="DIR",
        help="report directory (default: ./routecore-bench)",
    )
    p.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="timed runs per contestant, the minimum is reported (default 3)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=os.cpu_count() or 1,
        help="threads for batched queries, routecore and peers alike (default: all)",
    )
    p.add_argument(
        "--peers",
        metavar="NAMES",
        help="comma-separated peers to run (default: every installed one)",
    )
    p.add_argument(
        "--compare",
        type=Path,
        metavar="OLD.json",
        help="an earlier report.json: exit 1 if routecore got slower",
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=0.2,
        help="allowed slow-down for --compare, as a fraction (default 0.2)",
    )
    p.add_argument(
        "--markdown", action="store_true", help="print only the ratio tables (Markdown) on stdout"
    )
    p.add_argument("--list", action="store_true", help="list the families and peers, and exit")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    found = peers.installed()
    if args.list:
        for f in fam.FAMILIES:
            print(f"{f.name:28} {f.task:6} {f.summary}")
        print("peers installed: " + (", ".join(f"{k} {v}" for k, v in found.items()) or "none"))
        return 0
    try:
        chosen = fam.select(args.family)
        if args.rounds < 1 or args.threads < 1:
            raise ValueError("--rounds and --threads must be at least 1")
        old = report.load_report(args.compare) if args.compare else None
        if args.peers is not None:
            wanted = [p.strip() for p in args.peers.split(",") if p.strip()]
            unknown = [p for p in wanted if p not in peers.PEERS]
            if unknown:
                raise ValueError(f"unknown peer(s) {unknown}; known: {list(peers.PEERS)}")
            found = {p: v for p, v in found.items() if p in wanted}
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE
    log = _stderr
    log(
        f"routecore.bench: {len(chosen)} families at size {args.size}; peers: "
        + (", ".join(found) or "none installed")
    )
    records: list[dict[str, Any]] = []
    start = time.perf_counter()
    for i, family in enumerate(chosen, 1):
        missing = [m for m in family.needs if not _importable(m)]
        if missing:
            log(f"[{i}/{len(chosen)}] {family.name}: skipped (needs {', '.join(missing)})")
            continue
        log(f"[{i}/{len(chosen)}] {family.name}")
        records.append(
            run_family(
                family,
                args.size,
                seed=args.seed,
                rounds=args.rounds,
                threads=args.threads,
                available=list(found),
                log=log,
            )
        )
    options = {
        "size": args.size,
        "seed": args.seed,
        "rounds": args.rounds,
        "threads": args.threads,
        "families": [f.name for f in chosen],
    }
    rep = report.build_report(records, report.machine_info(found), options)
    written = report.write_report(rep, args.out)
    if plots.available():
        for r in rep["families"]:
            written += plots.plot_family(r, args.out / "plots")
    else:
        log("matplotlib is not installed (pip install 'routecore[geo]'): no plots drawn")
    log(f"wrote {len(written)} files to {args.out} in {time.perf_counter() - start:.1f} s")
    tables = report.markdown_tables(rep)
    print(tables if args.markdown else report.machine_markdown(rep) + "\n\n" + tables)
    status = 0
    bad = [
        (r["family"], c)
        for r in rep["families"]
        for c in r["contestants"]
        if c["status"] == "mismatch" or (c["kind"] != "peer" and c["status"] == "error")
    ]
    for family_name, c in bad:
        log(f"{c['status'].upper()}: {family_name} / {c['name']}: {c['note']}")
    if bad:
        status = MISMATCH
    if old is not None:
        if old["machine"].get("cpu") != rep["machine"]["cpu"]:
            log(f"note: {args.compare} was measured on another CPU ({old['machine'].get('cpu')})")
        regressions = report.compare(old, rep, args.threshold)
        for line in regressions:
            log(f"REGRESSION: {line}")
        if not regressions:
            log(f"no regression against {args.compare} (threshold {args.threshold:.0%})")
        elif not status:
            status = REGRESSION
    return status


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
