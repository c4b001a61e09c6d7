"""Sampling CPU profiles of a page's main thread (Chrome DevTools Protocol's Profiler), for
profile.py: start_profile(cdp) starts one (a sample every 250 µs); summarize_profile(profile, per)
turns what Profiler.stop returns into ms by script file and by function, self (the function's
own code) and inclusive (with everything it called), divided by `per` (e.g. per step).
"""
from __future__ import annotations

import collections


def start_profile(cdp, interval_us=250):
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": interval_us})
    cdp.send("Profiler.start")


def summarize_profile(p, per=1):
    """Self and inclusive ms by script file and by function, divided by `per`."""
    nodes = {n["id"]: n for n in p["nodes"]}
    parent = {c: n["id"] for n in p["nodes"] for c in n.get("children", [])}
    t = collections.Counter()
    for s, d in zip(p["samples"], p["timeDeltas"]):
        t[s] += d

    def file_of(n):
        cf = n["callFrame"]
        if cf["url"]:
            path = cf["url"].split("?")[0]
            return path.split("/", 3)[-1] if "://" in path else path
        return cf["functionName"] or "(native)"

    def fn_of(n):  # (root), (idle), (program), (garbage collector): as they are
        cf = n["callFrame"]
        if not cf["url"]:
            return file_of(n)
        return f"{cf['functionName'] or '(anonymous)'} ({file_of(n)}:{cf['lineNumber'] + 1})"

    self_file, self_fn = collections.Counter(), collections.Counter()
    incl_file, incl_fn = collections.Counter(), collections.Counter()
    for nid, dt in t.items():
        n = nodes[nid]
        self_file[file_of(n)] += dt
        self_fn[fn_of(n)] += dt
        files, fns, x = set(), set(), nid
        while x is not None:
            files.add(file_of(nodes[x]))
            fns.add(fn_of(nodes[x]))
            x = parent.get(x)
        for f in files:
            incl_file[f] += dt
        for f in fns:
            incl_fn[f] += dt
    busy = sum(v for k, v in self_file.items() if k not in ("(idle)", "(root)"))
    ms = lambda c, k=12: [(name, round(v / 1000 / per, 2)) for name, v in c.most_common(k)  # noqa: E731
                          if name not in ("(idle)", "(root)")]
    return {"busy_ms": round(busy / 1000 / per, 2), "idle_ms": round(self_file["(idle)"] / 1000 / per, 2),
            "self_by_file": ms(self_file), "incl_by_file": ms(incl_file),
            "self_by_function": ms(self_fn, 15), "incl_by_function": ms(incl_fn, 25)}
