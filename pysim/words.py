"""Words: the vocabulary file, and what the page shows about a model that reads words.

    read_vocab(source) -> list[str]      a list, or a vocabulary file's bytes / path / binary
                                         file: UTF-8, a JSON list of strings or one word per line
    knows_words(model, text) -> bool     every word found without the unknown-word token
    example_text(model) -> str           a sentence the model can read, or ""
    reads(model) -> str                  "words (a vocabulary of 12: arrive, leave, …)" or
                                         "vectors of width 8"

The word lookup itself (exact, then lower case, then the unknown-word token) is Model.encode.
"""
from __future__ import annotations

import json

from .model import Model, tokenize
from .npzfile import ModelFileError, read_source


def read_vocab(source) -> list:
    """A vocabulary: a list of words, or the bytes / path / binary file of a vocabulary file
    (UTF-8; a JSON list of strings, or one word per line, surrounding spaces dropped)."""
    if isinstance(source, (list, tuple)):
        words = list(source)
    else:
        try:
            text = read_source(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ModelFileError("the vocabulary file is not UTF-8 text") from None
        if text.lstrip().startswith("["):
            try:
                words = json.loads(text)
            except (ValueError, RecursionError) as e:
                raise ModelFileError(f"the vocabulary file is not a valid JSON list ({e})") \
                    from None
        else:
            words = [w.strip() for w in text.split("\n")]
            while words and words[-1] == "":
                words.pop()
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ModelFileError("the vocabulary must be a list of words (strings)")
    try:  # a lone surrogate ("\ud800" in JSON) is no text the CLI can print or the page show
        "".join(words).encode("utf-8")
    except UnicodeEncodeError:
        raise ModelFileError("the vocabulary holds a lone surrogate (\\ud800-\\udfff), not text") \
            from None
    return words



def knows_words(model: Model, text: str) -> bool:
    """True when the model reads words and finds every word of text without the unknown token."""
    words = tokenize(text)
    return (model.config.vocab is not None and bool(words)
            and all(model.word_id(w) is not None for w in words))


def example_text(model: Model) -> str:
    """A sentence the model can read: the first of meta["examples"] whose words it all knows
    (else the first it can read through its unknown token), else the first of
    meta["training"]["held_out_examples"], else "" (and vector-input models: "")."""
    if model.config.vocab is None:
        return ""
    examples = [s for s in model.meta.get("examples") or [] if isinstance(s, str) and s.split()]
    training = model.meta.get("training")
    held = training.get("held_out_examples") if isinstance(training, dict) else None
    examples += [s for s in held if isinstance(s, str) and s.split()] \
        if isinstance(held, list) else []
    for s in examples:
        if knows_words(model, s):
            return s
    for s in examples:
        try:
            model.encode(tokenize(s))
            return s
        except ValueError:
            continue
    return ""


def reads(model: Model, shown: int = 5) -> str:
    """What the model reads: "words (a vocabulary of 12: arrive, leave, …)" or "vectors of
    width 8"."""
    vocab = model.config.vocab
    if vocab is None:
        return f"vectors of width {model.config.input_size}"
    words = [w for w in vocab if w and w != model.config.unk][:shown]
    more = ", …" if len(vocab) - (model.config.unk is not None) > len(words) else ""
    return f"words (a vocabulary of {len(vocab)}: {', '.join(words)}{more})"
