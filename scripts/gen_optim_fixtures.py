#!/usr/bin/env python3
"""PyTorch reference trajectories for nabla's optimizers, clipping and LR schedules.

Loss: L(p, q) = Σ c·p² + Σ d·p + Σ e·q² (a fixed quadratic; nabla computes the same with autograd).
Writes fixtures/optim.json. Run: /usr/bin/python3 scripts/gen_optim_fixtures.py
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
P0 = [0.5, -1.2, 2.0, 0.3]
Q0 = [[1.0, -0.5], [0.25, 2.0]]
C = [1.0, 0.5, 2.0, 0.1]
D = [0.3, -0.2, 0.0, 1.0]
E = [[0.7, 0.2], [1.5, 0.05]]
STEPS = 6

CONFIGS = [
    ("sgd", {"lr": 0.1}),
    ("sgd", {"lr": 0.05, "momentum": 0.9}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd", {"lr": 0.05, "momentum": 0.5, "dampening": 0.1, "weight_decay": 0.01}),
    ("adam", {"lr": 0.01}),
    ("adam", {"lr": 0.05, "betas": [0.8, 0.99], "weight_decay": 0.1}),
    ("adamw", {"lr": 0.01, "weight_decay": 0.05}),
    ("rmsprop", {"lr": 0.01}),
    ("rmsprop", {"lr": 0.01, "momentum": 0.9, "alpha": 0.9}),
    ("adagrad", {"lr": 0.1}),
]
CLASSES = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW, "rmsprop": torch.optim.RMSprop, "adagrad": torch.optim.Adagrad}


def loss(p, q):
    return (torch.tensor(C) * p ** 2).sum() + (torch.tensor(D) * p).sum() + (torch.tensor(E) * q ** 2).sum()


def run(kind, kw, clip=None):
    p = torch.tensor(P0, requires_grad=True)
    q = torch.tensor(Q0, requires_grad=True)
    opt = CLASSES[kind]([p, q], **{k: (tuple(v) if isinstance(v, list) else v) for k, v in kw.items()})
    traj = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss(p, q).backward()
        if clip is not None:
            torch.nn.utils.clip_grad_norm_([p, q], clip)
        opt.step()
        traj.append({"p": p.detach().tolist(), "q": q.detach().tolist()})
    return traj


def schedules():
    out = {}
    for name, make in [("step", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)),
                       ("exponential", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
                       ("cosine", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.01))]:
        o = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        s = make(o)
        lrs = []
        for _ in range(6):
            o.step()
            s.step()
            lrs.append(o.param_groups[0]["lr"])
        out[name] = lrs
    return out


def main():
    cases = [{"kind": k, "options": kw, "trajectory": run(k, kw)} for k, kw in CONFIGS]
    cases.append({"kind": "sgd", "options": {"lr": 0.1}, "clipNorm": 0.5, "trajectory": run("sgd", {"lr": 0.1}, clip=0.5)})
    data = {"torch": torch.__version__, "problem": {"p0": P0, "q0": Q0, "c": C, "d": D, "e": E}, "cases": cases, "schedules": schedules()}
    with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "optim.json"), "w") as f:
        json.dump(data, f, indent=1)
    print(f"wrote {len(cases)} optimizer cases")


if __name__ == "__main__":
    main()
