// `nabla demo`: forward values and gradients of the seed graph, checked by the engine itself.
import { tensor } from "../autograd/creation.js";
import { Tensor } from "../autograd/tensor.js";
import { ValueError } from "../tensor/errors.js";

/** `x=1 y=-2.5 z=.5` → the values (defaults x = 1, y = 2, z = 3). */
export function parseDemoValues(args: readonly string[]): Record<"x" | "y" | "z", number> {
  const at = { x: 1, y: 2, z: 3 };
  for (const a of args) {
    const m = /^([xyz])=([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(a.trim());
    const v = Number(m?.[2]);
    if (m === null || !Number.isFinite(v)) throw new ValueError(`expected x=NUM, y=NUM or z=NUM with a finite number (like 2, -0.5, .5 or 1e-3), got ${JSON.stringify(a)}.`, { op: "demo" });
    at[m[1] as "x" | "y" | "z"] = v;
  }
  return at;
}

/** Prints every forward value and the three partial derivatives of w. */
export function demo(args: readonly string[], out: (s: string) => void): number {
  const at = parseDemoValues(args);
  const v = (name: "x" | "y" | "z"): Tensor => {
    const t = tensor(at[name], { requiresGrad: true });
    t.name = name;
    return t;
  };
  const x = v("x"), y = v("y"), z = v("z");
  const a = x.mul(y).add(z).retainGrad();
  const b = a.mul(x.add(x)).retainGrad();
  const w = a.mul(b).add(b);
  w.backward();
  const g = (t: Tensor): number => t.grad?.item() ?? 0;
  out("seed graph: a = x·y + z;  b = a·(x + x);  w = a·b + b");
  out(`inputs:     x = ${at.x}, y = ${at.y}, z = ${at.z}`);
  out("forward:");
  out(`  a = x·y + z     = ${a.item()}`);
  out(`  b = a·(x + x)   = ${b.item()}`);
  out(`  w = a·b + b     = ${w.item()}`);
  out("backward (reverse mode, ∂w/∂·):");
  out(`  ∂w/∂b = a + 1            = ${g(b)}`);
  out(`  ∂w/∂a = b + ∂w/∂b·2x     = ${g(a)}`);
  out(`  ∂w/∂x = ∂w/∂a·y + ∂w/∂b·2a = ${g(x)}   (x feeds x·y and both operands of x + x)`);
  out(`  ∂w/∂y = ∂w/∂a·x          = ${g(y)}`);
  out(`  ∂w/∂z = ∂w/∂a            = ${g(z)}`);
  return 0;
}
