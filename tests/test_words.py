"""Words (pysim.words): the vocabulary and its files, the unknown-word token and what the page
shows about a model that reads words (pysim.io.load, read_vocab, example_text, reads,
knows_words; Model.encode). The PyTorch module names: test_torchnames."""
import json

import numpy as np
import pytest

import pysim
from pysim.io import (ModelFileError, example_text, knows_words, load, read_vocab, read_npz,
                      reads, state_dict, to_bytes)
from pysim.model import Config, Model
from tests.helpers import TEXT, npz, same_trace

WORDS = ["arrive", "leave", "beijing", "on", "november", "2nd"]
TAGS = ["O", "destination", "departure"]


def model(vocab=("<unk>", *WORDS), L=2, H=4, D=3, seed=0, **meta):
    return Model.random(Config(D, H, L, vocab=list(vocab), tags=TAGS), seed=seed, meta=meta)


def renamed(m, emb="emb", lstm="encoder", head="fc"):
    """The model's state_dict as a PyTorch module with other submodule names would save it."""
    out = {}
    for k, v in state_dict(m).items():
        module, param = k.split(".")
        out[f"{ {'embedding': emb, 'lstm': lstm, 'head': head}[module]}.{param}"] = v
    return out


# ---- the vocabulary -------------------------------------------------------------------------

def test_embedding_without_vocabulary_is_refused():
    m = model()
    with pytest.raises(ModelFileError) as e:
        load(npz(**renamed(m)))
    assert str(e.value).startswith("array 'emb.weight': the model reads words (an embedding of "
                                   "7 rows) but the file has no vocabulary. Give one word per "
                                   'embedding row: in the file\'s meta ({"vocab": [...]}), or as '
                                   "a vocabulary file")


def test_vocabulary_files(tmp_path):
    m = model()
    data = npz(**state_dict(m))
    lines = "\n".join(m.config.vocab) + "\n"
    (tmp_path / "v.txt").write_text(lines, encoding="utf-8")
    (tmp_path / "v.json").write_text(json.dumps(m.config.vocab), encoding="utf-8")
    for vocab in (tmp_path / "v.txt", str(tmp_path / "v.json"), lines.encode(),
                  ("\ufeff" + lines.replace("\n", "\r\n")).encode("utf-8"), m.config.vocab):
        k = load(data, vocab=vocab, tags=TAGS)
        assert k.config.vocab == m.config.vocab
        same_trace(m, k)
    assert read_vocab(b'["", "[UNK]", "a"]') == ["", "[UNK]", "a"]  # Keras TextVectorization
    with pytest.raises(ModelFileError, match="not UTF-8"):
        read_vocab(b"\xff\xfe")
    with pytest.raises(ModelFileError, match="must be a list of words"):
        read_vocab(b'[1, 2]')
    with pytest.raises(ModelFileError, match=r"has duplicates \('on'\)"):
        load(data, vocab=m.config.vocab[:-1] + ["on"])


# ---- the unknown-word token -----------------------------------------------------------------

@pytest.mark.parametrize("unk", ["<unk>", "<UNK>", "[UNK]", "<oov>", "<OOV>"])
def test_unknown_token_spellings(unk):
    m = model(vocab=[*WORDS, unk])
    k = load(npz(**state_dict(m), meta={"vocab": m.config.vocab, "tags": TAGS}))
    assert k.config.unk == unk
    tr = k.trace("Arrive Paris")
    assert tr.unknown.tolist() == [False, True]
    assert np.array_equal(tr.x[1], k.embedding[len(WORDS)])


def test_unknown_token_named_in_meta_is_kept_and_saved():
    vocab = ["UNKNOWN", *WORDS, "<unk>"]
    m = model(vocab=vocab)
    k = load(npz(**state_dict(m), meta={"vocab": vocab, "tags": TAGS, "unk": "UNKNOWN"}))
    assert k.config.unk == "UNKNOWN"
    assert k.trace("Paris").x[0].tolist() == k.embedding[0].tolist()
    assert json.loads(str(read_npz(to_bytes(k))["meta"]))["unk"] == "UNKNOWN"
    assert load(to_bytes(k)).config == k.config
    with pytest.raises(ModelFileError, match="'unk' is 'nope', which is not in the vocabulary"):
        load(npz(**state_dict(m), meta={"vocab": vocab, "unk": "nope"}))


def test_no_unknown_token_names_the_word():
    m = model(vocab=WORDS)
    k = load(npz(**state_dict(m), meta={"vocab": WORDS, "tags": TAGS}))
    assert k.config.unk is None
    assert k.trace("ARRIVE beijing").unknown.tolist() == [False, False]  # exact, then lower case
    with pytest.raises(ValueError, match=r"word 'Paris' is not in the model's vocabulary and the "
                                         r"model has no unknown-word token \(meta \"unk\", or "
                                         r"one of <unk>, <UNK>, \[UNK\], <oov>, <OOV> in the "
                                         r"vocabulary\)"):
        k.trace("arrive Paris")


def test_exact_match_before_lower_case():
    m = model(vocab=["<unk>", "US", "us"])
    ids, unknown = m.encode(["US", "us", "Us", "uS?"])
    assert ids.tolist() == [1, 2, 2, 0] and unknown.tolist() == [False, False, False, True]


# ---- what the page shows --------------------------------------------------------------------

def test_examples_and_what_the_model_reads():
    m = model(examples=["go to Paris", "leave Beijing on November 2nd", TEXT])
    k = load(to_bytes(m))
    assert k.meta["examples"] == m.meta["examples"]
    assert example_text(k) == "leave Beijing on November 2nd"  # the first it knows every word of
    assert knows_words(k, TEXT) and not knows_words(k, "go to Paris") and not knows_words(k, "")
    assert reads(k) == "words (a vocabulary of 7: arrive, leave, beijing, on, november, …)"
    m2 = model(vocab=["<unk>", "a", "b"], examples=["x y"])
    assert example_text(m2) == "x y" and reads(m2) == "words (a vocabulary of 3: a, b)"
    m3 = model(vocab=["a", "b"], training={"held_out_examples": ["b a"]}, examples=["zz"])
    assert example_text(m3) == "b a"
    v = Model.random(Config(8, 2), seed=0)
    assert example_text(v) == "" and reads(v) == "vectors of width 8" and not knows_words(v, "a")
    assert example_text(model()) == ""
    with pytest.raises(ModelFileError, match="'examples' must be a list of strings"):
        load(npz(**state_dict(m), meta={"vocab": m.config.vocab, "examples": "one sentence"}))


def test_one_loader_everywhere():
    assert pysim.load is load and pysim.io.load_any is load and pysim.load_any is load
