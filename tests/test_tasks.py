"""Training corpora and tags (pysim.tasks): the generated corpora, the tags of a task, and
hand-tagged sentences (parse_tagged, format_tagged)."""
import pytest

from pysim import tasks


# ---- hand-tagged sentences --------------------------------------------------------------

def test_parse_tagged():
    assert tasks.parse_tagged("arrive Beijing/destination on November 2nd") == (
        ["arrive", "Beijing", "on", "November", "2nd"], ["O", "destination", "O", "O", "O"])
    assert tasks.parse_tagged("open 24/7 a/b/X") == (["open", "24/7", "a/b"], ["O", "O", "X"])
    assert tasks.format_tagged(*tasks.parse_tagged("go to Paris/destination")) == \
        "go to Paris/destination"
    with pytest.raises(ValueError, match="Type a sentence"):
        tasks.parse_tagged("   ")
