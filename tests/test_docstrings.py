"""The docstring examples run: one test per module of the imported ``routecore`` package.

The modules are found by walking the package that ``import routecore`` gives, so CI (which runs
the tests against the installed wheel, not the source tree) checks the examples that ship. The
compiled ``_core`` has no Python docstrings with examples and is skipped; ``__main__`` modules
are skipped because importing them runs the program. A failure shows each failing example with
what it printed and what the docstring expected.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import routecore

_SKIPPED = {"_core", "__main__"}
# The house style writes examples for readers: allow "..." elisions and reflowed output.
_OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _fail_walk(name: str) -> None:
    """pkgutil calls this inside its ``except`` block when a subpackage fails to import: re-raise
    so a broken module fails collection instead of silently dropping out of the list."""
    raise


def _module_names() -> list[str]:
    names = [routecore.__name__]
    for info in pkgutil.walk_packages(
        routecore.__path__, prefix=f"{routecore.__name__}.", onerror=_fail_walk
    ):
        if info.name.rsplit(".", 1)[-1] not in _SKIPPED:
            names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _module_names())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=_OPTIONS)
    report: list[str] = []
    for test in doctest.DocTestFinder(exclude_empty=True).find(module, name):
        runner.run(test, out=report.append)
    if runner.failures:
        pytest.fail(
            f"{runner.failures} of {runner.tries} docstring examples in {name} failed:\n"
            + "".join(report),
            pytrace=False,
        )
