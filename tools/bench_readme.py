"""Write a benchmark report's tables into README.md (its Performance section).

Usage::

    python -m routecore.bench --size default --out bench-report
    python tools/bench_readme.py bench-report/report.json            # rewrites README.md
    python tools/bench_readme.py bench-report/report.json --check     # exit 1 if out of date

The text between the ``<!-- bench-report:begin -->`` and ``<!-- bench-report:end -->`` lines of
the README is replaced by the report's machine line and ratio tables
(:func:`routecore.bench.report.machine_markdown`, :func:`~routecore.bench.report.markdown_tables`),
so the README's figures are always those of one report, never typed by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from routecore._atomic import write_atomic
from routecore.bench import report

BEGIN = "<!-- bench-report:begin -->"
END = "<!-- bench-report:end -->"


def render(report_path: Path, readme_text: str) -> str:
    """``readme_text`` with the block between the markers replaced by ``report_path``'s tables."""
    rep = report.load_report(report_path)
    head, sep, rest = readme_text.partition(BEGIN)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise ValueError(f"the README has no {BEGIN} ... {END} block")
    body = report.machine_markdown(rep) + "\n\n" + report.markdown_tables(rep).rstrip() + "\n"
    return f"{head}{BEGIN}\n{body}{END}{tail}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("report", type=Path, help="report.json of python -m routecore.bench")
    parser.add_argument("--readme", type=Path, default=Path(__file__).parents[1] / "README.md")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if it differs")
    args = parser.parse_args(argv)
    old = args.readme.read_text(encoding="utf-8")
    new = render(args.report, old)
    if args.check:
        if new != old:
            print(f"{args.readme} does not show {args.report}'s tables", file=sys.stderr)
            return 1
        return 0
    if new != old:
        write_atomic(args.readme, new)
    print(f"{args.readme}: tables from {args.report}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
