"""pysim against PyTorch: forward (every gate, C, h) and gradients, float64.

Always: compare with the fixtures in tests/fixtures/ (written by
tests/reference/make_torch_fixtures.py under Python 3.11 + torch). Live (only where torch
imports, e.g. .venv311 as CI creates it): random models, hidden 1..64, input 1..32, 1-2 layers,
up to 200 steps, plus pysim -> npz -> torch.load_state_dict round trips. Run the live comparison
and print the worst errors with:  .venv311/bin/python tests/test_torch_reference.py
"""
import io
import os
import sys

import numpy as np
import pytest

if __name__ == "__main__":  # run as a script: import pysim from this checkout
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pysim  # noqa: E402
from pysim.io import from_arrays, load, state_dict, to_bytes  # noqa: E402
from pysim import lstm  # noqa: E402
from pysim.model import Config, Model  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
CASES = sorted(f[5:-4] for f in os.listdir(FIXTURES) if f.startswith("case_"))
FORWARD_TOL = 1e-12
GRAD_TOL = 1e-9


def rel(a, b):
    """Worst absolute difference relative to the reference's largest magnitude."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)) if b.size else 0.0


def compare(model, inputs, tags, ref) -> dict:
    """Worst relative errors of pysim vs a reference dict (torch outputs and grads)."""
    tr = model.trace(inputs)
    errs = {k: rel(getattr(tr, k), ref[k]) for k in ("f", "i", "g", "o", "c", "h", "probs")}
    loss, grads = model.loss_and_grads(inputs, tags)
    errs["loss"] = abs(loss - ref["loss"]) / abs(ref["loss"])
    assert sorted(grads) == sorted(ref["grads"])
    errs.update({"d" + k: rel(grads[k], ref["grads"][k]) for k in grads})
    return errs


def check(errs):
    bad = {k: v for k, v in errs.items() if v > (GRAD_TOL if k.startswith("d") else FORWARD_TOL)}
    assert not bad, bad


def fixture(name):
    with np.load(os.path.join(FIXTURES, f"case_{name}.npz")) as z:
        d = {k: z[k] for k in z.files}
    sd = {k[3:]: v for k, v in d.items() if k.startswith("sd/")}
    ref = {k: d[k] for k in ("f", "i", "g", "o", "c", "h", "probs")}
    ref["loss"] = float(d["loss"])
    ref["grads"] = {k[5:]: v for k, v in d.items() if k.startswith("grad/")}
    V = int(d["vocab_size"])
    vocab = [f"w{k}" for k in range(V)] if V else None
    model = from_arrays(sd, vocab=vocab)
    inputs = [vocab[k] for k in d["ids"]] if V else d["x"]
    return model, inputs, d["tags"], ref


@pytest.mark.parametrize("name", CASES)
def test_fixture_forward_and_grads(name):
    model, inputs, tags, ref = fixture(name)
    check(compare(model, inputs, tags, ref))


def test_fixture_cases_exist():
    assert {"tiny", "words", "deep", "long"} <= set(CASES)


def test_torch_state_dict_saved_with_numpy_loads():
    """torch state_dict -> np.savez (no meta) -> pysim.load -> the same outputs."""
    _, inputs, tags, ref = fixture("words")
    path = os.path.join(FIXTURES, "torch_state_dict.npz")
    m = pysim.load(path, vocab=[f"w{k}" for k in range(6)])
    assert m.config.tags == ["tag0", "tag1", "tag2"]
    check(compare(m, inputs, tags, ref))
    # without a vocabulary it is refused: it reads words (never silently a vector model)
    with pytest.raises(pysim.ModelFileError, match="reads words"):
        pysim.load(path)


def test_saved_file_matches_torch_state_dict_layout():
    model, inputs, tags, ref = fixture("deep")
    with np.load(os.path.join(FIXTURES, "case_deep.npz")) as z:
        sd = {k[3:]: z[k] for k in z.files if k.startswith("sd/")}
    again = state_dict(load(to_bytes(model)))
    for k in sd:
        if k.startswith("lstm.bias_ih"):  # pysim writes the summed bias into bias_ih
            hh = k.replace("bias_ih", "bias_hh")
            np.testing.assert_allclose(again[k], sd[k] + sd[hh], rtol=0, atol=1e-15)
            assert np.all(again[hh] == 0)
        elif not k.startswith("lstm.bias_hh"):
            assert np.array_equal(again[k], sd[k]), k


def test_finite_difference_directional_long_sequence():
    """Torch-free gradient check on a longer, 2-layer model: random directions."""
    rng = np.random.default_rng(0)
    m = Model.random(Config(input_size=3, hidden_size=5, num_layers=2, tags=["a", "b", "c"]), seed=1)
    x = rng.standard_normal((40, 3))
    y = rng.integers(0, 3, 40)
    _, grads, _ = lstm.loss_and_grads(m, x[None], y[None], np.ones((1, 40)))  # a batch of one

    def loss():
        p = m.trace(x).probs
        return -np.mean(np.log(p[np.arange(40), y]))
    params = m.parameters()
    for _ in range(5):
        dirs = {k: rng.standard_normal(p.shape) for k, p in params.items()}
        eps = 1e-5
        for k, p in params.items():
            p += eps * dirs[k]
        lp = loss()
        for k, p in params.items():
            p -= 2 * eps * dirs[k]
        lm = loss()
        for k, p in params.items():
            p += eps * dirs[k]
        num = (lp - lm) / (2 * eps)
        ana = sum(np.sum(grads[k] * dirs[k]) for k in params)
        assert abs(num - ana) <= 1e-7 * max(1.0, abs(ana)), (num, ana)


# ---- live comparison (only where torch imports) -----------------------------------------------

def live_configs(n=14):
    rng = np.random.default_rng(2024)
    yield (0, 1, 1, 1, 2, 0, 1)        # seed, D, H, L, K, V, T: the smallest
    yield (1, 32, 64, 2, 5, 0, 200)    # the largest
    yield (2, 16, 8, 2, 3, 20, 120)    # words
    for s in range(3, n):
        yield (s, int(rng.integers(1, 33)), int(rng.integers(1, 65)), int(rng.integers(1, 3)),
               int(rng.integers(2, 6)), int(rng.choice([0, 0, 30])), int(rng.integers(1, 201)))


def live_case(cfg):
    import torch_ref
    seed, D, H, L, K, V, T = cfg
    tm = torch_ref.random_tagger(seed, D, H, L, K, V, scale=1.0 + (seed % 3))
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, V, T) if V else rng.standard_normal((T, D))
    tags = rng.integers(0, K, T)
    ref = torch_ref.reference(tm, raw, tags)
    vocab = [f"w{k}" for k in range(V)] if V else None
    model = from_arrays(torch_ref.state_dict_numpy(tm), vocab=vocab)
    inputs = [vocab[k] for k in raw] if V else raw
    return tm, model, inputs, raw, tags, ref


def _torch_available():
    sys.path.insert(0, os.path.join(HERE, "reference"))
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False


live = pytest.mark.skipif(not _torch_available(), reason="torch not installed (run under venv311)")


@live
@pytest.mark.parametrize("cfg", list(live_configs()), ids=lambda c: "D{1}-H{2}-L{3}-V{5}-T{6}".format(*c))
def test_live_against_torch(cfg):
    _, model, inputs, _, tags, ref = live_case(cfg)
    check(compare(model, inputs, tags, ref))


@live
@pytest.mark.parametrize("cfg", [(7, 4, 6, 2, 3, 12, 30), (8, 5, 9, 1, 2, 0, 25)])
def test_live_pysim_file_loads_into_torch(cfg):
    """pysim -> npz -> torch load_state_dict -> the same outputs."""
    import torch
    import torch_ref
    seed, D, H, L, K, V, T = cfg
    vocab = [f"w{k}" for k in range(V)] if V else None
    m = Model.random(Config(D, H, L, vocab=vocab, tags=[f"t{k}" for k in range(K)]), seed=seed)
    with np.load(io.BytesIO(to_bytes(m))) as z:
        sd = {k: torch.from_numpy(z[k]) for k in z.files if k != "meta"}
    tm = torch_ref.Tagger(D, H, L, K, V)
    tm.load_state_dict(sd)  # strict: every name and shape must match
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, V, T) if V else rng.standard_normal((T, D))
    tags = rng.integers(0, K, T)
    ref = torch_ref.reference(tm, raw, tags)
    check(compare(m, [vocab[k] for k in raw] if V else raw, tags, ref))


# ---- live: the README's snippets (docs/snippets/) against real torch modules -----------------

def user_configs(n=8):
    """The fixture cases (tests/reference/make_torch_frameworks.py), then random ones:
    (module names, layers, batch_first, bias, dtype, unknown-word token, E, H)."""
    import make_torch_frameworks as mt
    yield from mt.CASES.values()
    rng = np.random.default_rng(77)
    for _ in range(n):
        names = tuple(str(rng.choice(pool)) for pool in (
            ["emb", "embed", "word_emb", "embedding"], ["encoder", "rnn", "lstm", "lstm_stack"],
            ["fc", "classifier", "out", "head", "proj"]))
        yield (names, int(rng.integers(1, 4)), bool(rng.integers(0, 2)), bool(rng.integers(0, 2)),
               str(rng.choice(["float32", "float64"])), str(rng.choice(["<UNK>", "[UNK]", "<unk>"])),
               int(rng.integers(1, 7)), int(rng.integers(1, 9)))


@live
@pytest.mark.parametrize("k, cfg", list(enumerate(user_configs())) if _torch_available() else [],
                         ids=lambda c: ("-".join(c[0]) + f"-L{c[1]}-{c[4]}" if isinstance(c, tuple)
                                        else str(c)))
def test_live_from_pytorch_snippet(k, cfg, tmp_path):
    """A user's own torch tagger saved with from_pytorch.py loads with torch's outputs."""
    import make_torch_frameworks as mt
    names, L, batch_first, bias, dtype, unk, E, H = cfg
    vocab = [unk] + mt.WORDS
    tm = mt.build(200 + k, names, L, batch_first, bias, dtype, E, H, vocab)
    mt.snippet("from_pytorch").save_for_pysim(tm, vocab, mt.TAGS, tmp_path / "tagger.npz",
                                              examples=mt.SENTENCES)
    m = pysim.load(tmp_path / "tagger.npz")
    assert (m.config.num_layers, m.config.hidden_size, m.config.unk) == (L, H, unk)
    for text in mt.SENTENCES:
        ids = mt.word_ids(vocab, unk, text)
        probs, h, c = mt.outputs(tm, ids)
        tr = m.trace(text)
        errs = {k: float(np.max(np.abs(a - b))) for k, a, b in
                (("probs", tr.probs, probs), ("h", tr.h, h), ("c", tr.c, c))}
        assert max(errs.values()) <= mt.TOLERANCE[dtype], (text, errs)


@live
def test_live_to_pytorch_rebuilds_the_module(tmp_path):
    """to_pytorch.py: a pysim file -> a torch module (sizes from the arrays) with pysim's outputs."""
    import torch
    import make_torch_frameworks as mt
    back = mt.snippet("to_pytorch")
    text = "arrive Beijing on Mars 2nd"
    for k, (D, H, L, vocab, tags) in enumerate([
            (3, 4, 1, ["<UNK>"] + mt.WORDS, mt.TAGS), (5, 2, 3, ["[UNK]"] + mt.WORDS, ["a", "b"]),
            (2, 6, 2, ["<unk>"] + mt.WORDS, None), (4, 3, 2, None, mt.TAGS)]):
        m = Model.random(Config(D, H, L, vocab=vocab, tags=tags), seed=k)
        pysim.save(m, tmp_path / f"m{k}.npz")
        tm, meta = back.load_pysim(tmp_path / f"m{k}.npz")
        with torch.no_grad():
            if vocab:
                ids = back.word_ids(meta, text)
                assert ids.tolist() == [list(m.encode(text.split())[0])]
                tr, got = m.trace(text), tm(ids)[0].numpy()
            else:
                x = np.random.default_rng(k).standard_normal((7, D))
                tr, got = m.trace(x), tm(torch.from_numpy(x)[None]).numpy()[0]
        want = tr.probs if tags else tr.h[-1]
        assert np.max(np.abs(got - want)) <= FORWARD_TOL, k
    # a user's file under pysim's names (bias=False) builds back into torch's own numbers
    import json
    name = "torch_embedding_lstm_head_l2_nobias_f64.npz"
    with open(os.path.join(FIXTURES, "frameworks", "expected_torch.json")) as fh:
        s = json.load(fh)["good"][name]["sentences"][0]
    tm, meta = back.load_pysim(os.path.join(FIXTURES, "frameworks", name))
    assert not tm.lstm.bias and tm.lstm.num_layers == 2
    with torch.no_grad():
        assert back.word_ids(meta | {"unk": "<UNK>"}, s["text"]).tolist() == [s["ids"]]
        got = tm(torch.tensor([s["ids"]]))[0].numpy()
    assert np.max(np.abs(got - np.array(s["probs"]))) <= FORWARD_TOL


@live
def test_live_torch_save_files_are_refused(tmp_path):
    import torch
    import make_torch_frameworks as mt
    tm = mt.build(5, ("emb", "encoder", "fc"), 2, True, True, "float64", 3, 4, ["<UNK>"] + mt.WORDS)
    torch.save(tm, tmp_path / "model.pt")
    torch.save(tm.state_dict(), tmp_path / "state.pth")
    for f in ("model.pt", "state.pth"):
        with pytest.raises(pysim.ModelFileError, match="torch.save"):
            pysim.load(tmp_path / f)


if __name__ == "__main__":  # print the worst errors over the live configurations
    if not _torch_available():
        sys.exit("needs torch: run with .venv311/bin/python")
    import torch_ref  # noqa: F401
    worst_f, worst_g = 0.0, 0.0
    for cfg in live_configs():
        _, model, inputs, _, tags, ref = live_case(cfg)
        errs = compare(model, inputs, tags, ref)
        f = max(v for k, v in errs.items() if not k.startswith("d"))
        g = max(v for k, v in errs.items() if k.startswith("d"))
        worst_f, worst_g = max(worst_f, f), max(worst_g, g)
        print("seed={} D={} H={} L={} K={} V={} T={}".format(*cfg), f"forward {f:.2e} grads {g:.2e}")
    print(f"worst forward relative error {worst_f:.2e} (limit {FORWARD_TOL:g}); "
          f"worst gradient relative error {worst_g:.2e} (limit {GRAD_TOL:g})")
