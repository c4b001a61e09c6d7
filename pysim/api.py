"""The doors: what the page's worker and the CLI call.

    Session()                   the page's session (pysim.session): the worker makes one and
                                calls its methods by name (web/worker.js), each returning plain
                                data: info, set_preset, trace, gradient_flow, load_model,
                                restore_model, export_model, train_setup, train_chunk, train_add,
                                train_remove, train_status, train_export, wire (a cell
                                wired by hand: pysim.handwired),
                                contrast, patch, ablate, flip, corpus, corpus_select
    trace_text, trace_json      a text's trace as plain arrays / JSON (pysim.traces; the CLI's
    TRACE_ARRAYS, to_clamps     --json, build.py's prerendered trace)
    flow_text                   the gradient-flow view's data (pysim.traces)
    word_vectors                the vectors a vector-input model reads words as (pysim.text)
"""
from __future__ import annotations

from .session import Session
from .text import word_vectors
from .traces import TRACE_ARRAYS, flow_text, to_clamps, trace_json, trace_text

__all__ = ["Session", "TRACE_ARRAYS", "flow_text", "to_clamps", "trace_json", "trace_text",
           "word_vectors"]
