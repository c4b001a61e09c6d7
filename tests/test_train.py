"""Training (batched BPTT, optimizers, tasks), the shipped presets and the CLI."""
import json
import subprocess
import sys

import numpy as np
import pytest

import pysim.io
from pysim import presets, tasks
from pysim.cli import main
from pysim.io import load, state_dict
from pysim.model import UNK, Config, Model
from pysim import lstm
from pysim.train import (SGD, Adam, Trainer, batch_loss_and_grads, clip_grad_norm, encode_examples,
                         new_model, train)


def small_task(seed=0):
    t = tasks.beijing(seed=seed, n_train=200, n_test=60)
    t.input_size = t.hidden_size = 6
    return t


# ---- a padded batch == its sequences one by one ------------------------------------------------

def test_padded_batch_forward_equals_each_sequence():
    task = small_task()
    m = new_model(task, seed=1)
    ex = task.train[:7]
    ids, tags, mask, lengths = encode_examples(m, ex)
    assert len(set(lengths)) > 1                              # some sequences are padded
    fw = lstm.forward(m, m.embedding[ids])
    for n, (toks, _) in enumerate(ex):
        one = lstm.forward(m, m.embedding[ids[n:n + 1, :lengths[n]]])  # a batch of one
        np.testing.assert_allclose(fw.logits[n, :lengths[n]], one.logits[0], rtol=0, atol=1e-13)
        np.testing.assert_allclose(fw.logits[n, :lengths[n]], m.trace(toks).logits, rtol=0,
                                   atol=1e-13)                # and the fast trace


def test_batched_grads_equal_per_sequence_grads():
    task = small_task()
    m = new_model(task, seed=2)
    ex = task.train[:5]
    ids, tags, mask, lengths = encode_examples(m, ex)
    loss, grads, _ = batch_loss_and_grads(m, ids, tags, mask)
    N = lengths.sum()
    want_loss, want = 0.0, {}
    for toks, tgs in ex:  # per-sequence mean losses, weighted by their share of tokens
        l, g = m.loss_and_grads(toks, tgs)                    # a batch of one, torch names
        want_loss += l * len(toks) / N
        for k, v in torch_names_to_pysim(g, m).items():
            want[k] = want.get(k, 0) + v * len(toks) / N
    assert abs(loss - want_loss) < 1e-12
    assert sorted(grads) == sorted(want)
    for k in grads:
        np.testing.assert_allclose(grads[k], want[k], rtol=0, atol=1e-13 * max(1, np.abs(want[k]).max()))


def torch_names_to_pysim(g, m):
    """loss_and_grads' torch-named gradients back to pysim names (W_l, b_l, ...)."""
    from pysim.model import swap_fi
    H, out = m.config.hidden_size, {"embedding": g["embedding.weight"], "head_W": g["head.weight"],
                                     "head_b": g["head.bias"]}
    for l in range(m.config.num_layers):
        out[f"W_{l}"] = swap_fi(np.concatenate([g[f"lstm.weight_hh_l{l}"], g[f"lstm.weight_ih_l{l}"]],
                                               axis=1), H)
        out[f"b_{l}"] = swap_fi(g[f"lstm.bias_ih_l{l}"], H)
    return out


def test_weighted_mask():
    task = small_task()
    m = new_model(task, seed=3)
    ids, tags, mask, _ = encode_examples(m, task.train[:4])
    l1, g1, _ = batch_loss_and_grads(m, ids, tags, mask)
    l2, g2, _ = batch_loss_and_grads(m, ids, tags, mask * 2.0)  # uniform weights: same mean
    assert abs(l1 - l2) < 1e-14
    np.testing.assert_allclose(g1["W_0"], g2["W_0"], rtol=1e-12)


# ---- optimizers, clipping, determinism ---------------------------------------------------------

def test_clip_grad_norm():
    g = {"a": np.array([3.0, 4.0]), "b": np.array([12.0])}
    assert clip_grad_norm(g, 6.5) == 13.0
    np.testing.assert_allclose(np.sqrt(sum((v ** 2).sum() for v in g.values())), 6.5)
    g = {"a": np.array([0.3, 0.4])}
    clip_grad_norm(g, 5.0)
    assert np.array_equal(g["a"], [0.3, 0.4])


def test_sgd_and_adam_steps():
    p = {"w": np.array([1.0, -2.0])}
    SGD(p, lr=0.1).update({"w": np.array([1.0, 1.0])})
    np.testing.assert_allclose(p["w"], [0.9, -2.1])
    q = {"w": np.array([1.0, -2.0])}
    Adam(q, lr=0.1).update({"w": np.array([5.0, -0.001])})  # first Adam step: lr * sign(g)
    np.testing.assert_allclose(q["w"], [0.9, -1.9], rtol=1e-6)


@pytest.mark.parametrize("opt", ["adam", "sgd"])
def test_training_lowers_the_loss(opt):
    tr = Trainer(small_task(), optimizer=opt, seed=0)
    before = tr.evaluate("train")["loss"]
    recs = tr.step(30)
    assert [r["step"] for r in recs] == list(range(1, 31))
    assert tr.evaluate("train")["loss"] < 0.6 * before


def test_training_is_deterministic():
    a, b = Trainer(small_task(), seed=4), Trainer(small_task(), seed=4)
    ra, rb = a.step(15), b.step(15)
    assert ra == rb
    for k, v in a.model.parameters().items():
        assert np.array_equal(v, b.model.parameters()[k])
    c = Trainer(small_task(), seed=5)
    c.step(15)
    assert not np.array_equal(c.model.layers[0].W, a.model.layers[0].W)


def test_bad_optimizer():
    with pytest.raises(ValueError, match="adam or sgd"):
        Trainer(small_task(), optimizer="rmsprop")


# ---- tasks ----------------------------------------------------------------------------------

def test_beijing_corpus():
    t = tasks.beijing(seed=0)
    assert t.tags == ["O", "destination", "departure"] and t.vocab[0] == UNK
    for toks, tgs in t.train + t.test:
        assert len(toks) == len(tgs) and set(tgs) <= set(t.tags)
    assert "beijing" in t.vocab and "stockholm" not in t.vocab  # held out entirely
    assert any(UNK in toks for toks, _ in t.train)            # cities sometimes unknown
    assert any("Stockholm" in toks for toks, _ in t.test)
    assert tasks.beijing(seed=0).train == t.train             # seeded
    assert tasks.beijing(seed=1).train != t.train


def test_memory_corpus():
    t = tasks.memory(seed=0)
    for toks, tgs in t.test:
        assert toks[0] in ("A", "B") and toks[-1] == "?" and tgs[-1] == toks[0]
        assert 22 <= len(toks) <= 102 and set(tgs[:-1]) == {"O"}


def test_unknown_task():
    with pytest.raises(ValueError, match="unknown task"):
        tasks.make("chess")


# ---- the shipped presets ------------------------------------------------------------------------

def test_presets_load_and_are_small():
    import os
    for name in presets.NAMES:
        m = presets.load(name)
        assert m.trace(presets.default_text(name)).probs is not None
        if name != "untrained":
            assert os.path.getsize(presets.path(name)) < 200_000
            rec = m.meta["training"]
            assert rec["held_out"]["accuracy"] == 1.0 and rec["seed"] == 0
            assert m.meta["description"]
    with pytest.raises(ValueError, match="unknown preset"):
        presets.load("nope")


def test_beijing_preset_reads_the_verb():
    m = presets.load("beijing")
    for text, want in [("arrive Beijing on November 2nd", "destination"),
                       ("leave Beijing on November 2nd", "departure"),
                       ("arrive Stockholm on November 2nd", "destination"),   # unknown city
                       ("leave Stockholm on November 2nd", "departure"),
                       ("we fly on Monday to Paris", "destination")]:
        p = m.trace(text).probs
        tags = [m.config.tags[k] for k in p.argmax(axis=1)]
        city = 1 if text.startswith(("arrive", "leave")) else 5
        assert tags[city] == want, (text, tags)
        assert tags.count("O") == len(tags) - 1, (text, tags)


def test_memory_preset_remembers_the_marker():
    m = presets.load("memory")
    rng = np.random.default_rng(0)
    for marker in ("A", "B"):
        for n in (20, 60, 100):
            text = " ".join([marker] + list(rng.choice(list("xyzwuv"), n)) + ["?"])
            p = m.trace(text).probs[-1]
            assert m.config.tags[int(p.argmax())] == marker


def test_preset_training_reproduces_the_shipped_file():
    """python -m pysim train --task beijing --seed 0 gives the shipped weights exactly."""
    model, record = train("beijing", seed=0)
    assert record["held_out"]["accuracy"] == 1.0
    shipped = load(presets.path("beijing"))
    if shipped.meta["training"].get("numpy") != np.__version__:
        pytest.skip("bit-exact reproduction is checked with the numpy that trained the preset")
    a, b = state_dict(model), state_dict(shipped)
    assert sorted(a) == sorted(b)
    for k in a:
        assert np.array_equal(a[k], b[k]), k


# ---- CLI ------------------------------------------------------------------------------------------

def test_cli_trace_json(capsys):
    assert main(["trace", "--preset", "beijing", "--text", "arrive Beijing on November 2nd", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["tokens"][1] == "Beijing" and len(d["layers"]) == 1
    H = presets.load("beijing").config.hidden_size
    assert np.array(d["layers"][0]["f"]).shape == (5, H) and np.array(d["probs"]).shape == (5, 3)


def test_cli_trace_table_and_vectors(tmp_path, capsys):
    assert main(["trace", "--preset", "memory", "--text", "A x y ?"]) == 0
    out = capsys.readouterr().out
    assert "forget gate f" in out and "-> A" in out
    m = Model.random(Config(input_size=2, hidden_size=3), seed=0)
    pysim.save(m, tmp_path / "v.npz")
    np.save(tmp_path / "x.npy", np.ones((4, 2)))
    assert main(["trace", "--model", str(tmp_path / "v.npz"), "--inputs", str(tmp_path / "x.npy"), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["tokens"] == ["x0", "x1", "x2", "x3"] and d["probs"] == []
    np.save(tmp_path / "bad.npy", np.ones((4, 5)))
    assert main(["trace", "--model", str(tmp_path / "v.npz"), "--inputs", str(tmp_path / "bad.npy")]) == 2
    assert "(T, 2)" in capsys.readouterr().err


def test_cli_train(tmp_path, capsys):
    out = tmp_path / "m.npz"
    assert main(["train", "--task", "beijing", "--out", str(out), "--steps", "5", "--quiet"]) == 0
    assert "held-out accuracy" in capsys.readouterr().out
    m = load(out)
    assert m.meta["training"]["steps"] == 5
    # a page that loads the file shows one of the held-out sentences it was tested on
    task = tasks.make("beijing", seed=0)
    held = [" ".join(words) for words, _ in task.test[:3]]
    assert m.meta["training"]["held_out_examples"] == held
    known = [s for s in held if pysim.io.knows_words(m, s)]  # half have cities never seen
    assert known and pysim.io.example_text(m) == known[0]


@pytest.mark.parametrize("argv, msg", [
    (["trace", "--model", "nope.npz", "--text", "hi"], "cannot read"),
    (["trace", "--preset", "beijing"], "--text"),
    (["trace", "--text", "hi"], "--model"),
    (["trace", "--preset", "beijing", "--text", " "], "empty"),
    (["trace", "--preset", "bogus", "--text", "hi"], "invalid choice"),
    (["train", "--task", "memory"], "--out"),
    (["frobnicate"], "invalid choice"),
    ([], "give a command"),
])
def test_cli_errors_are_one_line_exit_2(argv, msg, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1 and err.startswith("pysim: error:")


def test_cli_not_a_model_file_subprocess(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_text("hello")
    r = subprocess.run([sys.executable, "-m", "pysim", "trace", "--model", str(bad), "--text", "a"],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == "pysim: error: not a model file: a model file is a .npz (zip) archive"
