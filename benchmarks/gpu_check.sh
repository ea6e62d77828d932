#!/usr/bin/env bash
# Everything a CUDA machine should check, in one command, from the repository root:
#
#   1. the GPU test matrix: every test marked gpu (what `make test-gpu` runs);
#   2. the demo, `python -m sklstm`, on the GPU (device="auto" picks it);
#   3. training speed against a raw PyTorch + cuDNN loop (bench_training.py);
#   4. the padded-pipeline workload on the GPU (bench_pipeline.py --only padded).
#
# Usage: benchmarks/gpu_check.sh [RESULTS_DIR]      (default benchmarks/results)
# PYTHON picks the interpreter (default: python); it needs a CUDA build of
# torch and sklstm's dependencies. The test and demo logs and the benchmarks'
# result files (.json and .md) go to RESULTS_DIR.
# The exit status is the tests' (the benchmarks report, they do not gate).
set -u
PYTHON=${PYTHON:-python}
RESULTS=${1:-benchmarks/results}
mkdir -p "$RESULTS"
export PYTHONUNBUFFERED=1 MPLBACKEND=Agg

"$PYTHON" -c "import sys, torch; torch.cuda.is_available() or sys.exit(
    f'gpu_check: PyTorch {torch.__version__} finds no CUDA device')" || exit 2
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,utilization.gpu \
    --format=csv

echo "== 1. tests marked gpu"
# cuBLAS needs this before CUDA starts for the deterministic tests.
CUBLAS_WORKSPACE_CONFIG=:4096:8 "$PYTHON" -m pytest -m gpu -v -rs \
    -p no:cacheprovider 2>&1 | tee "$RESULTS/gpu-tests.log"
tests=${PIPESTATUS[0]}

echo "== 2. the demo on the GPU"
timeout 300 "$PYTHON" -m sklstm --output-dir /tmp/sklstm-demo 2>&1 | tee "$RESULTS/gpu-demo.log"
echo "demo exit status ${PIPESTATUS[0]}"

echo "== 3. training speed: sklstm against raw PyTorch + cuDNN"
# 15 epochs per workload: GPU epochs are short and vary more than CPU ones.
"$PYTHON" benchmarks/bench_training.py --device cuda --no-keras --epochs 15 \
    --only lstm8 lstm32 lstm400 cnn_lstm splice --out "$RESULTS" --tag gpu
# The lecture's run end to end: building the model and its 100 epochs.
"$PYTHON" benchmarks/bench_training.py --device cuda --no-keras \
    --only lecture11 --out "$RESULTS" --tag gpu-lecture11

echo "== 4. padded pipeline rows on the GPU"
"$PYTHON" benchmarks/bench_pipeline.py --only padded --device cuda --no-peers \
    --epochs 60 --out "$RESULTS" --tag gpu

echo "gpu_check: tests exit status $tests"
exit "$tests"
