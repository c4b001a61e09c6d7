// The page's features beyond the core views. Each module exports install(ctx) and may return
// functions to add to window.pysim. ctx: {ctl, views, m, bridge, tabs, afterPaint, showMessage,
// hideMessage, showError, at, traceToJson} (see app.js).
import * as diagram from "./diagram.js";
import * as intervene from "./intervene.js";
import * as urlstate from "./urlstate.js";
import * as train from "./train.js";
import * as gradflow from "./gradflow.js";
import * as modelfile from "./modelfile.js";
import * as a11y from "./a11y.js";
import * as wire from "./wire.js";
import * as contrast from "./contrast.js";

export const FEATURES = [urlstate, diagram, intervene];
FEATURES.push(train, gradflow, modelfile);
FEATURES.push(wire, contrast);
FEATURES.push(a11y); // last: names and tab order of every feature's widgets
