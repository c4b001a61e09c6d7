"""Models the page can show. No I/O beyond reading files shipped inside the package.

beijing.npz and memory.npz in pysim/data/ were made with
    python -m pysim train --task beijing --out pysim/data/beijing.npz --seed 0
    python -m pysim train --task memory --out pysim/data/memory.npz --seed 0
(deterministic for a seed; their meta holds the training record, held-out accuracy included).
"""
from __future__ import annotations

import os

from . import io, tasks
from .model import UNK, Config, Model
from .tasks import ARTICLE_SENTENCES

NAMES = ("beijing", "memory", "untrained")
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
MEMORY_SAMPLE = "A " + " ".join("xyzwuv"[k % 6] for k in (0, 3, 1, 4, 2, 5, 1, 0, 3, 2, 4, 5, 0, 1,
                                                           2, 3, 5, 4, 0, 2, 1, 3, 4, 5)) + " ?"


def untrained(seed: int = 0) -> Model:
    """A fixed-seed, untrained model over the article's words with the beijing task's tags: its
    gates are real, its tags are not."""
    vocab = [UNK] + sorted({w.lower() for s in ARTICLE_SENTENCES for w in s.split()})
    cfg = Config(input_size=8, hidden_size=8, num_layers=1, vocab=vocab,
                 tags=tasks.tags("beijing"))
    return Model.random(cfg, seed=seed, meta={
        "name": "untrained",
        "description": f"untrained model, fixed seed {seed}: the gates are computed for real, "
                       "the tags are not learned yet"})


def path(name: str) -> str:
    """Where a trained preset's model file is inside the installed package."""
    return os.path.join(DATA_DIR, f"{name}.npz")


def load(name: str) -> Model:
    """A preset model by name (one of NAMES)."""
    if name == "untrained":
        return untrained()
    if name not in NAMES:
        raise ValueError(f"unknown preset {name!r}: choose one of {', '.join(NAMES)}")
    return io.load(path(name))


def default_text(name: str) -> str:
    """The text the page shows first for a preset."""
    if name == "memory":
        return MEMORY_SAMPLE
    if name not in NAMES:
        raise ValueError(f"unknown preset {name!r}: choose one of {', '.join(NAMES)}")
    return ARTICLE_SENTENCES[0]
