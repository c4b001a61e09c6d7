"""Write the Keras 3 models a user would bring, and Keras's outputs, to tests/fixtures/frameworks/.

Regenerate (keras 3.15.1 + jax on Python 3.12, the venv .ci/run makes):

    KERAS_BACKEND=jax .venv-keras/bin/python tests/reference/make_keras_frameworks.py

Does not import pysim. Each model is saved with the README's snippet docs/snippets/from_keras.py
(every weight under its `w.path`, in `model.weights` order, and meta with the vocabulary in
StringLookup's layout ["[UNK]", word, ...], the tags, example sentences and the Keras config).
Sequential and functional models, 1-3 stacked LSTMs under names that do not sort in stacking
order ("encoder" then "decoder"; "zeta", "alpha", "mid"), heads with names of their own, a
TimeDistributed(Dense), use_bias=False, float32 and one float64 model. expected_keras.json holds,
per file and sentence: the model's probabilities (T, K) (model.predict), each LSTM layer's h
(L, T, H) (the layer's own output sequence) and c (its cell stepped, h checked against the
layer's), and the bad files: a .keras archive, an HDF5 save_weights file, a get_weights() list
saved positionally, and LSTMs with relu / hard_sigmoid activations saved with their config (to be
refused by name). Keras's float64 is not all float64 (see float64_tolerance): that file is
compared at float32's tolerance, and the JSON says why.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)  # lets set_floatx("float64") really be float64
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frameworks_common import (  # noqa: E402
    OUT, SENTENCES, TAGS, TOLERANCE, WORDS, sentence_record, snippet, word_ids, write)

UNK = "[UNK]"  # keras.layers.StringLookup's out-of-vocabulary token, at index 0
VOCAB = [UNK] + WORDS
TEXTS = [s.lower() for s in SENTENCES]  # StringLookup matches exactly: lower-case sentences
layers = keras.layers


def lstm(H, **kw):
    return layers.LSTM(H, return_sequences=True, **kw)


def sequential(stack, E=3):
    return keras.Sequential([keras.Input(shape=(None,), dtype="int32"),
                             layers.Embedding(len(VOCAB), E, name=stack[0])] + stack[1:])


def functional(E, lstms, head, emb_name=None):
    inp = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(len(VOCAB), E, name=emb_name)(inp)
    for layer in lstms:
        x = layer(x)
    return keras.Model(inp, head(x))


def softmax(name=None):
    return layers.Dense(len(TAGS), activation="softmax", name=name)


# file: (dtype, builder) — each builder runs after keras.backend.clear_session(), so default
# names are the ones a fresh session gives (sequential, embedding, lstm, lstm_1, dense, ...)
CASES = {
    "keras_sequential_l1_f32.npz": ("float32", lambda: keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"), layers.Embedding(len(VOCAB), 3), lstm(4),
        softmax()])),
    "keras_sequential_encoder_decoder_timedistributed_f32.npz": ("float32", lambda: sequential(
        ["words", lstm(4, name="encoder"), lstm(4, name="decoder"),
         layers.TimeDistributed(softmax(), name="tagger")])),
    "keras_functional_l3_own_names_f32.npz": ("float32", lambda: functional(
        5, [lstm(4, name="zeta"), lstm(4, name="alpha"), lstm(4, name="mid")],
        softmax("tag_probs"), emb_name="embed")),
    "keras_functional_l2_timedistributed_f64.npz": ("float64", lambda: functional(
        3, [lstm(5), lstm(5)], layers.TimeDistributed(softmax()))),
    "keras_sequential_l2_nobias_f32.npz": ("float32", lambda: sequential(
        ["embedding", lstm(3, use_bias=False, name="second"), lstm(3, use_bias=False, name="first"),
         softmax("out")], E=4)),
}
BAD_ACTIVATIONS = {
    "keras_relu.npz": ("decoder", "relu", lambda: sequential(
        ["embedding", lstm(4, name="encoder"), lstm(4, activation="relu", name="decoder"),
         softmax()])),
    "keras_hard_sigmoid.npz": ("lstm", "hard_sigmoid", lambda: sequential(
        ["embedding", lstm(4, recurrent_activation="hard_sigmoid"), softmax()])),
}


def fresh(builder, dtype, seed):
    keras.backend.clear_session()
    keras.config.set_floatx(dtype)
    model = builder()
    rng = np.random.default_rng(seed)
    for w in model.weights:  # spread the weights (Keras's embedding init is +-0.05)
        scale = {"embeddings": 1.0, "bias": 0.4}.get(w.name, 0.7)
        w.assign(rng.normal(0, scale, tuple(w.shape)).astype(dtype))
    assert all(w.dtype == dtype for w in model.weights), [w.dtype for w in model.weights]
    return model


def lstm_layers(model):
    return [layer for layer in model.layers if isinstance(layer, layers.LSTM)]


def outputs(model, ids, dtype):
    """probs (T, K) from predict; h per layer = the layer's output; c by stepping its cell."""
    x = np.array([ids], dtype="int32")
    probs = model.predict(x, verbose=0)[0]
    stack = lstm_layers(model)
    emb = next(layer for layer in model.layers if isinstance(layer, layers.Embedding))
    inner = keras.Model(model.inputs, [emb.output] + [layer.output for layer in stack])
    seqs = [np.asarray(s)[0] for s in inner.predict(x, verbose=0)]
    L, T, H = len(stack), len(ids), stack[0].units
    h, c = np.zeros((L, T, H)), np.zeros((L, T, H))
    for k, layer in enumerate(stack):
        hs, cs = np.zeros((1, H), dtype), np.zeros((1, H), dtype)
        for t in range(T):
            _, (hs, cs) = layer.cell(seqs[k][None, t].astype(dtype), [hs, cs])
            c[k, t] = np.asarray(cs)[0]
            assert np.max(np.abs(np.asarray(hs)[0] - seqs[k + 1][t])) <= 1e-6
        h[k] = seqs[k + 1]
    return probs, h, c


def float64_tolerance():
    """1e-12 when Keras really computes in float64, else 1e-6 and why not.

    keras 3.15.1 does not: its dtypes.result_type maps every 64-bit result to 32 bits, so
    ops.tanh (the LSTM's activation) returns float32 for float64 input, even after
    set_floatx("float64") with jax_enable_x64; its outputs then differ from float64 by ~1e-7.
    """
    x = np.linspace(-3, 3, 13)
    err = float(np.max(np.abs(np.asarray(keras.activations.tanh(x), np.float64) - np.tanh(x))))
    if err <= 1e-15:
        return TOLERANCE["float64"], ""
    return TOLERANCE["float32"], (f"keras {keras.__version__} computes tanh in float32 under "
                                  f"set_floatx('float64') (error {err:.1e} on float64 input): "
                                  "compared at float32's tolerance")


def describe(model):
    return {"lstm_layers": [layer.name for layer in lstm_layers(model)],
            "paths": [w.path for w in model.weights], "class": type(model).__name__}


def main():
    os.makedirs(OUT, exist_ok=True)
    save_for_pysim = snippet("from_keras").save_for_pysim
    doc = {"framework": f"keras {keras.__version__} ({keras.backend.backend()} "
                        f"{jax.__version__})", "python": sys.version.split()[0],
           "good": {}, "bad": {}}
    for seed, (fname, (dtype, builder)) in enumerate(CASES.items(), 11):
        model = fresh(builder, dtype, seed)
        save_for_pysim(model, VOCAB, TAGS, os.path.join(OUT, fname), examples=TEXTS)
        stack = lstm_layers(model)
        tol, note = (TOLERANCE[dtype], "") if dtype == "float32" else float64_tolerance()
        sentences = [sentence_record(text, ids, *outputs(model, ids, dtype))
                     for text, ids in ((t, word_ids(VOCAB, UNK, t)) for t in TEXTS)]
        doc["good"][fname] = {
            "dtype": dtype, "tol": tol, "note": note, "layers": len(stack),
            "hidden": stack[0].units, "input": int(stack[0].cell.kernel.shape[0]),
            "vocab": len(VOCAB), "unk": UNK, "tags": TAGS, "bias": stack[0].use_bias,
            "sentences": sentences, **describe(model)}
    keras.config.set_floatx("float32")
    model = fresh(CASES["keras_sequential_l1_f32.npz"][1], "float32", 11)
    model.save(os.path.join(OUT, "keras_model.keras"))
    doc["bad"]["keras_model.keras"] = {"how": 'model.save("m.keras")', "kind": ".keras"}
    model.save_weights(os.path.join(OUT, "keras_save_weights.weights.h5"))
    doc["bad"]["keras_save_weights.weights.h5"] = {"how": 'model.save_weights("m.weights.h5")',
                                                   "kind": "hdf5"}
    encoder_decoder = CASES["keras_sequential_encoder_decoder_timedistributed_f32.npz"][1]
    model = fresh(encoder_decoder, "float32", 12)
    np.savez(os.path.join(OUT, "keras_get_weights.npz"), *model.get_weights())
    doc["bad"]["keras_get_weights.npz"] = {"how": "np.savez(path, *model.get_weights())",
                                           "kind": "get_weights"}
    for seed, (fname, (layer, activation, builder)) in enumerate(BAD_ACTIVATIONS.items(), 30):
        model = fresh(builder, "float32", seed)
        save_for_pysim(model, VOCAB, TAGS, os.path.join(OUT, fname), examples=TEXTS)
        doc["bad"][fname] = {"how": f"from_keras.py snippet; LSTM {layer!r} has {activation}",
                             "kind": "activation", "layer": layer, "activation": activation,
                             **describe(model)}
    write("expected_keras.json", doc)


if __name__ == "__main__":
    main()
