"""Training on the page: one run of the page's session (pysim.session.Session delegates its
train_* methods here), in chunks, with hand-tagged sentences and divergence caught.

Training in the browser runs one short chunk of minibatch updates per call (train_chunk), so the
worker answers traces between chunks and the page can pause at once. The model being trained is
the page's current model: a fresh one is handed to the session (the `adopt` it was made with),
which shows it under the name "trained: <task>".

Hand-tagged sentences: "arrive Beijing/destination on November 2nd" (a word/tag pair tags a
word; every other word is O: tasks.parse_tagged). They join the chosen task's training set, each counted
USER_REPEAT times so a handful of them matter next to thousands of generated ones; with the task
"mine" they are the whole training set (tasks.mine: the tags are O plus the tags they use).
A preset task's tags are tasks.tags(name).

Divergence: a step whose loss or gradient is not finite, or that makes a weight NaN, infinite
or larger than MAX_WEIGHT in magnitude (overflow to NaN is then a step or two away), stops
training and restores the weights (and optimizer state) from before the update that caused it:
the model the page keeps is always finite.
"""
from __future__ import annotations

import time

import numpy as np

from . import tasks
from .io import describe
from .tasks import Task, format_tagged, parse_tagged
from .train import Adam, SGD, Trainer, default_lr, encode_examples, held_out_examples

TASKS = (*tasks.TASKS, "mine")  # beijing, memory, mine
USER_REPEAT = 10           # each hand-tagged sentence counts as this many training examples
MAX_USER_SENTENCES = 200
MAX_CHUNK = 200            # updates per train_chunk call
MAX_WEIGHT = 1e6           # a weight beyond this counts as diverged (overflow to inf/NaN is near)


# ---- the training run --------------------------------------------------------------------

def _finite(arrays) -> bool:
    """Every weight finite and below MAX_WEIGHT in magnitude (NaN fails both)."""
    return all(bool(np.all(np.abs(a) <= MAX_WEIGHT)) for a in arrays)


class Training:
    """One training run of the page: a task, a Trainer, the hand-tagged sentences."""

    def __init__(self, adopt):
        self.adopt = adopt  # adopt(model, name): the session makes a fresh model current
        self.sentences: list[tuple[list[str], list[str]]] = []
        self.trainer: Trainer | None = None
        self.task_name = "beijing"
        self.optimizer, self.lr, self.seed = "adam", None, 0
        self.seconds = 0.0         # in the update loops
        self.eval_seconds = 0.0    # in held-out evaluations
        self.setup_seconds = 0.0   # making the task and the fresh model
        self.diverged = ""
        self.last_eval: dict | None = None
        self._snapshots: list = []

    # -- options
    def _options(self, options) -> None:
        options = dict(options or {})
        task = str(options.get("task", self.task_name))
        if task not in TASKS:
            raise ValueError(f"Unknown task {task!r}: choose one of {', '.join(TASKS)}.")
        optimizer = str(options.get("optimizer", self.optimizer)).lower()
        if optimizer not in ("adam", "sgd"):
            raise ValueError(f"The optimizer must be adam or sgd, not {optimizer!r}.")
        lr = options.get("lr", self.lr)
        if lr is not None and lr != "":
            try:
                lr = float(lr)
            except (TypeError, ValueError):
                raise ValueError(f"The learning rate must be a number, not {lr!r}.") from None
            if not (np.isfinite(lr) and lr > 0):
                raise ValueError(f"The learning rate must be a positive number, not {lr}.")
        else:
            lr = None
        self.seed = int(options.get("seed", self.seed))
        self.task_name, self.optimizer, self.lr = task, optimizer, lr

    def default_lr(self) -> float:
        return default_lr(self.task_name, self.optimizer)

    @property
    def key(self) -> str:
        return f"trained: {self.task_name}"

    # -- the task: a preset one plus the user's sentences, or the user's sentences alone
    def _task(self) -> Task:
        if self.task_name == "mine":
            if not self.sentences:
                raise ValueError("Add at least one tagged sentence to train on your sentences "
                                 "alone, e.g. arrive Beijing/destination on November 2nd.")
            return tasks.mine(self.sentences)
        mine = [(list(w), list(t)) for w, t in self.sentences]
        task = _base_task(self.task_name, self.seed)
        usable = [ex for ex in mine if set(ex[1]) <= set(task.tags)]
        task.train = task.train + usable * USER_REPEAT
        known = {w.lower() for w in task.vocab}
        task.vocab = task.vocab + sorted({w.lower() for ws, _ in usable for w in ws} - known)
        task.settings = dict(task.settings, user_sentences=len(usable), user_repeat=USER_REPEAT)
        return task

    def setup(self, options=None) -> dict:
        """A fresh, untrained model for the task; it becomes the page's current model."""
        self._options(options)
        t0 = time.perf_counter()
        task = self._task()
        self.trainer = Trainer(task, optimizer=self.optimizer, lr=self.lr or self.default_lr(),
                               seed=self.seed)
        self.setup_seconds = time.perf_counter() - t0
        self.seconds, self.eval_seconds, self.diverged, self._snapshots = 0.0, 0.0, "", []
        self.last_eval = None
        self._describe()
        self.adopt(self.trainer.model, self.key)
        return self.status()

    def _apply_live_options(self, options) -> None:
        """lr and optimizer changes take effect on the running trainer; a new task resets."""
        if not options:
            return
        before = (self.task_name, self.seed)
        old_opt = self.optimizer
        self._options(options)
        if self.trainer is None or (self.task_name, self.seed) != before:
            self.setup()
            return
        lr = self.lr or self.default_lr()
        if self.optimizer != old_opt:
            params = self.trainer.model.parameters()
            self.trainer.optimizer = (Adam(params, lr=lr) if self.optimizer == "adam"
                                      else SGD(params, lr=lr, momentum=0.9))
            self.trainer.optimizer_name = self.optimizer
        self.trainer.optimizer.lr = lr

    # -- snapshots, for divergence
    def _snapshot(self):
        tr = self.trainer
        opt = tr.optimizer
        state = {k: (dict(v) if isinstance(v, dict) else v) for k, v in vars(opt).items()
                 if k in ("m", "v", "t")}
        return ({k: p.copy() for k, p in tr.model.parameters().items()}, state, tr.steps,
                len(tr.history))

    def _restore(self, snap) -> None:
        params, state, steps, n_history = snap
        tr = self.trainer
        for k, p in tr.model.parameters().items():
            p[...] = params[k]
        for k, v in state.items():
            setattr(tr.optimizer, k, dict(v) if isinstance(v, dict) else v)
        tr.steps = steps
        del tr.history[n_history:]

    # -- training
    def chunk(self, n: int = 10, options=None, evaluate: bool = True) -> dict:
        """n minibatch updates (0..MAX_CHUNK), then the held-out evaluation unless options
        say {"evaluate": false} (the page evaluates every few tenths of a second, not per chunk).
        """
        options = dict(options or {})
        evaluate = bool(options.pop("evaluate", evaluate))
        self._apply_live_options(options)
        if self.trainer is None:
            self.setup()
        tr = self.trainer  # (the page shows it: set_preset(self.key) if it showed another)
        n = max(0, min(int(n), MAX_CHUNK))
        t0 = time.perf_counter()
        records, diverged = [], ""
        for _ in range(n):
            snap = self._snapshot()
            rec = tr.step(1)[0]
            params = tr.model.parameters().values()
            if not (np.isfinite(rec["loss"]) and np.isfinite(rec["grad_norm"])):
                # the weights this step started from already give NaN: go back one more update
                back = self._snapshots[-1] if self._snapshots else snap
                self._restore(back)
                diverged = (f"Training diverged: the loss became {rec['loss']} at step "
                            f"{rec['step']}. Training stopped; the model from step {tr.steps} "
                            "(before the update that broke it) is kept. Try a smaller learning "
                            "rate, or Reset.")
                records = [r for r in records if r["step"] <= tr.steps]
                break
            if not _finite(params):
                self._restore(snap)
                diverged = (f"Training diverged: a weight became NaN, infinite or larger than "
                            f"{MAX_WEIGHT:g} at step "
                            f"{rec['step']}. Training stopped; the model from step {tr.steps} "
                            "is kept. Try a smaller learning rate, or Reset.")
                break
            records.append(rec)
            self._snapshots = [snap]
        chunk_seconds = time.perf_counter() - t0
        self.seconds += chunk_seconds
        self.diverged = diverged
        if evaluate:
            t0 = time.perf_counter()
            self.last_eval = tr.evaluate("test")
            self.eval_seconds += time.perf_counter() - t0
        self._describe()
        out = self.status()
        out["records"] = records
        out["chunk_seconds"] = chunk_seconds
        out["evaluated"] = evaluate
        return out

    def _describe(self) -> None:
        tr = self.trainer
        ev = self.last_eval
        where = "on your sentences" if self.task_name == "mine" else "held out"
        acc = f", {where} accuracy {ev['accuracy']:.1%}" if ev else ""
        tr.model.meta.update({
            "name": self.key,
            "description": f"being trained in your browser on {self.task_name} "
                           f"({self.optimizer}, lr {tr.optimizer.lr:g}): step {tr.steps}{acc}.",
            "training": {"task": self.task_name, "optimizer": self.optimizer,
                         "lr": float(tr.optimizer.lr), "steps": tr.steps, "seed": self.seed,
                         "batch_size": tr.batch_size, "clip": tr.clip, "where": "browser",
                         "user_sentences": len(self.sentences),
                         "held_out": dict(ev) if ev else None,
                         "held_out_examples": held_out_examples(tr.task)},
        })

    def status(self, prepare: str | None = None) -> dict:
        if prepare in TASKS and prepare != "mine":
            _base_task(prepare, self.seed)
        tr = self.trainer
        return {"task": self.task_name, "optimizer": self.optimizer,
                "lr": float(tr.optimizer.lr) if tr else float(self.lr or self.default_lr()),
                "steps": tr.steps if tr else 0, "seconds": self.seconds,
                "eval_seconds": self.eval_seconds, "setup_seconds": self.setup_seconds,
                "held_out": dict(self.last_eval) if self.last_eval else None,
                "held_out_is_train": self.task_name == "mine",
                "diverged": self.diverged, "name": self.key if tr else "",
                "sentences": [format_tagged(w, t) for w, t in self.sentences],
                "tags": list(tr.model.config.tags) if tr else [],
                "info": describe(tr.model, self.key) if tr else None}  # (whichever it shows)

    # -- sentences
    def add(self, text: str, task: str | None = None) -> dict:
        """Add a hand-tagged sentence, checked against the tags of `task` (default: the run's).
        When that is the task being trained, it joins the training set at once."""
        words, tags = parse_tagged(text)
        task = self.task_name if task is None else str(task)
        if task not in TASKS:
            raise ValueError(f"Unknown task {task!r}: choose one of {', '.join(TASKS)}.")
        if len(self.sentences) >= MAX_USER_SENTENCES:
            raise ValueError(f"At most {MAX_USER_SENTENCES} tagged sentences.")
        live = self.trainer is not None and task == self.task_name
        allowed = None
        if task != "mine":
            allowed = tasks.tags(task)
        elif live:
            allowed = list(self.trainer.model.config.tags)
        if allowed is not None:
            bad = sorted(set(tags) - set(allowed))
            if bad:
                extra = (" (press Reset to train on your sentences with new tags)"
                         if task == "mine" else "")
                raise ValueError(f"Unknown tag {', '.join(bad)}: the {task} task's tags "
                                 f"are {', '.join(allowed)}{extra}.")
        self.sentences.append((words, tags))
        if live:
            self._grow_vocab(words)
            repeat = 1 if self.task_name == "mine" else USER_REPEAT
            self.trainer.task.train.extend([(words, tags)] * repeat)
            if self.task_name == "mine":
                self.trainer.task.test = self.trainer.task.train
            self._reencode()
        return self.status()

    def remove(self, index: int = -1) -> dict:
        """Drop a hand-tagged sentence (the last by default; index "all" drops them all).
        It leaves the current training set at the next Reset."""
        if index == "all":
            self.sentences.clear()
        elif self.sentences:
            self.sentences.pop(int(index))
        return self.status()

    def _grow_vocab(self, words) -> None:
        """New words get new embedding rows (random, like a fresh model's) and optimizer state."""
        model = self.trainer.model
        known = {w.lower() for w in model.config.vocab}
        new = sorted({w.lower() for w in words} - known)
        if not new:
            return
        rng = np.random.default_rng(len(model.config.vocab))
        model.embedding = np.vstack([model.embedding,
                                     rng.standard_normal((len(new), model.embedding.shape[1]))])
        model.config.vocab.extend(new)
        model._index = {w: k for k, w in enumerate(model.config.vocab)}
        opt = self.trainer.optimizer
        opt.params["embedding"] = model.embedding
        for state in ("m", "v"):
            d = getattr(opt, state, None)
            if d is not None and "embedding" in d:
                d["embedding"] = np.vstack([d["embedding"], np.zeros((len(new),
                                                                      model.embedding.shape[1]))])
        self._snapshots = []  # their shapes no longer match

    def _reencode(self) -> None:
        tr = self.trainer
        tr.train_data = encode_examples(tr.model, tr.task.train)
        tr.test_data = encode_examples(tr.model, tr.task.test)


_BASE_TASKS: dict = {}


def _base_task(name: str, seed: int) -> Task:
    """tasks.make(name, seed), made once per worker (generating beijing takes a while in the
    browser); each run gets its own copy of the lists it may extend."""
    if (name, seed) not in _BASE_TASKS:
        _BASE_TASKS[(name, seed)] = tasks.make(name, seed=seed)
    t = _BASE_TASKS[(name, seed)]
    return Task(name=t.name, description=t.description, tags=list(t.tags), vocab=list(t.vocab),
                train=list(t.train), test=list(t.test), input_size=t.input_size,
                hidden_size=t.hidden_size, settings=dict(t.settings))
