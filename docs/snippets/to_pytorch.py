import json

import numpy as np
import torch
from torch import nn


class Tagger(nn.Module):
    """A pysim model file as a torch module: embedding (optional) -> lstm -> head (optional)."""

    def __init__(self, arrays):
        super().__init__()
        H = arrays["lstm.weight_hh_l0"].shape[1]
        D = arrays["lstm.weight_ih_l0"].shape[1]
        L = sum(k.startswith("lstm.weight_ih_l") for k in arrays)
        if "embedding.weight" in arrays:
            self.embedding = nn.Embedding(*arrays["embedding.weight"].shape)  # V, E (= D)
        self.lstm = nn.LSTM(D, H, L, bias="lstm.bias_ih_l0" in arrays, batch_first=True)
        if "head.weight" in arrays:
            self.head = nn.Linear(H, arrays["head.weight"].shape[0], bias="head.bias" in arrays)

    def forward(self, x):  # (B, T) word ids, or (B, T, D) vectors
        if hasattr(self, "embedding"):
            x = self.embedding(x)
        out, _ = self.lstm(x)
        return torch.softmax(self.head(out), -1) if hasattr(self, "head") else out


def load_pysim(path):
    """The torch module (float64, pysim's precision) and the file's meta (vocab, tags, ...)."""
    with np.load(path) as z:
        arrays = {k: z[k] for k in z.files}
    meta = json.loads(str(arrays.pop("meta", "{}")))
    model = Tagger(arrays).double()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in arrays.items()})
    return model, meta


def word_ids(meta, text):
    """pysim's word lookup: each whitespace token as is, else lower-cased, else meta["unk"]."""
    index = {w: k for k, w in enumerate(meta["vocab"])}
    unk = index.get(meta.get("unk"))
    ids = [index.get(w, index.get(w.lower(), unk)) for w in text.split()]
    if None in ids:
        raise KeyError(f"not in the vocabulary: {text.split()[ids.index(None)]!r}")
    return torch.tensor([ids])  # (1, T)


# model, meta = load_pysim("tagger.npz")
# probs = model(word_ids(meta, "arrive Beijing on November 2nd"))  # (1, T, K), meta["tags"]
