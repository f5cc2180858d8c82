"""PyTorch's side of the benchmark, run only where python3-torch is installed.

Usage: torch_peer.py THREADS [--only gemm,mlp,tiny]. The caller sets OPENBLAS_NUM_THREADS /
OMP_NUM_THREADS to THREADS (and OMP_WAIT_POLICY=PASSIVE) before Python starts: OpenBLAS reads them
at load time, and torch.set_num_threads does not reach it. The BLAS torch actually loaded is
reported (the libraries mapped into this process, torch's build config, threadpoolctl if present):
Debian's python3-torch calls whatever libblas.so.3 points to, which on a fresh machine is the
unoptimised reference BLAS (~3 GFLOP/s); run.mjs prints no ratio against that.
"""
import json
import os
import statistics
import sys
import time

import torch

THREADS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1
ONLY = set(sys.argv[sys.argv.index("--only") + 1].split(",")) if "--only" in sys.argv else {"gemm", "mlp", "tiny"}
torch.set_num_threads(THREADS)
# One thread: CPU time (other processes' load on this shared machine does not stretch it), as the
# JavaScript peers measure; more threads: wall time.
clock = time.process_time if THREADS == 1 else time.perf_counter

GEMM_SIZES = [64, 128, 256, 512, 1024]
MLP = {"in": 784, "hidden": 256, "out": 10, "lr": 0.01, "batches": [64, 128]}


def detect_blas():
    """Which BLAS this process runs on: name, library path, and whether it is an optimised one."""
    torch.ones(8, 8) @ torch.ones(8, 8)  # make sure the BLAS is loaded
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            base = os.path.basename(path).lower()
            if any(k in base for k in ("blas", "mkl", "blis", "atlas", "lapack")):
                libs.add(os.path.realpath(path))
    config = torch.__config__.show()
    info = next((part.split("=", 1)[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "?")
    pools = []
    try:
        import threadpoolctl  # optional

        pools = [{"api": p.get("internal_api"), "path": p.get("filepath"), "threads": p.get("num_threads")} for p in threadpoolctl.threadpool_info()]
    except ImportError:
        pass
    joined = " ".join(sorted(libs)).lower() + " " + " ".join(str(p["api"]) for p in pools).lower()
    if "openblas" in joined:
        name = "OpenBLAS"
    elif "mkl" in joined or info == "mkl":
        name = "MKL"
    elif "blis" in joined:
        name = "BLIS"
    elif "atlas" in joined:
        name = "ATLAS"
    elif any("libblas.so" in p for p in libs):
        name = "reference"  # netlib's libblas.so.3 (Debian's /usr/lib/*/blas/)
    else:
        name = "unknown"
    return {"name": name, "optimised": name in ("OpenBLAS", "MKL", "BLIS", "ATLAS"), "libraries": sorted(libs), "buildInfo": info, "threadpools": pools}


def timed(fn, warmup=2, reps=7, min_ms=3):
    """Median ms per call over `reps` samples, each at least `min_ms` long."""
    for _ in range(warmup):
        fn()
    t0 = clock()
    fn()
    inner = max(1, int(min_ms / max((clock() - t0) * 1000, 1e-3)) + 1)
    ts = []
    for _ in range(reps):
        t0 = clock()
        for _ in range(inner):
            fn()
        ts.append((clock() - t0) * 1000 / inner)
    return statistics.median(ts)


def reps_for(n):
    return 5 if n >= 1024 else 7 if n >= 512 else 15


res = {"peer": f"pytorch-{THREADS}thread", "threads": THREADS, "blas": detect_blas(), "gemm": {}, "mlp": {}, "tiny": {}}
names = [(torch.float32, "float32"), (torch.float64, "float64")]

if "gemm" in ONLY:
    for dt, name in names:
        for layout in ["nn", "nt"]:
            for n in GEMM_SIZES:
                a, b = torch.randn(n, n, dtype=dt), torch.randn(n, n, dtype=dt)
                f = (lambda: a @ b) if layout == "nn" else (lambda: a @ b.T)
                res["gemm"][f"{name}-{layout}-{n}"] = timed(f, warmup=2 if n >= 512 else 20 if n >= 256 else 200, reps=reps_for(n))

if "mlp" in ONLY:
    for dt, name in names:
        for batch in MLP["batches"]:
            torch.manual_seed(7)
            model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10)).to(dt)
            x, y = torch.rand(batch, 784, dtype=dt), torch.randint(0, 10, (batch,))
            opt = torch.optim.SGD(model.parameters(), lr=MLP["lr"])
            last = [0.0]

            def step():
                opt.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(x), y)
                loss.backward()
                opt.step()
                last[0] = loss.item()

            ms = timed(step, warmup=20, reps=40)
            res["mlp"][f"{name}-b{batch}-peer"] = {"msPerStep": ms, "examplesPerSec": batch * 1000 / ms, "lastLoss": last[0]}

if "tiny" in ONLY:
    d = torch.float64
    x4, w = torch.tensor([0.5, -1.2, 0.3, 2.0], dtype=d), torch.tensor([0.1, -0.2, 0.3, -0.4], dtype=d, requires_grad=True)
    b, y1 = torch.tensor([0.05], dtype=d, requires_grad=True), torch.tensor([1.0], dtype=d)
    opt1 = torch.optim.SGD([w, b], lr=0.1)

    def neuron():
        opt1.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy(torch.sigmoid(x4 @ w + b), y1)
        loss.backward()
        opt1.step()

    x3 = torch.tensor([[0.5, -1.2, 0.3]], dtype=d)
    W1 = torch.tensor([[0.1, -0.2, 0.3], [-0.4, 0.5, -0.6], [0.7, -0.8, 0.9]], dtype=d, requires_grad=True)
    b1 = torch.tensor([0.01, -0.02, 0.03], dtype=d, requires_grad=True)
    W2 = torch.tensor([[-0.3, 0.2, -0.1], [0.6, -0.5, 0.4], [-0.9, 0.8, -0.7]], dtype=d, requires_grad=True)
    b2 = torch.tensor([-0.01, 0.02, -0.03], dtype=d, requires_grad=True)
    y3 = torch.tensor([[0.2, 0.7, 0.1]], dtype=d)
    opt2 = torch.optim.SGD([W1, b1, W2, b2], lr=0.1)

    def mlp333():
        opt2.zero_grad()
        loss = torch.nn.functional.mse_loss(torch.sigmoid(torch.sigmoid(x3 @ W1 + b1) @ W2 + b2), y3)
        loss.backward()
        opt2.step()

    for key, fn in [("neuron", neuron), ("mlp333", mlp333)]:
        for _ in range(2000):
            fn()
        blocks = []
        for _ in range(7):
            t0 = clock()
            for _ in range(500):
                fn()
            blocks.append((clock() - t0) * 1e6 / 500)
        res["tiny"][key] = {"usPerStep": min(blocks)}  # the fastest block, as common.mjs
print(json.dumps(res))
