#!/usr/bin/env python3
"""Generates fixtures/transforms.json: torch.autograd.functional's jacobian, hessian, jvp and vjp
in float64 for the functions below (test/autograd/transforms.test.ts defines the same ones in nabla).
Run with Debian's python3-torch: `npm run fixtures`.
"""
import json
import os

import torch
import torch.nn.functional as F
from torch.autograd.functional import hessian, jacobian, jvp, vjp

torch.manual_seed(7)
G = torch.Generator().manual_seed(11)


def R(*shape):
    return torch.rand(*shape, generator=G, dtype=torch.float64) * 2 - 1


FUNCTIONS = {
    "tanh(W @ x)": (lambda x, W: torch.tanh(W @ x), [R(3), R(2, 3)]),
    "sum(a*a*b) + sum(exp(a))": (lambda a, b: (a * a * b).sum() + torch.exp(a).sum(), [R(3), R(3)]),
    "softplus(x) * sigmoid(x)": (lambda x: F.softplus(x) * torch.sigmoid(x), [R(4)]),
    "sum(sin(A @ B))": (lambda A, B: torch.sin(A @ B).sum(), [R(2, 3), R(3, 2)]),
}


def flat(t):
    return t.detach().reshape(-1).tolist()


def main():
    out = []
    for name, (f, xs) in FUNCTIONS.items():
        y = f(*xs)
        v = R(*y.shape) if y.dim() > 0 else torch.tensor(0.7, dtype=torch.float64)
        ts = [R(*x.shape) for x in xs]
        J = jacobian(f, tuple(xs))
        J = J if isinstance(J, tuple) else (J,)
        _, jv = jvp(f, tuple(xs), tuple(ts))
        _, vj = vjp(f, tuple(xs), v)
        vj = vj if isinstance(vj, tuple) else (vj,)
        entry = {
            "name": name,
            "inputs": [{"shape": list(x.shape), "data": flat(x)} for x in xs],
            "output": {"shape": list(y.shape), "data": flat(y)},
            "v": flat(v), "tangents": [flat(t) for t in ts],
            "jacobian": [{"shape": list(j.shape), "data": flat(j)} for j in J],
            "jvp": flat(jv), "vjp": [flat(g) for g in vj],
        }
        if y.dim() == 0:
            H = hessian(f, tuple(xs))
            H = H if isinstance(H, tuple) and isinstance(H[0], tuple) else ((H,),)
            entry["hessian"] = [[{"shape": list(h.shape), "data": flat(h)} for h in row] for row in H]
        out.append(entry)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "transforms.json")
    with open(path, "w") as fh:
        json.dump({"torch": torch.__version__, "functions": out}, fh)
    print(f"{len(out)} functions written to fixtures/transforms.json")


if __name__ == "__main__":
    main()
