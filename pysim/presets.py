"""Models the page can show. No I/O beyond reading files shipped inside the package."""
from __future__ import annotations

from .model import UNK, Config, Model

ARTICLE_SENTENCES = ("arrive Beijing on November 2nd", "leave Beijing on November 2nd")
TAGS = ["O", "destination", "departure"]


def untrained(seed: int = 0) -> Model:
    """A fixed-seed, untrained model over the article's words: its gates are real, its tags are not."""
    vocab = [UNK] + sorted({w.lower() for s in ARTICLE_SENTENCES for w in s.split()})
    cfg = Config(input_size=8, hidden_size=8, num_layers=1, vocab=vocab, tags=TAGS)
    return Model.random(cfg, seed=seed, meta={
        "name": "untrained",
        "description": f"untrained model, fixed seed {seed}: the gates are computed for real, "
                       "the tags are not learned yet"})


NAMES = ("untrained",)  # until the trained presets land


def load(name: str) -> Model:
    if name == "untrained":
        return untrained()
    raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(NAMES)}")


def default_text(name: str) -> str:
    return ARTICLE_SENTENCES[0]
