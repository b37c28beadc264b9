"""A tiny scenario on disk (four nodes, three links, two variants) for the scenario and CLI
tests: the file texts and a writer. The ``tiny`` fixture in conftest.py writes it to a
temporary folder; tests that need a broken file edit these texts and call
:func:`write_scenario` themselves."""

from __future__ import annotations

from pathlib import Path

NODES_CSV = """\
id,name,kind,country,lat,lon,source
alpha,Alpha City,pop,KZ,43.25,76.91,test
beta,Beta Gateway,gateway,KZ,51.18,71.45,test
gamma,Gamma,ixp,AZ,42.38,49.89,test
delta,Delta School,terminal,KZ,48.0,68.0,
"""
LINKS_CSV = """\
id,a,b,medium,length_km,capacity_gbps,latency_ms,operator,source
ab,alpha,beta,fiber,1300,10000,,OpA,test
bg,beta,gamma,submarine,2000.5,4000,,"Op, with comma",test
ag,alpha,gamma,microwave,2500,100,9.5,,test
"""
SCENARIO_TOML = """\
# A comment that must survive a round trip.
name = "tiny"
description = "four nodes"

[units]
length = "km"
capacity = "Gbit/s"
latency = "ms"

[[sources]]
id = "test"
title = "made up for the tests"

[variants.fast]
description = "more capacity on ab"
[variants.fast.links.ab]
capacity_gbps = 20000

[variants.no-gamma]
description = "without gamma"
remove_nodes = ["gamma"]

[analysis]
home_country = "KZ"
internet_exchanges = ["gamma"]
transit_sources = ["alpha"]
transit_sinks = ["gamma"]
"""


def write_scenario(
    root: Path, nodes: str = NODES_CSV, links: str = LINKS_CSV, toml: str = SCENARIO_TOML
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "nodes.csv").write_text(nodes, encoding="utf-8")
    (root / "links.csv").write_text(links, encoding="utf-8")
    (root / "scenario.toml").write_text(toml, encoding="utf-8")
    return root
