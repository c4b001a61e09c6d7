"""Your own model (load a .npz: pysim / PyTorch state_dict names, other module names mapped in
"Module names", or Keras weight names; a vocabulary file for a file without one) and exports:
the model file, the trace as CSV and JSON (PNG: each plot's save tool).
web/features/modelfile.js wires it."""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import Button, Div, FileInput, TabPanel, TextInput

from web.strings import text

FORMATS = (
    "<b>Load your own model</b> (.npz, up to 64 MB): the views above then show it and it joins "
    "the Model menu. A file pysim cannot use is refused with the reason, and the current model "
    "stays. Two naming conventions are read:"
    "<ul style='margin:4px 0'>"
    "<li><b>PyTorch</b> (what \u201cDownload model\u201d writes): a state_dict saved with "
    "numpy.savez \u2014 lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0 "
    "per layer; optional embedding.weight (words in) and head.weight, head.bias (tags out).</li>"
    "<li><b>Keras</b>: each weight under its Keras name \u2014 Keras 3 paths "
    "(embedding/embeddings, lstm/lstm_cell/kernel, \u2026, time_distributed/kernel) or Keras 2 "
    "names (lstm/lstm_cell/kernel:0, \u2026); stacked LSTMs in the model's own order "
    "(lstm, lstm_1, \u2026); a Dense or TimeDistributed(Dense) head. With the model's config in "
    "meta (\"keras_config\") the activations are checked; without it sigmoid gates and tanh "
    "are assumed, and the page says so.</li>"
    "<li>Either may add <code>meta</code>: a JSON string {\"vocab\": [\u2026], \"tags\": "
    "[\u2026], \"examples\": [\u2026]} naming the embedding rows and the tags, with sentences "
    "to show. A model with an embedding needs a vocabulary: in meta, or a vocabulary file chosen "
    "below <i>before</i> the model file. A model without an embedding reads vectors: each word is "
    "fed as a fixed pseudo-random vector.</li>"
    "<li>Modules with other names (e.g. <code>emb</code>, <code>encoder</code>, <code>fc</code>): "
    "name their roles in <i>Module names</i>, e.g. <code>emb=embedding,encoder=lstm,fc=head"
    "</code>.</li></ul>")
EXPORTS = (
    "<b>Export</b> what is on screen: the trace as CSV (one row per layer, step and unit: "
    "layer, step, token, unit, f, i, g, o, c, h), the tag probabilities as CSV (one row per "
    "step, one column per tag), or everything as JSON (the format of pysim.state()). Every plot "
    "downloads as PNG from the save button of its toolbar (it shows when the mouse is over the "
    "plot).")


def panel() -> TabPanel:
    upload = FileInput(name="model_file", accept=".npz", width=320,
                       title=text("en", "a11y.model_file"))
    vocab = FileInput(name="vocab_file", accept=".txt,.json", width=320,
                      title="Vocabulary (.txt, one word per line, or .json)")
    names = TextInput(name="module_names", title="Module names (optional)", width=300,
                      placeholder="emb=embedding,encoder=lstm,fc=head")
    report = Div(name="model_report", sizing_mode="stretch_width", min_height=40,
                 render_as_text=True, styles={"white-space": "pre-wrap", "font-size": "13px"},
                 text="No file loaded: the model is the one chosen in the Model menu above.")
    download = Button(name="model_download", label="Download model (.npz)", width=190)
    csv = Button(name="export_csv", label="Trace (CSV)", width=120)
    probs = Button(name="export_probs", label="Tag probabilities (CSV)", width=190)
    js = Button(name="export_json", label="Everything (JSON)", width=150)
    return TabPanel(title="Model & export", name="panel_model", child=column(
        Div(text=FORMATS, sizing_mode="stretch_width"),
        row(vocab, names),
        row(upload, Div(width=20), column(Div(height=12), download)),
        report,
        Div(text=EXPORTS, sizing_mode="stretch_width"),
        row(csv, probs, js),
        sizing_mode="stretch_width"))
