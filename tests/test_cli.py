"""python -m pysim (pysim.cli): trace a preset, a model file or vectors (--json or a table), train
a task; the one loader (Keras files, --names, --vocab) and its whole message on stderr, exit code
2, never a traceback."""
import io
import json
import subprocess
import sys

import numpy as np
import pytest

import pysim.io
from pysim import cli, presets, tasks
from pysim.api import trace_json
from pysim.cli import main
from pysim.io import load, state_dict
from pysim.model import Config, Model
from tests.helpers import TEXT, npz
from tests.test_keras import keras_weights, model as keras_model, with_meta
from tests.test_words import model as word_model, renamed


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def test_cli_traces_a_keras_file(tmp_path, capsys):
    m = keras_model(L=2, seed=3)
    buf = io.BytesIO()
    np.savez(buf, **with_meta(keras_weights(m, ["encoder", "decoder"], prefix="sequential/")))
    path = write(tmp_path, "keras.npz", buf.getvalue())
    code, out, err = run(["trace", "--model", path, "--text", TEXT, "--json"], capsys)
    assert (code, err) == (0, "")  # before: refused as "not a pysim model array"
    got = json.loads(out)
    want = trace_json(m, TEXT)
    np.testing.assert_allclose(got["probs"], np.asarray(want["probs"]), rtol=1e-15, atol=1e-15)
    assert got["tokens"] == TEXT.split() and len(got["layers"]) == 2


def test_cli_prints_the_whole_message_and_exits_2(tmp_path, capsys):
    data = b"\x80\x02}q\x00."  # a pickle: torch.save's legacy format
    code, out, err = run(["trace", "--model", write(tmp_path, "m.pt", data), "--text", "a"], capsys)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert lines[0] == ("pysim: error: not a model file: this is a pickle (torch.save's legacy "
                        "format), which pysim never loads. Save the state_dict as .npz:")
    assert lines[1:] == [
        "    import json, numpy as np",
        "    arrays = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}",
        '    meta = {"vocab": list(vocab), "tags": list(tags)}  # vocab[i]: the word of '
        "embedding row i",
        '    np.savez_compressed("model.npz", **arrays, meta=np.array(json.dumps(meta)))']


def test_cli_names_and_vocab(tmp_path, capsys):
    m = word_model(L=1, H=3, D=3)
    arrays = {k: v for k, v in renamed(m, "a", "encoder", "b").items() if k != "b.bias"}
    path = write(tmp_path, "m.npz", npz(**arrays))  # no meta: needs --vocab, and --names
    vocab = tmp_path / "vocab.txt"
    vocab.write_text("\n".join(m.config.vocab) + "\n", encoding="utf-8")
    code, _, err = run(["trace", "--model", path, "--text", TEXT], capsys)
    assert code == 2 and err.startswith("pysim: error: cannot tell what 'a', 'b' are")
    code, _, err = run(["trace", "--model", path, "--names", "a=embedding,b=head", "--text",
                        TEXT], capsys)
    assert code == 2 and "the model reads words" in err and "--vocab FILE" in err
    code, out, err = run(["trace", "--model", path, "--names", "a=embedding,b=head", "--vocab",
                          str(vocab), "--text", TEXT, "--json"], capsys)
    assert (code, err) == (0, "")
    want = load(npz(**arrays), vocab=m.config.vocab, names={"a": "embedding", "b": "head"})
    m.head_b[:] = 0  # the file has no head bias
    np.testing.assert_array_equal(json.loads(out)["probs"], m.trace(TEXT).probs)
    np.testing.assert_array_equal(want.trace(TEXT).probs, m.trace(TEXT).probs)
    code, _, err = run(["trace", "--preset", "beijing", "--vocab", str(vocab), "--text", "a"],
                       capsys)
    assert code == 2 and err == "pysim: error: --vocab and --names go with --model FILE\n"


def test_cli_unknown_word_message(tmp_path, capsys):
    m = word_model(vocab=["arrive", "beijing"])
    path = write(tmp_path, "m.npz", npz(**state_dict(m), meta={"vocab": m.config.vocab}))
    code, _, err = run(["trace", "--model", path, "--text", "arrive Paris"], capsys)
    assert code == 2 and err.startswith("pysim: error: word 'Paris' is not in the model's "
                                        "vocabulary and the model has no unknown-word token")


def test_cli_damaged_file_in_a_real_process(tmp_path):
    """A corrupt deflate stream: the message, exit 2, no traceback (before: zlib.error)."""
    from pysim.io import to_bytes
    from tests.helpers import word_model as io_model
    from tests.test_npzfile import corrupt_deflate
    bad = corrupt_deflate(to_bytes(io_model()), "lstm.weight_ih_l0.npy")
    path = write(tmp_path, "bad.npz", bad)
    p = subprocess.run([sys.executable, "-m", "pysim", "trace", "--model", path, "--text", "a"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("pysim: error: array 'lstm.weight_ih_l0': cannot be read, the "
                               "archive is damaged (error: ")
    assert "Traceback" not in p.stderr


# ---- trace and train --------------------------------------------------------------------

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
