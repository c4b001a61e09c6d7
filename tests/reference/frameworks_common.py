"""What the PyTorch and Keras fixture generators share (imports neither framework, nor pysim).

The sentences are tagged by the framework models; `word_ids` is pysim's documented lookup
(whitespace tokens; exact, then lower case, then the unknown-word token), applied here to
feed the framework the same word ids pysim will use.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "fixtures", "frameworks"))
SNIPPETS = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "snippets"))

WORDS = ["arrive", "leave", "beijing", "shanghai", "on", "november", "2nd", "from", "to"]
TAGS = ["O", "destination", "departure"]
# the first has every word in the vocabulary (one only in lower case), the second an unknown one
SENTENCES = ["arrive Beijing on november 2nd", "leave zanzibar from beijing to shanghai"]
TOLERANCE = {"float32": 1e-6, "float64": 1e-12}


def snippet(name: str):
    """A README snippet (docs/snippets/<name>.py) as a module."""
    import importlib.util
    file = os.path.join(SNIPPETS, name + ".py")
    spec = importlib.util.spec_from_file_location(f"snippet_{name}", file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def word_ids(vocab, unk, text):
    index = {w: k for k, w in enumerate(vocab)}
    return [index[w] if w in index else index.get(w.lower(), index[unk]) for w in text.split()]


def sentence_record(text, ids, probs, h, c):
    """One sentence's framework outputs: probs (T, K), h and c (L, T, H), as exact floats."""
    probs, h, c = (np.asarray(a, dtype=np.float64) for a in (probs, h, c))
    assert probs.shape[0] == h.shape[1] == c.shape[1] == len(ids), (probs.shape, h.shape)
    return {"text": text, "ids": [int(i) for i in ids], "probs": probs.tolist(),
            "h": h.tolist(), "c": c.tolist()}


def write(name: str, doc: dict):
    path = os.path.join(OUT, name)
    with open(path, "w") as fh:
        json.dump(doc, fh, sort_keys=True)
        fh.write("\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {path}; {OUT} now holds {total} bytes", file=sys.stderr)
