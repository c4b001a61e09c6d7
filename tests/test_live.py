"""The page's feature back end: io.load_any (PyTorch or Keras names), pysim.live (training in
chunks, hand-tagged sentences, divergence), the gradient flow (traces.flow_text) and the Session
methods over them."""
import io
import json

import numpy as np
import pytest

from pysim import api, live, presets, rnn, tasks
from pysim.io import (ModelFileError, example_text, is_keras, load_any, read_npz, state_dict,
                      to_bytes)
from pysim.model import UNK, Config, Model
from tests.helpers import TEXT, keras_arrays, npz, same_trace, word_model  # noqa: F401 (re-exported: tests/web)


# ---- load_any ----------------------------------------------------------------------------

def test_load_any_reads_pysim_and_torch_files_like_load():
    m = word_model()
    same_trace(m, load_any(to_bytes(m)))
    bare = {k[len("lstm."):] if k.startswith("lstm.") else k: v for k, v in state_dict(m).items()
            if k.startswith("lstm.")}
    m2 = load_any(npz(**bare))
    assert m2.config.vocab is None and m2.config.num_layers == 2


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


def test_load_any_refuses_garbage():
    with pytest.raises(ModelFileError, match="not a model file"):
        load_any(b"garbage")


# ---- hand-tagged sentences --------------------------------------------------------------

def test_parse_tagged():
    assert tasks.parse_tagged("arrive Beijing/destination on November 2nd") == (
        ["arrive", "Beijing", "on", "November", "2nd"], ["O", "destination", "O", "O", "O"])
    assert tasks.parse_tagged("open 24/7 a/b/X") == (["open", "24/7", "a/b"], ["O", "O", "X"])
    assert tasks.format_tagged(*tasks.parse_tagged("go to Paris/destination")) == \
        "go to Paris/destination"
    with pytest.raises(ValueError, match="Type a sentence"):
        tasks.parse_tagged("   ")


# ---- training through the Session ---------------------------------------------------------

def test_training_switches_the_session_to_the_model_being_trained():
    s = api.Session()
    st = s.train_setup({"task": "memory", "optimizer": "adam", "lr": 0.02})
    assert s.info()["name"] == st["name"] == "trained: memory"
    assert "being trained in your browser on memory" in s.info()["description"]
    out = s.train_chunk(5, {"evaluate": False})
    assert [r["step"] for r in out["records"]] == [1, 2, 3, 4, 5]
    assert out["held_out"] is None and out["evaluated"] is False
    out = s.train_chunk(0)  # evaluation only
    assert out["steps"] == 5 and out["records"] == [] and out["held_out"]["examples"] == 400
    assert "step 5" in s.info()["description"]
    # another preset and back: the trained model is kept under its name
    s.set_preset("beijing")
    assert s.train_status()["info"]["name"] == "trained: memory"  # the trained model's info
    assert s.train_status()["info"] == {**s.set_preset("trained: memory")}
    assert s.model is s.training.trainer.model
    # the exported file is the model, and so is the trace
    m = load_any(s.train_export())
    same_trace(m, s.model, inputs="A x y ?")
    assert m.meta["training"]["steps"] == 5
    # with a few of the held-out sequences, the first of which a page that loads it shows
    held = [" ".join(words) for words, _ in s.training.trainer.task.test[:3]]
    assert m.meta["training"]["held_out_examples"] == held
    assert example_text(m) == held[0]


def test_training_beijing_reaches_full_held_out_accuracy_and_tags_the_article():
    s = api.Session()
    s.train_setup({"task": "beijing"})
    for _ in range(30):
        out = s.train_chunk(20)
        if out["held_out"]["accuracy"] == 1.0:
            break
    assert out["held_out"]["accuracy"] == 1.0
    tags = s.model.config.tags
    for sentence, tag in (("arrive Beijing on November 2nd", "destination"),
                          ("leave Beijing on November 2nd", "departure")):
        probs = s.trace(sentence)["probs"]
        assert tags[int(np.argmax(probs[1]))] == tag


def test_learning_rate_and_optimizer_change_live():
    s = api.Session()
    s.train_setup({"task": "memory"})
    s.train_chunk(2, {"lr": 0.005, "evaluate": False})
    assert s.training.trainer.optimizer.lr == 0.005
    s.train_chunk(2, {"optimizer": "sgd", "lr": 0.1, "evaluate": False})
    assert type(s.training.trainer.optimizer).__name__ == "SGD"
    assert s.training.trainer.steps == 4
    for bad in ({"lr": -1}, {"lr": "abc"}, {"optimizer": "rmsprop"}, {"task": "nope"}):
        with pytest.raises(ValueError):
            s.train_chunk(1, dict(bad))


def test_hand_tagged_sentences_join_training_and_grow_the_vocabulary():
    s = api.Session()
    with pytest.raises(ValueError, match="Unknown tag"):
        s.train_add("arrive Beijing/city", "beijing")
    st = s.train_add("arrive Zork/destination on November 2nd", "beijing")
    assert st["sentences"] == ["arrive Zork/destination on November 2nd"]
    s.train_setup({"task": "beijing"})
    task = s.training.trainer.task
    assert task.train.count((["arrive", "Zork", "on", "November", "2nd"],
                             ["O", "destination", "O", "O", "O"])) == live.USER_REPEAT
    assert "zork" in s.model.config.vocab
    # a sentence added while training: new words get embedding rows at once
    V = len(s.model.config.vocab)
    s.train_chunk(2, {"evaluate": False})
    s.train_add("leave Quuxville/departure tomorrow", "beijing")
    assert len(s.model.config.vocab) == V + 1 and s.model.embedding.shape[0] == V + 1
    assert s.training.trainer.optimizer.m["embedding"].shape == s.model.embedding.shape
    s.train_chunk(3, {"evaluate": False})
    assert s.trace("leave Quuxville")["unknown"].tolist() == [0, 0]
    s.train_remove(-1)
    assert len(s.train_status()["sentences"]) == 1
    s.train_remove("all")
    assert s.train_status()["sentences"] == []


def test_training_on_my_sentences_only():
    s = api.Session()
    with pytest.raises(ValueError, match="at least one tagged sentence"):
        s.train_setup({"task": "mine"})
    s.train_add("the cat/animal sat on the mat/thing", "mine")
    s.train_add("a dog/animal ran", "mine")
    st = s.train_setup({"task": "mine"})
    assert st["tags"] == ["O", "animal", "thing"]
    for _ in range(20):
        out = s.train_chunk(10)
    assert out["held_out_is_train"] and out["held_out"]["accuracy"] == 1.0


def test_divergence_is_caught_and_the_model_before_it_kept():
    s = api.Session()
    s.train_setup({"task": "beijing", "optimizer": "sgd", "lr": 1e300})
    before = {k: v.copy() for k, v in s.model.parameters().items()}
    out = s.train_chunk(10)
    assert "diverged" in out["diverged"] and out["steps"] == 0 and out["records"] == []
    for k, v in s.model.parameters().items():
        np.testing.assert_array_equal(v, before[k])
    assert np.isfinite(s.trace(TEXT)["probs"]).all()


def test_a_nan_loss_rolls_back_to_before_the_update_that_caused_it():
    s = api.Session()
    s.train_setup({"task": "memory"})
    s.train_chunk(3, {"evaluate": False})
    good = {k: v.copy() for k, v in s.model.parameters().items()}
    s.train_chunk(1, {"evaluate": False})  # step 4: its weights are then poisoned
    s.model.layers[0].W[0, 0] = np.nan
    out = s.train_chunk(5, {"evaluate": False})
    assert "the loss became nan at step 5" in out["diverged"]
    assert out["steps"] == 3 and out["records"] == []
    for k, v in s.model.parameters().items():
        np.testing.assert_array_equal(v, good[k])
    assert [r["step"] for r in s.training.trainer.history] == [1, 2, 3]


# ---- gradient flow and model files ----------------------------------------------------------

def test_gradient_flow_is_rnn_compare():
    s = api.Session("memory")
    text = presets.default_text("memory")
    out = s.gradient_flow(text)
    lstm, plain = rnn.compare(presets.load("memory"), text.split())
    np.testing.assert_array_equal(out["lstm"], lstm)
    np.testing.assert_array_equal(out["rnn"], plain)
    assert out["tokens"] == text.split() and out["target"] in ("A", "B")
    assert plain[0] / plain[-1] < 1e-3 * lstm[0] / lstm[-1]  # the RNN's vanishes, not the LSTM's


def test_gradient_flow_for_vector_models_and_models_without_head():
    vec = Model.random(Config(5, 3, 1, vocab=None, tags=["O", "X"]), seed=2)
    out = api.flow_text(vec, "any words at all")
    x = api.word_vectors("any words at all".split(), 5)
    lstm, plain = rnn.compare(vec, x)
    np.testing.assert_array_equal(out["lstm"], lstm)
    with pytest.raises(ValueError, match="no softmax head"):
        api.flow_text(Model.random(Config(5, 3, 1), seed=2), "a b")


def test_a_new_session_restores_a_model_under_its_old_name():
    # what the page does after Python restarts: a trained model's exported bytes come back as the
    # current model, under the name the page shows, and trace as before
    old = api.Session()
    old.train_setup({"task": "beijing", "optimizer": "adam", "lr": 0.02})
    old.train_chunk(3, {"evaluate": False})
    new = api.Session()
    info = new.restore_model(old.train_export(), "trained: beijing")
    assert info["name"] == new.name == "trained: beijing" and info["hidden"] == 12
    same_trace(new.model, old.model, inputs=TEXT)
    new.set_preset("beijing")
    assert new.set_preset("trained: beijing")["name"] == "trained: beijing"
    before = new.model
    with pytest.raises(ModelFileError):
        new.restore_model(b"garbage", "file: x.npz")
    assert new.model is before and new.name == "trained: beijing"


def test_session_load_model_reports_and_lists_the_file():
    s = api.Session()
    m = word_model(L=1, H=5, D=3)
    info = s.load_model(npz(**keras_arrays(m)), "my keras.npz")
    assert info["name"] == "file: my keras.npz" and info["format"] == "keras"
    assert (info["layers"], info["hidden"], info["input"], info["vocab"]) == (1, 5, 3, 7)
    assert info["tags"] == ["O", "destination", "departure"] and info["head"]
    s.set_preset("beijing")
    assert s.set_preset("file: my keras.npz")["hidden"] == 5
    before = s.model
    for bad in (b"garbage", npz(x=np.zeros(3))):
        with pytest.raises(ModelFileError):
            s.load_model(bad, "bad.npz")
        assert s.model is before


# ---- Session.load_model: the text the page shows with the model ----------------------------

def _session_state(s):
    return (s.model, s.name, dict(s.custom), s.training)


def test_load_model_brings_its_example_else_the_page_text_else_a_probe_word():
    s = api.Session()
    three = Model.random(Config(4, 6, 3, vocab=["<UNK>", "alpha", "beta", "gamma"], tags=["O", "X"]),
                         seed=2, meta={"examples": ["zzz", "alpha gamma beta"]})
    info = s.load_model(to_bytes(three), "three.npz", current=TEXT)
    # "zzz" is read only as <UNK>: the first example it knows every word of
    assert (info["text"], info["probe"], info["unk"], info["article"]) == (
        "alpha gamma beta", "", "<UNK>", False)
    assert info["name"] == s.name == "file: three.npz" and info["layers"] == 3
    assert info["reads"] == "words (a vocabulary of 4: alpha, beta, gamma)"
    # no example: the page's text when the model knows all of it, else a word to show
    m = word_model(L=1)
    assert s.load_model(to_bytes(m), "w.npz", current="leave Beijing")["text"] == "leave Beijing"
    info = s.load_model(to_bytes(m), "w.npz", current="leave Shanghai")
    assert (info["text"], info["probe"], info["article"]) == ("", "arrive", True)
    bare = Model.random(Config(3, 2, 1, vocab=["<pad>", "[CLS]", "delta"]), seed=3)
    info = s.load_model(to_bytes(bare), "bare.npz", current=TEXT)
    assert (info["text"], info["probe"], info["unk"]) == ("", "delta", None)
    # a model that reads vectors reads any text
    vec = Model.random(Config(5, 3, 1), seed=4)
    assert s.load_model(to_bytes(vec), "v.npz", current="leave x")["text"] == "leave x"
    assert s.load_model(to_bytes(vec), "v.npz")["text"] == presets.ARTICLE_SENTENCES[0]


def test_load_model_takes_a_vocabulary_file_and_module_names():
    s = api.Session()
    m = word_model(L=2, seed=6)
    own = {k.replace("embedding.", "emb.").replace("lstm.", "encoder.").replace("head.", "fc."): v
           for k, v in state_dict(m).items()}
    data = npz(**own)
    before = _session_state(s)
    with pytest.raises(ModelFileError, match="no vocabulary"):
        s.load_model(data, "own.npz")
    assert _session_state(s) == before
    names = "emb=embedding,encoder=lstm,fc=head"
    for vocab in ("\n".join(m.config.vocab).encode(), "\n".join(m.config.vocab),
                  json.dumps(m.config.vocab).encode(), list(m.config.vocab)):
        info = s.load_model(data, "own.npz", vocab=vocab, names=names, current=TEXT)
        assert info["vocab"] == 7 and info["text"] == TEXT
        same_trace(s.model, m)
    # the page keeps what export_model writes: it loads back alone, vocabulary and all
    again = api.Session()
    again.load_model(s.export_model(), "again.npz")
    same_trace(again.model, m)


def test_load_model_refuses_a_model_it_cannot_show_and_changes_nothing():
    s = api.Session()
    s.load_model(to_bytes(word_model(L=1)), "first.npz")
    before = _session_state(s)
    spaced = Model.random(Config(3, 2, 1, vocab=["new york", "los angeles"]), seed=1)
    with pytest.raises(ModelFileError, match="cannot be shown"):
        s.load_model(to_bytes(spaced), "spaced.npz", current=TEXT)
    assert _session_state(s) == before
    for bad in (b"garbage", npz(**state_dict(word_model(L=1)))):  # the second: no vocabulary
        with pytest.raises(ModelFileError):
            s.load_model(bad, "bad.npz")
        assert _session_state(s) == before


def test_export_is_uncompressed_and_loads_back():
    s = api.Session()
    data = s.export_model()
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}
    same_trace(load_any(data), s.model)
