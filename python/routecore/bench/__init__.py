"""The benchmark suite users run: ``python -m routecore.bench --size smoke|default|large``.

Seeded instance *families* (max-flow: 2D and 3D grids with smooth and noisy data, GENRMF,
Washington RLG, AK, bipartite matching, random sparse, many small calls, the ``central-asia``
ground network and a satellite snapshot; shortest paths: grids with integer and float weights,
kNN, power-law, Erdős–Rényi with random ids, BFS, batched and point-to-point) are solved by every
routecore method beside ``method="auto"`` and by every installed peer (scipy, igraph, NetworKit,
OR-Tools, PyMaxflow, rustworkx, networkx), alternated in one process, minimum of the runs, each
result checked against routecore ``auto``'s. The report (``--out DIR``): ``report.md`` (machine,
versions, ratio tables), ``report.json`` (for ``--compare OLD.json --threshold 0.2``, which
exits non-zero on a regression) and ``plots/<family>.png|svg`` when matplotlib is installed.

Modules: :mod:`~routecore.bench.instances` (the instance shapes), ``gen_flow``, ``gen_paths``
and ``gen_domain`` (generators), :mod:`~routecore.bench.families` (sizes), ``peers`` (detection
and the peers' solvers), ``runner`` (timing and checks), ``report`` and ``plots``. Peers and
matplotlib are optional imports; this package needs only numpy (and pandas for the domain
families, scipy for kNN).
"""

from __future__ import annotations

from ._cli import main

__all__ = ["main"]
