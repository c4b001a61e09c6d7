"""Write the PyTorch models a user would bring, and torch's outputs, to tests/fixtures/frameworks/.

Regenerate (Python 3.11 + torch 2.13.0, the venv .ci/run makes):

    .venv311/bin/python tests/reference/make_torch_frameworks.py

Does not import pysim. Each model is a user's own tagger (module names of its own, batch_first
or not, bias=False, float32 or float64, a vocabulary whose unknown-word token is "<UNK>" or
"[UNK]") saved with the README's snippet docs/snippets/from_pytorch.py. expected_torch.json
holds, per file, torch's outputs for each sentence of frameworks_common.SENTENCES: the
per-step tag probabilities (T, K) of the module's own forward, and every layer's h and c
(L, T, H) from nn.LSTM stepped one step at a time; plus the bad files (torch.save of a module
and of a state_dict, a state_dict saved with numpy but no vocabulary) and how each was made.
"""
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from frameworks_common import (  # noqa: E402
    OUT, SENTENCES, TAGS, TOLERANCE, WORDS, sentence_record, snippet, word_ids, write)


class UserTagger(nn.Module):
    """A tagger as a user writes one: embedding -> LSTM -> linear, under names of their own."""

    def __init__(self, names, V, E, H, L, K, batch_first, bias):
        super().__init__()
        self.names, self.batch_first = names, batch_first
        emb, rnn, head = names
        setattr(self, emb, nn.Embedding(V, E))
        setattr(self, rnn, nn.LSTM(E, H, num_layers=L, batch_first=batch_first, bias=bias))
        setattr(self, head, nn.Linear(H, K))

    def forward(self, ids):  # (B, T) when batch_first, else (T, B)
        emb, rnn, head = (getattr(self, n) for n in self.names)
        out, _ = rnn(emb(ids))
        return head(out)


# file: (module names, layers, batch_first, LSTM bias, dtype, unknown-word token, E, H)
CASES = {
    "torch_emb_encoder_fc_l1_f32.npz":
        (("emb", "encoder", "fc"), 1, True, True, "float32", "<UNK>", 3, 4),
    "torch_embedding_lstm_classifier_l2_f64.npz":
        (("embedding", "lstm", "classifier"), 2, False, True, "float64", "[UNK]", 4, 5),
    "torch_emb_encoder_fc_l3_nobias_f32.npz":
        (("emb", "encoder", "fc"), 3, False, False, "float32", "[UNK]", 3, 4),
    "torch_embedding_lstm_classifier_l3_f64.npz":
        (("embedding", "lstm", "classifier"), 3, True, True, "float64", "<UNK>", 5, 4),
    "torch_embedding_lstm_head_l2_nobias_f64.npz":
        (("embedding", "lstm", "head"), 2, True, False, "float64", "<UNK>", 3, 3),
}


def outputs(model, ids):
    """Probabilities from the module's own forward; h, c per layer from nn.LSTM stepped."""
    emb, rnn, head = (getattr(model, n) for n in model.names)
    x = torch.tensor(ids)
    with torch.no_grad():
        inp = x[None] if model.batch_first else x[:, None]
        logits = model(inp)
        logits = logits[0] if model.batch_first else logits[:, 0]
        probs = torch.softmax(logits, dim=-1).numpy()
        e = emb(x)                                              # (T, E)
        L, H, T = rnn.num_layers, rnn.hidden_size, len(ids)
        h, c = np.zeros((L, T, H)), np.zeros((L, T, H))
        state = None
        for t in range(T):
            step = e[t][None, None]                             # (1, 1, E): same either layout
            _, state = rnn(step, state)
            h[:, t], c[:, t] = state[0][:, 0].numpy(), state[1][:, 0].numpy()
        # the stepped top layer agrees with the full run
        top, _ = rnn(e[None] if model.batch_first else e[:, None])
        top = (top[0] if model.batch_first else top[:, 0]).numpy()
    assert np.max(np.abs(top - h[-1])) <= 1e-7, np.max(np.abs(top - h[-1]))
    return probs, h, c


def build(seed, names, L, batch_first, bias, dtype, E, H, vocab):
    torch.manual_seed(seed)
    m = UserTagger(names, len(vocab), E, H, L, len(TAGS), batch_first, bias)
    m = m.to(getattr(torch, dtype))
    with torch.no_grad():  # nn.LSTM's own initialisation is small: spread it so gates vary
        for p in getattr(m, names[1]).parameters():
            p.mul_(2.5)
    return m


def main():
    os.makedirs(OUT, exist_ok=True)
    save_for_pysim = snippet("from_pytorch").save_for_pysim
    doc = {"framework": f"torch {torch.__version__}", "python": sys.version.split()[0],
           "good": {}, "bad": {}}
    for seed, (fname, (names, L, bf, bias, dtype, unk, E, H)) in enumerate(CASES.items(), 1):
        vocab = [unk] + WORDS
        m = build(seed, names, L, bf, bias, dtype, E, H, vocab)
        save_for_pysim(m, vocab, TAGS, os.path.join(OUT, fname), examples=SENTENCES)
        sentences = []
        for text in SENTENCES:
            ids = word_ids(vocab, unk, text)
            sentences.append(sentence_record(text, ids, *outputs(m, ids)))
        doc["good"][fname] = {
            "dtype": dtype, "tol": TOLERANCE[dtype], "layers": L, "hidden": H, "input": E,
            "vocab": len(vocab), "unk": unk, "tags": TAGS, "batch_first": bf, "bias": bias,
            "names": ",".join(f"{n}={r}" for n, r in zip(names, ("embedding", "lstm", "head"))),
            "sentences": sentences}
    # the bad files: what users save instead, each made from the first model
    names, L, bf, bias, dtype, unk, E, H = CASES["torch_emb_encoder_fc_l1_f32.npz"]
    m = build(1, names, L, bf, bias, dtype, E, H, [unk] + WORDS)
    torch.save(m, os.path.join(OUT, "torch_save_module.pt"))
    torch.save(m.state_dict(), os.path.join(OUT, "torch_save_state_dict.pt"))
    np.savez(os.path.join(OUT, "torch_state_dict_no_vocab.npz"),
             **{k: v.detach().cpu().numpy() for k, v in m.state_dict().items()})
    doc["bad"] = {
        "torch_save_module.pt": {"how": "torch.save(model, path)", "kind": "torch.save"},
        "torch_save_state_dict.pt": {"how": "torch.save(model.state_dict(), path)",
                                     "kind": "torch.save"},
        "torch_state_dict_no_vocab.npz": {
            "how": "np.savez(path, **state_dict) without meta: an embedding, no vocabulary",
            "kind": "no vocabulary", "vocab": [unk] + WORDS, "tags": TAGS,
            "same_as": "torch_emb_encoder_fc_l1_f32.npz"},
    }
    write("expected_torch.json", doc)


if __name__ == "__main__":
    main()
