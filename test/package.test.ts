// The package root exports the public API (resolved through package.json "exports" to dist/).
import { describe, expect, it } from "vitest";

describe("package root", () => {
  it("exports tensor, grad, gradcheck, noGrad, losses and the Tensor methods", async () => {
    const nabla = await import("nabla");
    for (const name of ["tensor", "grad", "valueAndGrad", "gradcheck", "gradgradcheck", "noGrad", "mseLoss", "crossEntropy", "bceWithLogitsLoss", "huberLoss", "gelu", "randn", "Tensor", "NablaError"]) {
      expect(nabla[name as keyof typeof nabla], name).toBeDefined();
    }
    const x = nabla.tensor([1, 2], { requiresGrad: true });
    nabla.mseLoss(x, nabla.tensor([0, 0])).backward(); // mean((x − 0)²): ∂/∂x = x
    expect(Array.from(x.grad!.data)).toEqual([1, 2]);
  });
});
