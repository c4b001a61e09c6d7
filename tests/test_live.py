"""Training on the page (pysim.live through the Session's train_* methods): in chunks, live
learning rate and optimizer, hand-tagged sentences, divergence caught and rolled back."""
import numpy as np
import pytest

from pysim import api, live
from pysim.io import example_text, load_any
# keras_arrays, npz, word_model: re-exported for tests/web/test_features_model.py
from tests.helpers import TEXT, keras_arrays, npz, same_trace, word_model  # noqa: F401


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
