"""Keyboard focus in the page, through BokehJS's shadow roots: which element has it, which page
model (by name) it belongs to, what Chromium's accessibility tree calls it; moving it with Tab."""
from __future__ import annotations

# the focused element (deep) described: tag, role, aria-label, text, and the name of the page's
# BokehJS model whose view holds it (e.g. "play", "scrub", "panels"), or null
FOCUSED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  const hosts = new Map();
  for (const doc of window.Bokeh ? Bokeh.documents : []) {
    for (const m of doc.all_models) {
      if (!m.name) continue;
      const v = Bokeh.index.find_one(m);
      if (v) hosts.set(v.el, m.name);
    }
  }
  let model = null;
  for (let n = el; n && !model; n = n instanceof ShadowRoot ? n.host : n.parentNode) {
    model = hosts.get(n) || null;
  }
  window.__focused = el;
  return { tag: el.tagName, role: el.getAttribute("role"), label: el.getAttribute("aria-label"),
           text: (el.textContent || "").trim().slice(0, 80), model, id: el.id,
           cls: String(el.className), tabindex: el.tabIndex };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def ax_node(page) -> dict:
    """Chromium's accessibility node of the focused element: {"role", "name"}."""
    focused(page)  # window.__focused
    cdp = page.context.new_cdp_session(page)
    try:
        obj = cdp.send("Runtime.evaluate", {"expression": "window.__focused"})["result"]
        nodes = cdp.send("Accessibility.getPartialAXTree",
                         {"objectId": obj["objectId"], "fetchRelatives": False})["nodes"]
    finally:
        cdp.detach()
    node = nodes[0]
    return {"role": node.get("role", {}).get("value"), "name": node.get("name", {}).get("value", ""),
            "ignored": node.get("ignored", False)}


def tab_to(page, want, limit=80, key="Tab") -> dict:
    """Press Tab (or `key`) until want(focused) is true; the focused element's description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        f = focused(page)
        if want(f):
            return f
        seen.append((f["model"], f["tag"], f["text"][:20]))
    raise AssertionError(f"never reached by {key}: visited {seen}")


def on_model(name):
    return lambda f: f["model"] == name


def to_start(page, limit=100) -> None:
    """Focus nothing, at the end of the tab order: the next Tab goes to the page's first stop."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page)["tag"] == "BODY":
            return
    raise AssertionError("the tab order never came back to the page")
