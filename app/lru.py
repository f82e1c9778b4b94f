"""The app's in-memory caches of finished answers: cachetools' least-recently-used cache, bounded by the bytes it
holds and by its number of entries, behind a lock (the callback answers, app/callback_cache.py; the downloads,
app/export/routes.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from cachetools import LRUCache


class BytesLRU:
    """A thread-safe LRU of values whose size is ``size(value)`` bytes (default ``len``): at most ``max_entries``
    of them and ``max_bytes`` in all, the least recently used out first; a value larger than
    ``max_bytes // largest_part`` is never kept (it would push out many others)."""

    def __init__(
        self, max_entries: int, max_bytes: int, *, largest_part: int = 1, size: Callable[[Any], int] = len
    ) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.largest = max_bytes // largest_part
        self._size = size
        self._lru: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=size)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._lru.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
            return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` unless it is too large or ``key`` is there already."""
        if self._size(value) > self.largest:
            return
        with self._lock:
            if key in self._lru:
                return
            self._lru[key] = value
            while len(self._lru) > self.max_entries:
                self._lru.popitem()

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """The value kept under ``key``, else ``make()``, kept (outside the lock: making may take seconds)."""
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    @property
    def nbytes(self) -> int:
        """The bytes held now."""
        return int(self._lru.currsize)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._lru

    def __len__(self) -> int:
        return len(self._lru)
