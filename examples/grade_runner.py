#!/usr/bin/env python3
"""Runs a student's layer module on a nabla case file: python3 grade_runner.py cases.json student.py results.json

The module defines, for the case file's layer L (linear, relu, sigmoid, tanh, mse, bce, cross-entropy
spelled with "_" for "-"), two functions on numpy arrays:
  L_forward(**inputs, **params) -> output
  L_backward(grad_out, **inputs, **params) -> dict of gradients by input/parameter name
(losses get grad_out=None and return {"prediction": dL/dprediction}). Then: nabla grade cases.json results.json
"""
import importlib.util
import json
import sys

import numpy as np

cases_path, module_path, out_path = sys.argv[1:4]
spec = importlib.util.spec_from_file_location("student", module_path)
student = importlib.util.module_from_spec(spec)
spec.loader.exec_module(student)
cases = json.load(open(cases_path))
name = cases["layer"].replace("-", "_")
forward, backward = getattr(student, name + "_forward"), getattr(student, name + "_backward")
arr = lambda a: np.array(a["data"], dtype=np.float64).reshape(a["shape"])
results = []
for c in cases["cases"]:
    args = {k: arr(v) for k, v in {**c["inputs"], **c["params"]}.items()}
    g = None if c["gradOut"] is None else arr(c["gradOut"])
    out = forward(**args)
    grads = backward(g, **args)
    results.append({"id": c["id"], "output": np.asarray(out, dtype=np.float64).tolist(), "grads": {k: np.asarray(v, dtype=np.float64).tolist() for k, v in grads.items()}})
json.dump({"layer": cases["layer"], "cases": results}, open(out_path, "w"))
