"""The shipped presets (pysim.presets): they load, are small, do their task, and training
reproduces them."""
import numpy as np
import pytest

from pysim import presets
from pysim.io import load, state_dict
from pysim.train import train


def test_presets_load_and_are_small():
    import os
    for name in presets.NAMES:
        m = presets.load(name)
        assert m.trace(presets.default_text(name)).probs is not None
        if name != "untrained":
            assert os.path.getsize(presets.path(name)) < 200_000
            rec = m.meta["training"]
            assert rec["held_out"]["accuracy"] == 1.0 and rec["seed"] == 0
            assert m.meta["description"]
    with pytest.raises(ValueError, match="unknown preset"):
        presets.load("nope")


def test_beijing_preset_reads_the_verb():
    m = presets.load("beijing")
    for text, want in [("arrive Beijing on November 2nd", "destination"),
                       ("leave Beijing on November 2nd", "departure"),
                       ("arrive Stockholm on November 2nd", "destination"),   # unknown city
                       ("leave Stockholm on November 2nd", "departure"),
                       ("we fly on Monday to Paris", "destination")]:
        p = m.trace(text).probs
        tags = [m.config.tags[k] for k in p.argmax(axis=1)]
        city = 1 if text.startswith(("arrive", "leave")) else 5
        assert tags[city] == want, (text, tags)
        assert tags.count("O") == len(tags) - 1, (text, tags)


def test_memory_preset_remembers_the_marker():
    m = presets.load("memory")
    rng = np.random.default_rng(0)
    for marker in ("A", "B"):
        for n in (20, 60, 100):
            text = " ".join([marker] + list(rng.choice(list("xyzwuv"), n)) + ["?"])
            p = m.trace(text).probs[-1]
            assert m.config.tags[int(p.argmax())] == marker


def test_preset_training_reproduces_the_shipped_file():
    """python -m pysim train --task beijing --seed 0 gives the shipped weights exactly."""
    model, record = train("beijing", seed=0)
    assert record["held_out"]["accuracy"] == 1.0
    shipped = load(presets.path("beijing"))
    if shipped.meta["training"].get("numpy") != np.__version__:
        pytest.skip("bit-exact reproduction is checked with the numpy that trained the preset")
    a, b = state_dict(model), state_dict(shipped)
    assert sorted(a) == sorted(b)
    for k in a:
        assert np.array_equal(a[k], b[k]), k
