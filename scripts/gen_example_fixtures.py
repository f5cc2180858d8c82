#!/usr/bin/env python3
"""Independent PyTorch solutions of every example in examples/, written out by hand here
(not translated from nabla's formulas), saved as fixtures/examples.json.

Keys follow nabla's quantity names (README "Quantity names"): `z`, `dL/dw`, `w@2` (value used in
iteration 2), `L@3` (loss of iteration 3), `name#k` (sample k of a batch iteration).
Run: /usr/bin/python3 scripts/gen_example_fixtures.py (Debian's python3-torch and python3-yaml).
"""
import json
import os

import torch
import yaml

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(__file__), "..")


def load(name):
    with open(os.path.join(ROOT, "examples", name)) as f:
        return yaml.safe_load(f)


def T(v, grad=False):
    return torch.tensor(v, dtype=torch.float64, requires_grad=grad)


def val(t):
    return t.detach().tolist()


def seed000(name):
    p = load(name)
    x, y = T(p["inputs"]["x"]), T(float(p["inputs"]["y"]))
    w, b = T([float(v) for v in p["parameters"]["w"]], True), T(float(p["parameters"]["b"]), True)
    squared = p["loss"]["kind"] == "mse"
    out = {}
    o = p["optimizer"]
    opt = torch.optim.Adam([w, b], lr=o["lr"]) if o["kind"] == "adam" else torch.optim.SGD([w, b], lr=o["lr"])
    n = p["training"]["iterations"]
    for it in range(1, n + 1):
        sfx = "" if it == 1 else f"@{it}"
        opt.zero_grad()
        z = torch.dot(w, x) + b
        yhat = torch.sigmoid(z)
        L = 0.5 * (yhat - y) ** 2 if squared else -(y * torch.log(yhat) + (1 - y) * torch.log(1 - yhat))
        L.backward()
        if it in (1, 2, 250, n):
            out.update({f"z{sfx}": val(z), f"yhat{sfx}": val(yhat), f"L{sfx}": val(L), f"dL/dw{sfx}": val(w.grad), f"dL/db{sfx}": val(b.grad)})
        opt.step()
        if it in (1, n):
            out[f"w@{it + 1}"] = val(w)
            out[f"b@{it + 1}"] = val(b)
    return out


def seed003():
    p = load("seed003-sigmoid-network.yaml")
    x = {k: T(float(v)) for k, v in p["inputs"].items()}
    w = {k: T(float(v), True) for k, v in p["parameters"].items()}
    s1 = x["x1"] * w["w1"] + x["x2"] * w["w2"]
    h1 = torch.sigmoid(s1)
    s2 = x["x3"] * w["w3"] + x["x4"] * w["w4"]
    h2 = torch.sigmoid(s2)
    s3 = h1 * w["w5"] + h2 * w["w6"]
    yhat = torch.sigmoid(s3)
    div = (yhat - x["y"]) ** 2
    inter = {"s1": s1, "h1": h1, "s2": s2, "h2": h2, "s3": s3, "yhat": yhat}
    for t in inter.values():
        t.retain_grad()
    div.backward()
    out = {k: val(v) for k, v in inter.items()}
    out["Div"] = val(div)
    out.update({f"dDiv/d{k}": val(v.grad) for k, v in inter.items()})
    out.update({f"dDiv/d{k}": val(v.grad) for k, v in w.items()})
    out["dh1/ds1"] = val(torch.sigmoid(s1) * (1 - torch.sigmoid(s1)))
    return out


def mlp(name):
    p = load(name)
    L1, L2 = p["model"]["layers"][0]["linear"], p["model"]["layers"][2]["linear"]
    W1, b1, W2, b2 = T(L1["weight"], True), T(L1["bias"], True), T(L2["weight"], True), T(L2["bias"], True)
    data = [(T(d["x"]), T(d["y"])) for d in p["data"]]
    per_sample = p["training"]["mode"] == "per-sample"
    opt = torch.optim.SGD([W1, b1, W2, b2], lr=p["optimizer"]["lr"])
    out = {}
    for it in range(1, p["training"]["iterations"] + 1):
        sfx = "" if it == 1 else f"@{it}"
        opt.zero_grad()
        batch = [data[(it - 1) % len(data)]] if per_sample else data
        losses = []
        for k, (x, y) in enumerate(batch):
            z1 = W1 @ x + b1
            a1 = torch.relu(z1)
            z2 = W2 @ a1 + b2
            yhat = torch.softmax(z2, dim=0)
            # cross-entropy from probabilities, written independently as NLL of log-softmax
            loss = -(y * torch.log_softmax(z2, dim=0)).sum()
            tag = "" if per_sample else f"#{k + 1}"
            out.update({f"z1{tag}{sfx}": val(z1), f"a1{tag}{sfx}": val(a1), f"z2{tag}{sfx}": val(z2), f"yhat{tag}{sfx}": val(yhat), f"L{tag}{sfx}": val(loss)})
            losses.append(loss)
        total = sum(losses) / (1 if per_sample else len(losses))
        if not per_sample:
            out[f"L{sfx}"] = val(total)
        total.backward()
        for n_, t in [("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)]:
            out[f"dL/d{n_}{sfx}"] = val(t.grad)
        opt.step()
        for n_, t in [("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)]:
            out[f"{n_}@{it + 1}"] = val(t)
    return out


def huber():
    p = load("seed004-q2-huber.yaml")
    z, zhat = T(p["inputs"]["z"], True), T(p["inputs"]["zhat"])
    J = torch.nn.functional.huber_loss(z, zhat, delta=0.5, reduction="mean")
    J.backward()
    return {"J": val(J), "dJ/dz": val(z.grad), "d": val(z - zhat)}


def seed001(name, act, out_act, loss_kind):
    p = load(name)
    x, y = T(p["inputs"]["x"]), T(p["inputs"]["y"])
    W1, b1, W2, b2 = (T(p["parameters"][k], True) for k in ["W1", "b1", "W2", "b2"])
    s1 = W1 @ x + b1
    a1 = act(s1)
    s2 = W2 @ a1 + b2
    yt = out_act(s2)
    for t in (s1, a1, s2, yt):
        t.retain_grad()
    if loss_kind == "sqeuclid":
        L = ((yt - y) ** 2).sum()
        ln = "C"
    else:
        L = torch.nn.functional.binary_cross_entropy(yt, y, reduction="mean")
        ln = "L"
    L.backward()
    out = {"s1": val(s1), "a1": val(a1), "s2": val(s2), "ytilde": val(yt), ln: val(L)}
    out.update({f"d{ln}/d{k}": val(t.grad) for k, t in [("s1", s1), ("a1", a1), ("s2", s2), ("W1", W1), ("b1", b1), ("W2", W2), ("b2", b2)]})
    if loss_kind == "bce":
        out["dL/dytilde"] = val(yt.grad)
        out["da1/ds1"] = val(1 - torch.tanh(s1) ** 2)
    return out


def seed002():
    p = load("seed002-logistic-scaling.yaml")
    w, x, y = T(p["inputs"]["w"]), T(p["inputs"]["x"]), T(float(p["inputs"]["y"]))
    c = T(float(p["parameters"]["c"]), True)
    L = torch.nn.functional.softplus(-c * y * torch.dot(w, x))  # log(1 + exp(−c y wᵀx))
    L.backward()
    return {"m": val(y * torch.dot(w, x)), "L": val(L), "dL/dc": val(c.grad)}


def conv_4x4():
    """The convolution homework: PyTorch's conv2d on a [1, 1, 4, 4] image, ReLU, max_pool2d(2, stride 1)."""
    p = load("conv-4x4-kernel-2x2.yaml")
    x, y = T(p["inputs"]["x"]), T(float(p["inputs"]["y"]))
    k, b = T(p["parameters"]["k"], True), T(float(p["parameters"]["b"]), True)
    z = torch.nn.functional.conv2d(x[None, None], k[None, None])[0, 0] + b
    z.retain_grad()
    a = torch.relu(z)
    a.retain_grad()
    m = torch.nn.functional.max_pool2d(a[None, None], 2, stride=1)[0, 0]
    m.retain_grad()
    yhat = m.sum()
    L = (yhat - y) ** 2
    L.backward()
    out = {"z": val(z), "a": val(a), "m": val(m), "yhat": val(yhat), "L": val(L), "dL/dm": val(m.grad), "dL/da": val(a.grad),
           "dL/dz": val(z.grad), "dL/dk": val(k.grad), "dL/db": val(b.grad)}
    lr = p["optimizer"]["lr"]
    out["k@2"] = val(k - lr * k.grad)
    out["b@2"] = val(b - lr * b.grad)
    return out


def main():
    fx = {}
    for case in ["A", "B"]:
        for loss in ["squared-error", "cross-entropy"]:
            n = f"seed000-case{case}-{loss}.yaml"
            fx[n] = seed000(n)
    for variant in ["zero-init", "adam", "larger-lr"]:
        n = f"seed000-q7-{variant}.yaml"
        fx[n] = seed000(n)
    fx["seed003-sigmoid-network.yaml"] = seed003()
    fx["seed004-q3-mlp-sgd-per-sample.yaml"] = mlp("seed004-q3-mlp-sgd-per-sample.yaml")
    fx["seed004-q3-mlp-full-batch.yaml"] = mlp("seed004-q3-mlp-full-batch.yaml")
    fx["seed004-q2-huber.yaml"] = huber()
    fx["seed001-regression-3relu.yaml"] = seed001("seed001-regression-3relu.yaml", lambda s: 3 * torch.relu(s), lambda s: s, "sqeuclid")
    fx["seed001-classification-tanh-bce.yaml"] = seed001("seed001-classification-tanh-bce.yaml", torch.tanh, torch.sigmoid, "bce")
    fx["seed002-logistic-scaling.yaml"] = seed002()
    fx["conv-4x4-kernel-2x2.yaml"] = conv_4x4()
    with open(os.path.join(ROOT, "fixtures", "examples.json"), "w") as f:
        json.dump({"torch": torch.__version__, "examples": fx}, f, indent=1, allow_nan=False)
    print(f"wrote fixtures for {len(fx)} examples")


if __name__ == "__main__":
    main()
