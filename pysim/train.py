"""Training: per-token cross-entropy, SGD or Adam, gradient-norm clipping. Pure numpy.

Minibatches are padded to the longest sentence and masked, and run through the one batched
forward and backward (pysim.lstm.forward / backward, a batch of one being Model.loss_and_grads).
Padding sits at the end of a sequence, so it never changes the real steps, and its masked-out
loss sends no gradient back.

Browser use (step by step):
    tr = Trainer(tasks.make("beijing"), optimizer="adam", lr=0.02, seed=0)
    records = tr.step(20)        # [{"step", "loss", "accuracy"}, ...] one per minibatch
    tr.evaluate()                # {"loss", "accuracy", "key_accuracy", ...} on held-out data
CLI use: train("beijing", seed=0) -> (model, record)
"""
from __future__ import annotations

import time

import numpy as np

from . import lstm
from .lstm import log_softmax
from .model import Config, Model
from .tasks import Task, make

# ---- the loss of a minibatch ---------------------------------------------------------------


def batch_loss_and_grads(model: Model, ids, tags, mask):
    """pysim.lstm.loss_and_grads for a padded batch of token ids (B, T): (loss, grads by pysim
    names, predictions (B, T))."""
    loss, grads, logits = lstm.loss_and_grads(model, model.embedding[ids], tags, mask, ids)
    return loss, grads, logits.argmax(axis=2)


# ---- optimizers ----------------------------------------------------------------------------

class SGD:
    def __init__(self, params: dict, lr: float = 0.1, momentum: float = 0.0):
        self.params, self.lr, self.momentum = params, lr, momentum
        self.v = {k: np.zeros_like(p) for k, p in params.items()}

    def update(self, grads: dict):
        for k, p in self.params.items():
            self.v[k] = self.momentum * self.v[k] + grads[k]
            p -= self.lr * self.v[k]


class Adam:
    def __init__(self, params: dict, lr: float = 0.01, betas=(0.9, 0.999), eps: float = 1e-8):
        self.params, self.lr, (self.b1, self.b2), self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}
        self.t = 0

    def update(self, grads: dict):
        self.t += 1
        for k, p in self.params.items():
            g = grads[k]
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * g * g
            m_hat = self.m[k] / (1 - self.b1 ** self.t)
            v_hat = self.v[k] / (1 - self.b2 ** self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def clip_grad_norm(grads: dict, max_norm: float) -> float:
    """Scale all gradients together so their global L2 norm is at most max_norm; return the norm."""
    norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if max_norm and norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return norm


# ---- data ---------------------------------------------------------------------------------

def encode_examples(model: Model, examples):
    """[(tokens, tags)] -> padded ids, tags (N, T) and mask, plus lengths."""
    lengths = np.array([len(toks) for toks, _ in examples])
    N, T = len(examples), int(lengths.max())
    ids = np.zeros((N, T), dtype=np.int64)
    tags = np.zeros((N, T), dtype=np.int64)
    mask = np.zeros((N, T), dtype=bool)
    for n, (toks, tgs) in enumerate(examples):
        ids[n, :len(toks)] = model.encode(toks)[0]
        tags[n, :len(toks)] = model.tag_ids(tgs, len(toks))
        mask[n, :len(toks)] = True
    return ids, tags, mask, lengths


def new_model(task: Task, seed: int = 0, forget_bias: float = 1.0) -> Model:
    """A fresh model for the task: PyTorch's init, plus forget_bias added to b_f (a common
    choice that starts the memory cells remembering)."""
    cfg = Config(input_size=task.input_size, hidden_size=task.hidden_size, num_layers=1,
                 vocab=list(task.vocab), tags=list(task.tags))
    model = Model.random(cfg, seed=seed)
    model.layers[0].b[:task.hidden_size] += forget_bias
    return model


# ---- the trainer ----------------------------------------------------------------------------

class Trainer:
    """Trains a model on a task one minibatch at a time (the page drives step(n))."""

    def __init__(self, task: Task, model: Model | None = None, optimizer: str = "adam",
                 lr: float | None = None, batch_size: int = 32, clip: float = 5.0, seed: int = 0):
        """lr None: default_lr(task.name, optimizer)."""
        self.task = task
        if lr is None and optimizer in ("adam", "sgd"):
            lr = default_lr(task.name, optimizer)
        self.model = model if model is not None else new_model(task, seed)
        self.seed, self.batch_size, self.clip = seed, batch_size, clip
        self.key_weight = float(task.settings.get("key_weight", 1.0))
        self.curriculum_steps = int(task.settings.get("curriculum_steps", 0))
        self.rng = np.random.default_rng(seed + 1)
        params = self.model.parameters()
        if optimizer == "adam":
            self.optimizer = Adam(params, lr=lr)
        elif optimizer == "sgd":
            self.optimizer = SGD(params, lr=lr, momentum=0.9)
        else:
            raise ValueError(f"optimizer must be adam or sgd, not {optimizer!r}")
        self.optimizer_name = optimizer
        self.train_data = encode_examples(self.model, task.train)
        self.test_data = encode_examples(self.model, task.test)
        self.steps = 0
        self._order = np.empty(0, dtype=np.int64)
        self.history = []

    def _next_batch(self):
        ids, tags, mask, lengths = self.train_data
        if self.curriculum_steps and self.steps < self.curriculum_steps:
            # curriculum: early batches come from short examples only, the limit growing
            # linearly to the longest over curriculum_steps updates
            limit = 3 + (lengths.max() - 3) * self.steps / self.curriculum_steps
            short = np.flatnonzero(lengths <= limit)
            pick = self.rng.choice(short, size=self.batch_size, replace=len(short) < self.batch_size)
            T = int(lengths[pick].max())
            return ids[pick, :T], tags[pick, :T], mask[pick, :T]
        if len(self._order) < self.batch_size:  # a new epoch: a fresh seeded shuffle
            self._order = np.concatenate([self._order, self.rng.permutation(len(self.task.train))])
        pick, self._order = self._order[:self.batch_size], self._order[self.batch_size:]
        T = int(lengths[pick].max())                       # pad only to this batch's longest
        return ids[pick, :T], tags[pick, :T], mask[pick, :T]

    def _weights(self, tags, mask):
        """Per-token loss weights: key_weight for tokens tagged other than "O" (task setting)."""
        if self.key_weight == 1.0:
            return mask
        return mask * np.where(tags != 0, self.key_weight, 1.0)

    def step(self, n: int = 1) -> list[dict]:
        """n minibatch updates; one record {step, loss, accuracy, grad_norm} per update."""
        records = []
        for _ in range(n):
            ids, tags, mask = self._next_batch()
            loss, grads, pred = batch_loss_and_grads(self.model, ids, tags, self._weights(tags, mask))
            norm = clip_grad_norm(grads, self.clip)
            self.optimizer.update(grads)
            self.steps += 1
            acc = float(((pred == tags) & mask).sum() / mask.sum())
            records.append({"step": self.steps, "loss": loss, "accuracy": acc, "grad_norm": norm})
        self.history.extend(records)
        return records

    def evaluate(self, data: str = "test", batch: int = 256) -> dict:
        """Loss and accuracy on the held-out (or "train") examples.

        accuracy: all tokens; key_accuracy: tokens whose tag is not "O" (the cities, or the
        memory task's last token); sentence_accuracy: examples with every token right.
        """
        ids, tags, mask, lengths = self.test_data if data == "test" else self.train_data
        total_loss, right, key_right, key_n, sent_right = 0.0, 0, 0, 0, 0
        for s in range(0, len(ids), batch):
            T = int(lengths[s:s + batch].max())
            b_ids, b_tags, b_mask = ids[s:s + batch, :T], tags[s:s + batch, :T], mask[s:s + batch, :T]
            logits = lstm.forward(self.model, self.model.embedding[b_ids]).logits  # (B, T, K)
            logp = log_softmax(logits)
            total_loss -= (np.take_along_axis(logp, b_tags[..., None], axis=2)[..., 0] * b_mask).sum()
            ok = (logits.argmax(axis=2) == b_tags) | ~b_mask
            key = b_mask & (b_tags != 0)
            right += int((ok & b_mask).sum())
            key_right += int((ok & key).sum())
            key_n += int(key.sum())
            sent_right += int(ok.all(axis=1).sum())
        n = int(mask.sum())
        return {"loss": total_loss / n, "accuracy": right / n,
                "key_accuracy": key_right / max(key_n, 1), "sentence_accuracy": sent_right / len(ids),
                "examples": len(ids), "tokens": n}


# ---- whole runs (the CLI) -------------------------------------------------------------------

DEFAULTS = {  # steps, lr, batch size per task: what the presets were trained with
    "beijing": {"steps": 400, "lr": 0.02, "batch_size": 32},
    "memory": {"steps": 600, "lr": 0.02, "batch_size": 32},
}


ADAM_LR = 0.02  # Adam's learning rate for a task without DEFAULTS (the page's "mine")
SGD_LR = 0.5    # SGD's (with momentum 0.9), for every task


def default_lr(task_name: str, optimizer: str = "adam") -> float:
    """The learning rate used when none is given: the task's (what its preset was trained with)
    for Adam, SGD_LR for SGD. The page's Train tab proposes the same (web/constants.py)."""
    if optimizer == "sgd":
        return SGD_LR
    return DEFAULTS.get(task_name, {}).get("lr", ADAM_LR)


def held_out_examples(task, n: int = 3) -> list[str]:
    """A few held-out sentences as text: what a page shows first with a model trained on `task`
    (pysim.io.example_text reads them from meta["training"])."""
    return [" ".join(words) for words, _ in task.test[:n]]


def train(task_name: str, seed: int = 0, steps: int | None = None, optimizer: str = "adam",
          lr: float | None = None, batch_size: int | None = None, clip: float = 5.0,
          log=None) -> tuple[Model, dict]:
    """Train a fresh model on a task; return (model, record). Deterministic for a seed."""
    d = DEFAULTS.get(task_name, {"steps": 500, "lr": 0.01, "batch_size": 32})
    steps = d["steps"] if steps is None else steps
    lr = default_lr(task_name, optimizer) if lr is None else lr
    batch_size = d["batch_size"] if batch_size is None else batch_size
    task = make(task_name, seed=seed)
    trainer = Trainer(task, optimizer=optimizer, lr=lr, batch_size=batch_size, clip=clip, seed=seed)
    start = time.perf_counter()
    every = max(1, steps // 10)
    for s in range(0, steps, every):
        recs = trainer.step(min(every, steps - s))
        if log:
            log(f"step {recs[-1]['step']:5d}  loss {np.mean([r['loss'] for r in recs]):.4f}  "
                f"batch accuracy {recs[-1]['accuracy']:.3f}")
    seconds = time.perf_counter() - start
    held_out = trainer.evaluate("test")
    on_train = trainer.evaluate("train")
    record = {"task": task_name, "seed": seed, "steps": steps, "optimizer": optimizer, "lr": lr,
              "batch_size": batch_size, "clip": clip, "forget_bias": 1.0,
              "seconds": round(seconds, 2), "corpus": task.settings,
              "held_out": held_out, "train": on_train,
              "held_out_examples": held_out_examples(task),
              "final_batch_loss": trainer.history[-1]["loss"], "numpy": np.__version__}
    model = trainer.model
    model.meta.update({"name": task_name, "description": task.description, "training": record})
    return model, record
