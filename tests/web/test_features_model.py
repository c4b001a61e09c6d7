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
from tests.conftest import heatmap
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
    page.locator("input[type=file][accept='.npz']").set_input_files(files=[{
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


# ---- the model on screen is one model: views, menu, status line, text box, state() --------------

ARTICLE = list(presets.ARTICLE_SENTENCES)
DESTROYED = "already destroyed"  # BokehJS's warning for a view removed twice


def watch_warnings(page):
    """Console warnings from now on (the page's ConsoleWatch fails a test on errors only)."""
    seen = []
    page.on("console", lambda m: m.type == "warning" and seen.append(m.text))
    return seen


def assert_shows(page, model, name, text, box=None, article=False):
    """Every part of the page describes `model` (loaded as `name`) reading `text`."""
    st = state(page)
    assert st["preset"] == name and st["text"] == text, (st["preset"], st["text"])
    assert_state_is_native_trace(st, model)
    cfg = model.config
    assert len(st["layers"]) == cfg.num_layers and len(st["layers"][0]["f"][0]) == cfg.hidden_size
    want = api.trace_json(model, text)["layers"][st["layer"]]
    for k in "fc":  # the heatmaps show this model's trace (H x T images)
        np.testing.assert_allclose(heatmap(page, k), want[k], rtol=TOL, atol=TOL)
    assert page.evaluate(f"({MODEL})('layer').options.length") == cfg.num_layers
    assert page.evaluate(f"({MODEL})('unit').options.length") == cfg.hidden_size
    assert page.evaluate(f"({MODEL})('preset').value") == name
    layers = f"{cfg.num_layers} layer{'s' if cfg.num_layers > 1 else ''} \u00d7 {cfg.hidden_size} units"
    note = page.inner_text("#pysim-model-note")
    assert name in note and layers in note, note
    assert page.evaluate(f"({MODEL})('text').value") == (text if box is None else box)
    for k in (0, 1):
        assert page.evaluate(f"({MODEL})('article_{k}').visible") is article
        assert page.get_by_role("button", name=ARTICLE[k]).is_visible() is article


def test_a_new_model_brings_a_text_it_reads_or_an_empty_prompt_never_the_old_trace(page):
    warnings = watch_warnings(page)
    page.evaluate("window.pysim.setPreset('beijing')")
    two = word_model(L=2, H=4, D=3, seed=1)
    page.evaluate(LOAD, [list(pio.to_bytes(two)), "two.npz"])
    page.evaluate("window.pysim.setText('leave Beijing on November 2nd')")
    assert_shows(page, two, "file: two.npz", "leave Beijing on November 2nd", article=True)
    # three layers, its unknown-word token spelled <UNK>, an example of its own: it knows no
    # word of the text on screen, so the text box gets its example
    three = Model.random(Config(4, 6, 3, vocab=["<UNK>", "alpha", "beta", "gamma"],
                                tags=["O", "X"]), seed=2, meta={"examples": ["alpha gamma beta"]})
    info = page.evaluate(LOAD, [list(pio.to_bytes(three)), "three.npz"])
    assert info["text"] == "alpha gamma beta" and info["unk"] == "<UNK>" and not info["article"]
    assert_shows(page, three, "file: three.npz", "alpha gamma beta")
    # no unknown-word token, no example, no word of the text: an empty box that says what it
    # reads; the views show it reading one word of its vocabulary
    bare = Model.random(Config(3, 2, 1, vocab=["<pad>", "delta", "epsilon"], tags=["O", "Y"]),
                        seed=3)
    info = page.evaluate(LOAD, [list(pio.to_bytes(bare)), "bare.npz"])
    assert (info["text"], info["probe"], info["unk"]) == ("", "delta", None)
    assert_shows(page, bare, "file: bare.npz", "delta", box="")
    placeholder = page.evaluate(f"({MODEL})('text').placeholder")
    assert placeholder == "This model reads words (a vocabulary of 3: <pad>, delta, epsilon); " \
                          "type a sentence", placeholder
    message = page.inner_text("#pysim-message")
    assert placeholder in message and "\u201cdelta\u201d" in message, message
    report = page.evaluate(f"({MODEL})('model_report').text")
    assert "no unknown-word token" in report and "type a sentence" in report, report
    # a word it does not know is refused; everything stays as it was
    before = state(page)
    with pytest.raises(Exception, match="not in the model's vocabulary"):
        page.evaluate("window.pysim.setText('leave Beijing')")
    assert state(page) == before
    # back to a preset: the article's buttons again; to the bare model with a text it cannot
    # read: its own view again (empty box, the probe word)
    page.evaluate("window.pysim.setPreset('beijing')")
    assert_shows(page, presets.load("beijing"), "beijing", ARTICLE[0], article=True)
    page.evaluate("window.pysim.setText('leave Beijing')")
    page.evaluate("window.pysim.setPreset('file: bare.npz')")
    assert_shows(page, bare, "file: bare.npz", "delta", box="")
    page.evaluate("window.pysim.setPreset('file: three.npz')")
    assert_shows(page, three, "file: three.npz", "alpha gamma beta")
    page.evaluate("window.pysim.setPreset('memory')")
    assert_shows(page, presets.load("memory"), "memory", presets.default_text("memory"))
    page.evaluate("window.pysim.setPreset('beijing')")
    assert not [w for w in warnings if DESTROYED in w], warnings


def test_refusals_are_shown_whole_and_a_vocabulary_file_completes_a_model(page):
    page.evaluate(TAB, "panel_model")
    page.evaluate("window.pysim.setPreset('beijing')")
    # a Keras file without its config: the page says what it assumed
    keras = word_model(L=1, H=4, D=3, seed=4)
    page.evaluate(LOAD, [list(npz(**keras_arrays(keras))), "keras.npz"])
    report = page.evaluate(f"({MODEL})('model_report').text")
    assert "Note: sigmoid gates and tanh assumed: the file carries no Keras config." in report
    # a multi-line refusal is shown whole, line by line
    arrays = pio.state_dict(word_model(L=1, seed=5))
    buf = io.BytesIO()
    np.savez(buf, *arrays.values())
    with pytest.raises(pio.ModelFileError) as want:
        pio.load(buf.getvalue())
    lines = str(want.value).splitlines()
    assert len(lines) > 2
    before = state(page)
    with pytest.raises(Exception, match="unnamed arrays"):
        page.evaluate(LOAD, [list(buf.getvalue()), "weights.npz"])
    assert state(page) == before
    shown = page.inner_text("#pysim-message").splitlines()
    assert all(line in shown for line in lines), shown
    assert shown[0] == "weights.npz was not loaded:" and shown[-1].endswith("stays.")
    # an embedding without a vocabulary: refused, saying so; a vocabulary file chosen on the tab
    # then loads it (one word per line)
    words = word_model(L=1, seed=5).config.vocab
    data = npz(**arrays)
    page.locator("input[type=file][accept='.npz']").set_input_files(files=[{
        "name": "novocab.npz", "mimeType": "application/octet-stream", "buffer": data}])
    page.wait_for_function("document.getElementById('pysim-message').innerText"
                           ".includes('novocab.npz was not loaded')")
    assert "no vocabulary" in page.inner_text("#pysim-message")
    assert state(page)["preset"] == "file: keras.npz"
    page.locator("input[type=file][accept='.txt,.json']").set_input_files(files=[{
        "name": "words.txt", "mimeType": "text/plain",
        "buffer": ("\n".join(words) + "\n").encode()}])
    page.wait_for_function("window.pysim.state().preset === 'file: novocab.npz'")
    model = pio.load(data, vocab=words)
    assert_shows(page, model, "file: novocab.npz", ARTICLE[0], article=True)
    assert "the vocabulary from words.txt" in page.evaluate(f"({MODEL})('model_report').text")
    # through the API: a JSON vocabulary and module names of the user's own
    own = {k.replace("embedding.", "emb.").replace("lstm.", "encoder.").replace("head.", "fc."): v
           for k, v in pio.state_dict(word_model(L=2, seed=6)).items()}
    data = npz(**own)
    names = "emb=embedding,encoder=lstm,fc=head"
    info = page.evaluate("async ([b, v, n]) => window.pysim.loadModel(new Uint8Array(b), "
                         "'own.npz', {vocab: v, names: n})", [list(data), json.dumps(words), names])
    assert (info["layers"], info["vocab"]) == (2, len(words))
    model = pio.load(data, vocab=words, names=names)
    assert_shows(page, model, "file: own.npz", ARTICLE[0], article=True)
    # a preset and back: the model comes back as it was loaded (with its vocabulary)
    page.evaluate("window.pysim.setPreset('memory')")
    page.evaluate("window.pysim.setPreset('file: own.npz')")
    assert_shows(page, model, "file: own.npz", ARTICLE[0], article=True)
    page.evaluate("window.pysim.setPreset('beijing')")


def test_retry_brings_back_a_model_loaded_with_a_vocabulary(page):
    """Python crashes while a model loaded with a vocabulary file (and no unknown-word token) is
    on screen: Retry brings that model back, vocabulary and all, with the text asked for."""
    from tests.web.test_faults import crash_and_retry
    page.watch.allowed += ["simulated crash"]
    words = ["delta", "epsilon", "zeta"]
    model = Model.random(Config(3, 4, 2, vocab=words, tags=["O", "Y"]), seed=8)
    data = npz(**pio.state_dict(model))
    info = page.evaluate("async ([b, v]) => window.pysim.loadModel(new Uint8Array(b), "
                         "'kept.npz', {vocab: v})", [list(data), words])
    assert info["probe"] == "delta" and not info["article"]
    model = pio.load(data, vocab=words)  # the file names no tags: tag0, tag1
    crash_and_retry(page, "epsilon zeta")
    assert_shows(page, model, "file: kept.npz", "epsilon zeta")
    page.evaluate("window.pysim.setPreset('beijing')")  # it reads them as <unk>
    assert_shows(page, presets.load("beijing"), "beijing", "epsilon zeta", article=True)
    page.evaluate(f"window.pysim.setText({ARTICLE[0]!r})")


def test_loads_in_a_row_print_no_bokeh_warnings(page):
    """Models with 1..3 tags in turn: the tag axis's labels change size every time."""
    warnings = watch_warnings(page)
    page.evaluate(TAB, "panel_model")
    for k, tags in enumerate([["O", "a", "b"], ["O"], ["O", "a"], ["O", "a", "b"], ["O"]]):
        m = Model.random(Config(3, 2 + k, 1 + k % 3, vocab=word_model().config.vocab, tags=tags),
                         seed=k)
        page.evaluate(LOAD, [list(pio.to_bytes(m)), f"row{k}.npz"])
        assert_shows(page, m, f"file: row{k}.npz", ARTICLE[0], article=True)
        ticks = page.evaluate(f"({MODEL})('probs_ticks').ticks")
        assert len(ticks) == len(tags)
    page.evaluate("window.pysim.setPreset('beijing')")
    assert not [w for w in warnings if DESTROYED in w], warnings


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
