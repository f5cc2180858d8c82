// nabla's public API: everything the browser entry has (src/browser.ts, the browser-safe part) and
// what needs Node: parameter and model files, data sets on disk, training with a progress bar.
export * from "./browser.js";
export { saveParameters, loadParameters } from "./nn/modules.js";
export { loadImageSet, locateDataset, readIdxFile, takeFirst, FASHION_MNIST_CLASSES, DEBIAN_FASHION_MNIST, type ImageSet, type Split } from "./data/datasets.js";
export { Progress, progressLine, clock, type ProgressState } from "./data/progress.js";
export { fit, evaluate as evaluateClassifier, type EpochRecord, type FitOptions } from "./train/fit.js";
export { buildModel, parseModelFile, makeOptimizer, type Architecture, type ModelFile, type LayerSpec } from "./train/model-spec.js";
export { saveModel, loadModel, encodeSafetensors, decodeSafetensors } from "./train/checkpoint.js";
