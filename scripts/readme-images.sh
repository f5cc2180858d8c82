#!/usr/bin/env bash
# Regenerates the images in docs/images with nabla's own commands (npm run images).
set -euo pipefail
cd "$(dirname "$0")/.."
nabla() { node bin/nabla.js "$@"; }
out=docs/images
mkdir -p "$out"
nabla graph "a = x*y + z; b = a*(x+x); w = a*b + b" --at x=1 y=2 z=3 --format svg -o "$out/seed-graph.svg"
nabla graph examples/seed003-sigmoid-network.yaml --format svg -o "$out/seed003-graph.svg"
nabla plot activations --fn gelu,leaky-relu,relu,tanh,softplus --derivative -o "$out/activations.svg"
nabla plot curves examples/seed000-caseA-squared-error.yaml examples/seed000-caseA-cross-entropy.yaml --title "Seed 000 case A: squared error vs cross entropy" -o "$out/seed000-caseA-curves.svg"
nabla plot curves examples/seed000-caseB-squared-error.yaml examples/seed000-caseB-cross-entropy.yaml --title "Seed 000 case B: squared error vs cross entropy" -o "$out/seed000-caseB-curves.svg"
for s in zero-init adam larger-lr; do
  nabla plot curves examples/seed000-caseA-squared-error.yaml "examples/seed000-q7-$s.yaml" --title "Seed 000 Q7: $s against the flat squared-error run" -o "$out/seed000-q7-$s.svg"
done
nabla dream -o "$out/dream-fashion-cnn.png"   # every class on the shipped classifier, with the defaults
echo "images written to $out"
