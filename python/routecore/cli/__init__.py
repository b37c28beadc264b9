"""The ``routecore`` command line: ``demo``, ``report``, ``route``, ``flow`` and ``map``.

Every command reads a scenario (a directory, or the name of a bundled one; default
``central-asia``), prints readable tables (rich) or, with ``--json``, one JSON document on
stdout. Problems with the input (unknown node, bad file) end with exit code 2 and a one-line
message on stderr; ``main`` never raises for them.

The package keeps computing apart from showing: :mod:`~routecore.cli.parser` (the arguments),
:mod:`~routecore.cli.commands` (:func:`main` and the commands), :mod:`~routecore.cli.demo`
(what the demo computes, as a :class:`~routecore.cli.demo.DemoResult`),
:mod:`~routecore.cli.render` and :mod:`~routecore.cli.render_demo` (the tables) and
:mod:`~routecore.cli.output` (JSON, the map and the files). The domain extras (pandas, rich,
matplotlib, tomli-w) are imported lazily so that ``routecore --help`` works without them and a
missing extra gives an install hint.

>>> main(["report", "--json"]) == 0  # doctest: +ELLIPSIS
{...
True
"""

from __future__ import annotations

from .commands import main, run_demo
from .demo import DemoResult, compute_demo, scenario_summary

__all__ = ["DemoResult", "compute_demo", "main", "run_demo", "scenario_summary"]
