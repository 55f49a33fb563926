"""The near-duplicate sketch: stable values (they are stored, and compared across runs and
processes) and the same-story decision on texts of our own."""

from __future__ import annotations

import random

from core.sketch import SAME_STORY, K, similarity, sketch

WIRE = "Wire copy about a new rail line reached three outlets on the same morning, each adding a headline of its own."


def _story(seed: int, words: int = 400) -> str:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(3000)]
    return " ".join(rng.choice(vocab) for _ in range(words))


def test_sketch_values_are_pinned() -> None:
    # Stored sketches are compared with new ones: a change of hash would silently split
    # every old story from its new copies.
    got = sketch(WIRE)
    assert got[:5] == [
        829193029389344943,
        1210935928065498109,
        1690260778523752812,
        5964354835798620101,
        7547689569630471487,
    ]
    assert len(got) == 18 and got == sorted(got)
    assert sketch("one two") == [561697725256166493]
    assert sketch("") == [16476032584258269876]


def test_sketch_keeps_the_k_smallest_shingle_hashes() -> None:
    long = _story(1)
    assert len(sketch(long)) == K
    assert sketch(long) == sketch(long.upper())  # case does not matter


def test_a_retitled_copy_is_the_same_story_and_another_text_is_not() -> None:
    story = _story(2)
    copy = "A headline of its own. " + story + " Read more on our site."
    edited = story.replace("w1", "x1", 3)
    assert similarity(sketch(story), sketch(copy)) >= SAME_STORY
    assert similarity(sketch(story), sketch(edited)) >= SAME_STORY
    assert similarity(sketch(story), sketch(_story(3))) < SAME_STORY
