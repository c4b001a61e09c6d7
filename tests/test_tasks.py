"""Training corpora and tags (pysim.tasks): the generated corpora, the tags of a task, and
hand-tagged sentences (parse_tagged, format_tagged)."""
import pytest

from pysim import tasks
from pysim.model import UNK


# ---- hand-tagged sentences --------------------------------------------------------------

def test_parse_tagged():
    assert tasks.parse_tagged("arrive Beijing/destination on November 2nd") == (
        ["arrive", "Beijing", "on", "November", "2nd"], ["O", "destination", "O", "O", "O"])
    assert tasks.parse_tagged("open 24/7 a/b/X") == (["open", "24/7", "a/b"], ["O", "O", "X"])
    assert tasks.format_tagged(*tasks.parse_tagged("go to Paris/destination")) == \
        "go to Paris/destination"
    with pytest.raises(ValueError, match="Type a sentence"):
        tasks.parse_tagged("   ")


# ---- corpora -------------------------------------------------------------------------------

def test_beijing_corpus():
    t = tasks.beijing(seed=0)
    assert t.tags == ["O", "destination", "departure"] and t.vocab[0] == UNK
    for toks, tgs in t.train + t.test:
        assert len(toks) == len(tgs) and set(tgs) <= set(t.tags)
    assert "beijing" in t.vocab and "stockholm" not in t.vocab  # held out entirely
    assert any(UNK in toks for toks, _ in t.train)            # cities sometimes unknown
    assert any("Stockholm" in toks for toks, _ in t.test)
    assert tasks.beijing(seed=0).train == t.train             # seeded
    assert tasks.beijing(seed=1).train != t.train


def test_memory_corpus():
    t = tasks.memory(seed=0)
    for toks, tgs in t.test:
        assert toks[0] in ("A", "B") and toks[-1] == "?" and tgs[-1] == toks[0]
        assert 22 <= len(toks) <= 102 and set(tgs[:-1]) == {"O"}


def test_unknown_task():
    with pytest.raises(ValueError, match="unknown task"):
        tasks.make("chess")
