"""pysim.session: the page's session owns the current model; training hands its models back
through the session; one function (io.describe) describes a model; tag lists come from the task."""
import ast
from pathlib import Path

import pytest

import pysim
from pysim import api, io, live, presets, tasks
from pysim.model import UNK, Config, Model
from pysim.session import Session

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
