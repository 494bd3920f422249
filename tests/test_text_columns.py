"""Text columns as categories: the integer-word sort must give np.unique's answer exactly."""

from __future__ import annotations

import numpy as np
import pytest

from citycomponents_plugin.core.engine.text_columns import _unique, categorize


def test_unique_by_words_hand_example():
    raw = np.array([b"b", b"ab", b"a", b"", b"ab", "东".encode(), b"a\x00b", b"b"], dtype=bytes)
    uniq, codes = _unique(raw)
    # bytes order: "" < "a" < "a\0b" < "ab" < "b" < the three UTF-8 bytes of 东 (0xE4 ...)
    assert uniq.tolist() == [b"", b"a", b"a\x00b", b"ab", b"b", "东".encode()]
    assert codes.tolist() == [4, 3, 1, 0, 3, 5, 2, 4]


@pytest.mark.parametrize("width", [1, 7, 8, 9, 16, 17, 24, 32, 33, 90])
def test_unique_by_words_equals_numpy(width):
    rng = np.random.default_rng(width)
    alphabet = np.frombuffer(b"0123456789 \x00\xe4\xb8\x9c", dtype=np.uint8)
    lengths = rng.integers(0, width + 1, 5000)
    values = [bytes(rng.choice(alphabet, n)) for n in lengths] + [b"1" * width, b"1" * (width - 1)]
    values += values[:50]  # repeats
    raw = np.array(values, dtype=f"S{width}")
    uniq, codes = _unique(raw)
    want_uniq, want_codes = np.unique(raw, return_inverse=True)
    assert uniq.tolist() == want_uniq.tolist()
    assert codes.tolist() == want_codes.tolist()


def test_categorize_strips_and_merges():
    raw = np.array([b" 3 ", b"3", b"10", "\u3000井盖".encode(), "井盖".encode()], dtype=bytes)
    labels, codes = categorize(raw)
    assert labels.tolist() == ["10", "3", "井盖"]
    assert labels[codes].tolist() == ["3", "3", "10", "井盖", "井盖"]
