// Class visualization: placeholder until the worker lands (see below).
import { type App, el } from "../app.js";

export function mountDream(root: HTMLElement, _app: App): void {
  root.append(el("p", { text: "Class visualization is not wired into the playground yet." }));
}
