"""Every word the page shows, one table per language, the same keys in each: English ("en") and
Chinese ("zh", in the article's own terms: 遗忘门, 输入门, 输出门, 记忆单元 C_t, 候选值 C̃_t, 输出 h_t).

build.py sends both tables to the page in the boot data (boot["strings"]); web/i18n.js picks the
language (?lang=en|zh, else the browser's: a language starting with "zh" gives zh) and formats
with t(key, {name: value}) ("{name}" in a string is replaced). The Python layout (web/page.py,
web/panels/) reads the same table with text(lang, key). tests/web/test_strings.py checks that every
language has every key, with the same {placeholders}, and that every key the code names exists.

Keys are grouped by where they show (status., msg., view., widget., tab.<feature>., ...). Keys
ending in "_html" hold HTML that only the build writes (index.html, Bokeh Divs): the page's
JavaScript never gets them (strings()) and writes text only.
"""
from __future__ import annotations

import re

LANGS = ("en", "zh")
DEFAULT_LANG = "en"

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "lang.name": "English",
        "gate.f": "forget gate",
        "gate.i": "input gate",
        "gate.o": "output gate",
        "gate.g": "candidate C\u0303_t",
        "gate.c": "memory cell C_t",
        "gate.h": "output h_t",
        # ---- lang: the page's own words (index.html, status line, messages, views, tabs)
        "lang.switch": "Switch the page to Chinese",
        "page.title": "pysim \u2014 watch an LSTM read, gate by gate",
        "page.tagline": "\u2014 watch an LSTM read, gate by gate",
        "page.lede_html": (
            "Type a sentence. The LSTM reads it one word at a time; at every step its "
            "<b>forget gate</b> decides how much of the memory C<sub>t\u22121</sub> to keep, its "
            "<b>input gate</b> how much of the candidate C\u0303<sub>t</sub> enters, and its "
            "<b>output gate</b> how much of the memory becomes the output h<sub>t</sub>. Step "
            "through it, or press play."),
        "page.loading": "Loading the page\u2026",
        "page.error": "Something went wrong.",
        "page.retry": "Retry",
        "page.dismiss": "Dismiss",
        "page.equations": "The equations",
        "page.equations_title": "What is computed at every step",
        "page.equations_pre": (
            "f_t = \u03c3(W_f \u00b7 [h_{t\u22121}, x_t] + b_f)      forget gate, 0 = forget \u2026 1 = keep C_{t\u22121}\n"
            "i_t = \u03c3(W_i \u00b7 [h_{t\u22121}, x_t] + b_i)      input gate, how much of the candidate enters\n"
            "C\u0303_t = tanh(W_C \u00b7 [h_{t\u22121}, x_t] + b_C)    candidate memory\n"
            "C_t = f_t \u2218 C_{t\u22121} + i_t \u2218 C\u0303_t           memory cell\n"
            "o_t = \u03c3(W_o \u00b7 [h_{t\u22121}, x_t] + b_o)      output gate\n"
            "h_t = o_t \u2218 tanh(C_t)                    output"),
        "page.equations_note_html": (
            "Each heatmap has one row per unit and one column per word read so far. Hover a cell "
            "for its exact value. The softmax head turns h<sub>t</sub> into a tag for every word: "
            "in the article's example, \u201cBeijing\u201d is the <i>destination</i> after "
            "\u201carrive\u201d and the <i>departure</i> after \u201cleave\u201d; the LSTM can tell "
            "only because it remembers the verb."),
        "page.footer": ("pysim runs Python (Pyodide + numpy) in your browser; nothing you type "
                        "leaves this page."),
        "status.loading": ("Loading Python (Pyodide + numpy) in the background. The trace shown "
                           "was computed when the site was built."),
        "status.progress": "Loading Python (Pyodide + numpy): {loaded} of {total} MB \u2014 {file}. {shown}",
        "status.progress_unsized": "Loading Python (Pyodide + numpy): {loaded} MB \u2014 {file}. {shown}",
        "status.built": "The trace shown was computed when the site was built.",
        "status.ready": "Python ready in {s} s: every trace is now computed live in your browser.",
        "status.ready_snapshot": (
            "Python ready in {s} s (restored from the copy this browser kept of your last visit): "
            "every trace is now computed live in your browser."),
        "status.model": "{name}: {layers} layers \u00d7 {hidden} units. {description}",
        "status.model_one": "{name}: 1 layer \u00d7 {hidden} units. {description}",
        "status.failed": "Python is not running: {reason}",
        "preset.beijing": "Tags each word of a travel sentence: O, destination or departure. \"arrive Beijing\" makes Beijing the destination, \"leave Beijing\" the departure: the LSTM must remember the verb until the city comes.",
        "preset.memory": "A marker (A or B), then 20-100 distractor letters, then '?': the tag of '?' is the marker. One memory cell holds it, its forget gate staying near 1 the whole way.",
        "preset.untrained": "untrained model, fixed seed 0: the gates are computed for real, the tags are not learned yet",
        "msg.new_version": "A new version of pysim has been installed: reload the page to use it.",
        "msg.draw_failed": "the page could not be drawn: {reason}",
        "msg.model_lost": ("The model \u201c{name}\u201d was lost when Python stopped: the trace "
                           "shown is of {current} again."),
        "msg.model_lost_why": ("The model \u201c{name}\u201d was lost when Python stopped "
                               "({why}): the trace shown is of {current} again."),
        "msg.fatal": "{reason}. The trace on screen stays; press Retry to start Python again.",
        "msg.empty": "Type at least one word: the text is empty. The last trace stays on screen.",
        "msg.queued_failed": ("Python is not running: your text is queued and will be traced "
                              "once Retry has started it again."),
        "msg.queued": ("Python is still loading: your text is queued and will be traced as soon "
                       "as it is ready."),
        "msg.user_error": "{reason} The last trace stays on screen.",
        "msg.trace_failed": "pysim failed on this text: {reason}",
        "msg.clamps_dropped": "{n} clamps named a layer or unit this model lacks: dropped.",
        "msg.clamps_dropped_one": "1 clamp named a layer or unit this model lacks: dropped.",
        "msg.unknown_preset": "unknown preset {name}",
        "msg.worker_stopped": "the Python worker stopped: {reason}",
        "msg.worker_missing": "it could not be started (is worker.js there?)",
        "msg.python_failed": "Python could not start: {reason}",
        "msg.restore_failed": "The link's {field} could not be restored: {reason}",
        "py.empty": "Type at least one word: the text is empty.",
        "py.unknown_word": ("word {word} is not in the model's vocabulary and the model has no "
                            "unknown-word token (meta \"unk\", or one of {tokens} in the "
                            "vocabulary)"),
        "py.clamp_layer": "clamp layer {layer} does not exist (the model has {n})",
        "py.clamp_unit": "clamp unit {unit} does not exist (layers have {n} units)",
        "py.vectors": "this model takes input vectors, not words",
        "py.no_head": ("This model has no softmax head, so there is no loss whose gradient could "
                       "flow back."),
        "py.unknown_tag": "Unknown tag {tags}: the {task} task's tags are {known}.",
        "share.copied": "Link copied: it opens this exact view ({n} characters).",
        "share.copied_model": "Link copied ({n} characters).",
        "share.too_long": ("Link copied, without the text: it is longer than {max} characters, "
                           "too long for a link."),
        "share.model_note": (" It opens with the {preset} model: \u201c{name}\u201d lives only in "
                             "this tab (Model & export downloads its file, for others to load)."),
        "share.manual": "Copy this link to share this exact view: {link}",
        "share.manual_model": "Copy this link to share this view: {link}",
        "widget.play": "\u25b6 Play",
        "widget.pause": "\u275a\u275a Pause",
        "widget.model": "Model",
        "widget.sentence": "Sentence (words separated by spaces)",
        "widget.share": "Copy link to this view",
        "widget.start": "\u21e4 Start",
        "widget.back": "\u25c0 Back",
        "widget.forward": "Step \u25b6",
        "widget.scrub": "Step t",
        "widget.speed": "Speed (steps per second)",
        "widget.unit": "Unit",
        "widget.layer": "Layer",
        "widget.article": "The article's example:",
        "preview.loading": "Loading the controls\u2026",
        "view.tokens": "tokens (current one framed; predicted tag below)",
        "view.tokens_many": ("tokens: {n} words, too many to print (hover a box to read it; "
                             "current one framed)"),
        "view.no_head": "(no head)",
        "view.unit_option": "unit {u}",
        "view.layer_option": "layer {l}",
        "view.unit_title": "unit {u} over time: f, i, o, C and h",
        "view.unit_title_layer": "unit {u} of layer {l} over time: f, i, o, C and h",
        "heat.f": "forget gate f_t",
        "heat.i": "input gate i_t",
        "heat.o": "output gate o_t",
        "heat.g": "candidate C\u0303_t",
        "heat.c": "memory cell C_t",
        "heat.h": "output h_t",
        "heat.gate_bar": "0 = closed \u2026 1 = open",
        "heat.cell_bar": "symmetric around 0",
        "axis.step": "step t",
        "axis.unit": "unit",
        "tip.step": "step",
        "tip.token": "token",
        "tip.unit": "unit",
        "tip.tag": "tag",
        "tip.predicted": "predicted",
        "legend.f": "f forget",
        "legend.i": "i input",
        "legend.o": "o output",
        "legend.c": "C memory",
        "legend.h": "h output",
        "probs.title": "tag probabilities per token (softmax head)",
        "probs.bar": "probability",
        "tool.save": "Save as PNG",
        "tool.hover": "Values under the mouse",
        # the tabs (web/panels/, web/features/)
        "tab.diagram": "Cell diagram",
        "diagram.f": "\u03c3  forget",
        "diagram.i": "\u03c3  input",
        "diagram.g": "tanh  cand.",
        "diagram.o": "\u03c3  output",
        "diagram.memory": "memory cell",
        "diagram.title": ("LSTM unit {u}: valves open 0 (closed) \u2026 1 (open), line widths "
                          "show what flows"),
        "diagram.title_layer": ("LSTM unit {u} of layer {l}: valves open 0 (closed) \u2026 1 "
                                "(open), line widths show what flows"),
        "diagram.eq_head": "step t = {t}, word \u201c{token}\u201d, unit {u}",
        "diagram.eq_head_layer": "step t = {t}, word \u201c{token}\u201d, unit {u} of layer {l}",
        "diagram.clamped": "   (clamped)",
        "diagram.eq_note": ("The forget gate keeps f_t of the old memory,\nthe input gate lets in "
                            "i_t of the candidate,\nthe output gate shows o_t of the memory."),
        "tab.intervene": "Intervene",
        "clamp.gate": "Clamp",
        "clamp.f": "forget gate f",
        "clamp.i": "input gate i",
        "clamp.o": "output gate o",
        "clamp.zero": "silence the unit (C = h = 0)",
        "clamp.silence": "silence",
        "clamp.value": "to the value",
        "clamp.unit": "of unit",
        "clamp.all": "all units",
        "clamp.steps": "at steps",
        "clamp.add": "Add clamp",
        "clamp.clear": "Clear all clamps",
        "clamp.none_below": "No clamps: the run below is the model's own.",
        "clamp.none": "No clamps: the run shown is the model's own.",
        "clamp.active": "Active clamps ({n}); the main views show the clamped run:",
        "clamp.pred_title": "predicted tags: without and with the clamps",
        "clamp.with": "with clamps",
        "clamp.without": "without",
        "clamp.difference": "difference",
        "clamp.bar": "with \u2212 without",
        "clamp.note": ("Clamp a gate and the whole trace is recomputed with it: e.g. the forget "
                       "gate = 0 at a step wipes the memory there, so C_t = i_t \u00b7 C\u0303_t. "
                       "The main views show the clamped run; below, how it differs."),
        "clamp.delta_c": "memory cell: C with clamps \u2212 C without",
        "clamp.delta_h": "output: h with clamps \u2212 h without",
        "clamp.who_unit": "unit {u}",
        "clamp.when_step": "step {t}",
        "clamp.when_steps": "steps {t0}\u2013{t1}",
        "clamp.layer": " of layer {l}",
        "clamp.describe_silence": "silence {who}{layer} at {when}",
        "clamp.describe": "{gate} = {value} for {who}{layer} at {when}",
        "clamp.not_applied": "{reason} The clamp was not applied.",
        "clamp.err_list": "clamps must be a list",
        "clamp.err_gate": "a clamp's gate is f, i, o or zero, not {gate}",
        "clamp.err_value": "a gate is clamped to a value in 0..1, not {value}",
        "clamp.err_whole": "clamp units, layers and steps are whole numbers \u2265 0",
        "clamp.err_order": "a clamp's last step comes before its first",
        "tab.train": "Train",
        "train.caption_html": (
            "Train a fresh LSTM here, in your browser: pysim's own backprop through time and "
            "optimizer run in the Python worker, a few minibatches at a time. The views above "
            "show the model being trained, so you can watch the gates of the current sentence "
            "change as it learns. Held-out accuracy is measured on sentences the model never "
            "trains on (beijing: half of them with cities it has never seen)."),
        "train.tagging_html": (
            "Tag your own sentences: write word/tag for a tagged word, every other word is O, "
            "e.g. arrive Beijing/destination on November 2nd. They join the training set (each "
            "counts as 10 examples) at the next Reset, or at once when training has started; the "
            "task \u201cmy sentences only\u201d trains on them alone."),
        "train.task": "Task",
        "train.task_beijing": "beijing (destination / departure)",
        "train.task_memory": "memory (A or B, 20-100 later)",
        "train.task_mine": "my sentences only",
        "train.optimizer": "Optimizer",
        "train.adam": "Adam",
        "train.sgd": "SGD (momentum 0.9)",
        "train.lr": "Learning rate",
        "train.start": "\u25b6 Start training",
        "train.continue": "\u25b6 Continue training",
        "train.training": "Training\u2026",
        "train.pause": "\u275a\u275a Pause",
        "train.reset": "Reset to untrained",
        "train.download": "Download trained model (.npz)",
        "train.not_started_long": ("Not started. Start trains a fresh model on the task chosen "
                                   "(the views above then show it)."),
        "train.not_started": "Not started.",
        "train.loss_title": "loss (cross-entropy per token)",
        "train.loss": "loss",
        "train.acc_title": "accuracy (share of words tagged right)",
        "train.accuracy": "accuracy",
        "train.x_axis": "training step (minibatch updates)",
        "train.minibatches": "training minibatches",
        "train.held_out": "held out",
        "train.sentence": "Tagged sentence",
        "train.add": "Add to training set",
        "train.remove": "Remove last",
        "train.remove_all": "Remove all",
        "train.no_sentences": "No sentences of your own yet.",
        "train.sentences": "Your sentences ({n}), word/tag marks a tagged word:",
        "train.at_step": "\u201c{name}\u201d at step {steps}",
        "train.seconds": "{s} s of training",
        "train.last": "last minibatch loss {loss}, accuracy {accuracy}",
        "train.on_yours": "on your sentences",
        "train.at_step_short": " (at step {step})",
        "train.held": ("{where}: accuracy {accuracy} of {tokens} words, {sentences} of "
                       "{examples} sentences all right"),
        "train.fresh": "A fresh, untrained model: press Start.",
        "train.stopped": "Training stopped: {reason}",
        "train.paused": "Paused: Start continues.",
        "train.reached": "Held-out accuracy reached {p}.",
        "train.back": "\u201c{name}\u201d is back as it was at step {steps}",
        "train.lost": "the trained model is lost",
        "train.restarted": ("Python was restarted: {back}; the training run (optimizer state, "
                            "your own sentences) stopped with the old worker, so Start trains a "
                            "fresh model."),
        "train.fresh_task": "Start trains a fresh model on {task}.",
        "train.paused_other": ("Paused: the page shows another model now; Start continues "
                               "training (and shows the trained model again)."),
        "train.not_added": "Not added: {reason}",
        "tab.gflow": "Gradient flow",
        "gflow.caption_html": (
            "How far back can the loss at the last word reach? Backprop through time carries the "
            "gradient of that loss, L_T, from the last step back to every earlier one. The blue "
            "curve is \u2016\u2202L_T/\u2202C_t\u2016 for this LSTM's memory cell (top layer): on "
            "its way back it is multiplied by the forget gates f_t, and where they stay near 1 it "
            "keeps its size. The orange curve is \u2016\u2202L_T/\u2202h_t\u2016 for a plain tanh "
            "RNN of the same size reading the same input vectors (random weights, PyTorch's "
            "initialisation, the same kind of softmax loss): every step back multiplies it by "
            "tanh\u2032 \u00b7 W, and it shrinks geometrically \u2014 the vanishing gradient. The "
            "y axis is logarithmic: equal distances are equal factors. Compare the slopes, not "
            "the heights: the height at the last word only says how sure each model is there (a "
            "trained LSTM that is sure has a tiny loss, so a tiny gradient). Both are computed "
            "exactly by pysim's backprop, for the model's own prediction at the last word, "
            "without any clamps."),
        "gflow.title": "gradient of the last step's loss, by step: LSTM memory cell vs. plain RNN",
        "gflow.x_axis": "step t (token)",
        "gflow.y_axis": "gradient norm (log scale)",
        "gflow.rnn": "plain tanh RNN",
        "gflow.prompt": "Open this tab (or press Compute) to compute it for the current sentence.",
        "gflow.compute": "Compute",
        "gflow.result": (
            "Loss at the last word \u201c{token}\u201d (target: the model's own prediction, "
            "{target}). Back at the first word the LSTM's gradient is {lstm} \u00d7 its size at "
            "the last word; the plain RNN's is {rnn} \u00d7."),
        "gflow.failed": "No gradient flow for this model and text: {reason}",
        "tab.model": "Model & export",
        "model.formats_html": (
            "<b>Load your own model</b> (.npz, up to 64 MB): the views above then show it and it "
            "joins the Model menu. A file pysim cannot use is refused with the reason, and the "
            "current model stays. Two naming conventions are read:"
            "<ul style='margin:4px 0'>"
            "<li><b>PyTorch</b> (what \u201cDownload model\u201d writes): a state_dict saved with "
            "numpy.savez \u2014 lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, "
            "lstm.bias_hh_l0 per layer; optional embedding.weight (words in) and head.weight, "
            "head.bias (tags out).</li>"
            "<li><b>Keras</b>: each weight under its Keras name \u2014 Keras 3 paths "
            "(embedding/embeddings, lstm/lstm_cell/kernel, \u2026, time_distributed/kernel) or "
            "Keras 2 names (lstm/lstm_cell/kernel:0, \u2026); stacked LSTMs in the model's own "
            "order (lstm, lstm_1, \u2026); a Dense or TimeDistributed(Dense) head. With the "
            "model's config in meta (\"keras_config\") the activations are checked; without it "
            "sigmoid gates and tanh are assumed, and the page says so.</li>"
            "<li>Either may add <code>meta</code>: a JSON string {\"vocab\": [\u2026], \"tags\": "
            "[\u2026], \"examples\": [\u2026]} naming the embedding rows and the tags, with "
            "sentences to show. A model with an embedding needs a vocabulary: in meta, or a "
            "vocabulary file chosen below <i>before</i> the model file. A model without an "
            "embedding reads vectors: each word is fed as a fixed pseudo-random vector.</li>"
            "<li>Modules with other names (e.g. <code>emb</code>, <code>encoder</code>, "
            "<code>fc</code>): name their roles in <i>Module names</i>, e.g. "
            "<code>emb=embedding,encoder=lstm,fc=head</code>.</li></ul>"),
        "model.exports_html": (
            "<b>Export</b> what is on screen: the trace as CSV (one row per layer, step and unit: "
            "layer, step, token, unit, f, i, g, o, c, h), the tag probabilities as CSV (one row "
            "per step, one column per tag), or everything as JSON (the format of pysim.state()). "
            "Every plot downloads as PNG from the save button of its toolbar (it shows when the "
            "mouse is over the plot)."),
        "model.vocab": "Vocabulary (.txt, one word per line, or .json)",
        "model.names": "Module names (optional)",
        "model.none": "No file loaded: the model is the one chosen in the Model menu above.",
        "model.download": "Download model (.npz)",
        "model.csv": "Trace (CSV)",
        "model.probs": "Tag probabilities (CSV)",
        "model.json": "Everything (JSON)",
        "model.loaded": "Loaded {file} ({format} names): {layers} \u00d7 {hidden}, {parameters} parameters.",
        "model.layers": "{n} LSTM layers",
        "model.layers_one": "1 LSTM layer",
        "model.units": "{n} units",
        "model.units_one": "1 unit",
        "model.input_words": "Input: words \u2014 an embedding of {words} \u00d7 {width} ({sample}){from}; {unk}",
        "model.words": "{n} words",
        "model.words_one": "1 word",
        "model.vocab_from": ", the vocabulary from {file}",
        "model.unk": "a word it does not know is read as {unk}.",
        "model.no_unk": "it has no unknown-word token: every word typed must be in its vocabulary.",
        "model.input_vectors": ("Input: vectors of width {width} (no vocabulary: each word you "
                                "type is fed as a fixed pseudo-random vector)."),
        "model.output_tags": "Output: a softmax over {tags}: {names}.",
        "model.tags": "{n} tags",
        "model.tags_one": "1 tag",
        "model.no_output": ("Output: no softmax head, so no tags (the gates and the memory are "
                            "still shown)."),
        "model.note": "Note: {note}",
        "model.description": "Description: {description}",
        "model.text": "The text box holds a sentence it reads: \u201c{text}\u201d.",
        "model.no_text": (
            "It has no example sentence and does not know every word of the text that was on "
            "screen: type a sentence (it reads {reads}). Until then the views show it reading "
            "\u201c{probe}\u201d, one word of its vocabulary."),
        "model.current": "It is now the current model (\u201c{name}\u201d in the Model menu above).",
        "model.vocab_type": "vocab must be a Uint8Array, a string or a list of words",
        "model.refused": "{file} was not loaded:\n{reason}\nThe current model ({current}) stays.",
        "model.too_big": "it has {n} bytes, more than a model file may ({max}).",
        "model.unreadable": "pysim could not read it ({reason}).",
        "model.prompt": "This model reads {reads}; type a sentence",
        "model.until": "Until then the views show it reading \u201c{probe}\u201d.",
        "model.vocab_given": "the vocabulary given",
        "model.trace_failed": "its trace failed ({reason}).",
        "model.export_failed": "Export failed: {reason}",
        # ---- embed
        "embed.computing": "{title} (computing…)",
        "embed.status.computing": "Loading Python (Pyodide + numpy) in the background: the trace "
                                  "of this text is computed as soon as it is ready.",
        "embed.status.computing_short": "This text's trace is computed as soon as Python is ready.",
        "embed.preview.computing": "computing…",
        "embed.preview.loading": "Loading the views…",
        "embed.preview.diagram": "step t = {t}, word “{token}”, unit {unit}",
        # ---- a11y: names for assistive technology, the spoken step, the page's description
        "a11y.description": "An LSTM simulator in your browser: type a sentence and watch the "
                            "forget, input and output gates, the candidate, the memory cell and "
                            "the output, word by word and unit by unit.",
        "a11y.tabs": "Features",
        "a11y.scrub": "Step t",
        "a11y.speed": "Speed (steps per second)",
        "a11y.clamp_value": "Clamp to the value",
        "a11y.clamp_from": "Clamp from step",
        "a11y.clamp_to": "Clamp up to step",
        "a11y.model_file": "Model file (.npz)",
        "a11y.step": "Step {t} of {last}: \u201c{token}\u201d, predicted tag {tag} ({p} %)",
        "a11y.step_nohead": "Step {t} of {last}: \u201c{token}\u201d",
        # ---- wire (the Wire tab: an LSTM wired by hand; web/panels/wire.py, web/features/wire.js)
        "tab.wire": "Wire by hand",
        "wire.note": "A one- or two-unit LSTM whose every weight is yours: type input vectors x_t, "
                     "change any weight or bias below, and every step's gates, candidate, memory and "
                     "output are recomputed at once by pysim's own step (the article's equations).",
        "wire.lecture": "The preset is the hand-wired cell of the lecture the article cites first "
                        "(Hung-yi Lee, NTU): x1 carries a value, x2 = 1 opens the input gate to add "
                        "it to the memory, x2 = \u22121 closes the forget gate to reset it, x3 = 1 "
                        "opens the output gate to read it. The lecture's cell is linear (C\u0303 = x1, "
                        "h = o \u00b7 C) and stores 3 + 4 = 7; here C\u0303 = tanh(W_C \u00b7 [h, x] + b_C) "
                        "and h = o \u00b7 tanh(C), so the preset scales x1 by 0.1, where tanh is nearly "
                        "straight: the memory adds up to tanh(0.3) + tanh(0.4) = 0.671 (not 0.7) and "
                        "is read out as tanh(0.671) = 0.586. Set W_C\u2019s x1 weight to 1 to watch "
                        "tanh saturate.",
        "wire.inputs": "Input vectors x_t, e.g. [3,1,0] [4,1,0]",
        "wire.units": "Units",
        "wire.units_n": "{n} unit(s)",
        "wire.preset": "The lecture's cell",
        "wire.zero": "All weights 0",
        "wire.weights": "Weights over [h_{t\u22121}, x_t] and biases (type a number, or use the arrows):",
        "wire.bias": "b",
        "wire.step": "step t",
        "wire.plot": "every step of the wired cell (unit 2 dashed)",
        "wire.loading": "Python is still loading: this trace follows as soon as it is ready.",
        "wire.failed": "pysim could not trace this: {why}",
        "wire.kept": "The trace shown is of the last inputs that could be read.",
        "wire.err.empty": "Type at least one input vector, e.g. [3,1,0] [4,1,0].",
        "wire.err.outside": "\u201c{s}\u201d is outside any [ ]: write each input vector in brackets, "
                            "e.g. [3,1,0] [4,1,0].",
        "wire.err.open": "vector {n}: a \u201c[\u201d is not closed by \u201c]\u201d.",
        "wire.err.number": "vector {n}: \u201c{s}\u201d is not a number.",
        "wire.err.blank": "vector {n} is empty: put at least one number in it.",
        "wire.err.wide": "vector {n} has {k} numbers: at most {max} inputs.",
        "wire.err.ragged": "vector {n} has {k} numbers and vector 1 {d}: every x_t needs the same length.",
        "wire.err.long": "more than {max} vectors: at most {max} steps.",
        # ---- contrast (web/panels/contrast.py, web/features/contrast.js)
        "tab.contrast": "Contrast",
        "contrast.note": "Two texts, one model: which units remember what tells them apart? For every unit, how far its memory cell C_t and output h_t are apart in the two runs; the units are ranked at the words whose predicted tags differ.",
        "contrast.text_a": "Text A",
        "contrast.text_b": "Text B",
        "contrast.run": "Contrast",
        "contrast.c_fig": "memory cell C_t of the top units: A solid, B dashed",
        "contrast.c_explain": "The top units' memory cell C_t over time, both texts on one plot (A solid, B dashed): where a unit's two lines part, it tells A from B.",
        "contrast.tags_fig": "predicted tags of A and B",
        "contrast.tags_explain": "Each word of both texts with its predicted tag, side by side; the words whose tags differ are marked.",
        "contrast.units": "Units ranked by how far apart A and B are at {where}: {list}.",
        "contrast.where_diff": "the words whose tags differ",
        "contrast.where_all": "every word (no tag differs)",
        "contrast.unit_label": "layer {layer} unit {unit}",
        "contrast.patch_explain": "Prove it by patching: copy the state of the top units at step t from run A into run B, and let B run on. If B's tag at the differing word becomes A's, those units carry the memory. Ablation zeroes the units instead.",
        "contrast.what": "Patch",
        "contrast.what_c": "memory cell C_t",
        "contrast.what_ch": "C_t and output h_t",
        "contrast.step": "at step t",
        "contrast.flip": "Patch top units until the tag flips",
        "contrast.ablate": "Ablate the top unit in B",
        "contrast.flipped": "Patching {k} unit(s) ({units}) from A into B at step {t} (\u201c{token}\u201d) flips B's tag at \u201c{word}\u201d from {from} to {to}: P({to}) {before} \u2192 {after}.",
        "contrast.not_flipped": "Patching all {k} units from A into B at step {t} did not flip B's tag at \u201c{word}\u201d: P({to}) {before} \u2192 {after}.",
        "contrast.nothing": "The tags of A and B do not differ from step {t} on: there is no tag to flip.",
        "contrast.ablated": "Ablating {units} in B (C = h = 0 at every step): P({tag}) at \u201c{word}\u201d {before} \u2192 {after}, tag {from} \u2192 {now}.",
        "contrast.prob_fig": "B's probability of A's tag at the differing word",
        "contrast.prob_explain": "B's probability of A's tag at the differing word, before patching and after patching the top 1, 2, 3 \u2026 units.",
        "contrast.before": "before",
        "contrast.top_k": "top {k}",
        "contrast.corpus_explain": "Across a corpus: one unit over many sentences, every word coloured by its value (red > 0, blue < 0), the sentences where it responds most strongly first. Tap words of one sentence, then Find units: the units on there and off elsewhere, and the other sentences where they do the same (framed).",
        "contrast.source": "Sentences",
        "contrast.src_held": "the task's held-out set",
        "contrast.src_examples": "the model's examples",
        "contrast.src_lines": "my lines (below)",
        "contrast.lines": "Your sentences, one a line",
        "contrast.colour_by": "Colour by",
        "contrast.unit": "Unit",
        "contrast.show": "Show",
        "contrast.find": "Find units",
        "contrast.corpus_fig": "one unit across sentences (strongest first)",
        "contrast.corpus_status": "{n} sentences; {unit}, coloured by {what}; the {shown} strongest shown.",
        "contrast.found": "On in the selected words and off elsewhere: {units}. {m} other sentences where they are all on (framed when shown).",
        "contrast.select_first": "Tap words of one sentence first.",
        "contrast.failed": "The contrast could not be made: {msg}",
        # ---- lazy (web/lazy.js, web/status.js: Python when it is needed)
        "lazy.view": "Python (Pyodide + numpy) starts when you scroll here or touch the simulator. The trace shown was computed when the site was built.",
        "lazy.ask": "{what} needs Python ({mb} MB to download). Load it?",
        "lazy.load": "Load Python",
        "lazy.saving": "Data saver: Python ({mb} MB) is not loaded. The article's examples can be read and stepped as they are; typing, training or loading a model asks first.",
        "lazy.need.typing": "Typing your own text",
        "lazy.need.model": "Switching the model",
        "lazy.need.file": "Loading a model file",
        "lazy.need.training": "Training",
        "lazy.need.gradflow": "The gradient flow",
        "lazy.need.export": "Exporting the model",
        "lazy.need.other": "This",
        "lazy.need.wire": "Wiring a cell by hand",
        "lazy.need.contrast": "Comparing two texts",
        "lazy.need.text": "Showing this link's text",
    },
    "zh": {
        "lang.name": "中文",
        "gate.f": "遗忘门",
        "gate.i": "输入门",
        "gate.o": "输出门",
        "gate.g": "候选值 C\u0303_t",
        "gate.c": "记忆单元 C_t",
        "gate.h": "输出 h_t",
        # ---- lang: the page's own words (index.html, status line, messages, views, tabs)
        "lang.switch": "把页面切换为英文",
        "page.title": "pysim \u2014 看 LSTM 逐门读句子",
        "page.tagline": "\u2014 看 LSTM 一个门一个门地读句子",
        "page.lede_html": (
            "输入一句话。LSTM 一次读一个词；每一步，<b>遗忘门</b>决定上一时刻的记忆 "
            "C<sub>t\u22121</sub> 保留多少，<b>输入门</b>决定候选值 C\u0303<sub>t</sub> 有多少进入"
            "记忆单元，<b>输出门</b>决定记忆中有多少成为输出 h<sub>t</sub>。可以一步步看，也可以按播放。"),
        "page.loading": "正在加载页面\u2026",
        "page.error": "出错了。",
        "page.retry": "重试",
        "page.dismiss": "关闭",
        "page.equations": "公式",
        "page.equations_title": "每一步计算什么",
        "page.equations_pre": (
            "f_t = \u03c3(W_f \u00b7 [h_{t\u22121}, x_t] + b_f)      遗忘门：0 = 清空 \u2026 1 = 保留 C_{t\u22121}\n"
            "i_t = \u03c3(W_i \u00b7 [h_{t\u22121}, x_t] + b_i)      输入门：候选值有多少进入记忆\n"
            "C\u0303_t = tanh(W_C \u00b7 [h_{t\u22121}, x_t] + b_C)    候选值\n"
            "C_t = f_t \u2218 C_{t\u22121} + i_t \u2218 C\u0303_t           记忆单元\n"
            "o_t = \u03c3(W_o \u00b7 [h_{t\u22121}, x_t] + b_o)      输出门\n"
            "h_t = o_t \u2218 tanh(C_t)                    输出"),
        "page.equations_note_html": (
            "每张热图中，一行是一个单元，一列是已读的一个词。把鼠标移到格子上可看到精确数值。"
            "softmax 输出层把 h<sub>t</sub> 变成每个词的标签：在文章的例子里，\u201cBeijing\u201d "
            "在 \u201carrive\u201d 之后是<i>目的地</i>（destination），在 \u201cleave\u201d 之后是"
            "<i>出发地</i>（departure）；LSTM 能分辨，只是因为它记住了前面的动词。"),
        "page.footer": "pysim 在你的浏览器里运行 Python（Pyodide + numpy）；你输入的内容不会离开这个页面。",
        "status.loading": "正在后台加载 Python（Pyodide + numpy）。显示的轨迹是构建网站时算好的。",
        "status.progress": "正在加载 Python（Pyodide + numpy）：{loaded} / {total} MB \u2014 {file}。{shown}",
        "status.progress_unsized": "正在加载 Python（Pyodide + numpy）：{loaded} MB \u2014 {file}。{shown}",
        "status.built": "显示的轨迹是构建网站时算好的。",
        "status.ready": "Python 已就绪（用时 {s} 秒）：现在每条轨迹都在你的浏览器里实时计算。",
        "status.ready_snapshot": (
            "Python 已就绪（用时 {s} 秒，从浏览器保存的上次访问副本恢复）：现在每条轨迹都在你的"
            "浏览器里实时计算。"),
        "status.model": "{name}：{layers} 层 \u00d7 {hidden} 个单元。{description}",
        "status.model_one": "{name}：1 层 \u00d7 {hidden} 个单元。{description}",
        "status.failed": "Python 没有运行：{reason}",
        "preset.beijing": (
            "给旅行句子的每个词打标签：O、destination（目的地）或 departure（出发地）。"
            "\u201carrive Beijing\u201d 里 Beijing 是目的地，\u201cleave Beijing\u201d 里是出发地："
            "LSTM 必须记住动词，直到读到城市。"),
        "preset.memory": (
            "先是一个标记（A 或 B），然后是 20-100 个干扰字母，最后是 \u201c?\u201d："
            "\u201c?\u201d 的标签就是那个标记。一个记忆单元一直记着它，它的遗忘门全程接近 1。"),
        "preset.untrained": "未训练的模型，固定随机种子 0：各个门是真实计算的，标签还没有学过",
        "msg.new_version": "pysim 的新版本已安装：重新加载页面即可使用。",
        "msg.draw_failed": "页面无法绘制：{reason}",
        "msg.model_lost": "Python 停止时模型\u201c{name}\u201d丢失了：现在显示的又是 {current} 的轨迹。",
        "msg.model_lost_why": ("Python 停止时模型\u201c{name}\u201d丢失了（{why}）：现在显示的又是 "
                               "{current} 的轨迹。"),
        "msg.fatal": "{reason}。屏幕上的轨迹保留；按\u201c重试\u201d重新启动 Python。",
        "msg.empty": "请至少输入一个词：文本是空的。上一条轨迹仍留在屏幕上。",
        "msg.queued_failed": "Python 没有运行：你的文本已排队，按\u201c重试\u201d重新启动后就会计算。",
        "msg.queued": "Python 仍在加载：你的文本已排队，就绪后立即计算。",
        "msg.user_error": "{reason} 上一条轨迹仍留在屏幕上。",
        "msg.trace_failed": "pysim 处理这段文本时出错：{reason}",
        "msg.clamps_dropped": "{n} 个钳制指定了这个模型没有的层或单元：已删除。",
        "msg.clamps_dropped_one": "1 个钳制指定了这个模型没有的层或单元：已删除。",
        "msg.unknown_preset": "没有名为 {name} 的预设模型",
        "msg.worker_stopped": "Python 工作线程停止了：{reason}",
        "msg.worker_missing": "无法启动（worker.js 是否存在？）",
        "msg.python_failed": "Python 无法启动：{reason}",
        "msg.restore_failed": "链接中的 {field} 无法恢复：{reason}",
        "py.empty": "请至少输入一个词：文本是空的。",
        "py.unknown_word": "词 {word} 不在模型的词表里，而模型没有未知词标记（meta 中的 \"unk\"，或词表中的 {tokens} 之一）",
        "py.clamp_layer": "钳制的第 {layer} 层不存在（模型只有 {n} 层）",
        "py.clamp_unit": "钳制的单元 {unit} 不存在（每层只有 {n} 个单元）",
        "py.vectors": "这个模型读的是输入向量，不是词",
        "py.no_head": "这个模型没有 softmax 输出层，所以没有可以反向传播梯度的损失。",
        "py.unknown_tag": "未知标签 {tags}：{task} 任务的标签是 {known}。",
        "share.copied": "链接已复制：打开后正是这个视图（{n} 个字符）。",
        "share.copied_model": "链接已复制（{n} 个字符）。",
        "share.too_long": "链接已复制，但不含文本：文本超过 {max} 个字符，放进链接太长了。",
        "share.model_note": (" 链接打开时用的是 {preset} 模型：\u201c{name}\u201d只存在于这个标签页"
                             "（\u201c模型与导出\u201d可以下载它的文件，供别人加载）。"),
        "share.manual": "复制这个链接来分享这个视图：{link}",
        "share.manual_model": "复制这个链接来分享这个视图：{link}",
        "widget.play": "\u25b6 播放",
        "widget.pause": "\u275a\u275a 暂停",
        "widget.model": "模型",
        "widget.sentence": "句子（词之间用空格分隔）",
        "widget.share": "复制此视图的链接",
        "widget.start": "\u21e4 开头",
        "widget.back": "\u25c0 上一步",
        "widget.forward": "下一步 \u25b6",
        "widget.scrub": "时刻 t",
        "widget.speed": "速度（每秒步数）",
        "widget.unit": "单元",
        "widget.layer": "层",
        "widget.article": "文章中的例子：",
        "preview.loading": "正在加载控件\u2026",
        "view.tokens": "词（当前词带框；下方是预测的标签）",
        "view.tokens_many": "词：共 {n} 个，太多无法全部显示（把鼠标移到方框上查看；当前词带框）",
        "view.no_head": "（无输出层）",
        "view.unit_option": "单元 {u}",
        "view.layer_option": "第 {l} 层",
        "view.unit_title": "单元 {u} 随时间的变化：f、i、o、C 和 h",
        "view.unit_title_layer": "第 {l} 层单元 {u} 随时间的变化：f、i、o、C 和 h",
        "heat.f": "遗忘门 f_t",
        "heat.i": "输入门 i_t",
        "heat.o": "输出门 o_t",
        "heat.g": "候选值 C\u0303_t",
        "heat.c": "记忆单元 C_t",
        "heat.h": "输出 h_t",
        "heat.gate_bar": "0 = 关闭 \u2026 1 = 打开",
        "heat.cell_bar": "以 0 为中心对称",
        "axis.step": "时刻 t",
        "axis.unit": "单元",
        "tip.step": "时刻",
        "tip.token": "词",
        "tip.unit": "单元",
        "tip.tag": "标签",
        "tip.predicted": "预测",
        "legend.f": "f 遗忘门",
        "legend.i": "i 输入门",
        "legend.o": "o 输出门",
        "legend.c": "C 记忆单元",
        "legend.h": "h 输出",
        "probs.title": "每个词的标签概率（softmax 输出层）",
        "probs.bar": "概率",
        "tool.save": "保存为 PNG",
        "tool.hover": "鼠标所指处的数值",
        # the tabs (web/panels/, web/features/)
        "tab.diagram": "单元示意图",
        "diagram.f": "\u03c3  遗忘门",
        "diagram.i": "\u03c3  输入门",
        "diagram.g": "tanh  候选值",
        "diagram.o": "\u03c3  输出门",
        "diagram.memory": "记忆单元",
        "diagram.title": "LSTM 单元 {u}：阀门开度 0（关闭）\u2026 1（打开），线宽表示流过多少",
        "diagram.title_layer": "第 {l} 层 LSTM 单元 {u}：阀门开度 0（关闭）\u2026 1（打开），线宽表示流过多少",
        "diagram.eq_head": "时刻 t = {t}，词\u201c{token}\u201d，单元 {u}",
        "diagram.eq_head_layer": "时刻 t = {t}，词\u201c{token}\u201d，第 {l} 层单元 {u}",
        "diagram.clamped": "   （已钳制）",
        "diagram.eq_note": "遗忘门保留旧记忆的 f_t，\n输入门放进候选值的 i_t，\n输出门输出记忆的 o_t。",
        "tab.intervene": "干预",
        "clamp.gate": "钳制",
        "clamp.f": "遗忘门 f",
        "clamp.i": "输入门 i",
        "clamp.o": "输出门 o",
        "clamp.zero": "让单元静默（C = h = 0）",
        "clamp.silence": "静默",
        "clamp.value": "到数值",
        "clamp.unit": "单元",
        "clamp.all": "所有单元",
        "clamp.steps": "在时刻",
        "clamp.add": "添加钳制",
        "clamp.clear": "清除所有钳制",
        "clamp.none_below": "没有钳制：下面是模型自己的运行结果。",
        "clamp.none": "没有钳制：显示的是模型自己的运行结果。",
        "clamp.active": "生效的钳制（{n} 个）；主视图显示钳制后的运行：",
        "clamp.pred_title": "预测的标签：不加钳制与加钳制",
        "clamp.with": "加钳制",
        "clamp.without": "不加",
        "clamp.difference": "差值",
        "clamp.bar": "加 \u2212 不加",
        "clamp.note": ("钳制一个门，整条轨迹就按它重新计算：例如在某一时刻令遗忘门 = 0，那里的记忆"
                       "就被清空，于是 C_t = i_t \u00b7 C\u0303_t。主视图显示钳制后的运行；下面显示它与"
                       "原来的差别。"),
        "clamp.delta_c": "记忆单元：加钳制的 C \u2212 不加的 C",
        "clamp.delta_h": "输出：加钳制的 h \u2212 不加的 h",
        "clamp.who_unit": "单元 {u} ",
        "clamp.when_step": "时刻 {t}",
        "clamp.when_steps": "时刻 {t0}\u2013{t1}",
        "clamp.layer": "（第 {l} 层）",
        "clamp.describe_silence": "{when}：{who}{layer}静默",
        "clamp.describe": "{when}：{who}{layer}的{gate} = {value}",
        "clamp.not_applied": "{reason} 钳制没有生效。",
        "clamp.err_list": "钳制必须是一个列表",
        "clamp.err_gate": "钳制的门只能是 f、i、o 或 zero，不能是 {gate}",
        "clamp.err_value": "门只能钳制为 0..1 之间的数值，不能是 {value}",
        "clamp.err_whole": "钳制的单元、层和时刻都必须是 \u2265 0 的整数",
        "clamp.err_order": "钳制的最后一步在第一步之前",
        "tab.train": "训练",
        "train.caption_html": (
            "在这里、在你的浏览器里训练一个全新的 LSTM：pysim 自己的随时间反向传播和优化器在 "
            "Python 工作线程里运行，每次几个小批量。上面的视图显示正在训练的模型，你可以看着当前"
            "句子的各个门随学习而变化。留出集准确率在模型从不训练的句子上测量（beijing：其中一半的"
            "城市它从没见过）。"),
        "train.tagging_html": (
            "给你自己的句子打标签：被标注的词写成 词/标签，其他词都是 O，例如 "
            "arrive Beijing/destination on November 2nd。它们在下次\u201c重置\u201d时加入训练集（每句"
            "算 10 个样本），训练已开始时则立即加入；任务\u201c只用我的句子\u201d只在它们上训练。"),
        "train.task": "任务",
        "train.task_beijing": "beijing（目的地 / 出发地）",
        "train.task_memory": "memory（A 或 B，20-100 步之后）",
        "train.task_mine": "只用我的句子",
        "train.optimizer": "优化器",
        "train.adam": "Adam",
        "train.sgd": "SGD（动量 0.9）",
        "train.lr": "学习率",
        "train.start": "\u25b6 开始训练",
        "train.continue": "\u25b6 继续训练",
        "train.training": "训练中\u2026",
        "train.pause": "\u275a\u275a 暂停",
        "train.reset": "重置为未训练",
        "train.download": "下载训练好的模型（.npz）",
        "train.not_started_long": "尚未开始。\u201c开始训练\u201d会在所选任务上训练一个全新的模型（上面的视图随即显示它）。",
        "train.not_started": "尚未开始。",
        "train.loss_title": "损失（每个词的交叉熵）",
        "train.loss": "损失",
        "train.acc_title": "准确率（标签正确的词所占比例）",
        "train.accuracy": "准确率",
        "train.x_axis": "训练步数（小批量更新次数）",
        "train.minibatches": "训练小批量",
        "train.held_out": "留出集",
        "train.sentence": "带标签的句子",
        "train.add": "加入训练集",
        "train.remove": "删除最后一句",
        "train.remove_all": "全部删除",
        "train.no_sentences": "还没有你自己的句子。",
        "train.sentences": "你的句子（{n} 句），词/标签 表示被标注的词：",
        "train.at_step": "\u201c{name}\u201d 第 {steps} 步",
        "train.seconds": "已训练 {s} 秒",
        "train.last": "最近一个小批量的损失 {loss}，准确率 {accuracy}",
        "train.on_yours": "在你的句子上",
        "train.at_step_short": "（第 {step} 步时）",
        "train.held": "{where}：{tokens} 个词的准确率 {accuracy}，{examples} 个句子中完全正确的占 {sentences}",
        "train.fresh": "一个全新的、未训练的模型：按\u201c开始训练\u201d。",
        "train.stopped": "训练停止：{reason}",
        "train.paused": "已暂停：按\u201c继续训练\u201d继续。",
        "train.reached": "留出集准确率达到 {p}。",
        "train.back": "\u201c{name}\u201d已恢复为第 {steps} 步时的样子",
        "train.lost": "训练好的模型丢失了",
        "train.restarted": ("Python 已重新启动：{back}；这次训练（优化器状态、你自己的句子）随旧的工作线程"
                            "一起停止了，所以\u201c开始训练\u201d会训练一个全新的模型。"),
        "train.fresh_task": "\u201c开始训练\u201d会在 {task} 上训练一个全新的模型。",
        "train.paused_other": "已暂停：页面现在显示的是另一个模型；\u201c继续训练\u201d会继续训练（并再次显示训练中的模型）。",
        "train.not_added": "没有加入：{reason}",
        "tab.gflow": "梯度流",
        "gflow.caption_html": (
            "最后一个词的损失能向前影响多远？随时间反向传播把这个损失 L_T 的梯度从最后一步带回"
            "之前的每一步。蓝色曲线是这个 LSTM 记忆单元（最上层）的 \u2016\u2202L_T/\u2202C_t\u2016："
            "它在往回传的路上被遗忘门 f_t 相乘，遗忘门接近 1 的地方它就保持大小。橙色曲线是同样大小、"
            "读同样输入向量的普通 tanh RNN 的 \u2016\u2202L_T/\u2202h_t\u2016（随机权重，PyTorch 的"
            "初始化，同样的 softmax 损失）：每往回一步就乘以 tanh\u2032 \u00b7 W，按几何级数缩小"
            "\u2014\u2014这就是梯度消失。纵轴是对数刻度：相等的距离代表相等的倍数。请比较斜率而不是"
            "高度：最后一个词处的高度只说明模型在那里有多确定（确定的、训练好的 LSTM 损失很小，"
            "梯度也很小）。两条曲线都由 pysim 的反向传播精确算出，针对模型自己在最后一个词上的预测，"
            "不加任何钳制。"),
        "gflow.title": "最后一步损失的梯度，按时刻：LSTM 记忆单元与普通 RNN 对比",
        "gflow.x_axis": "时刻 t（词）",
        "gflow.y_axis": "梯度范数（对数刻度）",
        "gflow.rnn": "普通 tanh RNN",
        "gflow.prompt": "打开这个标签页（或按\u201c计算\u201d）即可为当前句子计算。",
        "gflow.compute": "计算",
        "gflow.result": (
            "最后一个词\u201c{token}\u201d处的损失（目标：模型自己的预测 {target}）。回到第一个词时，"
            "LSTM 的梯度是它在最后一个词处大小的 {lstm} 倍；普通 RNN 的是 {rnn} 倍。"),
        "gflow.failed": "这个模型和文本没有梯度流：{reason}",
        "tab.model": "模型与导出",
        "model.formats_html": (
            "<b>加载你自己的模型</b>（.npz，最大 64 MB）：上面的视图随即显示它，它也会加入"
            "\u201c模型\u201d菜单。pysim 用不了的文件会被拒绝并说明原因，当前模型保持不变。"
            "可以读取两种命名约定："
            "<ul style='margin:4px 0'>"
            "<li><b>PyTorch</b>（\u201c下载模型\u201d写出的格式）：用 numpy.savez 保存的 state_dict"
            "\u2014\u2014每层 lstm.weight_ih_l0、lstm.weight_hh_l0、lstm.bias_ih_l0、lstm.bias_hh_l0；"
            "可选 embedding.weight（输入词）和 head.weight、head.bias（输出标签）。</li>"
            "<li><b>Keras</b>：每个权重用它的 Keras 名字\u2014\u2014Keras 3 路径（embedding/embeddings、"
            "lstm/lstm_cell/kernel、\u2026、time_distributed/kernel）或 Keras 2 名字"
            "（lstm/lstm_cell/kernel:0、\u2026）；堆叠的 LSTM 按模型自己的顺序（lstm、lstm_1、\u2026）；"
            "Dense 或 TimeDistributed(Dense) 输出层。meta 中有模型配置（\"keras_config\"）时会检查激活"
            "函数；没有时假定门用 sigmoid、另用 tanh，页面会说明。</li>"
            "<li>两者都可以加 <code>meta</code>：一个 JSON 字符串 {\"vocab\": [\u2026], \"tags\": "
            "[\u2026], \"examples\": [\u2026]}，给出嵌入的各行对应的词、标签，以及要显示的句子。"
            "有嵌入的模型需要词表：放在 meta 里，或在选择模型文件<i>之前</i>在下面选择一个词表文件。"
            "没有嵌入的模型读向量：每个词作为一个固定的伪随机向量输入。</li>"
            "<li>其他名字的模块（例如 <code>emb</code>、<code>encoder</code>、<code>fc</code>）："
            "在<i>模块名</i>里写明它们的角色，例如 <code>emb=embedding,encoder=lstm,fc=head</code>。"
            "</li></ul>"),
        "model.exports_html": (
            "<b>导出</b>屏幕上的内容：轨迹导出为 CSV（每层、每个时刻、每个单元一行：layer, step, "
            "token, unit, f, i, g, o, c, h），标签概率导出为 CSV（每个时刻一行，每个标签一列），"
            "或全部导出为 JSON（pysim.state() 的格式）。每张图都可以用它工具栏上的保存按钮下载为 "
            "PNG（鼠标移到图上时出现）。"),
        "model.vocab": "词表（.txt，每行一个词，或 .json）",
        "model.names": "模块名（可选）",
        "model.none": "没有加载文件：模型是上面\u201c模型\u201d菜单中选择的那个。",
        "model.download": "下载模型（.npz）",
        "model.csv": "轨迹（CSV）",
        "model.probs": "标签概率（CSV）",
        "model.json": "全部（JSON）",
        "model.loaded": "已加载 {file}（{format} 命名）：{layers} \u00d7 {hidden}，{parameters} 个参数。",
        "model.layers": "{n} 层 LSTM",
        "model.layers_one": "1 层 LSTM",
        "model.units": "{n} 个单元",
        "model.units_one": "1 个单元",
        "model.input_words": "输入：词\u2014\u2014{words} \u00d7 {width} 的嵌入（{sample}）{from}；{unk}",
        "model.words": "{n} 个词",
        "model.words_one": "1 个词",
        "model.vocab_from": "，词表来自 {file}",
        "model.unk": "它不认识的词读作 {unk}。",
        "model.no_unk": "它没有未知词标记：输入的每个词都必须在它的词表里。",
        "model.input_vectors": "输入：宽度为 {width} 的向量（没有词表：你输入的每个词作为一个固定的伪随机向量输入）。",
        "model.output_tags": "输出：在 {tags} 上的 softmax：{names}。",
        "model.tags": "{n} 个标签",
        "model.tags_one": "1 个标签",
        "model.no_output": "输出：没有 softmax 输出层，所以没有标签（各个门和记忆照样显示）。",
        "model.note": "注意：{note}",
        "model.description": "说明：{description}",
        "model.text": "文本框里是它能读的一句话：\u201c{text}\u201d。",
        "model.no_text": (
            "它没有示例句子，也不认识屏幕上原来那段文本的每个词：请输入一句话（它读 {reads}）。"
            "在那之前，视图显示它读\u201c{probe}\u201d，这是它词表里的一个词。"),
        "model.current": "它现在是当前模型（上面\u201c模型\u201d菜单中的\u201c{name}\u201d）。",
        "model.vocab_type": "vocab 必须是 Uint8Array、字符串或词的列表",
        "model.refused": "{file} 没有加载：\n{reason}\n当前模型（{current}）保持不变。",
        "model.too_big": "它有 {n} 字节，超过模型文件的上限（{max}）。",
        "model.unreadable": "pysim 无法读取它（{reason}）。",
        "model.prompt": "这个模型读 {reads}；请输入一句话",
        "model.until": "在那之前，视图显示它读\u201c{probe}\u201d。",
        "model.vocab_given": "给出的词表",
        "model.trace_failed": "它的轨迹计算失败（{reason}）。",
        "model.export_failed": "导出失败：{reason}",
        # ---- embed
        "embed.computing": "{title}(计算中…)",
        "embed.status.computing": "正在后台加载 Python(Pyodide + numpy):加载完成后立即计算这句话的轨迹。",
        "embed.status.computing_short": "Python 就绪后立即计算这句话的轨迹。",
        "embed.preview.computing": "计算中…",
        "embed.preview.loading": "正在加载视图…",
        "embed.preview.diagram": "第 t = {t} 步,单词“{token}”,单元 {unit}",
        # ---- a11y: names for assistive technology, the spoken step, the page's description
        "a11y.description": "在浏览器里运行的 LSTM 模拟器：输入一句话，逐词、逐个单元地观察遗忘门、"
                            "输入门、输出门、候选值、记忆单元和输出。",
        "a11y.tabs": "功能",
        "a11y.scrub": "步骤 t",
        "a11y.speed": "速度（每秒步数）",
        "a11y.clamp_value": "钳制到的值",
        "a11y.clamp_from": "钳制起始步",
        "a11y.clamp_to": "钳制结束步",
        "a11y.model_file": "模型文件（.npz）",
        "a11y.step": "第 {t} 步（最后一步为第 {last} 步）：\u201c{token}\u201d，预测标签 {tag}（{p} %）",
        "a11y.step_nohead": "第 {t} 步（最后一步为第 {last} 步）：\u201c{token}\u201d",
        # ---- wire (the Wire tab: an LSTM wired by hand; web/panels/wire.py, web/features/wire.js)
        "tab.wire": "手动连线",
        "wire.note": "一个只有一两个单元的 LSTM，每个权重都由你来定：输入向量 x_t，改动下面任意一个权重或偏置，"
                     "每一步的门、候选值、记忆单元和输出都会立刻由 pysim 自己的单步计算（文章里的公式）重新算出。",
        "wire.lecture": "预设是文章第一篇参考文献（李宏毅，台湾大学）课程里手动连线的单元：x1 携带一个数值，"
                        "x2 = 1 打开输入门把它加进记忆，x2 = \u22121 关上遗忘门把记忆清零，x3 = 1 打开输出门把它读出。"
                        "课程里的单元是线性的（C\u0303 = x1，h = o \u00b7 C），存下 3 + 4 = 7；这里 "
                        "C\u0303 = tanh(W_C \u00b7 [h, x] + b_C)，h = o \u00b7 tanh(C)，所以预设把 x1 乘以 0.1，"
                        "让 tanh 几乎是直线：记忆累加为 tanh(0.3) + tanh(0.4) = 0.671（而不是 0.7），"
                        "读出为 tanh(0.671) = 0.586。把 W_C 对 x1 的权重设为 1，可以看到 tanh 饱和。",
        "wire.inputs": "输入向量 x_t，例如 [3,1,0] [4,1,0]",
        "wire.units": "单元数",
        "wire.units_n": "{n} 个单元",
        "wire.preset": "课程里的单元",
        "wire.zero": "权重全部为 0",
        "wire.weights": "作用于 [h_{t\u22121}, x_t] 的权重和偏置（输入数字，或用箭头调整）：",
        "wire.bias": "b",
        "wire.step": "步 t",
        "wire.plot": "手动连线的单元的每一步（第 2 个单元为虚线）",
        "wire.loading": "Python 仍在加载：加载完成后立即显示这次计算。",
        "wire.failed": "pysim 无法计算：{why}",
        "wire.kept": "显示的是最后一次能读懂的输入的结果。",
        "wire.err.empty": "请至少输入一个向量，例如 [3,1,0] [4,1,0]。",
        "wire.err.outside": "\u201c{s}\u201d 不在任何 [ ] 里：每个输入向量都要写在方括号中，例如 [3,1,0] [4,1,0]。",
        "wire.err.open": "第 {n} 个向量：\u201c[\u201d 没有用 \u201c]\u201d 闭合。",
        "wire.err.number": "第 {n} 个向量：\u201c{s}\u201d 不是数字。",
        "wire.err.blank": "第 {n} 个向量是空的：请至少写一个数字。",
        "wire.err.wide": "第 {n} 个向量有 {k} 个数：最多 {max} 个输入。",
        "wire.err.ragged": "第 {n} 个向量有 {k} 个数，而第 1 个向量有 {d} 个：每个 x_t 的长度必须相同。",
        "wire.err.long": "向量超过 {max} 个：最多 {max} 步。",
        # ---- contrast (web/panels/contrast.py, web/features/contrast.js)
        "tab.contrast": "对比",
        "contrast.note": "同一个模型读两段文字：哪些单元记住了区分它们的东西？对每个单元，比较两次运行中它的记忆单元 C_t 和输出 h_t 相差多远；在预测标签不同的词上给单元排序。",
        "contrast.text_a": "文字 A",
        "contrast.text_b": "文字 B",
        "contrast.run": "对比",
        "contrast.c_fig": "排名靠前单元的记忆单元 C_t：A 实线，B 虚线",
        "contrast.c_explain": "排名靠前的单元的记忆单元 C_t 随时间的变化，两段文字画在同一张图上（A 实线，B 虚线）：两条线分开的地方，这个单元就能区分 A 和 B。",
        "contrast.tags_fig": "A 和 B 的预测标签",
        "contrast.tags_explain": "两段文字的每个词及其预测标签并排显示；标签不同的词有标记。",
        "contrast.units": "按 A 与 B 在{where}的差距给单元排序：{list}。",
        "contrast.where_diff": "标签不同的词上",
        "contrast.where_all": "每个词上（没有标签不同）",
        "contrast.unit_label": "第 {layer} 层 单元 {unit}",
        "contrast.patch_explain": "用修补来证明：把 A 运行中排名靠前单元在第 t 步的状态复制到 B 的运行中，让 B 继续运行。如果 B 在标签不同的词上的标签变成了 A 的，这些单元就承载着这段记忆。消融则是把这些单元置零。",
        "contrast.what": "修补",
        "contrast.what_c": "记忆单元 C_t",
        "contrast.what_ch": "C_t 和输出 h_t",
        "contrast.step": "在第 t 步",
        "contrast.flip": "逐个修补靠前的单元，直到标签翻转",
        "contrast.ablate": "在 B 中消融排名第一的单元",
        "contrast.flipped": "把 {k} 个单元（{units}）在第 {t} 步（“{token}”）从 A 复制到 B，B 在“{word}”上的标签从 {from} 变为 {to}：P({to}) {before} \u2192 {after}。",
        "contrast.not_flipped": "把全部 {k} 个单元在第 {t} 步从 A 复制到 B，B 在“{word}”上的标签没有翻转：P({to}) {before} \u2192 {after}。",
        "contrast.nothing": "从第 {t} 步起 A 和 B 的标签没有不同：没有可以翻转的标签。",
        "contrast.ablated": "在 B 中消融 {units}（每一步 C = h = 0）：“{word}”上的 P({tag}) {before} \u2192 {after}，标签 {from} \u2192 {now}。",
        "contrast.prob_fig": "B 在标签不同的词上取 A 的标签的概率",
        "contrast.prob_explain": "B 在标签不同的词上取 A 的标签的概率：修补之前，以及修补排名前 1、2、3……个单元之后。",
        "contrast.before": "修补前",
        "contrast.top_k": "前 {k} 个",
        "contrast.corpus_explain": "在语料中看：一个单元读许多句子，每个词按它的值着色（红 > 0，蓝 < 0），响应最强的句子排在前面。点选一个句子中的词，再点“找单元”：找出在这些词上激活、在别处不激活的单元，以及它们同样激活的其他句子（加框）。",
        "contrast.source": "句子",
        "contrast.src_held": "任务的留出集",
        "contrast.src_examples": "模型自带的例句",
        "contrast.src_lines": "我的句子（下面）",
        "contrast.lines": "你的句子，每行一句",
        "contrast.colour_by": "着色依据",
        "contrast.unit": "单元",
        "contrast.show": "显示",
        "contrast.find": "找单元",
        "contrast.corpus_fig": "一个单元读许多句子（最强的在前）",
        "contrast.corpus_status": "{n} 个句子；{unit}，按{what}着色；显示最强的 {shown} 个。",
        "contrast.found": "在所选词上激活、在别处不激活：{units}。另有 {m} 个句子中它们同时激活（显示的加框）。",
        "contrast.select_first": "请先点选一个句子中的词。",
        "contrast.failed": "无法完成对比：{msg}",
        # ---- lazy (web/lazy.js, web/status.js: Python when it is needed)
        "lazy.view": "滚动到这里或点按模拟器时才启动 Python（Pyodide + numpy）。现在显示的轨迹是建站时算好的。",
        "lazy.ask": "{what}需要 Python（需下载 {mb} MB）。现在加载吗？",
        "lazy.load": "加载 Python",
        "lazy.saving": "省流量模式：尚未加载 Python（{mb} MB）。文章的例子可以直接阅读和逐步查看；输入文字、训练或加载模型前会先询问。",
        "lazy.need.typing": "输入自己的句子",
        "lazy.need.model": "切换模型",
        "lazy.need.file": "加载模型文件",
        "lazy.need.training": "训练",
        "lazy.need.gradflow": "梯度流",
        "lazy.need.export": "导出模型",
        "lazy.need.other": "这一操作",
        "lazy.need.wire": "手动连线",
        "lazy.need.contrast": "对比两个句子",
        "lazy.need.text": "显示这个链接的句子",
    },
}

_FIELD = re.compile(r"\{(\w+)\}")


def placeholders(s: str) -> set[str]:
    return set(_FIELD.findall(s))


def text(lang: str, key: str, **values) -> str:
    """The string `key` in `lang` with its {placeholders} filled in."""
    s = STRINGS[lang][key]
    return _FIELD.sub(lambda m: str(values[m.group(1)]), s) if values else s


def strings() -> dict:
    """What the page's JavaScript reads (boot["strings"]): every key but the "*_html" ones, which
    only the build writes (index.html, Bokeh Divs); the page's JavaScript writes text, never HTML."""
    return {lang: {k: v for k, v in STRINGS[lang].items() if not k.endswith("_html")}
            for lang in LANGS}
