"""Keras (pysim.keras) through the one loader (pysim.io.load, load_any) and load_keras: names,
layer order, Keras 3 paths, heads with their own names, TimeDistributed, the Keras config's
activations. The numbers are checked against a model stacked by hand (the file's layers in the
order the Keras model runs them) and against an independent Keras-equations forward
(keras_forward, below)."""
import json

import numpy as np
import pytest

from pysim.io import (ModelFileError, is_keras, load, load_any, load_keras, read_npz, state_dict,
                      to_bytes)
from pysim.keras import ASSUMED
from pysim.model import UNK, Config, Model
from tests.helpers import TEXT, keras_arrays, npz, same_trace, word_model

VOCAB = ["[UNK]", "arrive", "leave", "beijing", "on", "november", "2nd"]


def model(L=2, H=4, D=4, seed=0, bias=True):
    m = Model.random(Config(D, H, L, vocab=VOCAB, tags=["O", "dest", "dep"]), seed=seed)
    if not bias:
        for layer in m.layers:
            layer.b[:] = 0
    return m


def keras_weights(m, lstm_names, emb="embedding", head="dense", prefix="", keras2=False,
                  bias=True):
    """{name: array} in the order of a Keras model's `model.weights` (layer by layer)."""
    sd = state_dict(m)
    end = ":0" if keras2 else ""
    out = {f"{prefix}{emb}/embeddings{end}": sd["embedding.weight"]}
    for k, name in enumerate(lstm_names):
        out[f"{prefix}{name}/lstm_cell/kernel{end}"] = sd[f"lstm.weight_ih_l{k}"].T
        out[f"{prefix}{name}/lstm_cell/recurrent_kernel{end}"] = sd[f"lstm.weight_hh_l{k}"].T
        if bias:
            out[f"{prefix}{name}/lstm_cell/bias{end}"] = sd[f"lstm.bias_ih_l{k}"]
    out[f"{prefix}{head}/kernel{end}"] = sd["head.weight"].T
    out[f"{prefix}{head}/bias{end}"] = sd["head.bias"]
    return out


def with_meta(arrays, **meta):
    return {**arrays, "meta": np.array(json.dumps({"vocab": VOCAB, "tags": ["O", "dest", "dep"],
                                                   **meta}))}


def lstm_cfg(name, activation="tanh", recurrent_activation="sigmoid", **more):
    return {"module": "keras.layers", "class_name": "LSTM",
            "config": {"name": name, "units": 4, "return_sequences": True, "go_backwards": False,
                       "activation": activation, "recurrent_activation": recurrent_activation,
                       **more}}


def sequential(*layers):
    """The shape of json.loads(model.to_json()) for a Keras 3 Sequential."""
    return {"module": "keras", "class_name": "Sequential", "config": {"name": "sequential",
                                                                      "layers": [
        {"class_name": "InputLayer", "config": {"name": "input_layer"}},
        {"class_name": "Embedding", "config": {"name": "tokens"}}, *layers,
        {"class_name": "TimeDistributed", "config": {"name": "tagger", "layer": {
            "class_name": "Dense", "config": {"name": "dense", "activation": "softmax"}}}}]}}


# ---- bug 2: the layers stack in the model's own order, never sorted by name ----------------

@pytest.mark.parametrize("prefix, keras2", [("", True), ("sequential/", False)])
def test_encoder_decoder_of_equal_widths_stack_in_file_order(prefix, keras2):
    m = model(L=2, H=4, D=4)  # E == H: either order has consistent shapes
    k = load(npz(**with_meta(keras_weights(m, ["encoder", "decoder"], prefix=prefix,
                                         keras2=keras2))))
    assert k.meta["keras_layers"] == ["encoder", "decoder"]
    same_trace(k, m, tol=1e-15)  # before: "decoder" < "encoder" stacked first, other numbers
    assert k.meta["assumed"] == ASSUMED


def test_config_order_wins_over_the_file_order():
    m = model(L=3, H=4, D=4, seed=1)
    arrays = keras_weights(m, ["zeta", "alpha", "mid"])
    names = list(arrays)  # write the layers' arrays in another order than they run
    shuffled = {n: arrays[n] for n in names[:1] + names[7:10] + names[1:7] + names[10:]}
    config = sequential(lstm_cfg("zeta"), lstm_cfg("alpha"), lstm_cfg("mid"))
    k = load(npz(**with_meta(shuffled, keras_config=config)))
    assert k.meta["keras_layers"] == ["zeta", "alpha", "mid"]
    assert "assumed" not in k.meta
    same_trace(k, m, tol=1e-15)


def test_lstm_layers_in_meta_state_the_order():
    m = model(L=2, seed=2)
    arrays = keras_weights(m, ["b", "a"])
    interleaved = dict(sorted(arrays.items(), key=lambda kv: kv[0].split("/")[-1]))
    with pytest.raises(ModelFileError) as e:
        load(npz(**with_meta(interleaved)))
    assert str(e.value) == (
        'cannot tell the order of the Keras LSTM layers "b", "a" (their arrays are interleaved '
        'in the file): state the order in the file\'s meta: {"lstm_layers": ["b", "a"]} (the '
        'first reads the input), or save the Keras config with the weights: '
        'meta["keras_config"] = json.loads(model.to_json())')
    same_trace(load(npz(**with_meta(interleaved, lstm_layers=["b", "a"]))), m, tol=1e-15)
    with pytest.raises(ModelFileError, match="'lstm_layers' names the LSTM layers"):
        load(npz(**with_meta(interleaved, lstm_layers=["b", "c"])))


def test_widths_that_do_not_chain_in_file_order_are_refused():
    m = Model.random(Config(3, 4, 2, vocab=VOCAB, tags=["O", "dest", "dep"]), seed=3)
    arrays = keras_weights(m, ["first", "second"])
    names = list(arrays)
    swapped = {n: arrays[n] for n in names[:1] + names[4:7] + names[1:4] + names[7:]}
    with pytest.raises(ModelFileError, match="in the file's order, 'second' reads width 4 but "
                                             "gets 3"):
        load(npz(**with_meta(swapped)))


def test_keras_automatic_names_stack_by_their_number():
    m = model(L=3, seed=4)
    arrays = keras_weights(m, ["lstm", "lstm_1", "lstm_2"], keras2=True)
    backwards = {n: arrays[n] for n in reversed(list(arrays))}
    k = load(npz(**with_meta(backwards)))
    assert k.meta["keras_layers"] == ["lstm", "lstm_1", "lstm_2"]
    same_trace(k, m, tol=1e-15)


# ---- Keras 2 / 3 names, heads with their own names, TimeDistributed ---------------------------

@pytest.mark.parametrize("prefix, keras2, emb, head", [
    ("", True, "embedding", "time_distributed"),                # Keras 2: time_distributed/kernel:0
    ("sequential/", False, "embedding", "time_distributed/dense"),  # Keras 3 path
    ("", False, "tokens", "tag_probs"),                        # functional, own names
    ("mine/", False, "words", "tagger"),                       # a named Sequential
])
def test_keras_names_and_heads(prefix, keras2, emb, head):
    m = model(L=2, H=5, D=3, seed=5)
    k = load(npz(**with_meta(keras_weights(m, ["lstm", "lstm_1"], emb, head, prefix, keras2))))
    same_trace(k, m, tol=1e-15)
    sd = state_dict(m)
    layers = [[sd[f"lstm.weight_ih_l{i}"].T, sd[f"lstm.weight_hh_l{i}"].T, sd[f"lstm.bias_ih_l{i}"]]
              for i in range(2)]
    x = m.embedding[m.encode(TEXT.split())[0]]
    _, probs = keras_forward(x, layers, [sd["head.weight"].T, sd["head.bias"]])
    np.testing.assert_allclose(k.trace(TEXT).probs, probs, rtol=1e-12, atol=1e-14)
    assert k.config.unk == "[UNK]" and k.trace("arrive Paris").unknown.tolist() == [False, True]


def test_keras_without_bias():
    m = model(L=2, seed=6, bias=False)
    same_trace(load(npz(**with_meta(keras_weights(m, ["first", "second"], bias=False)))), m,
               tol=1e-15)


# ---- the Keras config ---------------------------------------------------------------------

@pytest.mark.parametrize("layer, message", [
    (lstm_cfg("decoder", activation="relu"),
     "Keras layer 'decoder': activation 'relu' — pysim's LSTM uses tanh"),
    (lstm_cfg("decoder", recurrent_activation="hard_sigmoid"),
     "Keras layer 'decoder': recurrent_activation 'hard_sigmoid' — pysim's LSTM uses sigmoid"),
    (lstm_cfg("decoder", go_backwards=True), "Keras layer 'decoder': go_backwards"),
    ({"class_name": "GRU", "config": {"name": "decoder"}}, "Keras layer 'decoder': GRU — pysim "
                                                            "runs LSTM layers only"),
    ({"class_name": "Bidirectional", "config": {"name": "decoder", "layer": lstm_cfg("x")}},
     "Keras layer 'decoder': Bidirectional"),
    ({"class_name": "Conv1D", "config": {"name": "decoder"}}, "Keras layer 'decoder': Conv1D"),
])
def test_config_refuses_by_name(layer, message):
    m = model(L=2)
    config = sequential(lstm_cfg("encoder"), layer)
    with pytest.raises(ModelFileError, match=message):
        load(npz(**with_meta(keras_weights(m, ["encoder", "decoder"]), keras_config=config)))


def test_config_head_activation_and_layer_list_form():
    m = model(L=2)
    arrays = keras_weights(m, ["encoder", "decoder"])
    config = sequential(lstm_cfg("encoder"), lstm_cfg("decoder"))
    config["config"]["layers"][-1]["config"]["layer"]["config"]["activation"] = "sigmoid"
    with pytest.raises(ModelFileError, match="Keras layer 'tagger': activation 'sigmoid'"):
        load(npz(**with_meta(arrays, keras_config=config)))
    layers = sequential(lstm_cfg("decoder"), lstm_cfg("encoder"))["config"]["layers"]
    k = load(npz(**with_meta(arrays, keras_config=layers)))  # the layer list alone; its order wins
    assert k.meta["keras_layers"] == ["decoder", "encoder"]


def test_config_must_name_the_files_layers():
    m = model(L=2)
    config = sequential(lstm_cfg("encoder"), lstm_cfg("other"))
    with pytest.raises(ModelFileError, match="the Keras config .* names the LSTM layers"):
        load(npz(**with_meta(keras_weights(m, ["encoder", "decoder"]), keras_config=config)))


def test_structure_not_words_decides_the_roles():
    m = model(L=1)
    sd = state_dict(m)
    gru = {"emb/embeddings": sd["embedding.weight"], "rnn/gru_cell/kernel": np.zeros((4, 12)),
           "rnn/gru_cell/recurrent_kernel": np.zeros((4, 12))}
    with pytest.raises(ModelFileError, match=r"a GRU's is \(H, 3H\)"):
        load(npz(**with_meta(gru)))
    bi = keras_weights(m, ["bidirectional/forward_lstm"])
    bi.update({k.replace("forward_", "backward_"): v for k, v in bi.items() if "forward_" in k})
    with pytest.raises(ModelFileError, match="Bidirectional"):
        load(npz(**with_meta(bi)))
    two_heads = {**keras_weights(m, ["lstm"]), "extra/kernel": np.zeros((4, 3))}
    with pytest.raises(ModelFileError, match="more than one Dense head"):
        load(npz(**with_meta(two_heads)))


def test_layers_of_different_widths_are_refused_in_keras_terms():
    """Keras stacks may change width (4 then 6 units); pysim's trace has one H: say so, in the
    file's names, not with a transposed PyTorch shape."""
    small, big = Model.random(Config(3, 4, 1), seed=5), Model.random(Config(4, 6, 1), seed=6)
    arrays = {}
    for name, m in (("a", small), ("b", big)):
        sd = state_dict(m)
        arrays[f"{name}/lstm_cell/kernel"] = sd["lstm.weight_ih_l0"].T
        arrays[f"{name}/lstm_cell/recurrent_kernel"] = sd["lstm.weight_hh_l0"].T
    with pytest.raises(ModelFileError, match=r"different numbers of units \('a': 4, 'b': 6\)"):
        load(npz(**arrays))


# ---- Keras names through load_any ----------------------------------------------------------

@pytest.mark.parametrize("style", ["nested", "flat"])
def test_load_any_reads_keras_names(style):
    m = word_model(L=2 if style == "nested" else 1)
    arrays = keras_arrays(m, style)
    assert is_keras(arrays) and not is_keras(read_npz(to_bytes(m)))
    k = load_any(npz(**arrays))
    assert k.meta["source"] == "keras"
    assert k.config == m.config
    same_trace(m, k, tol=1e-15)  # one bias add moves a last bit at most


def test_keras_layers_stack_in_naming_order():
    m = Model.random(Config(3, 4, 3, vocab=None, tags=None), seed=4)
    arrays = {}
    names = ["lstm", "lstm_1", "lstm_2"]
    sd = state_dict(m)
    for k, name in enumerate(names):
        arrays[f"{name}/kernel:0"] = sd[f"lstm.weight_ih_l{k}"].T
        arrays[f"{name}/recurrent_kernel:0"] = sd[f"lstm.weight_hh_l{k}"].T
        arrays[f"{name}/bias:0"] = sd[f"lstm.bias_ih_l{k}"]
    shuffled = {k: arrays[k] for k in reversed(list(arrays))}  # file order must not matter
    k = load_any(npz(**shuffled))
    assert k.meta["keras_layers"] == names
    same_trace(m, k, inputs=np.random.default_rng(0).standard_normal((5, 3)))


def test_keras_without_bias_and_head():
    m = Model.random(Config(3, 2, 1, vocab=None, tags=None), seed=1)
    for layer in m.layers:
        layer.b[:] = 0
    sd = state_dict(m)
    k = load_any(npz(kernel=sd["lstm.weight_ih_l0"].T, recurrent_kernel=sd["lstm.weight_hh_l0"].T))
    same_trace(m, k, inputs=np.ones((4, 3)))
    assert k.head_W is None


@pytest.mark.parametrize("arrays, message", [
    ({"lstm/kernel:0": np.zeros((3, 16)), "lstm/recurrent_kernel:0": np.zeros((4, 12))},
     "recurrent_kernel has shape (4, 12), expected (H, 4H)"),
    ({"lstm/kernel:0": np.zeros((3, 12)), "lstm/recurrent_kernel:0": np.zeros((4, 16))},
     "kernel has shape (3, 12), expected (input, 16)"),
    ({"lstm/recurrent_kernel:0": np.zeros((4, 16))}, "an LSTM layer has kernel"),
    ({"dense/kernel:0": np.zeros((4, 3))}, "no Keras LSTM layer"),
    ({"conv/kernel:0": np.zeros((2, 4, 3)), "lstm/kernel:0": np.zeros((3, 16)),
      "lstm/recurrent_kernel:0": np.zeros((4, 16))}, "is not an LSTM"),
    ({"kernel": np.zeros((3, 16)), "recurrent_kernel": np.zeros((4, 16)), "weird": np.zeros(2)},
     "not a Keras weight name"),
    ({"kernel": np.full((3, 16), np.nan), "recurrent_kernel": np.zeros((4, 16))},
     "NaN or infinity"),
    ({"kernel": np.zeros((3, 16), dtype=np.int32), "recurrent_kernel": np.zeros((4, 16))},
     "expected floating point"),
    ({"kernel": np.zeros((3, 16)), "recurrent_kernel": np.zeros((4, 16)),
      "embeddings": np.zeros((5, 2))}, "the embedding 'embeddings' is 2 wide"),
])
def test_bad_keras_files_are_refused_with_the_reason(arrays, message):
    with pytest.raises(ModelFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_any(npz(**arrays))


# ---- load_keras: layers given as arrays ----------------------------------------------------

def keras_forward(x, layers, dense):
    """An independent Keras-style forward: z = x K + h R + b, columns (i, f, c, o)."""
    inp = x
    for kernel, rec, bias in layers:
        H = rec.shape[0]
        h, c, hs = np.zeros(H), np.zeros(H), []
        for t in range(inp.shape[0]):
            z = inp[t] @ kernel + h @ rec + bias
            i = 1 / (1 + np.exp(-z[:H]))
            f = 1 / (1 + np.exp(-z[H:2 * H]))
            cc = np.tanh(z[2 * H:3 * H])
            o = 1 / (1 + np.exp(-z[3 * H:]))
            c = f * c + i * cc
            h = o * np.tanh(c)
            hs.append(h)
        inp = np.array(hs)
    logits = inp @ dense[0] + dense[1]
    e = np.exp(logits - logits.max(1, keepdims=True))
    return inp, e / e.sum(1, keepdims=True)


def test_load_keras_matches_keras_equations():
    rng = np.random.default_rng(5)
    D, H, K = 3, 4, 2
    layers = [[rng.standard_normal((D, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)],
              [rng.standard_normal((H, 4 * H)), rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)]]
    dense = [rng.standard_normal((H, K)), rng.standard_normal(K)]
    m = load_keras(layers, dense=dense, tags=["a", "b"])
    x = rng.standard_normal((6, D))
    h_ref, p_ref = keras_forward(x, layers, dense)
    tr = m.trace(x)
    np.testing.assert_allclose(tr.h[-1], h_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(tr.probs, p_ref, rtol=1e-12, atol=1e-14)
    # and it saves as a normal model file
    same_trace(m, load(to_bytes(m)), x)


def test_load_keras_with_embedding_and_vocab():
    rng = np.random.default_rng(6)
    m = load_keras([[rng.standard_normal((2, 8)), rng.standard_normal((2, 8))]],
                   embedding=rng.standard_normal((3, 2)), vocab=[UNK, "a", "b"])
    assert m.trace("a b zz").unknown.tolist() == [False, False, True]
    with pytest.raises(ModelFileError, match="keras layer 0"):
        load_keras([[np.zeros((2, 8))]])
