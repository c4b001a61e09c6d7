"""End to end: gradient flow, loading your own model (PyTorch / Keras names, bad files) and the
exports (CSV, JSON, model file). Real Chromium, Pyodide and BokehJS; any console error, page
error or dialog fails."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from pysim import api, io as pio, presets, rnn
from pysim.model import Config, Model
from tests.test_live import keras_arrays, npz, word_model

pytestmark = pytest.mark.e2e
TOL = 1e-12
TAB = """name => { const t = window.pysim.model('panels');
  t.active = t.tabs.findIndex(p => p.name === name); }"""
MODEL = "name => window.pysim.model(name)"
LOAD = "async ([b, name]) => window.pysim.loadModel(new Uint8Array(b), name)"


def state(page):
    return page.evaluate("window.pysim.state()")


def assert_state_is_native_trace(st, model, tol=TOL):
    ref = api.trace_json(model, st["text"])
    assert st["tokens"] == ref["tokens"] and st["tags"] == ref["tags"]
    assert len(st["layers"]) == len(ref["layers"])
    for got, want in zip(st["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=tol, atol=tol)
    np.testing.assert_allclose(np.array(st["probs"]).reshape(len(ref["probs"]), -1),
                               np.array(ref["probs"]).reshape(len(ref["probs"]), -1),
                               rtol=tol, atol=tol)


# ---- gradient flow ---------------------------------------------------------------------------

def test_gradient_flow_is_pysims_backprop_and_the_rnn_vanishes(page):
    page.evaluate("window.pysim.setPreset('memory')")
    text = state(page)["text"]
    assert text == presets.default_text("memory")
    page.evaluate(TAB, "panel_gflow")  # opening the tab computes it
    page.wait_for_function(f"({MODEL})('gflow_src').data.t.length === {len(text.split())}")
    got = page.evaluate("window.pysim.gradientFlow()")
    lstm, plain = rnn.compare(presets.load("memory"), text.split())
    np.testing.assert_allclose(got["lstm"], lstm, rtol=1e-9, atol=0)
    np.testing.assert_allclose(got["rnn"], plain, rtol=1e-9, atol=0)
    assert got["tokens"] == text.split()
    # over 25 steps the RNN's gradient shrinks by orders of magnitude more than the LSTM's
    assert plain[0] / plain[-1] < 1e-6 and lstm[0] / lstm[-1] > 1e-2
    plotted = page.evaluate(f"({MODEL})('gflow_src').data")
    np.testing.assert_allclose(plotted["rnn"], plain, rtol=1e-9)
    assert plotted["token"] == text.split()
    assert page.evaluate(f"({MODEL})('gflow_fig').y_scale.type") == "LogScale"
    # a new trace while the tab is open recomputes it
    page.evaluate("window.pysim.setText('B x y ?')")
    page.wait_for_function(f"({MODEL})('gflow_src').data.t.length === 4")
    lstm, plain = rnn.compare(presets.load("memory"), "B x y ?".split())
    np.testing.assert_allclose(page.evaluate(f"({MODEL})('gflow_src').data.lstm"), lstm, rtol=1e-9)
    assert "plain RNN" in page.evaluate(f"({MODEL})('gflow_status').text")


# ---- loading models ----------------------------------------------------------------------------

def test_loading_a_pytorch_style_file_shows_that_model(page):
    page.evaluate(TAB, "panel_model")
    page.evaluate("window.pysim.setText('arrive Beijing on November 2nd')")
    model = Model.random(Config(6, 5, 2, vocab=None, tags=["O", "X", "Y"]), seed=7,
                         meta={"description": "a test upload"})
    info = page.evaluate(LOAD, [list(pio.to_bytes(model)), "vectors.npz"])
    assert (info["layers"], info["hidden"], info["input"], info["vocab"]) == (2, 5, 6, 0)
    assert info["tags"] == ["O", "X", "Y"] and info["name"] == "file: vectors.npz"
    st = state(page)
    assert st["preset"] == "file: vectors.npz"
    assert_state_is_native_trace(st, model)
    report = page.evaluate(f"({MODEL})('model_report').text")
    assert "2 LSTM layers \u00d7 5 units" in report and "vectors of width 6" in report
    assert "3 tags: O, X, Y" in report
    assert "fixed pseudo-random vector" in page.inner_text("#pysim-message")  # the trace's notice
    # the preset selector lists it; another preset and back
    assert "file: vectors.npz" in page.evaluate(f"({MODEL})('preset').options")
    page.evaluate("window.pysim.setPreset('beijing')")
    page.evaluate("window.pysim.setPreset('file: vectors.npz')")
    assert_state_is_native_trace(state(page), model)
    # a link cannot carry the file: it keeps the text and says the model stays in this tab
    page.evaluate("window.pysim.setText('leave Beijing')")
    page.evaluate(LOAD, [list(pio.to_bytes(model)), "again.npz"])  # loaded with this text
    url = page.evaluate("window.pysim.url()")
    assert "preset=" not in url and "text=leave+Beijing" in url
    page.get_by_role("button", name="Copy link to this view").click()  # says so once copied
    page.wait_for_function("document.getElementById('pysim-message').innerText.includes('Link')"
                           " || document.getElementById('pysim-message').innerText.includes('link')")
    message = page.inner_text("#pysim-message")
    assert "lives only in this tab" in message and "exact view" not in message, message
    page.evaluate("window.pysim.setPreset('beijing')")


def test_loading_keras_weights_through_the_file_input(page):
    m = word_model(L=1, H=4, D=3)
    data = npz(**keras_arrays(m))
    page.locator("input[type=file]").set_input_files(files=[{
        "name": "keras <i>model</i>.npz", "mimeType": "application/octet-stream", "buffer": data}])
    page.wait_for_function("window.pysim.state().preset === 'file: keras <i>model</i>.npz'")
    report = page.evaluate(f"({MODEL})('model_report').text")
    assert "(Keras names)" in report and "an embedding of 7 words \u00d7 3" in report
    assert page.get_by_text("Loaded keras <i>model</i>.npz").count() == 1  # text, not HTML
    assert_state_is_native_trace(state(page), pio.load_any(data))
    assert "keras <i>model</i>.npz" in page.inner_text("#pysim-model-note")


@pytest.mark.parametrize("name, data, reason", [
    ("garbage.npz", b"this is not a zip file at all", "not a model file"),
    ("shapes.npz", npz(**{"lstm.weight_ih_l0": np.zeros((16, 3)),
                          "lstm.weight_hh_l0": np.zeros((16, 5))}), "expected (4H, H)"),
    ("nan.npz", None, "NaN or infinity"),
])
def test_a_bad_file_is_refused_and_the_model_stays(page, name, data, reason):
    if data is None:
        arrays = pio.state_dict(word_model(L=1))
        arrays["lstm.weight_hh_l0"][0, 0] = np.nan
        data = npz(**arrays)
    before = state(page)
    with pytest.raises(Exception, match=reason.replace("(", r"\(").replace(")", r"\)")):
        page.evaluate(LOAD, [list(data), name])
    assert state(page) == before
    message = page.inner_text("#pysim-message")
    assert name in message and reason in message and "stays" in message
    assert reason in page.evaluate(f"({MODEL})('model_report').text")
    assert name not in page.evaluate(f"({MODEL})('preset').options")


# ---- exports ---------------------------------------------------------------------------------

def test_csv_and_json_exports_match_the_state(page):
    page.evaluate("window.pysim.setPreset('beijing')")
    page.evaluate("window.pysim.setText('leave \"Bei,jing\" on November 2nd')")
    st = state(page)
    rows = list(csv.DictReader(io.StringIO(page.evaluate("window.pysim.exportCSV()"))))
    L, T, H = len(st["layers"]), len(st["tokens"]), len(st["layers"][0]["f"][0])
    assert len(rows) == L * T * H
    assert list(rows[0]) == ["layer", "step", "token", "unit", "f", "i", "g", "o", "c", "h"]
    for r in rows:
        l, t, u = int(r["layer"]), int(r["step"]), int(r["unit"])
        assert r["token"] == st["tokens"][t]
        for k in "figoch":
            assert float(r[k]) == st["layers"][l][k][t][u]  # full precision, exactly
    assert rows[T * 0 + H]["token"] == '"Bei,jing"'
    probs = list(csv.reader(io.StringIO(page.evaluate("window.pysim.exportProbsCSV()"))))
    assert probs[0] == ["step", "token"] + st["tags"]
    assert [[float(x) for x in row[2:]] for row in probs[1:]] == st["probs"]
    assert json.loads(page.evaluate("window.pysim.exportJSON()")) == st


def test_downloads_are_real_files(page):
    page.evaluate(TAB, "panel_model")
    st = state(page)
    with page.expect_download() as dl:
        page.get_by_role("button", name="Everything (JSON)").click()
    assert json.loads(open(dl.value.path(), encoding="utf-8").read()) == st
    assert dl.value.suggested_filename.endswith(".json")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Trace (CSV)").click()
    assert open(dl.value.path(), encoding="utf-8", newline="").read() == page.evaluate(
        "window.pysim.exportCSV()")
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download model (.npz)").click()
    model = pio.load(open(dl.value.path(), "rb").read())
    assert_state_is_native_trace(st, model)
    assert dl.value.suggested_filename == "pysim-beijing.npz"


def test_every_plot_saves_as_png(page):
    figs = page.evaluate("""() => Bokeh.documents.flatMap((d) => [...d.all_models]).filter(m => m.type === 'Figure')
        .map(m => [m.name, m.toolbar.tools.filter(t => t.type === 'SaveTool').map(t => t.filename)])""")
    names = {name for name, _ in figs}
    ours = {f"fig_{k}" for k in "fiogch"} | {"tok_fig", "unit_fig", "probs_fig", "train_loss_fig",
                                             "train_acc_fig", "gflow_fig"}
    assert ours <= names
    missing = [name for name, saves in figs if name in ours and not saves]
    assert not missing, missing
    # every save tool has a file name: BokehJS would otherwise ask for one in a prompt() dialog
    assert all(all(saves) for _, saves in figs if saves), figs
    # a real click on the forget-gate heatmap's (auto-hiding) save tool downloads a PNG
    fig = page.locator(".bk-Figure").nth(1)
    fig.scroll_into_view_if_needed()
    box = fig.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    with page.expect_download() as dl:
        fig.locator(".bk-tool-icon-save").click()
    assert dl.value.suggested_filename == "pysim-f.png"
    assert open(dl.value.path(), "rb").read(8) == b"\x89PNG\r\n\x1a\n"
