"""app/lru.py: cachetools' LRU bounded by bytes and by entries, as the callback and download caches use it."""

from __future__ import annotations

from app.lru import BytesLRU


def test_the_least_recently_used_goes_first_when_the_entries_are_full():
    cache = BytesLRU(max_entries=2, max_bytes=1000)
    cache.put("a", b"1")
    cache.put("b", b"2")
    assert cache.get("a") == b"1"  # "a" is now the most recent
    cache.put("c", b"3")
    assert "b" not in cache and "a" in cache and "c" in cache and len(cache) == 2


def test_the_bytes_are_bounded_and_a_large_value_is_not_kept():
    cache = BytesLRU(max_entries=100, max_bytes=1000, largest_part=4)
    for i in range(10):
        cache.put(i, b"x" * 200)
    assert cache.nbytes <= 1000 and len(cache) == 5 and 9 in cache and 0 not in cache
    cache.put("big", b"x" * 251)  # more than a quarter of the bytes
    assert "big" not in cache


def test_get_or_make_makes_once_and_counts_hits():
    cache = BytesLRU(max_entries=4, max_bytes=100, size=lambda item: len(item[0]))
    made = []
    for _ in range(3):
        assert cache.get_or_make("k", lambda: made.append(1) or (b"body", "f.csv")) == (b"body", "f.csv")
    assert made == [1] and (cache.hits, cache.misses) == (2, 1)
