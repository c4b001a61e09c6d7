"""Your own model (load a .npz: pysim / PyTorch state_dict names, other module names mapped in
"Module names", or Keras weight names; a vocabulary file for a file without one) and exports:
the model file, the trace as CSV and JSON (PNG: each plot's save tool).
web/features/modelfile.js wires it."""
from __future__ import annotations

from bokeh.layouts import column, row
from bokeh.models import Button, Div, FileInput, TabPanel, TextInput

from web.strings import DEFAULT_LANG, text


def panel(lang: str = DEFAULT_LANG) -> TabPanel:
    def say(key):
        return text(lang, key)
    upload = FileInput(name="model_file", accept=".npz", width=320, title=say("a11y.model_file"))
    vocab = FileInput(name="vocab_file", accept=".txt,.json", width=320,
                      title=say("model.vocab"))
    names = TextInput(name="module_names", title=say("model.names"), width=300,
                      placeholder="emb=embedding,encoder=lstm,fc=head")
    report = Div(name="model_report", sizing_mode="stretch_width", min_height=40,
                 render_as_text=True, styles={"white-space": "pre-wrap", "font-size": "13px"},
                 text=say("model.none"))
    download = Button(name="model_download", label=say("model.download"), width=190)
    csv = Button(name="export_csv", label=say("model.csv"), width=120)
    probs = Button(name="export_probs", label=say("model.probs"), width=190)
    js = Button(name="export_json", label=say("model.json"), width=150)
    return TabPanel(title=say("tab.model"), name="panel_model", child=column(
        Div(text=say("model.formats_html"), sizing_mode="stretch_width"),
        row(vocab, names),
        row(upload, Div(width=20), column(Div(height=12), download)),
        report,
        Div(text=say("model.exports_html"), sizing_mode="stretch_width"),
        row(csv, probs, js),
        sizing_mode="stretch_width"))
