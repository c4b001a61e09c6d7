"""pysim: an LSTM you can watch, gate by gate. Plain Python + numpy (runs in Pyodide too)."""
from .lstm import gradient_flow, sigmoid, softmax
from .model import (GATES, MAX_TOKENS, UNK, UNK_TOKENS, Clamp, Config, Layer, Model, Trace,
                    tokenize)
from .io import ModelFileError, load, load_any, load_keras, read_vocab, save, to_bytes

__version__ = "0.1.0"

__all__ = ["GATES", "MAX_TOKENS", "UNK", "UNK_TOKENS", "Clamp", "Config", "Layer", "Model", "Trace",
           "sigmoid", "softmax", "tokenize", "gradient_flow", "ModelFileError", "load",
           "load_any", "load_keras", "read_vocab", "save", "to_bytes"]
