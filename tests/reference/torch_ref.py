"""PyTorch reference for pysim (needs torch; independent of pysim).

A tagger module with submodules `embedding` (optional), `lstm`, `head`, in float64. Forward:
nn.LSTM stepped one step at a time (so every C_t is seen), and every gate recomputed with torch
ops from torch's own h_{t-1}; gradients: autograd of the mean per-token cross-entropy.
"""
import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


class Tagger(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, num_tags, vocab_size=0):
        super().__init__()
        if vocab_size:
            self.embedding = nn.Embedding(vocab_size, input_size)
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, num_tags)

    def embed(self, inputs):
        return self.embedding(inputs) if hasattr(self, "embedding") else inputs

    def forward(self, inputs):                          # (1, T) ids or (1, T, D) vectors
        out, _ = self.lstm(self.embed(inputs))
        return self.head(out)                           # (1, T, K)


def random_tagger(seed, input_size, hidden_size, num_layers, num_tags, vocab_size=0, scale=1.0):
    torch.manual_seed(seed)
    m = Tagger(input_size, hidden_size, num_layers, num_tags, vocab_size)
    with torch.no_grad():
        for p in m.parameters():
            p.mul_(scale)
    return m


def reference(m: Tagger, inputs: np.ndarray, tags: np.ndarray) -> dict:
    """Gates f, i, g, o and c, h (L, T, H), probs (T, K), loss, and grads by state_dict name."""
    inp = torch.from_numpy(inputs)[None]
    y = torch.from_numpy(tags)
    logits = m(inp)[0]                                  # (T, K)
    loss = F.cross_entropy(logits, y)                   # mean over tokens
    m.zero_grad()
    loss.backward()
    grads = {k: p.grad.detach().numpy().copy() for k, p in m.named_parameters()}
    lstm, L, H = m.lstm, m.lstm.num_layers, m.lstm.hidden_size
    with torch.no_grad():
        x = m.embed(inp)                                # (1, T, D)
        T = x.shape[1]
        out = {k: np.zeros((L, T, H)) for k in ("f", "i", "g", "o", "c", "h")}
        state = (torch.zeros(L, 1, H), torch.zeros(L, 1, H))
        for t in range(T):
            h_prev, c_prev = state
            _, state = lstm(x[:, t:t + 1], state)      # nn.LSTM itself, one step
            below = x[0, t]
            for l in range(L):
                W_ih, W_hh = getattr(lstm, f"weight_ih_l{l}"), getattr(lstm, f"weight_hh_l{l}")
                b = getattr(lstm, f"bias_ih_l{l}") + getattr(lstm, f"bias_hh_l{l}")
                z = W_ih @ below + W_hh @ h_prev[l, 0] + b
                i, f, g, o = z[:H].sigmoid(), z[H:2 * H].sigmoid(), z[2 * H:3 * H].tanh(), z[3 * H:].sigmoid()
                for k, v in (("f", f), ("i", i), ("g", g), ("o", o),
                             ("c", state[1][l, 0]), ("h", state[0][l, 0])):
                    out[k][l, t] = v.numpy()
                below = state[0][l, 0]
        out["probs"] = torch.softmax(m(inp)[0], dim=-1).numpy()
    out["loss"] = float(loss.detach())
    out["grads"] = grads
    return out


def state_dict_numpy(m: Tagger) -> dict:
    return {k: v.detach().numpy().copy() for k, v in m.state_dict().items()}
