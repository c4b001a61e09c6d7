"""End to end: models made by real PyTorch and Keras 3 (tests/fixtures/frameworks/), loaded on the
page. Each good file shows the framework's own numbers: after loading, the text box holds the
file's first example sentence and `pysim.state()` holds torch's / Keras's per-step probabilities
and every layer's h and c (<= 1e-6 against float32, <= 1e-12 against float64); so does a second
sentence typed after it. Each bad file is refused with the same message as the Python API and the
CLI (tests/test_frameworks.py), and the model on screen stays. Real Chromium, Pyodide, BokehJS;
any console error, page error or dialog fails."""
from __future__ import annotations

import numpy as np
import pytest

from tests.test_frameworks import BAD, GOOD, check_outputs, path, refusal

pytestmark = pytest.mark.e2e
LOAD = "async ([b, name]) => window.pysim.loadModel(new Uint8Array(b), name)"
MODEL = "name => window.pysim.model(name)"


def state(page):
    return page.evaluate("window.pysim.state()")


def file_bytes(name):
    with open(path(name), "rb") as fh:
        return list(fh.read())


def check_state(entry, sentence, st):
    assert st["text"] == sentence["text"]
    assert st["tokens"] == sentence["text"].split()
    assert st["tags"] == entry["tags"]
    assert len(st["layers"]) == entry["layers"]
    T = len(sentence["ids"])
    check_outputs(entry, sentence, np.array(st["probs"]).reshape(T, -1),
                  [layer["h"] for layer in st["layers"]], [layer["c"] for layer in st["layers"]])


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_framework_model_shows_the_frameworks_numbers(page, name):
    entry = GOOD[name]
    page.evaluate("window.pysim.setPreset('beijing')")
    page.evaluate("window.pysim.setText('zzz qqq')")  # words no fixture model knows
    info = page.evaluate(LOAD, [file_bytes(name), name])
    assert (info["layers"], info["hidden"], info["input"], info["vocab"]) == (
        entry["layers"], entry["hidden"], entry["input"], entry["vocab"])
    assert info["text"] == entry["sentences"][0]["text"]  # the file's first example
    st = state(page)
    assert st["preset"] == info["name"] and name in st["preset"]
    check_state(entry, entry["sentences"][0], st)
    report = page.evaluate(f"({MODEL})('model_report').text")
    assert f"{entry['layers']} LSTM layer" in report, report
    # a sentence with a word the model does not know: its unknown-word token
    page.evaluate("text => window.pysim.setText(text)", entry["sentences"][1]["text"])
    check_state(entry, entry["sentences"][1], state(page))


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_framework_file_gets_its_message_and_the_model_stays(page, name):
    msg = refusal(name)  # the Python API's message: the page shows the same
    page.evaluate("window.pysim.setPreset('beijing')")
    before = state(page)
    with pytest.raises(Exception) as e:
        page.evaluate(LOAD, [file_bytes(name), name])
    flat = " ".join(msg.split())
    rejected = " ".join(str(e.value).split())
    assert flat in rejected, f"loadModel rejected with\n{rejected}\nnot\n{flat}"
    assert state(page) == before
    shown = " ".join(page.inner_text("#pysim-message").split())
    assert flat in shown and name in shown, f"the page shows\n{shown}\nnot\n{flat}"
    assert name not in page.evaluate(f"({MODEL})('preset').options")
