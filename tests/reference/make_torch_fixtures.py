"""Write the PyTorch reference fixtures in tests/fixtures/ (run with Python 3.11 + torch 2.13).

    .venv311/bin/python tests/reference/make_torch_fixtures.py

Does not import pysim. Each case_*.npz holds: "sd/<state_dict name>" (the module's float64
parameters), "x" (T, D) vectors or "ids" (T,), "tags" (T,), "vocab_size", the torch outputs
"f", "i", "g", "o", "c", "h" (L, T, H), "probs" (T, K), "loss", and "grad/<name>" (autograd).
torch_state_dict.npz is a plain `np.savez(**state_dict)` of the embedding case (no meta).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_ref import random_tagger, reference, state_dict_numpy  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "fixtures")

# name: (seed, input D, hidden H, layers L, tags K, vocab V (0: vectors), steps T, weight scale)
CASES = {
    "tiny": (1, 1, 1, 1, 2, 0, 2, 1.0),
    "words": (2, 2, 3, 2, 3, 6, 7, 1.0),
    "deep": (3, 8, 16, 2, 4, 0, 60, 1.5),
    "long": (4, 12, 24, 1, 3, 0, 200, 1.0),
    "saturated": (5, 5, 6, 1, 2, 0, 30, 6.0),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (seed, D, H, L, K, V, T, scale) in CASES.items():
        m = random_tagger(seed, D, H, L, K, V, scale)
        rng = np.random.default_rng(seed)
        arrays = {}
        if V:
            inputs = rng.integers(0, V, T)
            arrays["ids"] = inputs
        else:
            inputs = rng.standard_normal((T, D))
            arrays["x"] = inputs
        tags = rng.integers(0, K, T)
        ref = reference(m, inputs, tags)
        for k, v in state_dict_numpy(m).items():
            arrays["sd/" + k] = v
        for k, v in ref["grads"].items():
            arrays["grad/" + k] = v
        for k in ("f", "i", "g", "o", "c", "h", "probs"):
            arrays[k] = ref[k]
        arrays.update(tags=tags, loss=np.array(ref["loss"]), vocab_size=np.array(V))
        np.savez_compressed(os.path.join(OUT, f"case_{name}.npz"), **arrays)
        if name == "words":
            np.savez(os.path.join(OUT, "torch_state_dict.npz"), **state_dict_numpy(m))
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(CASES)} cases to {os.path.normpath(OUT)} ({total} bytes)")


if __name__ == "__main__":
    main()
