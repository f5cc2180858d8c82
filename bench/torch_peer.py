"""PyTorch's side of the benchmark (one thread), run only where python3-torch is installed."""
import json
import statistics
import time

import torch

torch.set_num_threads(1)


def timed(fn, warmup=2, reps=7):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1000)
    return statistics.median(ts)


res = {"peer": "pytorch-1thread", "gemm": {}, "mlp": {}}
for dt, name in [(torch.float32, "float32"), (torch.float64, "float64")]:
    for n in [64, 256, 1024]:
        a, b = torch.randn(n, n, dtype=dt), torch.randn(n, n, dtype=dt)
        res["gemm"][f"{name}-{n}"] = timed(lambda: a @ b, reps=5 if n >= 1024 else 15)
    W1 = (torch.randn(784, 256, dtype=dt) * (2 / 784) ** 0.5).requires_grad_()
    b1 = torch.zeros(256, dtype=dt, requires_grad=True)
    W2 = (torch.randn(256, 10, dtype=dt) * (2 / 256) ** 0.5).requires_grad_()
    b2 = torch.zeros(10, dtype=dt, requires_grad=True)
    x, y = torch.rand(64, 784, dtype=dt), torch.randint(0, 10, (64,))
    opt = torch.optim.SGD([W1, b1, W2, b2], lr=0.01)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(torch.relu(x @ W1 + b1) @ W2 + b2, y)
        loss.backward()
        opt.step()

    ms = timed(step, warmup=3, reps=30)
    res["mlp"][name] = {"msPerStep": ms, "examplesPerSec": 64 * 1000 / ms}
model = torch.nn.Sequential(torch.nn.Conv2d(1, 8, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Conv2d(8, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(), torch.nn.Linear(256, 10))
cx, cy = torch.rand(64, 1, 28, 28), torch.randint(0, 10, (64,))
copt = torch.optim.SGD(model.parameters(), lr=0.01)


def cnn_step():
    copt.zero_grad()
    torch.nn.functional.cross_entropy(model(cx), cy).backward()
    copt.step()


cms = timed(cnn_step, warmup=5, reps=20)
res["cnn"] = {"float32": {"msPerStep": cms, "examplesPerSec": 64 * 1000 / cms}}
print(json.dumps(res))
