"""PyTorch CPU yardstick for pysim's forward pass (run by benchmarks/run.py in a Python that has
torch; standalone: only torch and the standard library).

    python benchmarks/torch_bench.py '{"cases": [{"H": 12, "D": 12, "V": 192, "K": 3, "T": 50}],
                                       "blocks": 5, "min_s": 0.2}'

Per case and dtype (float64, float32): the same forward pass as pysim's trace, batch 1:
embedding lookup -> nn.LSTM (1 layer) over T steps -> nn.Linear head -> softmax, under
torch.inference_mode(), on "threads" threads (default 1: like pysim, which runs one thread in
Pyodide, and robust on a busy machine, where torch's spinning thread pool is not). Prints one
JSON object.
"""
from __future__ import annotations

import json
import sys
import time


def _blocks(fn, blocks, min_s):
    """`blocks` timed blocks of at least min_s s each, after an untimed warm-up block: ms per call."""
    out = []
    for _ in range(blocks + 1):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            dt = time.perf_counter() - t0
            if dt >= min_s:
                break
        out.append(1000.0 * dt / n)
    return out[1:]


def main(args):
    import torch
    from torch import nn
    torch.manual_seed(0)
    torch.set_num_threads(int(args.get("threads", 1)))
    results = []
    for case in args["cases"]:
        H, D, V, K, T = (case[k] for k in ("H", "D", "V", "K", "T"))
        for dtype in (torch.float64, torch.float32):
            emb = nn.Embedding(V, D).to(dtype)
            lstm = nn.LSTM(D, H, num_layers=1, batch_first=True).to(dtype)
            head = nn.Linear(H, K).to(dtype)
            ids = torch.randint(0, V, (1, T))

            def forward():
                with torch.inference_mode():
                    h, _ = lstm(emb(ids))
                    return torch.softmax(head(h), dim=-1)

            assert forward().shape == (1, T, K)
            results.append({**case, "dtype": str(dtype).replace("torch.", ""),
                            "ms": _blocks(forward, args.get("blocks", 5), args.get("min_s", 0.2))})
    return {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "python": sys.version.split()[0], "results": results}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
