"""Coverage instrumentation for the harnesses.

``atheris.instrument_imports`` cannot see modules loaded by an editable install's custom
finder (scikit-build-core), so the package's functions are instrumented after import instead:
every function and method defined in a ``routecore`` module gets atheris' coverage hooks, and
the rest of the interpreter (numpy, pandas) stays uninstrumented and fast.
"""

from __future__ import annotations

import inspect
import sys
import types
from typing import Any

import atheris


def instrument_package(package: types.ModuleType) -> int:
    """Instrument every Python function of ``package`` and its loaded submodules; returns how
    many were instrumented."""
    prefix = package.__name__
    done: set[int] = set()

    def visit(obj: Any) -> None:
        if id(obj) in done:
            return
        done.add(id(obj))
        if inspect.isfunction(obj):
            if obj.__module__ and obj.__module__.startswith(prefix):
                atheris.instrument_func(obj)  # in place, nested code objects included
        elif inspect.isclass(obj) and obj.__module__.startswith(prefix):
            for value in vars(obj).values():
                target = value.__func__ if isinstance(value, classmethod | staticmethod) else value
                if isinstance(target, property):
                    for accessor in (target.fget, target.fset):
                        if accessor is not None:
                            visit(accessor)
                else:
                    visit(target)

    for name, module in list(sys.modules.items()):
        if module is not None and (name == prefix or name.startswith(prefix + ".")):
            for value in vars(module).values():
                visit(value)
    return len(done)
