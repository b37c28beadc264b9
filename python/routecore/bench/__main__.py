"""``python -m routecore.bench``: see :mod:`routecore.bench._cli`."""

from routecore.bench._cli import main

raise SystemExit(main())
