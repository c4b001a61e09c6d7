"""python -m pysim trace --model: the one loader (Keras files, --names, --vocab) and its whole
message on stderr, exit code 2, never a traceback."""
import io
import json
import subprocess
import sys

import numpy as np

from pysim import cli
from pysim.api import trace_json
from pysim.io import load, state_dict
from tests.test_keras import keras_weights, model as keras_model, with_meta
from tests.helpers import TEXT, npz
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
    from tests.test_io import corrupt_deflate, to_bytes, word_model as io_model
    bad = corrupt_deflate(to_bytes(io_model()), "lstm.weight_ih_l0.npy")
    path = write(tmp_path, "bad.npz", bad)
    p = subprocess.run([sys.executable, "-m", "pysim", "trace", "--model", path, "--text", "a"],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.startswith("pysim: error: array 'lstm.weight_ih_l0': cannot be read, the "
                               "archive is damaged (error: ")
    assert "Traceback" not in p.stderr
