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

from pybench import timed_blocks  # the same timing loop as pysim's (this file's folder is on sys.path)


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
                            "ms": timed_blocks(forward, args.get("blocks", 5), args.get("min_s", 0.2))})
    return {"torch": torch.__version__, "threads": torch.get_num_threads(),
            "python": sys.version.split()[0], "results": results}


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
