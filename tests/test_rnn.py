"""The plain tanh RNN (pysim.rnn) the gradient flow is compared with."""
import numpy as np

from pysim import rnn
from tests.helpers import word_model


def test_rnn_gradient_flow_shapes():
    x = np.random.default_rng(0).standard_normal((6, 2))
    norms = rnn.gradient_flow(x, hidden_size=3, num_tags=2, seed=1, target=1)
    assert norms.shape == (6,) and np.all(np.isfinite(norms))
    m = word_model(L=1, H=4, D=3)
    lstm, plain = rnn.compare(m, "arrive Beijing on November 2nd")
    assert lstm.shape == plain.shape == (5,)
