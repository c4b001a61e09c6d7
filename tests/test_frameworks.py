"""Models made by real PyTorch and Keras 3, through the Python API and the CLI.

The files in tests/fixtures/frameworks/ were saved by the frameworks themselves with the README's
snippets (docs/snippets/), next to each framework's own outputs (expected_torch.json,
expected_keras.json; regenerate with tests/reference/make_torch_frameworks.py and
make_keras_frameworks.py). No framework is needed here: every good file must give the
framework's per-step probabilities and every layer's h and c (<= 1e-6 against a float32 model,
<= 1e-12 against a float64 one) through `pysim.load` and `python -m pysim trace --json`; every bad
file must be refused with a message saying what it is, the same in both. The page runs the same
files in tests/web/test_frameworks.py.
"""
from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import pysim
from pysim import cli
from pysim import io as pio
from pysim.io import ModelFileError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "tests", "fixtures", "frameworks")
SNIPPETS = os.path.join(ROOT, "docs", "snippets")


def _expected():
    good, bad = {}, {}
    for name in ("expected_torch.json", "expected_keras.json"):
        with open(os.path.join(DIR, name)) as fh:
            doc = json.load(fh)
        good.update(doc["good"])
        bad.update(doc["bad"])
    return good, bad


GOOD, BAD = _expected()
# what each refusal must name (case-insensitive), beyond being a ModelFileError
BAD_SAYS = {
    "keras_model.keras": ["keras"],
    "keras_save_weights.weights.h5": ["hdf5"],
    "keras_get_weights.npz": ["get_weights"],
    "keras_relu.npz": ["relu", "decoder"],
    "keras_hard_sigmoid.npz": ["hard_sigmoid", "lstm"],
    "torch_save_module.pt": ["torch.save"],
    "torch_save_state_dict.pt": ["torch.save"],
    "torch_state_dict_no_vocab.npz": ["vocabulary"],
}


def path(name):
    return os.path.join(DIR, name)


def worst(got, want):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    return float(np.max(np.abs(got - want)))


def check_outputs(entry, sentence, probs, h, c):
    """pysim's probs (T, K), h and c (L, T, H) against the framework's, at the file's tolerance."""
    errs = {"probs": worst(probs, sentence["probs"]), "h": worst(h, sentence["h"]),
            "c": worst(c, sentence["c"])}
    assert max(errs.values()) <= entry["tol"], (sentence["text"], errs, entry["tol"])


def check_model(entry, model):
    cfg = model.config
    assert (cfg.num_layers, cfg.hidden_size, cfg.input_size) == (
        entry["layers"], entry["hidden"], entry["input"])
    assert len(cfg.vocab) == entry["vocab"] and cfg.tags == entry["tags"]
    assert cfg.unk == entry["unk"]
    for s in entry["sentences"]:
        ids, unknown = model.encode(s["text"].split())
        assert list(ids) == s["ids"], s["text"]
        tr = model.trace(s["text"])
        check_outputs(entry, s, tr.probs, tr.h, tr.c)


def test_fixtures_cover_the_cases_the_issue_names():
    layers = {e["layers"] for e in GOOD.values()}
    assert layers == {1, 2, 3}
    assert {e["unk"] for e in GOOD.values()} >= {"<UNK>", "[UNK]"}
    assert {e["dtype"] for e in GOOD.values()} == {"float32", "float64"}
    torch = [e for n, e in GOOD.items() if n.startswith("torch_")]
    assert {e["batch_first"] for e in torch} == {True, False}
    assert any(e["tol"] == 1e-12 for e in torch)  # float64 compared at 1e-12
    assert not all(e["bias"] for e in torch) and not all(e["bias"] for e in GOOD.values()
                                                         if "paths" in e)
    paths = [p for e in GOOD.values() for p in e.get("paths", ())]
    assert any(p.startswith("time_distributed/") for p in paths)
    assert any("/tagger/" in p for p in paths)  # a TimeDistributed with its own name
    assert {e["class"] for e in GOOD.values() if "class" in e} == {"Sequential", "Functional"}
    stacks = [e["lstm_layers"] for e in GOOD.values() if "lstm_layers" in e]
    assert any(s != sorted(s) for s in stacks)  # names that do not sort in stacking order
    assert set(BAD_SAYS) == set(BAD)
    total = sum(os.path.getsize(path(f)) for f in os.listdir(DIR))
    assert total < 300_000, total


# ---- the Python API ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(GOOD))
def test_api_matches_the_framework(name):
    entry = GOOD[name]
    model = pysim.load(path(name))
    check_model(entry, model)
    with open(path(name), "rb") as fh:
        data = fh.read()
    check_model(entry, pysim.load(data))           # bytes, as the page hands them
    check_model(entry, pio.load_any(io.BytesIO(data)))
    # the example sentences saved by the snippet are kept: the page shows the first
    assert model.meta["examples"] == [s["text"] for s in entry["sentences"]]
    assert pio.example_text(model) == entry["sentences"][0]["text"]
    assert pio.knows_words(model, entry["sentences"][0]["text"])
    assert not pio.knows_words(model, entry["sentences"][1]["text"])  # "zanzibar"


@pytest.mark.parametrize("name", sorted(GOOD))
def test_saved_by_pysim_again_keeps_the_outputs(name):
    """Loaded, saved by pysim, loaded: the same model (now under pysim's names)."""
    entry = GOOD[name]
    again = pysim.load(pio.to_bytes(pysim.load(path(name))))
    check_model(entry, again)
    assert json.loads(str(pio.read_npz(pio.to_bytes(again))["meta"]))["unk"] == entry["unk"]


@pytest.mark.parametrize("name", sorted(n for n, e in GOOD.items() if "names" in e))
def test_torch_module_names_can_be_stated(name):
    entry = GOOD[name]
    check_model(entry, pysim.load(path(name), names=entry["names"]))
    mapping = dict(pair.split("=") for pair in entry["names"].split(","))
    check_model(entry, pysim.load(path(name), names=mapping))


@pytest.mark.parametrize("name", sorted(n for n in GOOD if n.startswith("keras_")))
def test_keras_without_its_config_assumes_sigmoid_and_tanh(name, tmp_path):
    """The same weights without meta["keras_config"]: same numbers, and it says what it assumed."""
    with zipfile.ZipFile(path(name)) as z:  # keep the members in the file's order
        arrays = {n[:-4]: np.load(io.BytesIO(z.read(n))) for n in z.namelist()}
    meta = json.loads(str(arrays["meta"]))
    assert meta.pop("keras_config")["config"]["layers"]
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(tmp_path / "no_config.npz", **arrays)
    model = pysim.load(tmp_path / "no_config.npz")
    check_model(GOOD[name], model)
    assumed = str(model.meta["assumed"])
    assert "sigmoid" in assumed and "tanh" in assumed
    assert "assumed" not in pysim.load(path(name)).meta


def refusal(name) -> str:
    with pytest.raises(ModelFileError) as e:
        pysim.load(path(name))
    msg = str(e.value)
    for word in BAD_SAYS[name]:
        assert word.lower() in msg.lower(), (name, word, msg)
    return msg


@pytest.mark.parametrize("name", sorted(BAD))
def test_api_refuses_with_its_message(name):
    msg = refusal(name)
    with open(path(name), "rb") as fh:
        with pytest.raises(ModelFileError) as again:
            pio.load_any(fh.read())
    assert str(again.value) == msg  # one loader: the same text from bytes as from a path


@pytest.mark.parametrize("name", ["torch_save_module.pt", "torch_save_state_dict.pt"])
def test_torch_save_files_are_never_unpickled(name, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("pysim unpickled a file")
    for attr in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, attr, refuse)
    refusal(name)


def test_a_state_dict_without_vocabulary_loads_once_given_one(tmp_path):
    entry = GOOD[BAD["torch_state_dict_no_vocab.npz"]["same_as"]]
    vocab, tags = BAD["torch_state_dict_no_vocab.npz"]["vocab"], entry["tags"]
    model = pysim.load(path("torch_state_dict_no_vocab.npz"), vocab=vocab, tags=tags)
    check_model(entry, model)
    words = tmp_path / "vocab.txt"
    words.write_text("\n".join(vocab) + "\n")
    check_model(entry, pysim.load(path("torch_state_dict_no_vocab.npz"), vocab=str(words),
                                  tags=tags))


# ---- the CLI -----------------------------------------------------------------------------------

def run_cli(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(GOOD))
def test_cli_matches_the_framework(name, capsys):
    entry = GOOD[name]
    for s in entry["sentences"]:
        code, out, err = run_cli(capsys, "trace", "--model", path(name), "--text", s["text"],
                                 "--json")
        assert code == 0, err
        d = json.loads(out)
        assert d["tokens"] == s["text"].split() and d["tags"] == entry["tags"]
        check_outputs(entry, s, d["probs"], [layer["h"] for layer in d["layers"]],
                      [layer["c"] for layer in d["layers"]])


def test_cli_states_module_names_and_a_vocabulary_file(capsys, tmp_path):
    name = "torch_emb_encoder_fc_l1_f32.npz"
    entry, s = GOOD[name], GOOD[name]["sentences"][1]
    code, out, err = run_cli(capsys, "trace", "--model", path(name), "--names", entry["names"],
                             "--text", s["text"], "--json")
    assert code == 0, err
    d = json.loads(out)
    check_outputs(entry, s, d["probs"], [x["h"] for x in d["layers"]],
                  [x["c"] for x in d["layers"]])
    words = tmp_path / "vocab.json"
    words.write_text(json.dumps(BAD["torch_state_dict_no_vocab.npz"]["vocab"]))
    code, out, err = run_cli(capsys, "trace", "--model", path("torch_state_dict_no_vocab.npz"),
                             "--vocab", str(words), "--text", s["text"], "--json")
    assert code == 0, err
    d = json.loads(out)
    check_outputs(entry, s, d["probs"], [x["h"] for x in d["layers"]],
                  [x["c"] for x in d["layers"]])


@pytest.mark.parametrize("name", sorted(BAD))
def test_cli_refuses_with_the_same_message(name, capsys):
    msg = refusal(name)
    code, out, err = run_cli(capsys, "trace", "--model", path(name), "--text", "arrive", "--json")
    assert code == cli.USAGE_ERROR and out == ""
    assert msg in err, (msg, err)  # the whole message, every line of it
    assert "Traceback" not in err


def test_cli_process_prints_no_traceback():
    """As a user runs it: a torch.save file gives the message and exit code 2, nothing else."""
    msg = refusal("torch_save_module.pt")
    r = subprocess.run([sys.executable, "-m", "pysim", "trace", "--model",
                        path("torch_save_module.pt"), "--text", "arrive"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and r.stdout == "" and "Traceback" not in r.stderr
    assert msg in r.stderr


# ---- the README's snippets ---------------------------------------------------------------------

@pytest.mark.parametrize("snippet", sorted(os.listdir(SNIPPETS)))
def test_readme_shows_each_snippet_verbatim(snippet):
    with open(os.path.join(SNIPPETS, snippet)) as fh:
        code = fh.read()
    with open(os.path.join(ROOT, "README.md")) as fh:
        readme = fh.read()
    assert f"```python\n{code}```" in readme, \
        f"README.md's copy of docs/snippets/{snippet} differs from the file"
