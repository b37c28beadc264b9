"""``python -m routecore.cli``: the ``routecore`` command."""

from routecore.cli import main

raise SystemExit(main())
