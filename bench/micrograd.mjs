// The reference for homework-sized steps: a micrograd-style scalar autograd (karpathy/micrograd's
// engine.py, in plain JavaScript: one Value per number, a closure per op, a topological sort per
// backward) and, as the floor, the same steps written out by hand.
import { parts, TINY, timeTiny } from "./common.mjs";

class Value {
  constructor(data, prev = [], backward = null) {
    this.data = data;
    this.grad = 0;
    this.prev = prev;
    this.backwardFn = backward;
  }
  add(o) {
    o = o instanceof Value ? o : new Value(o);
    const out = new Value(this.data + o.data, [this, o]);
    out.backwardFn = () => { this.grad += out.grad; o.grad += out.grad; };
    return out;
  }
  mul(o) {
    o = o instanceof Value ? o : new Value(o);
    const out = new Value(this.data * o.data, [this, o]);
    out.backwardFn = () => { this.grad += o.data * out.grad; o.grad += this.data * out.grad; };
    return out;
  }
  sub(o) { return this.add(o instanceof Value ? o.mul(-1) : -o); }
  sigmoid() {
    const s = 1 / (1 + Math.exp(-this.data));
    const out = new Value(s, [this]);
    out.backwardFn = () => { this.grad += s * (1 - s) * out.grad; };
    return out;
  }
  log() {
    const out = new Value(Math.log(this.data), [this]);
    out.backwardFn = () => { this.grad += out.grad / this.data; };
    return out;
  }
  square() {
    const out = new Value(this.data * this.data, [this]);
    out.backwardFn = () => { this.grad += 2 * this.data * out.grad; };
    return out;
  }
  backward() {
    const topo = [];
    const seen = new Set();
    const build = (v) => {
      if (seen.has(v)) return;
      seen.add(v);
      for (const p of v.prev) build(p);
      topo.push(v);
    };
    build(this);
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i].backwardFn?.();
  }
}

const sgd = (params, lr) => { for (const p of params) { p.data -= lr * p.grad; p.grad = 0; } };
const dot = (xs, ws) => xs.reduce((acc, x, i) => acc.add(ws[i].mul(x)), new Value(0));

function neuronStep() {
  const c = TINY.neuron;
  const w = c.w.map((v) => new Value(v)), b = new Value(c.b);
  return () => {
    const p = dot(c.x, w).add(b).sigmoid();
    // BCE = −(y log p + (1 − y) log(1 − p))
    const loss = p.log().mul(c.y).add(p.mul(-1).add(1).log().mul(1 - c.y)).mul(-1);
    loss.backward();
    sgd([...w, b], c.lr);
    return loss.data;
  };
}

function mlpStep() {
  const c = TINY.mlp333;
  const W1 = c.W1.map((r) => r.map((v) => new Value(v))), b1 = c.b1.map((v) => new Value(v));
  const W2 = c.W2.map((r) => r.map((v) => new Value(v))), b2 = c.b2.map((v) => new Value(v));
  const params = [...W1.flat(), ...b1, ...W2.flat(), ...b2];
  const layer = (xs, W, b) => b.map((bj, j) => dot(xs, W.map((row) => row[j])).add(bj).sigmoid());
  return () => {
    const out = layer(layer(c.x, W1, b1), W2, b2);
    const loss = out.reduce((acc, o, j) => acc.add(o.sub(c.y[j]).square()), new Value(0)).mul(1 / 3);
    loss.backward();
    sgd(params, c.lr);
    return loss.data;
  };
}

// The same steps by hand: the floor no autograd reaches.
function neuronByHand() {
  const c = TINY.neuron;
  const w = [...c.w];
  let b = c.b;
  return () => {
    let z = b;
    for (let i = 0; i < 4; i++) z += w[i] * c.x[i];
    const p = 1 / (1 + Math.exp(-z));
    const dz = p - c.y; // ∂BCE/∂z for a sigmoid output
    for (let i = 0; i < 4; i++) w[i] -= c.lr * dz * c.x[i];
    b -= c.lr * dz;
    return -(c.y * Math.log(p) + (1 - c.y) * Math.log(1 - p));
  };
}

function mlpByHand() {
  const c = TINY.mlp333;
  const W1 = c.W1.map((r) => [...r]), b1 = [...c.b1], W2 = c.W2.map((r) => [...r]), b2 = [...c.b2];
  const h = [0, 0, 0], o = [0, 0, 0], dO = [0, 0, 0], dH = [0, 0, 0];
  return () => {
    for (let j = 0; j < 3; j++) { let s = b1[j]; for (let i = 0; i < 3; i++) s += c.x[i] * W1[i][j]; h[j] = 1 / (1 + Math.exp(-s)); }
    let loss = 0;
    for (let j = 0; j < 3; j++) { let s = b2[j]; for (let i = 0; i < 3; i++) s += h[i] * W2[i][j]; o[j] = 1 / (1 + Math.exp(-s)); loss += (o[j] - c.y[j]) ** 2 / 3; }
    for (let j = 0; j < 3; j++) dO[j] = (2 / 3) * (o[j] - c.y[j]) * o[j] * (1 - o[j]);
    for (let i = 0; i < 3; i++) { let s = 0; for (let j = 0; j < 3; j++) s += W2[i][j] * dO[j]; dH[i] = s * h[i] * (1 - h[i]); }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) { W2[i][j] -= c.lr * h[i] * dO[j]; W1[i][j] -= c.lr * c.x[i] * dH[j]; }
    for (let j = 0; j < 3; j++) { b2[j] -= c.lr * dO[j]; b1[j] -= c.lr * dH[j]; }
    return loss;
  };
}

const want = parts();
const results = { peer: "micrograd", tiny: {}, byHand: {} };
if (want.has("tiny")) {
  const long = want.has("drift");
  for (const [name, make] of [["neuron", neuronStep], ["mlp333", mlpStep]]) {
    const step = make();
    results.tiny[name] = { ...timeTiny(step, { long }), lastLoss: step() };
  }
  for (const [name, make] of [["neuron", neuronByHand], ["mlp333", mlpByHand]]) {
    const step = make();
    results.byHand[name] = { ...timeTiny(step), lastLoss: step() };
  }
}
process.stdout.write(JSON.stringify(results));
