"""pysim.session: the page's session owns the current model; training hands its models back
through the session; one function (io.describe) describes a model; tag lists come from the task;
model files through the session (load_model, restore_model, export_model) and the text it shows
with a model."""
import ast
import json
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest

import pysim
from pysim import api, io, live, presets, tasks
from pysim.io import ModelFileError, load_any, state_dict, to_bytes
from pysim.model import UNK, Config, Model
from pysim.session import Session
from tests.helpers import TEXT, keras_arrays, npz, same_trace, word_model

# every key of a model's description that web/ reads (app.js, features/modelfile.js, train.js)
PAGE_KEYS = {"name", "file", "format", "layers", "hidden", "input", "vocab", "vocab_sample",
             "unk", "tags", "head", "parameters", "description", "reads", "article", "notes"}


def test_the_worker_finds_the_session_in_pysim_api():
    assert api.Session is Session  # web/worker.js: pysim.api.Session()
    s = api.Session()
    assert (s.name, s.custom, s.training) == ("beijing", {}, None)


# what pysim/live.py did before pysim/session.py owned the session's state
OLD_LIVE = """
class Training:
    def setup(self):
        self.session.custom[self.key] = self.trainer.model
        self.session.model, self.session.name = self.trainer.model, self.key

def training(session):
    if getattr(session, "training", None) is None:
        session.training = Training(session)
    return session.training
"""


def session_writes(source: str) -> list[str]:
    """Assignments to a session's state: `<...session...>.model = ...`, `.name`, `.custom[...]`,
    `.training` (in any assignment, tuple targets included)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets = (list(node.targets) if isinstance(node, ast.Assign) else
                   [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else [])
        while targets:
            t = targets.pop()
            if isinstance(t, (ast.Tuple, ast.List)):
                targets += t.elts
                continue
            if isinstance(t, ast.Subscript):
                t = t.value
            if (isinstance(t, ast.Attribute) and t.attr in ("model", "name", "custom", "training")
                    and "session" in ast.unparse(t.value)):
                found.append(f"line {node.lineno}: {t.attr}")
    return found


def test_no_module_but_the_session_writes_its_state():
    assert session_writes(OLD_LIVE) == ["line 4: custom", "line 5: name", "line 5: model",
                                        "line 9: training"]
    package = Path(pysim.__file__).parent
    writes = {p.name: session_writes(p.read_text(encoding="utf-8"))
              for p in sorted(package.glob("*.py"))}
    assert {name: w for name, w in writes.items() if w} == {}  # session.py writes self.model


def test_training_hands_each_fresh_model_back_through_adopt():
    handed = []
    run = live.Training(adopt=lambda model, name: handed.append((model, name)))
    run.setup({"task": "memory"})
    first = run.trainer.model
    assert handed == [(first, "trained: memory")]
    run.chunk(2, {"evaluate": False})
    assert len(handed) == 1  # chunks train the model the session already has
    run.chunk(1, {"task": "beijing", "evaluate": False})  # a new task: a fresh model, handed back
    assert [name for _, name in handed] == ["trained: memory", "trained: beijing"]
    assert handed[1][0] is run.trainer.model is not first


def test_the_session_adopts_what_training_hands_back():
    s = Session()
    s.train_setup({"task": "memory"})
    assert s.model is s.training.trainer.model and s.name == "trained: memory"
    assert s.custom == {"trained: memory": s.model}
    s.set_preset("memory")
    assert s.name == "memory" and s.model is not s.custom["trained: memory"]


def test_one_description_of_a_model():
    vocab = [UNK, "arrive", "leave", "beijing", "on", "november", "2nd"]
    V, D, H, K = len(vocab), 3, 4, 3
    m = Model.random(Config(D, H, 1, vocab=vocab, tags=tasks.tags("beijing")), seed=0,
                     meta={"description": "a test model", "assumed": "sigmoid gates"})
    d = io.describe(m, "file: m.npz", "m.npz")
    assert set(d) == PAGE_KEYS
    assert d == {"name": "file: m.npz", "file": "m.npz", "format": "pytorch",
                 "layers": 1, "hidden": H, "input": D, "vocab": V, "vocab_sample": vocab,
                 "unk": UNK, "tags": ["O", "destination", "departure"], "head": True,
                 "parameters": V * D + 4 * H * (H + D) + 4 * H + K * H + K,  # 164
                 "description": "a test model",
                 "reads": "words (a vocabulary of 7: arrive, leave, beijing, on, november, …)",
                 "article": True, "notes": ["sigmoid gates"]}
    vec = io.describe(Model.random(Config(5, 2, 2), seed=1))
    assert (vec["vocab"], vec["vocab_sample"], vec["unk"], vec["tags"], vec["head"],
            vec["reads"], vec["article"], vec["notes"]) == (
        0, [], None, [], False, "vectors of width 5", False, [])
    # the session's info, a loaded file's report and the training panel all answer it
    s = Session()
    assert s.info() == io.describe(s.model, "beijing")
    loaded = s.load_model(io.to_bytes(m), "m.npz")
    assert {k: loaded[k] for k in PAGE_KEYS} == {**d, "name": "file: m.npz"}
    assert set(loaded) == PAGE_KEYS | {"text", "probe"}
    st = s.train_setup({"task": "memory"})
    assert st["info"] == io.describe(s.model, "trained: memory") == s.info()


def test_tag_lists_come_from_the_task():
    assert tasks.tags("beijing") == ["O", "destination", "departure"] == tasks.beijing(
        n_train=5, n_test=2).tags
    assert tasks.tags("memory") == ["O", "A", "B"] == tasks.memory(n_train=5, n_test=2).tags
    for name in ("beijing", "memory"):
        assert presets.load(name).config.tags == tasks.tags(name)  # what the files were made with
    assert presets.untrained().config.tags == tasks.tags("beijing")
    with pytest.raises(ValueError, match="unknown task 'mine'"):
        tasks.tags("mine")  # its tags are its sentences' (tasks.mine)
    mine = tasks.mine([(["the", "cat", "sat"], ["O", "animal", "O"]),
                       (["a", "Mat"], ["O", "thing"])])
    assert (mine.tags, mine.vocab) == (["O", "animal", "thing"],
                                       [UNK, "a", "cat", "mat", "sat", "the"])
    assert mine.train is mine.test and len(mine.train) == 2
    with pytest.raises(ValueError, match="the memory task's tags are O, A, B"):
        Session().train_add("A/C x ?", "memory")


# ---- model files -------------------------------------------------------------------------

def test_a_new_session_restores_a_model_under_its_old_name():
    # what the page does after Python restarts: a trained model's exported bytes come back as the
    # current model, under the name the page shows, and trace as before
    old = api.Session()
    old.train_setup({"task": "beijing", "optimizer": "adam", "lr": 0.02})
    old.train_chunk(3, {"evaluate": False})
    new = api.Session()
    info = new.restore_model(old.train_export(), "trained: beijing")
    assert info["name"] == new.name == "trained: beijing" and info["hidden"] == 12
    same_trace(new.model, old.model, inputs=TEXT)
    new.set_preset("beijing")
    assert new.set_preset("trained: beijing")["name"] == "trained: beijing"
    before = new.model
    with pytest.raises(ModelFileError):
        new.restore_model(b"garbage", "file: x.npz")
    assert new.model is before and new.name == "trained: beijing"


def test_session_load_model_reports_and_lists_the_file():
    s = api.Session()
    m = word_model(L=1, H=5, D=3)
    info = s.load_model(npz(**keras_arrays(m)), "my keras.npz")
    assert info["name"] == "file: my keras.npz" and info["format"] == "keras"
    assert (info["layers"], info["hidden"], info["input"], info["vocab"]) == (1, 5, 3, 7)
    assert info["tags"] == ["O", "destination", "departure"] and info["head"]
    s.set_preset("beijing")
    assert s.set_preset("file: my keras.npz")["hidden"] == 5
    before = s.model
    for bad in (b"garbage", npz(x=np.zeros(3))):
        with pytest.raises(ModelFileError):
            s.load_model(bad, "bad.npz")
        assert s.model is before


# ---- Session.load_model: the text the page shows with the model ----------------------------

def _session_state(s):
    return (s.model, s.name, dict(s.custom), s.training)


def test_load_model_brings_its_example_else_the_page_text_else_a_probe_word():
    s = api.Session()
    three = Model.random(Config(4, 6, 3, vocab=["<UNK>", "alpha", "beta", "gamma"], tags=["O", "X"]),
                         seed=2, meta={"examples": ["zzz", "alpha gamma beta"]})
    info = s.load_model(to_bytes(three), "three.npz", current=TEXT)
    # "zzz" is read only as <UNK>: the first example it knows every word of
    assert (info["text"], info["probe"], info["unk"], info["article"]) == (
        "alpha gamma beta", "", "<UNK>", False)
    assert info["name"] == s.name == "file: three.npz" and info["layers"] == 3
    assert info["reads"] == "words (a vocabulary of 4: alpha, beta, gamma)"
    # no example: the page's text when the model knows all of it, else a word to show
    m = word_model(L=1)
    assert s.load_model(to_bytes(m), "w.npz", current="leave Beijing")["text"] == "leave Beijing"
    info = s.load_model(to_bytes(m), "w.npz", current="leave Shanghai")
    assert (info["text"], info["probe"], info["article"]) == ("", "arrive", True)
    bare = Model.random(Config(3, 2, 1, vocab=["<pad>", "[CLS]", "delta"]), seed=3)
    info = s.load_model(to_bytes(bare), "bare.npz", current=TEXT)
    assert (info["text"], info["probe"], info["unk"]) == ("", "delta", None)
    # a model that reads vectors reads any text
    vec = Model.random(Config(5, 3, 1), seed=4)
    assert s.load_model(to_bytes(vec), "v.npz", current="leave x")["text"] == "leave x"
    assert s.load_model(to_bytes(vec), "v.npz")["text"] == presets.ARTICLE_SENTENCES[0]


def test_load_model_takes_a_vocabulary_file_and_module_names():
    s = api.Session()
    m = word_model(L=2, seed=6)
    own = {k.replace("embedding.", "emb.").replace("lstm.", "encoder.").replace("head.", "fc."): v
           for k, v in state_dict(m).items()}
    data = npz(**own)
    before = _session_state(s)
    with pytest.raises(ModelFileError, match="no vocabulary"):
        s.load_model(data, "own.npz")
    assert _session_state(s) == before
    names = "emb=embedding,encoder=lstm,fc=head"
    for vocab in ("\n".join(m.config.vocab).encode(), "\n".join(m.config.vocab),
                  json.dumps(m.config.vocab).encode(), list(m.config.vocab)):
        info = s.load_model(data, "own.npz", vocab=vocab, names=names, current=TEXT)
        assert info["vocab"] == 7 and info["text"] == TEXT
        same_trace(s.model, m)
    # the page keeps what export_model writes: it loads back alone, vocabulary and all
    again = api.Session()
    again.load_model(s.export_model(), "again.npz")
    same_trace(again.model, m)


def test_load_model_refuses_a_model_it_cannot_show_and_changes_nothing():
    s = api.Session()
    s.load_model(to_bytes(word_model(L=1)), "first.npz")
    before = _session_state(s)
    spaced = Model.random(Config(3, 2, 1, vocab=["new york", "los angeles"]), seed=1)
    with pytest.raises(ModelFileError, match="cannot be shown"):
        s.load_model(to_bytes(spaced), "spaced.npz", current=TEXT)
    assert _session_state(s) == before
    for bad in (b"garbage", npz(**state_dict(word_model(L=1)))):  # the second: no vocabulary
        with pytest.raises(ModelFileError):
            s.load_model(bad, "bad.npz")
        assert _session_state(s) == before


def test_export_is_uncompressed_and_loads_back():
    s = api.Session()
    data = s.export_model()
    import zipfile
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}
    same_trace(load_any(data), s.model)
