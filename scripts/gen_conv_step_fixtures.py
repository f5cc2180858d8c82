"""PyTorch's gradients for the convolution and pooling programs of test/symbolic/conv-steps.test.ts.

Each program is written twice: as nabla's expression language (the formulas the test solves) and,
below it, by hand in PyTorch (float64), which computes every quantity's value and gradient. The
numbers are multiples of 1/4, with repeated values where a max pool has ties.
Run with Debian's python3-torch: /usr/bin/python3 scripts/gen_conv_step_fixtures.py
"""
import json
import os

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
F = torch.nn.functional
torch.manual_seed(0)


def T(v, grad=False):
    return torch.tensor(v, dtype=torch.float64, requires_grad=grad)


def grid(*shape):
    """Seeded multiples of 1/4 in [−2, 2]."""
    return (torch.randint(-8, 9, shape, dtype=torch.int64).double() / 4).tolist()


def val(t):
    return t.detach().reshape(-1).tolist()


def record(named, L):
    for t in named.values():
        if not t.is_leaf:
            t.retain_grad()
    L.backward()
    out = {}
    for k, t in named.items():
        out[k] = val(t)
        if t.grad is not None:
            out[f"dL/d{k}"] = val(t.grad)
    return out


def strided_two_layers():
    """Two channels, stride 2 and padding 1, then a second convolution (x's gradient flows through it).
    Problem files hold matrices, so the image and the kernels are given as matrices and reshaped."""
    x, k1, k2 = grid(2, 36), grid(3, 18), grid(1, 12)
    formulas = ("X = reshape(x, 2, 6, 6)\nK1 = reshape(k1, 3, 2, 3, 3)\nK2 = reshape(k2, 1, 3, 2, 2)\n"
                "z1 = conv2d(X, K1, 2, 1)\na1 = relu(z1)\nz2 = conv2d(a1, K2, 1, 1)\nm = maxpool2d(z2, 2, 2, 1)\nyhat = sum(m * m) / 8")
    t = {"x": T(x, True), "k1": T(k1, True), "k2": T(k2, True)}
    t["X"], t["K1"], t["K2"] = t["x"].reshape(2, 6, 6), t["k1"].reshape(3, 2, 3, 3), t["k2"].reshape(1, 3, 2, 2)
    t["z1"] = F.conv2d(t["X"][None], t["K1"], stride=2, padding=1)[0]
    t["a1"] = torch.relu(t["z1"])
    t["z2"] = F.conv2d(t["a1"][None], t["K2"], padding=1)[0]
    t["m"] = F.max_pool2d(t["z2"][None], 2, stride=2, padding=1)[0]
    t["yhat"] = (t["m"] * t["m"]).sum() / 8
    return {"formulas": formulas, "parameters": {"x": x, "k1": k1, "k2": k2}, "inputs": {}, "loss": "L = yhat", "torch": record(t, t["yhat"])}


def stride_not_dividing():
    """A 7×7 image, a 3×3 kernel, stride 2: the last row and column reach no window."""
    x, k = grid(7, 7), grid(3, 3)
    x[6] = [2.0] * 7
    formulas = "z = conv2d(x, k, 2)\nyhat = sum(z * z) / 4"
    t = {"x": T(x, True), "k": T(k, True)}
    t["z"] = F.conv2d(t["x"][None, None], t["k"][None, None], stride=2)[0, 0]
    t["yhat"] = (t["z"] * t["z"]).sum() / 4
    return {"formulas": formulas, "parameters": {"x": x, "k": k}, "inputs": {}, "loss": "L = yhat", "torch": record(t, t["yhat"])}


def pooling_ties():
    """Max pooling with ties, overlapping windows (stride 1) and padded windows (stride 2, padding 1)."""
    x = [[1, 1, 0, 2], [1, 1, 2, 2], [0, 2, 2, 0], [3, 0, 0, 3]]
    c1, c2 = grid(3, 3), grid(3, 3)
    formulas = "h = x * w\nm1 = maxpool2d(h, 2, 1)\nm2 = maxpool2d(h, 2, 2, 1)\nyhat = sum(m1 * c1) + sum(m2 * c2)"
    t = {"x": T(x), "w": T(0.5, True)}
    t["h"] = t["x"] * t["w"]
    t["m1"] = F.max_pool2d(t["h"][None, None], 2, stride=1)[0, 0]
    t["m2"] = F.max_pool2d(t["h"][None, None], 2, stride=2, padding=1)[0, 0]
    t["yhat"] = (t["m1"] * T(c1)).sum() + (t["m2"] * T(c2)).sum()
    named = {k: v for k, v in t.items() if k != "x"}
    return {"formulas": formulas, "parameters": {"w": 0.5}, "inputs": {"x": x, "c1": c1, "c2": c2}, "loss": "L = yhat", "torch": record(named, t["yhat"])}


def main():
    programs = {"strided-two-layers": strided_two_layers(), "stride-not-dividing": stride_not_dividing(), "pooling-ties": pooling_ties()}
    with open(os.path.join(ROOT, "fixtures", "conv-steps.json"), "w") as f:
        json.dump({"torch": torch.__version__, "programs": programs}, f, indent=1, allow_nan=False)
    print(f"wrote {len(programs)} programs")


if __name__ == "__main__":
    main()
