"""A text through a model as plain data (pysim.traces): the gradient flow the page draws
(flow_text, Session.gradient_flow) against pysim.rnn.compare."""
import numpy as np
import pytest

from pysim import api, presets, rnn
from pysim.model import Config, Model


# ---- gradient flow (Session.gradient_flow, traces.flow_text) -----------------------------

def test_gradient_flow_is_rnn_compare():
    s = api.Session("memory")
    text = presets.default_text("memory")
    out = s.gradient_flow(text)
    lstm, plain = rnn.compare(presets.load("memory"), text.split())
    np.testing.assert_array_equal(out["lstm"], lstm)
    np.testing.assert_array_equal(out["rnn"], plain)
    assert out["tokens"] == text.split() and out["target"] in ("A", "B")
    assert plain[0] / plain[-1] < 1e-3 * lstm[0] / lstm[-1]  # the RNN's vanishes, not the LSTM's


def test_gradient_flow_for_vector_models_and_models_without_head():
    vec = Model.random(Config(5, 3, 1, vocab=None, tags=["O", "X"]), seed=2)
    out = api.flow_text(vec, "any words at all")
    x = api.word_vectors("any words at all".split(), 5)
    lstm, plain = rnn.compare(vec, x)
    np.testing.assert_array_equal(out["lstm"], lstm)
    with pytest.raises(ValueError, match="no softmax head"):
        api.flow_text(Model.random(Config(5, 3, 1), seed=2), "a b")
