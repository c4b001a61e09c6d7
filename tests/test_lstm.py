"""The LSTM's equations (pysim.lstm): the step is the article's equations, one line each."""
import numpy as np

from pysim import lstm
from tests.helpers import word_model


def test_the_step_is_the_articles_equations():
    """pysim.lstm.step against the equations written with the article's W_f, b_f, ... blocks."""
    rng = np.random.default_rng(0)
    layer = word_model(L=1, H=3, D=2, seed=6).layers[0]
    H = layer.H
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    x, h_prev, c_prev = rng.standard_normal(2), rng.uniform(-1, 1, H), rng.standard_normal(H)
    hx = np.concatenate([h_prev, x])                                       # [h_{t-1}, x_t]
    b_f, b_i, b_g, b_o = np.split(layer.b, 4)
    f = sig(layer.W_f @ hx + b_f)
    i = sig(layer.W_i @ hx + b_i)
    g = np.tanh(layer.W_g @ hx + b_g)
    o = sig(layer.W_o @ hx + b_o)
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    zx = layer.W[:, H:] @ x + layer.b                                      # W_x . x_t + b
    got = lstm.step(layer.W[:, :H], zx[None], h_prev[None], c_prev[None])
    for name, want, have in zip("figoch", (f, i, g, o, c, h), got):
        np.testing.assert_allclose(have[0], want, rtol=0, atol=1e-15, err_msg=name)
