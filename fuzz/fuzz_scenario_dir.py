"""Atheris harness for scenario *directories* (``routecore.scenario.load_scenario``).

Where ``fuzz_scenario.py`` edits the content of the three files, this harness attacks the
directory itself. Each input is a recipe that turns each of ``nodes.csv``, ``links.csv`` and
``scenario.toml`` into one of: the seed file, the seed with a huge or odd cell (formula text,
``1_0``, non-ASCII digits, a quoted 100 000-character field), a TOML value nested up to
thousands deep, a symlink (to ``/dev/zero``, ``/dev/null``, a FIFO, a directory, itself, a
dangling target, another scenario file), a FIFO, a directory (empty or nested) or nothing;
it may add leftovers of an interrupted save (committed or not, holding any of the same
things), and may hand the loader the directory through a symlink, a symlink loop or a path
nested past the system's limits.

The property: loading either succeeds or raises ``ScenarioError``, within libFuzzer's
``-timeout`` (a FIFO or a device that blocks or never ends is a finding). After a successful
load, saving the network into the same directory and loading it again gives an equal network.

Run alone (libFuzzer flags pass through)::

    python fuzz/fuzz_scenario_dir.py -max_total_time=30 -timeout=30 -print_final_stats=1
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import atheris
from _instrument import instrument_package

import routecore
import routecore.scenario
from routecore.errors import ScenarioError
from routecore.scenario import load_scenario

instrument_package(routecore)

SEED_DIR = Path(__file__).resolve().parent / "seeds" / "scenario"
FILES = ("nodes.csv", "links.csv", "scenario.toml")
SEED = {name: (SEED_DIR / name).read_bytes() for name in FILES}

ODD_CELLS = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-1",
    "@SUM(1)",
    "'",
    "''x",
    "1_0",
    "\u0661\u0662",
    "1e0_3",
    " 12 ",
    '"' + "x" * 100_000 + '"',
    "\t=1",
]
KINDS = 12  # the number of ways _make can turn a name into something

# Scratch directory: fuzz/run.sh passes one it deletes afterwards (libFuzzer leaves through
# exit(), which skips Python's own clean-up).
WORK = Path(os.environ.get("ROUTECORE_FUZZ_TMP") or tempfile.mkdtemp(prefix="routecore-fuzz-"))


def _odd_csv(data: bytes, fdp: atheris.FuzzedDataProvider) -> bytes:
    lines = data.decode("utf-8").split("\n")
    i = fdp.ConsumeIntInRange(1, max(1, len(lines) - 2))
    cells = lines[i].split(",")
    cells[fdp.ConsumeIntInRange(0, len(cells) - 1)] = fdp.PickValueInList(ODD_CELLS)
    lines[i] = ",".join(cells)
    return "\n".join(lines).encode("utf-8")


def _nested_toml(data: bytes, fdp: atheris.FuzzedDataProvider) -> bytes:
    depth = fdp.ConsumeIntInRange(1, 5000)
    opener, closer = ("[", "]") if fdp.ConsumeBool() else ("{a=", "}")
    return data + f"\nnested = {opener * depth}{closer * depth}\n".encode()


def _make(path: Path, name: str, fdp: atheris.FuzzedDataProvider, root: Path) -> None:
    """Turn ``path`` into one of the things a scenario file name can be."""
    kind = fdp.ConsumeIntInRange(0, KINDS - 1)
    seed = SEED[name]
    if kind == 0:
        path.write_bytes(seed)
    elif kind == 1:
        edit = _nested_toml if name.endswith(".toml") else _odd_csv
        path.write_bytes(edit(seed, fdp))
    elif kind == 2:
        path.symlink_to("/dev/zero")
    elif kind == 3:
        path.symlink_to("/dev/null")
    elif kind == 4:
        os.mkfifo(path)
    elif kind == 5:
        path.mkdir()
        if fdp.ConsumeBool():  # nested, with a scenario file inside
            (path / "deeper" / name).parent.mkdir(parents=True)
            (path / "deeper" / name).write_bytes(seed)
    elif kind == 6:
        path.symlink_to(path.name)  # a loop
    elif kind == 7:
        path.symlink_to(root / "nowhere")
    elif kind == 8:
        path.symlink_to(root)  # the directory itself
    elif kind == 9:
        other = root / f".real-{path.parent.name}-{name}"
        other.write_bytes(seed)
        path.symlink_to(other)
    elif kind == 10:
        fifo = root / f".fifo-{path.parent.name}-{name}"
        os.mkfifo(fifo)
        path.symlink_to(fifo)
    # kind 11: nothing at all


def _build(fdp: atheris.FuzzedDataProvider) -> Path:
    shutil.rmtree(WORK / "d", ignore_errors=True)
    root = WORK / "d" / "scenario"
    root.mkdir(parents=True)
    for name in FILES:
        _make(root / name, name, fdp, root)
    if fdp.ConsumeBool():  # what an interrupted save leaves behind
        stage = root / f".routecore-save-{fdp.ConsumeIntInRange(0, 9)}"
        stage.mkdir()
        if fdp.ConsumeBool():
            (stage / "COMMITTED").write_bytes(b"")
        for name in FILES:
            if fdp.ConsumeBool():
                _make(stage / name, name, fdp, root)
    if fdp.ConsumeBool():
        (root / ".nodes.csv.abc123.tmp").write_bytes(fdp.ConsumeBytes(64))
    way = fdp.ConsumeIntInRange(0, 3)
    if way == 1:  # through a symlink
        link = WORK / "d" / "link"
        link.symlink_to(root)
        return link
    if way == 2:  # a symlink loop
        loop = WORK / "d" / "loop"
        loop.symlink_to(loop.name)
        return loop
    if way == 3:  # a path longer than the system allows
        return root / "/".join(["x" * 200] * fdp.ConsumeIntInRange(1, 40))
    return root


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    root = _build(fdp)
    try:
        net = load_scenario(root)
    except ScenarioError:
        return
    # Loaded: saving into the same directory (replacing whatever the names pointed at) and
    # loading again must give the same network.
    net.save(root)
    again = load_scenario(root)
    if again != net:
        raise AssertionError(f"save/load in place changed the network ({root})")


def main() -> None:
    warnings.simplefilter("error")  # as in the test suite: a warning is a finding
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
