#!/usr/bin/env bash
# The one command behind reports/: execute every notebook of python/notebooks/
# headless with Debian's /usr/bin/python3 kernel (matplotlib, numpy, nbconvert).
# Writes reports/*.png, reports/meta-io-summary.md and the executed notebooks
# (reports/notebooks/). Builds nothing: build first (README), with
# -DMDSIM_PYTHON=ON for the Python module; without it the CLI ($MDSIM_BIN) is used.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${MDSIM_BUILD:-build}
export MDSIM_REPO=$PWD
export MDSIM_BIN=${MDSIM_BIN:-$PWD/$build/mdsim}
export PYTHONPATH="$PWD/$build/python${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p reports/notebooks
for nb in python/notebooks/*.ipynb; do
  echo "executing $nb" >&2
  /usr/bin/python3 -m jupyter nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=1200 \
    --output-dir reports/notebooks "$nb"
done
echo "reports written: reports/meta-io-summary.md, reports/meta-io-*.png" >&2
