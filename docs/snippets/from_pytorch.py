import json

import numpy as np


def save_for_pysim(model, vocab, tags, path, examples=()):
    """Save a PyTorch tagger (nn.Embedding -> nn.LSTM -> nn.Linear, any module names) for pysim."""
    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    meta = {"vocab": list(vocab), "tags": list(tags), "examples": list(examples)}
    np.savez_compressed(path, **arrays, meta=np.array(json.dumps(meta)))


# vocab[i]: the word of embedding row i (an unknown-word token such as "<unk>" among them);
# tags[k]: the tag of output k. Then:
#   save_for_pysim(model, vocab, tags, "tagger.npz", examples=["arrive Beijing on November 2nd"])
