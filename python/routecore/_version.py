"""The release number, stated once: the build backend reads it from this file (a regex in
pyproject.toml's ``[tool.scikit-build.metadata.version]``), so the wheel's metadata,
``routecore.__version__`` and ``routecore --version`` always agree, on a fresh clone, a shallow
one and an sdist alike (no git history needed). Bump it here and add a CHANGELOG.md entry.
"""

__version__ = "0.1.0"
