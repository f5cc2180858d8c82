#!/usr/bin/env python3
"""Generates fixtures/registry.json: for every op the registry lists (fixtures/registry-samples.json,
written by scripts/registry-samples.mjs), PyTorch's forward value, vector-Jacobian product and
Hessian-vector product in float64 on each declared sample. An op whose PyTorch function has the same
name as its expression-language name (torch.sin for `sin`) needs no entry here; ALIASES covers the rest.
Run with Debian's python3-torch: `npm run fixtures`.
"""
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ALIASES = {
    "bce": lambda p, y: F.binary_cross_entropy(p, y, reduction="none"),
    "where": lambda c, a, b: torch.where(c != 0, a, b),
}


def bce_hvp(inputs, v, ws):
    """BCE's Hessian-vector product by hand (PyTorch's double backward of binary_cross_entropy is
    about 1e-12 off): with L = −v(y ln p + (1 − y) ln(1 − p)), ∂²L/∂p² = v(p(1 − p) − (p − y)(1 − 2p))/(p(1 − p))²,
    ∂²L/∂p∂y = −v/(p(1 − p)), ∂²L/∂y² = 0."""
    p, y = (x.detach() for x in inputs)
    q = p * (1 - p)
    hpp = v * (q - (p - y) * (1 - 2 * p)) / q ** 2
    hpy = -v / q
    return [hpp * ws[0] + hpy * ws[1], hpy * ws[0]]


EXACT_HVP = {"bce": bce_hvp}


def fn_for(name):
    if name in ALIASES:
        return ALIASES[name]
    f = getattr(torch, name, None)
    if f is None:
        raise SystemExit(f"no PyTorch function for the op '{name}': add it to ALIASES")
    return f


def flat(t):
    t = t.detach()
    if getattr(t, "_is_zerotensor", lambda: False)():
        return [0.0] * t.numel()  # PyTorch's lazily-allocated zero tensors
    return t.reshape(-1).tolist()


def sample_case(entry, k, s):
    g = torch.Generator().manual_seed(1000 * k + 17)
    inputs = []
    for i, shape in enumerate(s["shapes"]):
        lo, hi = s["domains"][i] if s["domains"] else (-2.0, 2.0)
        x = torch.rand(shape, generator=g, dtype=torch.float64) * (hi - lo) + lo
        if entry["call"] == "where" and i == 0:
            x = (x > 0).to(torch.float64)
        inputs.append(x.requires_grad_(i not in s["constant"]))
    y = fn_for(entry["call"])(*inputs)
    v = torch.rand(y.shape, generator=g, dtype=torch.float64) * 2 - 1
    diff = [x for x in inputs if x.requires_grad]
    gs = torch.autograd.grad(y, diff, v, create_graph=True, allow_unused=True)
    ws = [torch.rand(x.shape, generator=g, dtype=torch.float64) * 2 - 1 for x in diff]
    total = sum((gi * w).sum() for gi, w in zip(gs, ws) if gi is not None and gi.requires_grad)
    hv = torch.autograd.grad(total, diff, allow_unused=True) if isinstance(total, torch.Tensor) and total.requires_grad else [None] * len(diff)
    if entry["call"] in EXACT_HVP and len(diff) == len(inputs):
        hv = EXACT_HVP[entry["call"]](inputs, v, ws)
    return {
        "sample": k,
        "inputs": [flat(x) for x in inputs],
        "out": flat(y), "shape": list(y.shape), "cotangent": flat(v),
        "grads": [flat(gi) if gi is not None else [0.0] * x.numel() for gi, x in zip(gs, diff)],
        "w": [flat(w) for w in ws],
        "hvp": [flat(h) if h is not None else [0.0] * x.numel() for h, x in zip(hv, diff)],
    }


def main():
    with open(os.path.join(HERE, "..", "fixtures", "registry-samples.json")) as f:
        listed = json.load(f)["ops"]
    cases = [{"op": e["op"], **sample_case(e, k, s)} for e in listed for k, s in enumerate(e["samples"])]
    with open(os.path.join(HERE, "..", "fixtures", "registry.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
    print(f"{len(cases)} cases from {len(listed)} ops written to fixtures/registry.json")


if __name__ == "__main__":
    main()
