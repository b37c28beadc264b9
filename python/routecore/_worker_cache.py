"""Per-process caches for the shared work of a chunked sweep.

A sweep hands every block the same *work* object (arrays all blocks need). Run here, the blocks
share that one object; on a ``concurrent.futures`` process pool each block arrives with its own
pickled copy, so anything a block derives from the work (a spatial index, say) would be built
again for every block. :class:`SweepWork` gives the work a token, the same in every copy, and
remembers whether this copy was received pickled; :class:`PerProcessCache` keeps what the blocks
derive, weakly per work object here, and by token (the latest sweep only) in a worker process.

Nothing here knows about a particular analysis: :mod:`routecore.analyses` builds its ground
indexes through it.

>>> import pickle
>>> cache: PerProcessCache[list[int]] = PerProcessCache()
>>> work = SweepWork()  # in practice a dataclass derived from it, with the sweep's arrays
>>> built = cache.get(work, "squares", lambda: [i * i for i in range(3)])
>>> cache.get(work, "squares", list) is built
True
>>> copy = pickle.loads(pickle.dumps(work))
>>> copy.received, copy.token == work.token
(True, True)
>>> cache.get(copy, "squares", list) is built  # a copy is another work object
False
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["PerProcessCache", "SweepWork"]

T = TypeVar("T")


def _new_token() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, eq=False)
class SweepWork:
    """Base of the shared work of a sweep (a frozen dataclass; subclasses add their fields).

    Attributes
    ----------
    token : str
        The sweep's name, the same in every pickled copy (a fresh one per work object).
    received : bool
        ``True`` in a process that got this work pickled, ``False`` where it was made.
    """

    token: str = field(default_factory=_new_token, kw_only=True)
    received: bool = field(default=False, kw_only=True)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state, received=True)


class PerProcessCache(Generic[T]):
    """Values derived from a :class:`SweepWork`, built once per sweep in this process.

    Work made here is cached weakly (its values are freed with it). Work received pickled is
    cached by its token, and only the latest sweep's: a new token drops the previous sweep's
    values, so a long-lived worker does not accumulate them.
    """

    def __init__(self) -> None:
        self._by_work: weakref.WeakKeyDictionary[SweepWork, dict[str, T]] = (
            weakref.WeakKeyDictionary()
        )
        self._by_token: dict[str, dict[str, T]] = {}
        self._lock = threading.Lock()

    def get(self, work: SweepWork, key: str, build: Callable[[], T]) -> T:
        """The value ``key`` of ``work``, made by ``build()`` the first time it is asked for.

        The build runs under the cache's lock: blocks running side by side all need the value,
        so they wait for one build rather than each doing its own.
        """
        with self._lock:
            per_work = self._by_work.get(work)
            if per_work is None:
                if work.received and work.token not in self._by_token:
                    self._by_token.clear()  # a new sweep: drop the previous one's
                per_work = self._by_token.setdefault(work.token, {}) if work.received else {}
                self._by_work[work] = per_work
            if key not in per_work:
                per_work[key] = build()
            return per_work[key]

    def received_tokens(self) -> list[str]:
        """Tokens of the received sweeps whose values are kept (at most one)."""
        with self._lock:
            return list(self._by_token)
