"""Atheris harness for the scenario loader (``routecore.scenario.load_network``).

Each input is a recipe of edits applied to a small valid scenario (``fuzz/seeds/scenario``):
byte splices, CSV cells replaced by hostile values (empty, NaN, inf, 1e309, out-of-range
coordinates, unknown ids and kinds, quotes, NUL, invalid UTF-8), lines duplicated or dropped,
TOML values and keys replaced, whole files replaced by raw bytes or deleted. Starting from a
valid scenario keeps most inputs near the loader's deepest checks.

The property: loading either succeeds or raises ``ScenarioError``. After a successful load the
network must also convert to a Graph (base and every variant) without a GraphError - the loader
promised valid data - and survive a save / load round trip unchanged. Anything else is a finding.

Run alone (libFuzzer flags pass through)::

    python fuzz/fuzz_scenario.py -max_total_time=30 -print_final_stats=1
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
import warnings
from pathlib import Path

import atheris
from _instrument import instrument_package

import routecore
import routecore.scenario
from routecore.errors import ScenarioError
from routecore.scenario import load_network

instrument_package(routecore)

SEED_DIR = Path(__file__).resolve().parent / "seeds" / "scenario"
FILES = ("nodes.csv", "links.csv", "scenario.toml")
SEED = {name: (SEED_DIR / name).read_bytes() for name in FILES}

CELLS = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1",
    "-0",
    "0",
    "1e-320",
    "91",
    "-180.0000001",
    "181",
    "1_000",
    "0x10",
    "1,5",
    "kz",
    "XX",
    "K",
    "gateway",
    "Gateway",
    "fiber",
    "laser",
    "almaty",
    "almaty ",
    "unknown-node",
    "tcfo",
    "a--b",
    '"',
    '""',
    "\x00",
    "\n",
    "\r",
    "é",
    "\ufeff",
    "True",
    "9" * 400,
]
TOML_VALUES = [
    "1",
    "-1",
    "0",
    "3",
    "1.0",
    "nan",
    "inf",
    "-inf",
    "true",
    '""',
    '"x"',
    '"KZ"',
    '"kz"',
    "[]",
    '["almaty"]',
    '["nope"]',
    "[1, 2]",
    "{}",
    "{ capacity_gbps = -1 }",
    "{ length_km = nan }",
    "{ operator = 3 }",
    "{ bogus = 1 }",
    '"Gbit/s"',
    '"Mbit/s"',
    '"m"',
    "1979-05-27T07:32:00Z",
    "[[1]]",
]
TOML_KEYS = [
    "name",
    "units",
    "units.length",
    "units.capacity",
    "parameters",
    "parameters.fiber_group_index",
    "analysis",
    "analysis.home_country",
    "analysis.internet_exchanges",
    "analysis.transit_sources",
    "variants",
    "variants.x",
    "variants.x.remove_nodes",
    "variants.x.remove_links",
    "variants.x.links",
    "variants.x.links.tcfo",
    "variants.x.links.tcfo.capacity_gbps",
    "variants.x.links.tcfo.latency_ms",
    "variants.x.links.nope.capacity_gbps",
]


def _edit_csv(text: str, fdp: atheris.FuzzedDataProvider) -> str:
    lines = text.split("\n")
    i = fdp.ConsumeIntInRange(0, len(lines) - 1)
    op = fdp.ConsumeIntInRange(0, 4)
    if op == 0:  # replace one cell
        cells = lines[i].split(",")
        j = fdp.ConsumeIntInRange(0, len(cells))
        value = fdp.PickValueInList(CELLS) if fdp.ConsumeBool() else fdp.ConsumeUnicode(12)
        if j == len(cells):
            cells.append(value)  # one field too many
        else:
            cells[j] = value
        lines[i] = ",".join(cells)
    elif op == 1:
        lines.insert(i, lines[fdp.ConsumeIntInRange(0, len(lines) - 1)])
    elif op == 2:
        del lines[i]
    elif op == 3:  # drop a column everywhere (header included)
        j = fdp.ConsumeIntInRange(0, 8)
        lines = [",".join(c for k, c in enumerate(line.split(",")) if k != j) for line in lines]
    else:
        lines[i] = fdp.ConsumeUnicode(40)
    return "\n".join(lines)


def _edit_toml(text: str, fdp: atheris.FuzzedDataProvider) -> str:
    lines = text.split("\n")
    i = fdp.ConsumeIntInRange(0, len(lines) - 1)
    op = fdp.ConsumeIntInRange(0, 3)
    if op == 0 and "=" in lines[i]:  # replace a value
        key = lines[i].split("=", 1)[0]
        lines[i] = f"{key}= {fdp.PickValueInList(TOML_VALUES)}"
    elif op == 1:  # add a dotted key at the top level (before the first table)
        lines.insert(3, f"{fdp.PickValueInList(TOML_KEYS)} = {fdp.PickValueInList(TOML_VALUES)}")
    elif op == 2:
        del lines[i]
    else:
        lines.insert(i, fdp.ConsumeUnicode(40))
    return "\n".join(lines)


def _mutate(fdp: atheris.FuzzedDataProvider) -> dict[str, bytes | None]:
    files: dict[str, bytes | None] = dict(SEED)
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        name = fdp.PickValueInList(list(FILES))
        data = files[name]
        op = fdp.ConsumeIntInRange(0, 9)
        if data is None or op == 0:  # the whole file from raw bytes
            files[name] = fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 300))
        elif op == 1:
            files[name] = None  # missing file
        elif op == 2:  # splice raw bytes (may break UTF-8)
            pos = fdp.ConsumeIntInRange(0, len(data))
            cut = fdp.ConsumeIntInRange(0, 16)
            files[name] = (
                data[:pos] + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 16)) + data[pos + cut :]
            )
        elif op == 3:
            files[name] = data[: fdp.ConsumeIntInRange(0, len(data))]  # truncated
        else:
            text = data.decode("utf-8", errors="surrogateescape")
            edit = _edit_toml if name.endswith(".toml") else _edit_csv
            # surrogatepass: lone surrogates from ConsumeUnicode become invalid UTF-8 bytes.
            files[name] = edit(text, fdp).encode("utf-8", errors="surrogatepass")
    return files


# Scratch directory: fuzz/run.sh passes one it deletes afterwards (libFuzzer leaves through
# exit(), which skips Python's own clean-up).
WORK = Path(os.environ.get("ROUTECORE_FUZZ_TMP") or tempfile.mkdtemp(prefix="routecore-fuzz-"))


def _write(directory: Path, files: dict[str, bytes | None]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = directory / name
        if data is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(data)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    files = _mutate(fdp)
    src = WORK / "in"
    _write(src, files)
    try:
        net = load_network(src)
    except ScenarioError:
        return
    # Loaded: the data is valid, so it must make a graph (base and every variant) ...
    net.to_graph()
    for name in net.variant_names:
        try:
            variant = net.variant(name)
        except ScenarioError:
            continue  # e.g. a variant whose overrides make a table invalid
        variant.to_graph()
    # ... and survive a round trip through the files.
    out = WORK / "out"
    net.save(out)
    again = load_network(out)
    same = _same(again.meta, net.meta)
    if not (same and again.nodes.equals(net.nodes) and again.links.equals(net.links)):
        raise AssertionError(f"save/load round trip changed the network:\n{files!r}")


def _same(a: object, b: object) -> bool:
    """Equality of parsed TOML in which NaN equals NaN (TOML allows nan anywhere)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and a == b


def main() -> None:
    warnings.simplefilter("error")  # as in the test suite: a warning is a finding
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
