// Learning-rate schedules: call step() once per epoch (or iteration), after optimizer.step().
import type { Optimizer } from "./optimizer.js";

abstract class Schedule {
  epoch = 0;
  readonly baseLr: number;
  constructor(readonly optimizer: Optimizer) {
    this.baseLr = optimizer.lr;
  }
  /** Advances one epoch and sets the optimizer's learning rate. */
  step(): void {
    this.epoch++;
    this.optimizer.lr = this.lrAt(this.epoch);
  }
  abstract lrAt(epoch: number): number;
}

/** lr·γ^⌊t/stepSize⌋ */
export class StepLR extends Schedule {
  constructor(opt: Optimizer, readonly stepSize: number, readonly gamma = 0.1) { super(opt); }
  lrAt(t: number): number { return this.baseLr * this.gamma ** Math.floor(t / this.stepSize); }
}

/** lr·γᵗ */
export class ExponentialLR extends Schedule {
  constructor(opt: Optimizer, readonly gamma: number) { super(opt); }
  lrAt(t: number): number { return this.baseLr * this.gamma ** t; }
}

/** η_min + (lr − η_min)(1 + cos(πt/T))/2 */
export class CosineAnnealingLR extends Schedule {
  constructor(opt: Optimizer, readonly tMax: number, readonly etaMin = 0) { super(opt); }
  lrAt(t: number): number { return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * t) / this.tMax))) / 2; }
}
