import json

import keras
import numpy as np


def save_for_pysim(model, vocab, tags, path, examples=()):
    """Save a Keras 3 tagger (Embedding -> LSTM ... -> Dense softmax) for pysim."""
    arrays = {w.path: keras.ops.convert_to_numpy(w.value) for w in model.weights}  # model order
    assert len(arrays) == len(model.weights), "two weights share a path"
    meta = {"vocab": list(vocab), "tags": list(tags), "examples": list(examples),
            "keras_config": json.loads(model.to_json())}  # pysim checks the activations
    np.savez_compressed(path, **arrays, meta=np.array(json.dumps(meta)))


# vocab[i]: the word of embedding row i (e.g. a StringLookup's get_vocabulary(), "[UNK]" first);
# tags[k]: the tag of output k. Then:
#   save_for_pysim(model, vocab, tags, "tagger.npz", examples=["arrive beijing on november 2nd"])
