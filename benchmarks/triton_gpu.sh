#!/usr/bin/env bash
# Triton on the lent GPU machine, one prepared run: install the carried wheels (nvidia-pytriton, tritonclient,
# python-rapidjson) into /tmp/site, shape an environment Triton's helpers understand around the machine's own
# python3 (PyTorch with CUDA), and run benchmarks/triton_gpu.py. Output goes to stdout and $OUT/triton_gpu.txt.
set -u
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
python=$(command -v python3)
version=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
system_site=$(python3 -c 'import site; print(site.getsitepackages()[0])')
mkdir -p /tmp/tv/bin "/tmp/tv/lib/python$version"
ln -sf "$python" /tmp/tv/bin/python
ln -sfn /tmp/site "/tmp/tv/lib/python$version/site-packages"
export PYTHONPATH="$PWD:/tmp/site:$system_site"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python3 -m benchmarks.triton_gpu --venv /tmp/tv --seconds "${SECONDS_PER_FIGURE:-6}" 2>&1 | tee "${OUT:-/tmp}/triton_gpu.txt"
