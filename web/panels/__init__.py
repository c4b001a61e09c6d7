"""Feature panels shown as tabs under the main views. Each module's panel() returns a TabPanel
whose models carry the names its web/features/*.js module looks up."""
from web.panels import diagram, intervene
from web.panels import gradflow, modelfile, train
from web.panels import contrast, wire

PANELS = [diagram.panel, intervene.panel]
PANELS += [train.panel, gradflow.panel, modelfile.panel]
PANELS += [wire.panel, contrast.panel]
