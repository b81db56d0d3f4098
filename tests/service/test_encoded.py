"""The cache of encoded answers: one encoding however many ask at once, bounded memory."""

from __future__ import annotations

import gzip
import threading
import time

import brotli
from pydantic import BaseModel

from service.encoded import Encoded, EncodedCache, encode


class Point(BaseModel):
    x: int
    label: str = ""


def test_an_answer_is_encoded_as_fastapi_would_send_it() -> None:
    encoded = encode(Point, {"x": 3, "ignored": True})
    assert encoded.body == b'{"x":3,"label":""}'
    assert not encoded.compressible  # too small to be worth it
    assert encode(Point, {"x": 3}).etag == encoded.etag != encode(Point, {"x": 4}).etag


def test_sixteen_concurrent_requests_for_a_new_answer_encode_it_once() -> None:
    cache = EncodedCache()
    calls = []

    def produce() -> Encoded:
        calls.append(1)
        time.sleep(0.05)
        return encode(Point, {"x": 1})

    answers: list[Encoded] = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get("k", produce))) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len({id(answer) for answer in answers}) == 1


def test_the_least_recently_used_answers_go_first_past_the_memory_bound() -> None:
    one = encode(Point, {"x": 1, "label": "a" * 2000})
    cache = EncodedCache(max_bytes=3 * one.size)
    for key in "abc":
        cache.get(key, lambda: one)
    cache.get("a", lambda: one)  # a is used again: b is now the oldest
    cache.get("d", lambda: one)
    assert cache.peek("b") is None
    assert all(cache.peek(key) is one for key in "acd")


def test_an_answer_larger_than_the_bound_is_given_but_not_kept() -> None:
    big = encode(Point, {"x": 1, "label": "a" * 5000})
    cache = EncodedCache(max_bytes=100)
    assert cache.get("k", lambda: big) is big
    assert cache.peek("k") is None


def test_each_coding_is_made_once_when_first_asked_for_and_counted_by_the_cache() -> None:
    big = encode(Point, {"x": 1, "label": "civic " * 2000})
    cache = EncodedCache()
    assert cache.get("k", lambda: big) is big
    assert cache.size == len(big.body)
    assert not big.has("br") and not big.has("gzip")
    compressed = big.coded("br")
    assert big.coded("br") is compressed
    assert brotli.decompress(compressed) == big.body
    assert gzip.decompress(big.coded("gzip")) == big.body
    assert cache.size == big.size == len(big.body) + len(compressed) + len(big.coded("gzip"))


def test_an_answer_grown_past_the_bound_by_its_compressed_forms_makes_room() -> None:
    first = encode(Point, {"x": 1, "label": "civic " * 2000})
    second = encode(Point, {"x": 2, "label": "weave " * 2000})
    cache = EncodedCache(max_bytes=len(first.body) + len(second.body) + 10)
    cache.get("a", lambda: first)
    cache.get("b", lambda: second)
    second.coded("gzip")  # b is now too big to keep beside a: the older goes
    assert cache.peek("a") is None
    assert cache.peek("b") is second
    first.coded("gzip")  # no longer held: counted by no one
    assert cache.size == second.size
