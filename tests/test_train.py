"""Training (pysim.train): batched BPTT, optimizers, clipping, determinism."""
import numpy as np
import pytest

from pysim import lstm, tasks
from pysim.train import (SGD, Adam, Trainer, batch_loss_and_grads, clip_grad_norm, encode_examples,
                         new_model)


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
    from pysim.torchnames import swap_fi
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


def test_train_without_lr_takes_the_optimizers_default():
    """`pysim train --optimizer sgd` without --lr trains with SGD's rate, not Adam's."""
    from pysim.train import SGD_LR, default_lr, train
    for optimizer, want in (("sgd", SGD_LR), ("adam", default_lr("beijing", "adam"))):
        _, record = train("beijing", steps=1, optimizer=optimizer)
        assert record["lr"] == want, optimizer
    assert SGD_LR != default_lr("beijing", "adam")
