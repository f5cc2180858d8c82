#!/usr/bin/env python3
"""Generates fixtures/ops.json: forward values, first and second derivatives from PyTorch.

Run with Debian's python3-torch (`apt-get install python3-torch`): `npm run fixtures`.
Nobody runs this at test time; the committed JSON is what the suite reads.
Each case names a nabla function (`fn`) and its options in nabla's vocabulary (axis, keepdims, ...);
TORCH below says how PyTorch computes the same thing.
JSON has no Infinity or NaN: such numbers are written as the strings "inf", "-inf" and "nan".
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(1234)
G = torch.Generator().manual_seed(42)


def dims(kw):
    a = kw.get("axis")
    return tuple(a) if isinstance(a, list) else a


def red(fn):
    def run(x, **kw):
        a = dims(kw)
        k = kw.get("keepdims", False)
        if a is None:
            r = fn(x)
            return r.reshape([1] * x.dim()) if k else r
        return fn(x, dim=a, keepdim=k)
    return run


def amax(x, dim=None, keepdim=False):
    return torch.amax(x, dim=dim if dim is not None else tuple(range(x.dim())), keepdim=keepdim)


def amin(x, dim=None, keepdim=False):
    return torch.amin(x, dim=dim if dim is not None else tuple(range(x.dim())), keepdim=keepdim)


def lse(x, dim=None, keepdim=False):
    return torch.logsumexp(x, dim=dim if dim is not None else tuple(range(x.dim())), keepdim=keepdim)


def slicer(x, spec):
    idx = []
    for s in spec:
        if s is None:
            idx.append(slice(None))
        elif isinstance(s, int):
            idx.append(s)
        else:
            idx.append(slice(*s))
    return x[tuple(idx)]


TORCH = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow,
    "maximum": torch.maximum, "minimum": torch.minimum,
    "neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt, "abs": torch.abs,
    "erf": torch.erf, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
    "clamp": lambda x, **kw: torch.clamp(x, min=kw.get("min"), max=kw.get("max")),
    "softplus": lambda x, **kw: F.softplus(x, beta=kw.get("beta", 1), threshold=kw.get("threshold", 20)),
    "leakyRelu": lambda x, **kw: F.leaky_relu(x, kw.get("negativeSlope", 0.01)),
    "elu": lambda x, **kw: F.elu(x, alpha=kw.get("alpha", 1.0)),
    "gelu": lambda x, **kw: F.gelu(x, approximate=kw.get("approximate", "none")),
    "silu": F.silu,
    "softmax": lambda x, **kw: torch.softmax(x, dim=kw.get("axis", -1)),
    "logSoftmax": lambda x, **kw: torch.log_softmax(x, dim=kw.get("axis", -1)),
    "sum": red(torch.sum), "mean": red(torch.mean), "max": red(amax), "min": red(amin), "logsumexp": red(lse),
    "matmul": torch.matmul,
    "reshape": lambda x, **kw: x.reshape(kw["shape"]),
    "transpose": lambda x, **kw: x.transpose(kw.get("axis0", -2), kw.get("axis1", -1)),
    "permute": lambda x, **kw: x.permute(kw["axes"]),
    "expand": lambda x, **kw: x.expand(kw["shape"]),
    "slice": lambda x, **kw: slicer(x, kw["spec"]),
    "concat": lambda *xs, **kw: torch.cat(xs, dim=kw.get("axis", 0)),
    "stack": lambda *xs, **kw: torch.stack(xs, dim=kw.get("axis", 0)),
    "where": lambda c, a, b: torch.where(c > 0, a, b),
    "mseLoss": lambda a, b, **kw: F.mse_loss(a, b, reduction=kw.get("reduction", "mean")),
    "l1Loss": lambda a, b, **kw: F.l1_loss(a, b, reduction=kw.get("reduction", "mean")),
    "huberLoss": lambda a, b, **kw: F.huber_loss(a, b, reduction=kw.get("reduction", "mean"), delta=kw.get("delta", 1.0)),
    "bceLoss": lambda a, b, **kw: F.binary_cross_entropy(a, b, reduction=kw.get("reduction", "mean")),
    "bceWithLogitsLoss": lambda a, b, **kw: F.binary_cross_entropy_with_logits(a, b, reduction=kw.get("reduction", "mean")),
    "crossEntropy": lambda a, b, **kw: F.cross_entropy(a, b, reduction=kw.get("reduction", "mean")),
    "nllLoss": lambda a, b, **kw: F.nll_loss(a, b, reduction=kw.get("reduction", "mean")),
    "conv2d": lambda x, w, b=None, **kw: F.conv2d(x, w, b, stride=kw.get("stride", 1), padding=kw.get("padding", 0), dilation=kw.get("dilation", 1), groups=kw.get("groups", 1)),
    "maxPool2d": lambda x, **kw: F.max_pool2d(x, kw["kernel"], stride=kw.get("stride"), padding=kw.get("padding", 0), dilation=kw.get("dilation", 1)),
    "avgPool2d": lambda x, **kw: F.avg_pool2d(x, kw["kernel"], stride=kw.get("stride"), padding=kw.get("padding", 0)),
    "adaptiveAvgPool2d": lambda x, **kw: F.adaptive_avg_pool2d(x, kw["size"]),
    "flatten": lambda x, **kw: torch.flatten(x, kw.get("startAxis", 1), kw.get("endAxis", -1)),
    "interpolate": lambda x, **kw: F.interpolate(x, size=kw.get("size"), scale_factor=kw.get("scaleFactor"), mode=kw.get("mode", "nearest"),
                                                 align_corners=kw.get("alignCorners", False) if kw.get("mode") == "bilinear" else None),
    "batchNorm2d": lambda x, w, b, **kw: F.batch_norm(x, None if kw.get("training", True) else torch.tensor(kw["runningMean"], dtype=x.dtype),
                                                      None if kw.get("training", True) else torch.tensor(kw["runningVar"], dtype=x.dtype),
                                                      w, b, training=kw.get("training", True), eps=kw.get("eps", 1e-5)),
    "gaussianBlur": lambda x, **kw: gaussian_blur(x, kw["sigma"]),
}


def gaussian_blur(x, sigma):
    """torchvision's gaussian_blur: reflect padding, then a depthwise convolution with the normalised
    outer product of exp(−k²/2σ²), k = −r … r, here with r = ⌈3σ⌉."""
    r = math.ceil(3 * sigma)
    k = torch.exp(-torch.arange(-r, r + 1, dtype=x.dtype) ** 2 / (2 * sigma * sigma))
    k = k / k.sum()
    c = x.shape[1]
    w = (k[:, None] * k[None, :]).expand(c, 1, 2 * r + 1, 2 * r + 1)
    return F.conv2d(F.pad(x, [r, r, r, r], mode="reflect"), w, groups=c)


def R(*shape, lo=-2.0, hi=2.0):
    return (torch.rand(*shape, generator=G, dtype=torch.float64) * (hi - lo) + lo).tolist()


def T(data, grad=True, long=False):
    return {"data": data, "grad": grad, "long": long}


CASES = []


def case(name, fn, args, second=True, cotangent=None, **kw):
    """`cotangent` fixes the upstream gradient (nested like the output); random in [-1, 1) by default."""
    CASES.append({"name": name, "fn": fn, "args": args, "kwargs": kw, "second": second, "cotangent": cotangent})


INF, NAN = math.inf, math.nan


# --- elementwise unary, including PyTorch's kink conventions -------------------------------
for fn in ["neg", "exp", "tanh", "sigmoid", "erf", "silu"]:
    case(fn, fn, [T(R(2, 3))])
case("log", "log", [T(R(2, 3, lo=0.1, hi=3))])
case("sqrt", "sqrt", [T(R(5, lo=0.1, hi=3))])
case("abs at 0", "abs", [T([-1.5, 0.0, 2.0, -0.25])])
case("relu at 0 (relu'(0) = 0)", "relu", [T([-1.0, 0.0, 0.5, 2.0, -0.0])])
case("leakyRelu at 0 (slope)", "leakyRelu", [T([-1.0, 0.0, 0.5, -3.0])], negativeSlope=0.1)
case("leakyRelu default", "leakyRelu", [T(R(3, 2))])
# ELU''(0) is a kink of the first derivative: compare first order only there.
case("elu at 0", "elu", [T([-2.0, 0.0, 1.5, -0.5])], second=False, alpha=1.5)
case("elu", "elu", [T(R(6))], alpha=0.7)
case("gelu exact", "gelu", [T(R(7, lo=-4, hi=4))])
case("gelu tanh", "gelu", [T(R(7, lo=-4, hi=4))], approximate="tanh")
case("softplus", "softplus", [T(R(6, lo=-5, hi=5))])
case("softplus beta threshold", "softplus", [T([-3.0, 0.1, 4.0, 12.0])], beta=2.0, threshold=5.0)
case("sigmoid extreme", "sigmoid", [T([-1e4, -50.0, 0.0, 50.0, 1e4])])
case("tanh extreme", "tanh", [T([-1e4, -20.0, 20.0, 1e4])])
case("softplus extreme", "softplus", [T([-1e4, -30.0, 30.0, 1e4])])
case("erf wide", "erf", [T([-6.0, -3.0, -2.5, -1e-8, 0.0, 1e-3, 0.7, 2.49, 2.51, 4.0, 5.9])])
case("clamp at bounds (inclusive)", "clamp", [T([-2.0, -0.5, 0.0, 0.7, 1.0])], min=-0.5, max=0.7)
case("clamp min only", "clamp", [T(R(4))], min=0.0)
case("pow scalar 3", "pow", [T(R(4)), 3])
case("pow scalar 0.5", "pow", [T(R(4, lo=0.2, hi=3)), 0.5])
case("pow scalar -2", "pow", [T(R(3, lo=0.5, hi=2)), -2])

# --- elementwise binary with broadcasting --------------------------------------------------
for fn in ["add", "sub", "mul", "maximum", "minimum"]:
    case(fn + " broadcast", fn, [T(R(2, 3)), T(R(3))])
    case(fn + " broadcast 2", fn, [T(R(3, 1)), T(R(1, 4))])
case("div", "div", [T(R(2, 3)), T(R(2, 1, lo=0.5, hi=2))])
case("pow tensor", "pow", [T(R(2, 3, lo=0.3, hi=2)), T(R(3))])
case("maximum ties split", "maximum", [T([1.0, 2.0, 3.0]), T([1.0, 0.0, 3.0])])
case("minimum ties split", "minimum", [T([1.0, 2.0, 3.0]), T([1.0, 5.0, 3.0])])
case("where", "where", [T([1.0, 0.0, 1.0, 0.0], grad=False), T(R(4)), T(R(2, 1))])
# pow with a tensor exponent at negative and zero bases: ∂/∂a = b·a^(b−1) for any base; ∂/∂b = a^b·ln a,
# NaN for a < 0 and 0 for a = 0 ≤ b (PyTorch). First order only: PyTorch's second order is NaN at a = 0.
case("pow tensor negative and zero bases", "pow", [T([-2.0, 0.0, -1.5, 3.0]), T([3.0, 1.0, 2.0, 2.0])], second=False)
case("pow tensor zero base", "pow", [T([0.0, 0.0, 0.0, 0.0, 0.0, 2.0]), T([0.0, 1.0, 2.5, 0.5, -1.0, 0.0])], second=False)
case("pow tensor negative base, constant integer exponent", "pow", [T([-2.0, -0.5, -1.5, 1.2]), T([3.0, 2.0, 4.0, -1.0], grad=False)])
case("pow tensor negative base broadcast", "pow", [T([[-1.3, -0.4, -2.0], [-0.7, -1.1, -1.6]]), T([2.0, 3.0, 1.0], grad=False)])

# --- reductions ----------------------------------------------------------------------------
case("sum all", "sum", [T(R(2, 3))])
case("sum axis", "sum", [T(R(2, 3, 4))], axis=1)
case("sum axes keepdims", "sum", [T(R(2, 3, 4))], axis=[0, 2], keepdims=True)
case("mean axis", "mean", [T(R(3, 4))], axis=-1)
case("mean all", "mean", [T(R(3, 4))])
case("max axis", "max", [T(R(3, 4))], axis=1)
case("max ties share", "max", [T([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])], axis=1)
case("min all", "min", [T(R(2, 3))])
case("logsumexp axis", "logsumexp", [T(R(3, 4))], axis=1)
case("logsumexp extreme", "logsumexp", [T([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4]])], axis=1, keepdims=True)
case("softmax", "softmax", [T(R(2, 5))], axis=-1)
case("softmax axis 0", "softmax", [T(R(3, 2))], axis=0)
case("logSoftmax", "logSoftmax", [T(R(2, 5))], axis=1)
case("logSoftmax extreme", "logSoftmax", [T([[1e4, 0.0, -1e4], [-5e3, 5e3, 0.0]])], axis=1)
# A 0-d tensor takes axis 0 or -1 (PyTorch), and reducing it gives the value itself.
for fn in ["sum", "mean", "max", "min", "logsumexp", "softmax", "logSoftmax"]:
    for ax in [0, -1]:
        case(f"{fn} 0-d axis {ax}", fn, [T(1.7)], axis=ax)
case("sum 0-d axis 0 keepdims", "sum", [T(-0.4)], axis=0, keepdims=True)
# Masked logits: -inf entries get probability 0 and no NaN in values or gradients.
case("logSoftmax masked logits", "logSoftmax", [T([[0.0, -INF, 1.0], [-INF, 2.0, 0.5]])], second=False, axis=1)
case("softmax masked logits", "softmax", [T([[0.0, -INF, 1.0], [-INF, 2.0, 0.5]])], second=False, axis=1)

# --- linear algebra and movement -----------------------------------------------------------
case("matmul 2d", "matmul", [T(R(3, 4)), T(R(4, 2))])
case("matmul batch broadcast", "matmul", [T(R(2, 3, 4)), T(R(4, 5))])
case("matmul batch both", "matmul", [T(R(2, 1, 2, 3)), T(R(3, 3, 2))])
case("matmul vec-mat", "matmul", [T(R(3)), T(R(3, 2))])
case("matmul mat-vec", "matmul", [T(R(2, 3)), T(R(3))])
case("matmul vec-vec", "matmul", [T(R(4)), T(R(4))])
case("reshape", "reshape", [T(R(2, 6))], shape=[3, -1, 2])
case("transpose", "transpose", [T(R(2, 3, 4))], axis0=0, axis1=2)
case("permute", "permute", [T(R(2, 3, 4))], axes=[1, 2, 0])
case("expand", "expand", [T(R(3, 1))], shape=[2, 3, 4])
case("slice", "slice", [T(R(4, 5))], spec=[[1, 4, 2], [None, -1]])
case("slice index", "slice", [T(R(3, 4))], spec=[1, [1, 3]])
case("concat", "concat", [T(R(2, 3)), T(R(2, 1)), T(R(2, 2))], axis=1)
case("stack", "stack", [T(R(3)), T(R(3))], axis=1)

# --- losses --------------------------------------------------------------------------------
for r in ["mean", "sum", "none"]:
    case("mseLoss " + r, "mseLoss", [T(R(3, 2)), T(R(3, 2))], reduction=r)
case("l1Loss", "l1Loss", [T(R(4)), T(R(4), grad=False)])
case("huberLoss at |d| = delta", "huberLoss", [T([0.75, -0.25, 2.0, 0.1]), T([0.25, 0.25, 0.0, 0.0], grad=False)], delta=0.5)
case("huberLoss sum", "huberLoss", [T(R(5, lo=-3, hi=3)), T(R(5), grad=False)], delta=1.0, reduction="sum")
case("bceLoss", "bceLoss", [T(R(4, lo=0.05, hi=0.95)), T([0.0, 1.0, 1.0, 0.0], grad=False)])
case("bceLoss edges (log clamped at -100)", "bceLoss", [T([0.0, 1.0, 0.0, 1.0, 0.5]), T([1.0, 0.0, 0.0, 1.0, 1.0], grad=False)], second=False)
case("bceWithLogitsLoss", "bceWithLogitsLoss", [T(R(2, 3, lo=-4, hi=4)), T([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]], grad=False)])
case("bceWithLogitsLoss extreme", "bceWithLogitsLoss", [T([-1e4, 1e4, -1e4, 1e4, 30.0]), T([1.0, 0.0, 0.0, 1.0, 0.0], grad=False)], reduction="sum")
case("crossEntropy indices", "crossEntropy", [T(R(4, 3)), T([0, 2, 1, 2], grad=False, long=True)])
case("crossEntropy sum", "crossEntropy", [T(R(2, 5)), T([4, 0], grad=False, long=True)], reduction="sum")
case("crossEntropy probabilities", "crossEntropy", [T(R(3, 4)), T([[0.1, 0.2, 0.3, 0.4], [1.0, 0.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]], grad=False)])
case("crossEntropy extreme logits", "crossEntropy", [T([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]]), T([1, 1], grad=False, long=True)])
case("crossEntropy unbatched", "crossEntropy", [T(R(5)), T(3, grad=False, long=True)])
case("nllLoss", "nllLoss", [T(R(3, 4, lo=-3, hi=-0.1)), T([3, 0, 1], grad=False, long=True)])
case("crossEntropy masked logit", "crossEntropy", [T([[0.0, -INF]]), T([0], grad=False, long=True)], second=False)
case("crossEntropy masked logits sum", "crossEntropy", [T([[0.0, -INF, 1.0], [-INF, 2.0, 0.5]]), T([2, 1], grad=False, long=True)], second=False, reduction="sum")

# --- convolution, pooling, normalisation and resizing (NCHW) ------------------------------------
case("conv2d", "conv2d", [T(R(2, 3, 5, 5)), T(R(4, 3, 3, 3)), T(R(4))])
case("conv2d strided padded", "conv2d", [T(R(2, 2, 7, 6)), T(R(3, 2, 3, 3)), T(R(3))], stride=2, padding=1)
case("conv2d dilated", "conv2d", [T(R(1, 2, 7, 7)), T(R(2, 2, 3, 3))], dilation=2, padding=2)
case("conv2d grouped", "conv2d", [T(R(2, 4, 5, 6)), T(R(6, 2, 3, 2)), T(R(6))], groups=2, padding=1)
case("conv2d depthwise", "conv2d", [T(R(1, 3, 6, 6)), T(R(3, 1, 3, 3))], groups=3, stride=2)
case("conv2d rectangular stride padding dilation", "conv2d", [T(R(2, 2, 8, 7)), T(R(3, 2, 2, 3)), T(R(3))], stride=[2, 1], padding=[0, 2], dilation=[3, 1])
case("conv2d 1x1", "conv2d", [T(R(2, 3, 4, 4)), T(R(5, 3, 1, 1))])
case("conv2d window larger than stride step", "conv2d", [T(R(1, 1, 9, 9)), T(R(2, 1, 4, 4))], stride=3, padding=2)
case("maxPool2d", "maxPool2d", [T(R(2, 3, 6, 6))], kernel=2)
case("maxPool2d padded strided", "maxPool2d", [T(R(1, 2, 7, 7))], kernel=3, stride=2, padding=1)
case("maxPool2d dilated rectangular", "maxPool2d", [T(R(1, 2, 8, 7))], kernel=[2, 3], stride=[2, 1], dilation=[2, 1])
# ties: PyTorch routes each window's gradient to its first maximum in row-major order
case("maxPool2d ties", "maxPool2d", [T([[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 0.0, 2.0], [3.0, 0.0, 5.0, 5.0], [0.0, 3.0, 5.0, 5.0]]]])], kernel=2)
case("maxPool2d overlapping windows with ties", "maxPool2d", [T([[[[2.0, 2.0, 2.0, 1.0], [2.0, 0.0, 2.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 3.0, 3.0, 0.0]]]])], kernel=2, stride=1)
case("maxPool2d ties across padding", "maxPool2d", [T([[[[-1.0, -1.0, -1.0], [-1.0, -1.0, -1.0], [-1.0, -1.0, -1.0]]]])], kernel=3, stride=2, padding=1)
case("avgPool2d", "avgPool2d", [T(R(2, 2, 6, 6))], kernel=2)
case("avgPool2d padded strided (padding counted)", "avgPool2d", [T(R(1, 3, 7, 7))], kernel=3, stride=2, padding=1)
case("adaptiveAvgPool2d uneven", "adaptiveAvgPool2d", [T(R(2, 2, 5, 7))], size=[2, 3])
case("adaptiveAvgPool2d global", "adaptiveAvgPool2d", [T(R(2, 3, 4, 4))], size=[1, 1])
case("adaptiveAvgPool2d larger than input", "adaptiveAvgPool2d", [T(R(1, 1, 3, 2))], size=[4, 5])
case("flatten", "flatten", [T(R(2, 3, 2, 2))])
case("interpolate bilinear up", "interpolate", [T(R(1, 2, 3, 4))], size=[7, 5], mode="bilinear")
case("interpolate bilinear down", "interpolate", [T(R(2, 1, 8, 9))], size=[3, 4], mode="bilinear")
case("interpolate bilinear align corners", "interpolate", [T(R(1, 2, 4, 3))], size=[6, 7], mode="bilinear", alignCorners=True)
case("interpolate bilinear scale factor", "interpolate", [T(R(1, 1, 4, 6))], scaleFactor=1.5, mode="bilinear")
case("interpolate nearest x2", "interpolate", [T(R(1, 2, 3, 3))], scaleFactor=2, mode="nearest")
case("interpolate nearest sizes", "interpolate", [T(R(2, 1, 5, 5))], size=[7, 3], mode="nearest")
case("batchNorm2d training statistics", "batchNorm2d", [T(R(3, 2, 3, 3)), T(R(2)), T(R(2))], training=True)
case("batchNorm2d eval (running statistics)", "batchNorm2d", [T(R(2, 3, 2, 2)), T(R(3)), T(R(3))], training=False, runningMean=[0.1, -0.3, 0.5], runningVar=[0.8, 1.5, 0.3], eps=1e-3)
case("gaussianBlur", "gaussianBlur", [T(R(1, 2, 8, 8))], sigma=0.8)
case("gaussianBlur sigma 1", "gaussianBlur", [T(R(2, 1, 9, 7))], sigma=1.0)

# --- infinite and NaN upstream gradients: masks select (PyTorch), so 0 where the mask is 0 ------
X6 = [-1.0, 0.0, 0.5, 2.0, -3.0, 1.0]
V6 = [INF, -INF, NAN, INF, NAN, -INF]
case("relu, inf/nan cotangent", "relu", [T(X6)], second=False, cotangent=V6)
case("clamp, inf/nan cotangent", "clamp", [T(X6)], second=False, cotangent=V6, min=-0.5, max=0.7)
case("maximum, inf/nan cotangent", "maximum", [T([1.0, 2.0, 3.0, 0.0, 5.0, 1.0]), T([1.0, 0.0, 4.0, 0.0, -5.0, 2.0])], second=False, cotangent=V6)
case("minimum, inf/nan cotangent", "minimum", [T([1.0, 2.0, 3.0, 0.0, 5.0, 1.0]), T([1.0, 0.0, 4.0, 0.0, -5.0, 2.0])], second=False, cotangent=V6)
case("where, inf/nan cotangent", "where", [T([1.0, 0.0, 1.0, 0.0, 1.0, 0.0], grad=False), T(R(6)), T(R(6))], second=False, cotangent=V6)
# PyTorch's abs multiplies by sign(x), so an infinite gradient at x = 0 gives NaN there: nabla matches it.
case("abs, inf/nan cotangent", "abs", [T([-1.0, 0.0, 0.5, 0.0, -3.0, 0.0])], second=False, cotangent=[INF, INF, NAN, NAN, -INF, -INF])
case("leakyRelu, inf/nan cotangent", "leakyRelu", [T(X6)], second=False, cotangent=V6, negativeSlope=0.1)
case("elu, inf/nan cotangent", "elu", [T(X6)], second=False, cotangent=V6)
case("pow x^0, inf input and cotangent", "pow", [T([INF, -1.0, 0.0, NAN]), 0], second=False, cotangent=[INF, NAN, -INF, 1.0])
# relu passes NaN and −0 through (PyTorch: NaN → NaN, −0 → −0); 4,160 numbers, so the WebAssembly SIMD loop (from 4,096) runs too
case("relu of NaN, ±inf and −0", "relu", [T([NAN, INF, -INF, -0.0, 0.0, -2.0, 3.0, 1e-300] * 520, grad=False)], second=False)


def build(args, dtype):
    out = []
    for a in args:
        if isinstance(a, dict):
            if a["long"]:
                out.append(torch.tensor(a["data"], dtype=torch.long))
            else:
                out.append(torch.tensor(a["data"], dtype=dtype, requires_grad=a["grad"]))
        else:
            out.append(a)
    return out


def enc(x):
    """Nested numbers with ±inf and NaN as strings (JSON cannot hold them)."""
    if isinstance(x, list):
        return [enc(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def flat(t):
    t = t.detach()
    if getattr(t, "_is_zerotensor", lambda: False)():
        return [0.0] * t.numel()  # PyTorch's lazily-allocated zero tensors
    return enc(t.detach().to(torch.float64).reshape(-1).tolist())


def run(c, dtype):
    args = build(c["args"], dtype)
    fn = TORCH[c["fn"]]
    kw = {k: v for k, v in c["kwargs"].items()}
    y = fn(*args, **kw)
    gen = torch.Generator().manual_seed(len(c["name"]))
    v = (torch.rand(y.shape, generator=gen, dtype=torch.float64) * 2 - 1).to(dtype)
    if c["cotangent"] is not None:
        v = torch.tensor(c["cotangent"], dtype=dtype).reshape(y.shape)
    diff = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad]
    res = {"out": flat(y), "shape": list(y.shape), "cotangent": flat(v)}
    if diff:
        gs = torch.autograd.grad(y, diff, v, create_graph=c["second"], allow_unused=True)
        res["grads"] = [flat(g) if g is not None else None for g in gs]
        if c["second"]:
            ws = [(torch.rand(a.shape, generator=gen, dtype=torch.float64) * 2 - 1).to(dtype) for a in diff]
            s = sum((g * w).sum() for g, w in zip(gs, ws) if g is not None and g.requires_grad)
            if isinstance(s, torch.Tensor) and s.requires_grad:
                hv = torch.autograd.grad(s, diff, allow_unused=True)
            else:
                hv = [None] * len(diff)
            res["w"] = [flat(w) for w in ws]
            res["hvp"] = [flat(h) if h is not None else [0.0] * a.numel() for h, a in zip(hv, diff)]
    return res


def bce_exact_hvp(entry):
    """BCE's Hessian-vector product in exact rational arithmetic (a hand formula):
    ∂/∂p of (v/n)(p − y)/(p(1 − p)) is (v/n)(p(1 − p) − (p − y)(1 − 2p))/(p(1 − p))².
    PyTorch 1.13's double backward of binary_cross_entropy is about 1e-12 off; this is exact."""
    from fractions import Fraction as Fr
    p = [Fr(x) for x in entry["args"][0]["data"]]
    y = [Fr(x) for x in entry["args"][1]["data"]]
    r = entry["float64"]
    v = Fr(r["cotangent"][0])
    w = [Fr(x) for x in r["w"][0]]
    n = len(p)
    return [[float(w[i] * v / n * (p[i] * (1 - p[i]) - (p[i] - y[i]) * (1 - 2 * p[i])) / (p[i] * (1 - p[i])) ** 2) for i in range(n)]]


def main():
    out = {"torch": torch.__version__, "cases": []}
    for c in CASES:
        args = [dict(a, data=enc(a["data"])) if isinstance(a, dict) else a for a in c["args"]]
        entry = {"name": c["name"], "fn": c["fn"], "kwargs": c["kwargs"], "args": args, "second": c["second"]}
        for dt, name in [(torch.float64, "float64"), (torch.float32, "float32")]:
            entry[name] = run(c, dt)
        if c["name"] == "bceLoss":
            entry["float64"]["hvpExact"] = bce_exact_hvp(entry)
        out["cases"].append(entry)
    path = os.path.join(os.path.dirname(__file__), "..", "fixtures", "ops.json")
    with open(path, "w") as f:
        json.dump(out, f, allow_nan=False)
    print(f"wrote {len(out['cases'])} cases to fixtures/ops.json")
    # erf reference values from the C library's erf (via Python's math module), not from torch.
    xs = sorted(set([i / 64 for i in range(-400, 401)] + [1e-10, -1e-5, 2.4999, 2.5001, 5.99, 6.5, 27.0]))
    with open(os.path.join(os.path.dirname(__file__), "..", "fixtures", "erf.json"), "w") as f:
        json.dump({"x": xs, "erf": [math.erf(x) for x in xs]}, f, allow_nan=False)


if __name__ == "__main__":
    main()
