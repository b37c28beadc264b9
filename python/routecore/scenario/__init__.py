"""Scenarios: a ground network of named places and links, and its on-disk format.

A :class:`Network` is two pandas tables and a metadata dictionary:

``nodes`` (one row per place; graph node ``i`` is row ``i``)
    ``id`` (unique text key), ``name``, ``kind`` (one of :data:`NODE_KINDS`), ``country``
    (ISO 3166-1 alpha-2 code, e.g. ``KZ``), ``lat`` and ``lon`` (WGS-84 decimal degrees),
    ``source`` (where the coordinates come from: ids of entries in the scenario's ``sources`` or
    ``assumptions`` lists, separated by ``;``).
``links`` (one row per undirected link; graph edge ``e`` is row ``e``)
    ``id`` (unique text key), ``a`` and ``b`` (node ids), ``medium`` (one of :data:`MEDIA`),
    ``length_km``, ``capacity_gbps`` (per direction), ``latency_ms`` (one way),
    ``latency_given`` (``False`` where ``latency_ms`` was derived from the length and medium:
    fibre and submarine cable at c / 1.468, radio and laser at c), ``operator``, ``source``.
``meta``
    The parsed ``scenario.toml``: ``name``, ``description``, ``units``, ``parameters``,
    ``sources``, ``assumptions``, ``variants`` and ``analysis`` (see below).

On disk a scenario is a directory a person can edit with a spreadsheet and a text editor::

    nodes.csv       id,name,kind,country,lat,lon,source
    links.csv       id,a,b,medium,length_km,capacity_gbps,latency_ms,operator,source
    scenario.toml   name = "...", [units], [parameters], [[sources]], [[assumptions]],
                    [variants.NAME], [analysis]

CSV files are UTF-8 with a header row; cells are trimmed of surrounding blanks; extra columns
are kept as text and written back. In ``links.csv`` an empty ``latency_ms`` means "derive it";
an empty or missing ``id`` becomes ``A--B`` (``A--B#2`` for a parallel link). ``units`` may only
state the units the model uses (``length = "km"``, ``capacity = "Gbit/s"``, ``latency = "ms"``),
so a file written for other units is refused instead of misread. A variant changes the base
network by name::

    [variants.tcfo-6tbps]
    description = "Trans-Caspian cable at its 6 Tbit/s design capacity"
    remove_links = []                 # link ids
    remove_nodes = []                 # node ids (their links go too)
    [variants.tcfo-6tbps.links.tcfo]  # per-link overrides: capacity_gbps, length_km,
    capacity_gbps = 6000              # latency_ms, operator, source
    [[variants.tcfo-2025.add_nodes]]  # new places: the nodes.csv columns
    [[variants.tcfo-2025.add_links]]  # new links: the links.csv columns

Added rows are checked like the CSV rows, and errors name the variant. Every key of
``scenario.toml`` must be one the format defines (at every level); an unknown key is refused
with its line and the closest valid key, so ``remove_link`` cannot silently do nothing. An
optional ``[delays]`` table holds numbers >= 0 (ms) and an ``assumption`` id.

Links are checked against physics: ``length_km`` may not be shorter than the great-circle
distance between the ends (tolerance 1 km or 0.6 %, the sphere-versus-ellipsoid error), and a
given ``latency_ms`` may not beat light over ``length_km`` (c / ``fiber_group_index`` for fibre
and submarine cable, c for the others). An empty ``length_km`` becomes the great-circle distance,
times ``parameters.route_slack`` (default :data:`DEFAULT_ROUTE_SLACK`, 1.3) for fibre and
submarine cable.

``[analysis]`` names the nodes the analyses use by default (``internet_exchanges``,
``transit_sources``, ``transit_sinks``; each a list of node ids), the ``home_country`` whose
gateways the in-country policy allows, and ``avoid_countries`` for the "without Russia" case.

The package is laid out as the model (:class:`Network`, in ``_model``), the schema and its
checks (``_schema``, ``_checks``) and the files (``_csv``, ``_files``). The physical constants
and :func:`great_circle_km` are :mod:`routecore.geo`'s, re-exported here. Terminals (schools)
are placed inside an outline by :func:`place_terminals`, read from ``terminals.csv`` by
:func:`load_terminals` and swapped into a network by :func:`with_terminals` (``_terminals``).
The capacity model a scenario declares (school demand, gateway antennas; the ``[capacity]``
table) is read by :func:`capacity_settings` and :func:`school_demand_mbps` (``_capacity``).

Loading checks everything and raises :class:`~routecore.errors.ScenarioError` naming the file,
row, line and column of the first problem; only regular files of at most 64 MiB are read.
:meth:`Network.save` replaces the three files all together or not at all (a crash never leaves
a half-written file or a mix of old and new); ``scenario.toml`` is written back byte for byte
(comments included) unless the metadata changed. A text cell starting with ``= + - @`` or
``'`` is saved with one ``'`` in front (a spreadsheet then shows it as text) and read back
without it.

Examples
--------
>>> from routecore.scenario import load_scenario
>>> net = load_scenario("central-asia")
>>> g = net.to_graph()                      # weight = latency_ms, capacity = capacity_gbps
>>> int(net.node_index(["almaty"])[0]) == net.find_node("Almaty")
True
"""

from __future__ import annotations

from ..errors import ScenarioError
from ..geo import C_KM_PER_MS, DEFAULT_FIBER_GROUP_INDEX, EARTH_RADIUS_KM, great_circle_km
from ._capacity import (
    DEFAULT_SCHOOL_DEMAND_MBPS,
    CapacitySettings,
    capacity_settings,
    school_demand_mbps,
)
from ._files import bundled_scenarios, load_network, load_scenario
from ._graphml import from_graphml
from ._model import Network
from ._schema import (
    DEFAULT_ROUTE_SLACK,
    GUIDED_MEDIA,
    LINK_COLUMNS,
    MEDIA,
    NODE_COLUMNS,
    NODE_KINDS,
    derived_latency_ms,
)
from ._terminals import (
    TERMINAL_COLUMNS,
    inside_outline,
    load_terminals,
    place_terminals,
    with_terminals,
)

__all__ = [
    "C_KM_PER_MS",
    "DEFAULT_FIBER_GROUP_INDEX",
    "DEFAULT_ROUTE_SLACK",
    "DEFAULT_SCHOOL_DEMAND_MBPS",
    "EARTH_RADIUS_KM",
    "GUIDED_MEDIA",
    "LINK_COLUMNS",
    "MEDIA",
    "NODE_COLUMNS",
    "NODE_KINDS",
    "TERMINAL_COLUMNS",
    "CapacitySettings",
    "Network",
    "ScenarioError",
    "bundled_scenarios",
    "capacity_settings",
    "derived_latency_ms",
    "from_graphml",
    "great_circle_km",
    "inside_outline",
    "load_network",
    "load_scenario",
    "load_terminals",
    "place_terminals",
    "school_demand_mbps",
    "with_terminals",
]

# A city-pair demand matrix (issue 13), appended so that parallel edits above do not conflict.
from ._demands import DEMAND_FILE_COLUMNS, load_demands

__all__ += ["DEMAND_FILE_COLUMNS", "load_demands"]
