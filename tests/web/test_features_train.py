"""End to end: training in the browser (the Train tab), pause, divergence and the trained model's
download. Real Chromium, Pyodide and BokehJS; any console error, page error or dialog fails.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from pysim import api, io as pio, presets
from tests.conftest import new_page

pytestmark = pytest.mark.e2e
TOL = 1e-12
TAB = """name => { const t = window.pysim.model('panels');
  t.active = t.tabs.findIndex(p => p.name === name); }"""
MODEL = "name => window.pysim.model(name)"


@pytest.fixture(scope="module")
def page(browser, server):
    page = new_page(browser)
    page.goto(server)
    page.evaluate("window.pysim.ready")
    page.evaluate(TAB, "panel_train")
    yield page
    page.context.close()


def text_of(page, name):
    return page.evaluate(f"({MODEL})({json.dumps(name)}).text")


def assert_state_is_native_trace(state, model, tol=TOL):
    ref = api.trace_json(model, state["text"])
    assert state["tokens"] == ref["tokens"]
    for got, want in zip(state["layers"], ref["layers"]):
        for k in "figoch":
            np.testing.assert_allclose(got[k], want[k], rtol=tol, atol=tol)
    np.testing.assert_allclose(state["probs"], ref["probs"], rtol=tol, atol=tol)


def test_training_beijing_reaches_100_percent_and_tags_the_article(page):
    result = page.evaluate("window.pysim.train({task: 'beijing', until: 1, reset: true})")
    assert result["stopped"] == "reached"
    held = result["heldOut"][-1]
    assert held["accuracy"] == 1.0 and held["step"] == result["steps"]
    steps = [r["step"] for r in result["records"]]
    assert steps == list(range(1, result["steps"] + 1))
    assert all(np.isfinite(r["loss"]) for r in result["records"])
    print(f"\nbrowser training to 100% held-out accuracy on beijing: {result['seconds']:.2f} s, "
          f"{result['steps']} steps")
    # the page shows the model being trained, and says so
    state = page.evaluate("window.pysim.state()")
    assert state["preset"] == "trained: beijing"
    assert "being trained in your browser on beijing" in page.inner_text("#pysim-model-note")
    assert page.evaluate(f"({MODEL})('preset').value") == "trained: beijing"
    tags = state["tags"]
    for sentence, tag in (("arrive Beijing on November 2nd", "destination"),
                          ("leave Beijing on November 2nd", "departure")):
        page.evaluate("t => window.pysim.setText(t)", sentence)
        probs = page.evaluate("window.pysim.state().probs")
        assert [tags[int(np.argmax(p))] for p in probs] == ["O", tag, "O", "O", "O"]
    # curves: one point per chunk, held-out points where evaluated
    curve = page.evaluate(f"({MODEL})('train_curve').data.step")
    assert curve[-1] == result["steps"]
    status = text_of(page, "train_status")
    assert "held out: accuracy 100.0%" in status and "600 sentences" in status


def test_the_exported_model_is_the_one_on_the_page(page):
    data = bytes(page.evaluate("async () => Array.from(await window.pysim.exportModel())"))
    model = pio.load(data)
    assert model.meta["training"]["task"] == "beijing"
    state = page.evaluate("window.pysim.state()")
    assert_state_is_native_trace(state, model)
    # the Train tab's download button gives the same file
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download trained model (.npz)").click()
    assert dl.value.suggested_filename.startswith("pysim-trained-beijing-step")
    same = pio.load(open(dl.value.path(), "rb").read())
    for k, v in pio.state_dict(model).items():
        np.testing.assert_array_equal(pio.state_dict(same)[k], v)


def test_pause_stops_the_step_count_at_once(page):
    page.evaluate("() => { window.__run = window.pysim.train({steps: 100000}); }")
    page.wait_for_function("window.pysim.trainingStatus().records.length > 0 && "
                           "window.pysim.trainingStatus().running")
    first = page.evaluate("window.pysim.trainingStatus().steps")
    page.wait_for_function(f"window.pysim.trainingStatus().steps > {first}")
    page.evaluate("window.pysim.pauseTraining()")
    st = page.evaluate("window.pysim.trainingStatus()")
    assert not st["running"]
    steps, n = st["steps"], len(st["records"])
    assert st["records"][-1]["step"] == steps
    page.wait_for_timeout(1000)
    st = page.evaluate("window.pysim.trainingStatus()")
    assert (st["steps"], len(st["records"])) == (steps, n)
    run = page.evaluate("window.__run")
    assert run["stopped"] == "paused" and run["steps"] == steps
    assert "Paused" in text_of(page, "train_status")
    # the worker agrees: one more chunk continues from exactly there
    more = page.evaluate("window.pysim.train({steps: 3})")
    assert [r["step"] for r in more["records"]] == [steps + 1, steps + 2, steps + 3]


def test_hand_tagged_sentences_are_listed_as_text(page):
    box = page.get_by_placeholder("arrive Beijing/destination on November 2nd")
    box.fill("arrive <b>Zork</b>/destination on November 2nd")
    page.get_by_role("button", name="Add to training set").click()
    page.wait_for_function(f"({MODEL})('train_sentences').text.includes('Zork')")
    listing = page.get_by_text("Your sentences (1)")
    assert "arrive <b>Zork</b>/destination on November 2nd" in listing.inner_text()
    assert listing.locator("b").count() == 0  # shown as text, never HTML
    box.fill("arrive Beijing/city")
    page.get_by_role("button", name="Add to training set").click()
    page.wait_for_function(f"({MODEL})('train_status').text.startsWith('Not added')")
    assert "Unknown tag city" in text_of(page, "train_status")
    more = page.evaluate("window.pysim.train({steps: 5})")
    assert len(more["records"]) == 5
    page.evaluate("t => window.pysim.setText(t)", "arrive <b>Zork</b> tomorrow")
    assert page.evaluate("window.pysim.state().tokens") == ["arrive", "<b>Zork</b>", "tomorrow"]


def test_divergence_is_reported_and_the_model_before_it_kept(page):
    page.evaluate("window.pysim.setText('arrive Beijing on November 2nd')")
    result = page.evaluate("window.pysim.train({task: 'beijing', optimizer: 'sgd', lr: 1e300, "
                           "reset: true})")
    assert result["stopped"] == "diverged" and result["steps"] == 0
    assert "Training diverged" in page.inner_text("#pysim-message")
    assert "Training diverged" in text_of(page, "train_status")
    state = page.evaluate("window.pysim.state()")
    assert np.isfinite(np.array(state["probs"])).all()
    model = pio.load(bytes(page.evaluate("async () => Array.from(await window.pysim.exportModel())")))
    assert_state_is_native_trace(state, model)
    assert not page.evaluate("window.pysim.trainingStatus().running")
    # back to a preset: the page and the worker agree again
    page.evaluate("window.pysim.setPreset('beijing')")
    assert_state_is_native_trace(page.evaluate("window.pysim.state()"), presets.load("beijing"))
