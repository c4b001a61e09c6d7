"""The loader against damaged files (tests/fuzz/fuzz_io.py): every input loads or raises
ModelFileError, within a second, in bounded memory. The regression inputs (minimised crashers)
and the seeds run without atheris; a short coverage-guided session runs when atheris is
installed (`make fuzz` runs a long one)."""
from __future__ import annotations

import importlib.util
import io
import os
import re
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest

import pysim.io
from tests.fuzz import fuzz_io, seeds

HARNESS = fuzz_io.HERE / "fuzz_io.py"
SESSION_SECONDS = 20
SECOND = 1.0              # the contract: no input takes longer
PEAK_BYTES = 256 << 20    # Python + numpy allocations of one load (tracemalloc)
REGRESSIONS = sorted(fuzz_io.REGRESSIONS.glob("*.bin"))


def measured(data: bytes):
    """run_one(data) -> (model or None, seconds, peak traced bytes)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        model = fuzz_io.run_one(data)
    finally:
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return model, seconds, peak


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.name)
def test_regression_input_is_refused_quickly_in_bounded_memory(path):
    model, seconds, peak = measured(path.read_bytes())
    assert model is None, f"{path.name} loaded; it is a damaged file and must be refused"
    assert seconds < SECOND, f"{path.name} took {seconds:.2f} s"
    assert peak < PEAK_BYTES, f"{path.name} allocated {peak >> 20} MiB"


def test_there_are_regression_inputs():
    assert {p.name for p in REGRESSIONS} >= {
        "damaged-deflate.bin",                 # zlib.error escaped (the report)
        "zip-version-not-implemented.bin",     # NotImplementedError escaped from zipfile
        "npy-header-syntax-warning.bin",       # SyntaxWarning printed by numpy's header parse
        "float128-beyond-float64.bin",         # RuntimeWarning: overflow in the float64 cast
        "float32-signalling-nan.bin",          # RuntimeWarning: invalid value in the cast
        "bias-sum-overflow.bin",               # bias_ih + bias_hh = inf, loaded with a warning
        "meta-code-point-beyond-unicode.bin",  # SystemError escaped from numpy's str()
        "meta-lone-surrogate.bin",             # loaded; then the CLI could not print its tags
        "vocab-file-lone-surrogate.bin",       # the same through a vocabulary file
    }


def test_seeds_load_or_are_refused_like_the_files_they_are():
    made = seeds.seeds()
    outcome = {}
    for name, data in made.items():
        model, seconds, peak = measured(data)
        assert seconds < SECOND and peak < PEAK_BYTES, (name, seconds, peak)
        outcome[name] = model
    # the shipped models, and models saved by pysim, PyTorch and Keras load, in each form
    for name in ("beijing.bin", "memory.bin", "words.bin", "words-members-deflated.bin",
                 "words-filelike.bin", "words-path.bin", "vectors.bin", "bare_lstm.bin",
                 "no_bias.bin", "keras_flat.bin"):
        assert outcome[name] is not None, name
    shipped = pysim.io.load(fuzz_io.ROOT / "pysim" / "data" / "memory.npz")
    assert outcome["memory.bin"].config == shipped.config
    words = outcome["words.bin"].config  # 2 layers of 3 units over 2-wide word vectors
    for name in ("words-path.bin", "words_stored.bin", "own_names.bin", "own-names-text.bin",
                 "own-names-dict.bin", "keras2.bin", "keras3.bin", "words-vocab-file.bin",
                 "words-vocab-json.bin", "words-vocab-list.bin", "words-tags.bin"):
        assert outcome[name].config == words, name
    assert outcome["no-meta-vocab-file.bin"].config.vocab == ["<unk>", "a", "b"]
    assert outcome["no_meta_f32.bin"] is None  # an embedding and no vocabulary: refused
    # what is not a model file is refused, whatever the call
    for name in ("damaged_deflate.bin", "dot_keras.bin", "torch_save.bin", "pickle.bin",
                 "h5.bin", "npy.bin", "positional.bin"):
        assert outcome[name] is None, name


def refuse(message="refused"):
    def load(source, **kw):
        raise pysim.io.ModelFileError(message)
    return load


def test_forms_reach_the_loader_with_their_arguments(monkeypatch):
    calls = []

    def load(source, **kw):
        calls.append((source, kw))
        raise pysim.io.ModelFileError("refused")
    monkeypatch.setattr(pysim.io, "load", load)
    file = b"PK\x05\x06" + bytes(18)
    for form, blob in [(0, b""), (2, b"a\nb"), (3, b"a\nb"), (6, b"O\nX")]:
        assert fuzz_io.run_one(fuzz_io.pack(file, form, blob)) is None
    assert calls == [(file, {}), (file, {"vocab": b"a\nb"}), (file, {"vocab": ["a", "b"]}),
                     (file, {"tags": ["O", "X"]})]
    fuzz_io.run_one(fuzz_io.pack_members({"a.npy": b"xyz"}))
    member = calls[-1][0]
    with zipfile.ZipFile(io.BytesIO(member)) as zf:
        assert zf.read("a.npy") == b"xyz"  # zipped by the harness, CRC right


@pytest.mark.parametrize("escape", [
    KeyError("x"), SystemExit(0), GeneratorExit(), RecursionError(), MemoryError(),
    ValueError("a plain ValueError is not the loader's error")])
def test_anything_but_model_file_error_is_a_finding(monkeypatch, escape):
    def load(source, **kw):
        raise escape
    monkeypatch.setattr(pysim.io, "load", load)
    with pytest.raises(fuzz_io.Finding, match=f"{type(escape).__name__} escaped") as caught:
        fuzz_io.run_one(fuzz_io.pack(b"PK"))
    assert caught.value.__cause__ is escape


def test_what_only_the_loaders_last_resort_handler_caught_is_a_finding(monkeypatch):
    broken = TypeError("'int' object is not iterable")

    def read_npz(source):  # stands for a check the reading code lacks
        raise broken
    monkeypatch.setattr(pysim.io, "read_npz", read_npz)
    with pytest.raises(fuzz_io.Finding, match="TypeError") as caught:
        fuzz_io.run_one(fuzz_io.pack(b"PK"))
    assert caught.value.__cause__ is broken
    monkeypatch.undo()
    assert fuzz_io.run_one(fuzz_io.pack(b"PK")) is None  # refused by a check of its own


def test_a_warning_or_an_empty_message_is_a_finding(monkeypatch):
    def warns(source, **kw):
        np.float64(1e308) * 10  # RuntimeWarning: overflow
        raise pysim.io.ModelFileError("refused")
    monkeypatch.setattr(pysim.io, "load", warns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pytest's own filters must not hide it from run_one
        with pytest.raises(fuzz_io.Finding, match="RuntimeWarning: overflow"):
            fuzz_io.run_one(fuzz_io.pack(b"PK"))
    monkeypatch.setattr(pysim.io, "load", refuse("  "))
    with pytest.raises(fuzz_io.Finding, match="without a message"):
        fuzz_io.run_one(fuzz_io.pack(b"PK"))


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None,
                    reason="atheris is not installed (pip install -r requirements-dev.txt; "
                           "its wheels are for Linux x86-64)")
def test_short_fuzzing_session_finds_nothing(tmp_path):
    corpus, found = tmp_path / "corpus", tmp_path / "found"
    corpus.mkdir()
    found.mkdir()
    cmd = [sys.executable, str(HARNESS), f"-max_total_time={SESSION_SECONDS}",
           f"-artifact_prefix={found}{os.sep}", "-print_final_stats=1",
           str(corpus), str(fuzz_io.REGRESSIONS)]
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env,
                          timeout=SESSION_SECONDS + 120)
    log = "\n".join(line for line in proc.stderr.splitlines()
                    if not line.startswith("INFO: Instrumenting"))
    crashers = sorted(found.iterdir())
    clean = proc.returncode == 0 and not crashers
    assert clean, (
        f"the fuzzer found inputs that break the loader: {[str(p) for p in crashers]}\n"
        f"replay: python {HARNESS.relative_to(fuzz_io.ROOT)} FILE; keep a minimised copy in "
        f"tests/fuzz/regressions/ once fixed\n{log[-4000:]}")
    runs = int(re.search(r"stat::number_of_executed_units: (\d+)", log).group(1))
    seeded = len(list(corpus.iterdir()))
    assert seeded >= len(seeds.seeds()) and runs > 10 * seeded, (runs, seeded, log[-2000:])
