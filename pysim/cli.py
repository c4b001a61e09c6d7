"""python -m pysim: trace a text through a model, or train a preset.

    python -m pysim trace --preset beijing --text "arrive Beijing on November 2nd" [--json]
    python -m pysim trace --model M.npz --inputs X.npy            # X: (T, D) float vectors
    python -m pysim trace --model M.npz --vocab words.txt --names emb=embedding,fc=head --text ...
    python -m pysim train --task beijing --out M.npz [--seed N]

--model reads every file pysim.load reads (pysim / PyTorch / Keras names; see pysim.io), with
the same messages. --vocab FILE: the vocabulary of a file without one (one word per line, or a
JSON list). --names: the file's module names -> embedding / lstm / head.

Bad input: "pysim: error: " and the whole message on stderr (several lines when it shows the
Python that converts a file), exit code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from . import presets
from .traces import TRACE_ARRAYS, trace_json
from .io import ModelFileError, load, save

USAGE_ERROR = 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage + error
        raise UsageError(message)


def _parser():
    p = _Parser(prog="python -m pysim", description="An LSTM you can watch, gate by gate.")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)
    t = sub.add_parser("trace", help="print every gate, C and h for a text or input vectors")
    src = t.add_mutually_exclusive_group()
    src.add_argument("--model", help="a model file (.npz)")
    src.add_argument("--preset", choices=presets.NAMES, help="a model shipped with pysim")
    inp = t.add_mutually_exclusive_group()
    inp.add_argument("--text", help="whitespace-separated words")
    inp.add_argument("--inputs", help="a .npy file of input vectors, shape (T, D)")
    t.add_argument("--vocab", metavar="FILE",
                   help="the model's vocabulary: one word per line, or a JSON list")
    t.add_argument("--names", metavar="MODULE=ROLE,...",
                   help="map the file's module names to embedding / lstm / head, "
                        "e.g. emb=embedding,encoder=lstm,fc=head")
    t.add_argument("--json", action="store_true", help="JSON {tokens, layers: [{f,i,g,o,c,h}], probs}")
    r = sub.add_parser("train", help="train a model on a task and write it")
    r.add_argument("--task", required=True, choices=["beijing", "memory"])
    r.add_argument("--out", required=True, help="where to write the model file (.npz)")
    r.add_argument("--seed", type=int, default=0)
    r.add_argument("--steps", type=int, help="minibatch updates (default: the preset's)")
    r.add_argument("--optimizer", choices=["adam", "sgd"], default="adam")
    r.add_argument("--lr", type=float)
    r.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return p


def _vectors_json(model, x):
    tr = model.trace(x)
    return {"tokens": tr.tokens, "unknown": [False] * tr.T,
            "layers": [{k: getattr(tr, k)[l].tolist() for k in TRACE_ARRAYS}
                       for l in range(model.config.num_layers)],
            "probs": [] if tr.probs is None else tr.probs.tolist(),
            "tags": list(model.config.tags or []), "notice": ""}


def _table(d) -> str:
    """A readable trace: per layer and quantity, one row per step, one column per unit."""
    tokens = d["tokens"]
    w = max(6, max((len(t) for t in tokens), default=0))
    lines = []
    if d["notice"]:
        lines.append(d["notice"])
    names = {"f": "forget gate f", "i": "input gate i", "g": "candidate g (C~)",
             "o": "output gate o", "c": "memory cell C", "h": "output h"}
    for l, layer in enumerate(d["layers"]):
        for k in TRACE_ARRAYS:
            H = len(layer[k][0]) if layer[k] else 0
            lines.append(f"layer {l}  {names[k]}")
            lines.append(" " * w + " " + " ".join(f"{'u' + str(u):>6}" for u in range(H)))
            for tok, row in zip(tokens, layer[k]):
                lines.append(f"{tok:<{w}} " + " ".join(f"{v:6.3f}" for v in row))
            lines.append("")
    if d["probs"] and d["tags"]:
        tw = max(len(t) for t in d["tags"])
        lines.append("tags  " + " ".join(f"{t:>{max(tw, 6)}}" for t in d["tags"]))
        for tok, row in zip(tokens, d["probs"]):
            best = d["tags"][int(np.argmax(row))]
            lines.append(f"{tok:<{w}} " + " ".join(f"{v:{max(tw, 6)}.3f}" for v in row) + f"  -> {best}")
    return "\n".join(lines)


def _trace(args) -> int:
    if not args.model and not args.preset:
        raise UsageError("trace needs --model FILE or --preset NAME")
    if args.text is None and args.inputs is None:
        raise UsageError("trace needs --text \"...\" or --inputs X.npy")
    if args.preset and (args.vocab or args.names):
        raise UsageError("--vocab and --names go with --model FILE")
    model = (presets.load(args.preset) if args.preset
             else load(args.model, vocab=args.vocab, names=args.names))
    if args.text is not None:
        if model.config.vocab is None:
            raise UsageError("this model reads vectors: give --inputs X.npy, not --text")
        d = trace_json(model, args.text)
    else:
        try:
            x = np.load(args.inputs, allow_pickle=False)
        except (OSError, ValueError, EOFError) as e:
            raise UsageError(f"cannot read {args.inputs}: {e}") from None
        if x.ndim != 2 or x.dtype.kind not in "fiu" or not np.all(np.isfinite(x)):
            raise UsageError(f"{args.inputs}: expected finite numbers of shape (T, "
                             f"{model.config.input_size}), got {x.dtype} {x.shape}")
        if len(x) == 0:
            raise UsageError(f"{args.inputs}: no input vectors")
        d = _vectors_json(model, x.astype(np.float64))
    if args.json:
        print(json.dumps(d, separators=(",", ":")))
    else:
        print(_table(d))
    return 0


def _train(args) -> int:
    from .train import train
    log = None if args.quiet else (lambda s: print(s, file=sys.stderr))
    model, record = train(args.task, seed=args.seed, steps=args.steps, optimizer=args.optimizer,
                          lr=args.lr, log=log)
    save(model, args.out)
    h = record["held_out"]
    print(f"{args.task}: held-out accuracy {h['accuracy']:.4f} (key tokens {h['key_accuracy']:.4f}, "
          f"sentences {h['sentence_accuracy']:.4f}, {h['examples']} examples) after "
          f"{record['steps']} steps in {record['seconds']:.2f} s; wrote {args.out}")
    return 0


def main(argv=None) -> int:
    try:
        args = _parser().parse_args(argv)
        if args.command == "trace":
            return _trace(args)
        if args.command == "train":
            return _train(args)
        raise UsageError("give a command: trace or train (see python -m pysim --help)")
    except BrokenPipeError:  # e.g. | head: the reader left, nothing to report
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (UsageError, ModelFileError, ValueError, OSError) as e:
        msg = str(e) or type(e).__name__
        print(f"pysim: error: {msg}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
