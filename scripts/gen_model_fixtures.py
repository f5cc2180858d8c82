#!/usr/bin/env python3
"""Holds the shipped classifier (models/fashion-cnn.safetensors) to PyTorch: reads the safetensors
file by hand (8-byte header length, JSON header, little-endian numbers), rebuilds the layers its
header describes as torch.nn modules, and writes fixtures/fashion-cnn.json with PyTorch's logits for
the first 100 images of the committed subset, its accuracy on the 500-image subset and, where
Debian's dataset-fashion-mnist is installed, on the full 10,000-image test set.
Run: /usr/bin/python3 scripts/gen_model_fixtures.py
"""
import gzip
import hashlib
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.join(os.path.dirname(__file__), "..")
MODEL = os.path.join(ROOT, "models", "fashion-cnn.safetensors")
DEBIAN = "/usr/share/datasets/fashion-mnist"


def read_safetensors(path):
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    body = raw[8 + n:]
    tensors = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        dt = {"F32": np.float32, "F64": np.float64}[e["dtype"]]
        b, end = e["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(body[b:end], dtype=dt).reshape(e["shape"]).copy())
    return tensors, header.get("__metadata__", {}), hashlib.sha256(raw).hexdigest()


def pair(v):
    return tuple(v) if isinstance(v, list) else (v, v)


def build(arch):
    c, h, w = arch["input"]
    layers, shape = [], (1, c, h, w)
    for spec in arch["layers"]:
        if isinstance(spec, str):
            m = {"relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(), "gelu": nn.GELU(), "flatten": nn.Flatten()}[spec]
        else:
            (kind, a), = spec.items()
            if kind == "conv2d":
                m = nn.Conv2d(shape[1], a["out"], pair(a["kernel"]), stride=pair(a.get("stride", 1)), padding=pair(a.get("padding", 0)),
                              dilation=pair(a.get("dilation", 1)), groups=a.get("groups", 1), bias=a.get("bias", True))
            elif kind == "linear":
                m = nn.Linear(shape[1], a["out"], bias=a.get("bias", True))
            elif kind in ("maxpool2d", "avgpool2d"):
                k, s, p = (a, a, 0) if isinstance(a, int) else (a["kernel"], a.get("stride", a["kernel"]), a.get("padding", 0))
                m = nn.MaxPool2d(k, s, p) if kind == "maxpool2d" else nn.AvgPool2d(k, s, p)
            elif kind == "dropout":
                m = nn.Dropout(a)
            else:
                raise SystemExit(f"layer kind {kind} is not mapped here")
        layers.append(m)
        with torch.no_grad():
            shape = tuple(m.eval()(torch.zeros(shape)).shape)
    return nn.Sequential(*layers)


def idx(path, skip):
    with gzip.open(path) as f:
        return np.frombuffer(f.read()[skip:], dtype=np.uint8)


def images(d, n=None):
    x = idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)
    y = idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"), 8)
    return (x, y) if n is None else (x[:n], y[:n])


def main():
    tensors, meta, sha = read_safetensors(MODEL)
    model = build(json.loads(meta["nabla.model"]))
    renamed = {k.replace("runningMean", "running_mean").replace("runningVar", "running_var"): v for k, v in tensors.items()}
    model.load_state_dict(renamed, strict=True)
    model.eval().double()
    norm = json.loads(meta["nabla.data"])["normalize"]

    def logits(x):
        with torch.no_grad():
            t = (torch.from_numpy(x.astype(np.float64)) / 255 - norm["mean"]) / norm["std"]
            return torch.cat([model(t[i:i + 1000]) for i in range(0, len(t), 1000)])

    sx, sy = images(os.path.join(ROOT, "fixtures", "fashion-mnist-subset"))
    sl = logits(sx)
    out = {"torch": torch.__version__, "sha256": sha, "subsetLogits100": sl[:100].tolist(),
           "subsetCorrect": int((sl.argmax(1).numpy() == sy).sum()), "subsetCount": len(sy)}
    if os.path.exists(DEBIAN):
        fx, fy = images(DEBIAN)
        out["fullCorrect"] = int((logits(fx).argmax(1).numpy() == fy).sum())
        out["fullCount"] = len(fy)
    with open(os.path.join(ROOT, "fixtures", "fashion-cnn.json"), "w") as f:
        json.dump(out, f)
    print({k: v for k, v in out.items() if k != "subsetLogits100"})


if __name__ == "__main__":
    main()
