// The feature tabs below the views (web/page.py build_panels: a Tabs model named "panels", one
// TabPanel per feature, named panel_<feature>): which one is open, and running code when one
// opens. A page without tabs has none open.

export class Tabs {
  constructor(m) {
    try { this.tabs = m("panels"); } catch { this.tabs = null; }
  }

  /** The open tab's TabPanel name, or "". */
  get open() {
    const panel = this.tabs && this.tabs.tabs[this.tabs.active];
    return panel ? panel.name || "" : "";
  }

  isOpen(name) { return this.open === name; }

  /** Run fn() whenever tab `name` opens (a click, or a link's state restored). */
  onOpen(name, fn) {
    this.onChange(() => { if (this.isOpen(name)) fn(); });
  }

  /** Run fn() whenever another tab opens. */
  onChange(fn) {
    if (this.tabs) this.tabs.property("active").change.connect(fn);
  }
}
