"""Coverage-guided fuzzing of the model loader, pysim.io.load, with atheris (libFuzzer).

The contract under test (issue 10): every input either loads or raises pysim.io.ModelFileError
with a message of its own (not load()'s last-resort "cannot be read (TypeError: ...)", which
counts as a finding: a check the loader lacks); no other exception (SystemExit, a warning, ...)
escapes; no input takes more than a second (-timeout=1) and memory stays bounded
(-rss_limit_mb). A model that loads must also trace one step, have text that UTF-8 can encode
(no lone surrogates: the CLI prints it, the page shows it), and survive a round trip:
load(to_bytes(model)) gives the same Config.

One fuzz input = [form][n][n bytes: argument blob][the rest: the file]:

    form & 7    the call:  0 load(file)            1 load(BytesIO(file))
                           2 load(file, vocab=blob bytes, a vocabulary file)
                           3 load(file, vocab=blob lines)   4 load(file, names=blob text)
                           5 load(file, names={a: b} from "a=b,c=d")
                           6 load(file, tags=blob lines)    7 load(path of the file)
    form & 8    the rest is not the file but members [1 byte: name length][name]
                [3 bytes little-endian: size][data]... that the harness zips with right CRCs
                (so mutations reach the .npy and model checks, past the zip's CRC check).
                A member named NAME.json becomes NAME.npy holding that text (meta as numpy
                stores it: UTF-32), one named NAME@4x2.f8 becomes NAME.npy of that shape and
                dtype from the raw bytes (cut or zero-padded): the mutator edits JSON and shapes
                as text. Any other member is stored as given.
    form & 16   those members are deflated (else stored)

`names` forms fall back to plain load while pysim.io.load has no `names` argument.

    python tests/fuzz/fuzz_io.py [libFuzzer flags] DIR...   fuzz; an empty DIR gets the seeds
                    (defaults: -timeout=1 -rss_limit_mb=1024 -max_len=65536 -dict=npz.dict)
    python tests/fuzz/fuzz_io.py FILE...                     run these inputs once (a crasher)
    python tests/fuzz/fuzz_io.py --seeds DIR                 write the seed corpus into DIR

Seeds (tests/fuzz/seeds.py): the model files the project ships and real PyTorch and Keras wrote,
and one of each kind a user brings, in each form. tests/test_fuzz_io.py runs a short session
and replays tests/fuzz/regressions/*.bin (minimised crashers, one per fixed bug) without
atheris; `make fuzz` runs a long one.
"""
from __future__ import annotations

import atexit
import inspect
import io
import json
import math
import os
import sys
import tempfile
import warnings
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
REGRESSIONS = HERE / "regressions"  # minimised crashers, one per fixed bug (fuzz inputs)
# libFuzzer flags given unless the command line has its own: the contract's second and memory
DEFAULTS = {"-timeout": "1", "-rss_limit_mb": "1024", "-max_len": str(64 << 10),
            "-dict": str(HERE / "npz.dict")}
FORMS = 8
MEMBERS, DEFLATE = 8, 16
TYPED, TYPED_COUNT = "fiub", 1 << 16  # NAME@shape.dtype members: numeric, small

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class Finding(AssertionError):
    """The loader broke its contract on this input (the cause is chained)."""


# ---- one input ------------------------------------------------------------------------------

def split(data: bytes):
    """A fuzz input -> (form, blob, file bytes)."""
    form = data[0] if data else 0
    n = data[1] if len(data) > 1 else 0
    blob, rest = data[2:2 + n], data[2 + n:]
    return form, blob, (_zip_members(rest, form & DEFLATE) if form & MEMBERS else rest)


def _zip_members(rest: bytes, deflate: bool) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", method) as zf:
        warnings.simplefilter("ignore")  # a duplicate name is a fine input
        k = 0
        while k < len(rest):
            m = rest[k]
            name = rest[k + 1:k + 1 + m].decode("utf-8", "replace") or "_"
            k += 1 + m
            size = int.from_bytes(rest[k:k + 3], "little")
            zf.writestr(*_member(name, rest[k + 3:k + 3 + size]))
            k += 3 + size
    return buf.getvalue()


def _member(name: str, data: bytes):
    """A member's (name, bytes): NAME.json and NAME@shape.dtype made into .npy (see above)."""
    import numpy as np
    if name.endswith(".json"):
        return name[:-5] + ".npy", _npy(np.array(data.decode("utf-8", "replace")))
    base, at, spec = name.rpartition("@")
    dims, _, kind = spec.partition(".")
    try:
        shape = tuple(int(d) for d in dims.split("x") if d)
        dtype = np.dtype(kind) if kind[:1] in TYPED else None
    except Exception:  # noqa: BLE001 - numpy's dtype parser raises SyntaxError too ("f8,,")
        return name, data
    count = math.prod(shape)
    if (not at or dtype is None or dtype.itemsize == 0 or len(shape) > 8
            or not all(0 <= n <= TYPED_COUNT for n in shape) or count > TYPED_COUNT):
        return name, data
    raw = data[:count * dtype.itemsize].ljust(count * dtype.itemsize, b"\0")
    try:
        return base + ".npy", _npy(np.frombuffer(raw, dtype=dtype).reshape(shape))
    except ValueError:  # a shape numpy will not make: the member as given
        return name, data


def _names_dict(text: str) -> dict:
    return dict((pair.split("=", 1) + [""])[:2] for pair in text.split(",") if pair)


_TEMP = None


def _call(load, form: int, blob: bytes, file: bytes, has_names: bool):
    text = blob.decode("utf-8", "replace")
    kind = form % FORMS
    if kind in (4, 5) and not has_names:
        kind = 0
    if kind == 1:
        return load(io.BytesIO(file))
    if kind == 2:
        return load(file, vocab=blob)
    if kind == 3:
        return load(file, vocab=text.split("\n"))
    if kind == 4:
        return load(file, names=text)
    if kind == 5:
        return load(file, names=_names_dict(text))
    if kind == 6:
        return load(file, tags=text.split("\n"))
    if kind == 7:
        global _TEMP
        if _TEMP is None:
            shm = "/dev/shm" if os.path.isdir("/dev/shm") else None  # no disk waits in the timing
            fd, _TEMP = tempfile.mkstemp(prefix="pysim-fuzz-", suffix=".npz", dir=shm)
            os.close(fd)
            atexit.register(os.unlink, _TEMP)
        Path(_TEMP).write_bytes(file)
        return load(_TEMP)
    return load(file)


def _last_resort(error, load):
    """The exception that load() itself turned into this ModelFileError in a catch-all handler
    (raised in load's own frame while another exception was being handled), else None. Such a
    message shows Python's text ("TypeError: ...") instead of saying what is wrong: a finding."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    context = error.__context__
    if (tb is not None and tb.tb_frame.f_code is getattr(load, "__code__", None)
            and context is not None and not isinstance(context, type(error))):
        return context
    return None


def run_one(data: bytes):
    """Load one fuzz input; return the Model or None (refused). A broken contract raises
    Finding, with the loader's own exception chained."""
    import numpy as np
    from pysim import io as pio
    form, blob, file = split(data)
    has_names = "names" in inspect.signature(pio.load).parameters
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            model = _call(pio.load, form, blob, file, has_names)
        except pio.ModelFileError as e:
            if not str(e).strip():
                raise Finding("ModelFileError without a message") from e
            caught = _last_resort(e, pio.load)
            if caught is not None:
                raise Finding(f"only load()'s last-resort handler caught {type(caught).__name__}"
                              f" (a check the loader lacks): {e}") from caught
            model = None
        except KeyboardInterrupt:
            raise
        except BaseException as e:  # noqa: B036 - SystemExit, GeneratorExit, ... too
            raise Finding(f"{type(e).__name__} escaped the loader (form {form % FORMS}): "
                          f"{e}") from e
    if seen:
        raise Finding("the loader warned: " + "; ".join(f"{w.category.__name__}: {w.message}"
                                                          for w in seen))
    if model is None:
        return None
    cfg = model.config
    try:
        inputs = [cfg.vocab[0]] if cfg.vocab else np.zeros((1, cfg.input_size))
        with np.errstate(all="ignore"):  # huge finite weights may overflow: not the loader's
            model.trace(inputs)
        said = [cfg.vocab, cfg.tags, getattr(cfg, "unk", None), model.meta]
        json.dumps(said, ensure_ascii=False, default=str).encode("utf-8")  # CLI and page show it
        fast = "compress" in inspect.signature(pio.to_bytes).parameters  # the round trip's
        again = pio.load(pio.to_bytes(model, **({"compress": False} if fast else {})))  # time
    except KeyboardInterrupt:
        raise
    except BaseException as e:  # noqa: B036
        raise Finding(f"a loaded model broke: {type(e).__name__}: {e}") from e
    if again.config != cfg:
        raise Finding(f"the round trip changed the config: {cfg} -> {again.config}")
    return model


# ---- making inputs ---------------------------------------------------------------------------

def pack(file: bytes, form: int = 0, blob: bytes = b"") -> bytes:
    """A fuzz input from a file and the call form (blob: the argument, at most 255 bytes)."""
    blob = blob[:255]
    return bytes([form, len(blob)]) + blob + file


def pack_members(members: dict, form: int = MEMBERS) -> bytes:
    """A fuzz input of members {name: data} that the harness zips (see above)."""
    out = bytearray([form | MEMBERS, 0])
    for name, data in members.items():
        raw = name.encode()[:255]
        out += bytes([len(raw)]) + raw + len(data).to_bytes(3, "little") + data
    return bytes(out)


def _npy(a) -> bytes:
    import numpy as np
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


# ---- atheris ----------------------------------------------------------------------------------

def _functions(module):
    """The Python functions and methods in a module's namespace that its own folder defines."""
    home = os.path.dirname(module.__file__)
    for obj in list(vars(module).values()):
        members = vars(obj).values() if inspect.isclass(obj) else [obj]
        for f in members:
            f = getattr(f, "__func__", getattr(f, "fget", f))
            if inspect.isfunction(f) and f.__code__.co_filename.startswith(home):
                yield f


def main(argv: list) -> None:
    from tests.fuzz.seeds import write_seeds
    if argv[1:2] == ["--seeds"]:
        print(f"{write_seeds(argv[2])} seeds written to {argv[2]}")
        return
    try:
        import atheris
    except ImportError:
        sys.exit("atheris is not installed: pip install -r requirements-dev.txt "
                 "(its wheels are for Linux x86-64)")
    import numpy as np
    import numpy.lib.format as npy_format  # the .npy header parser pysim relies on
    npy_impl = getattr(np.lib, "_format_impl", npy_format)  # numpy 2: where its helpers live
    with atheris.instrument_imports(include=["pysim"]):
        import pysim.io  # noqa: F401 - and every pysim module it imports
    for module in (zipfile, npy_format, npy_impl):  # imported already: instrument them
        for f in set(_functions(module)):
            atheris.instrument_func(f)
    for arg in argv[1:]:
        if not arg.startswith("-") and Path(arg).is_dir() and not any(Path(arg).iterdir()):
            write_seeds(arg)

    def test_one_input(data: bytes) -> None:
        run_one(data)

    given = {arg.split("=", 1)[0] for arg in argv[1:]}
    argv = argv[:1] + [f"{k}={v}" for k, v in DEFAULTS.items() if k not in given] + argv[1:]
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
