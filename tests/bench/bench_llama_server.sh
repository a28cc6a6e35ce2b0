#!/usr/bin/env bash
# The 25-agent base through llama.cpp's own server (llama-server), the way the note's
# "through the local server" figures were taken. A script, not a test (minutes):
#
#     tests/bench/bench_llama_server.sh [HOURS] [SLOTS]      # defaults: 4 game hours, 4 slots
#
# llama-server is not on PyPI: it is built once from the llama.cpp sources that ship inside
# llama-cpp-python's sdist (same version as the installed wheel; the registry is the only
# download; ~10 minutes on 2 cores) into $SIMULACRA_HOME/llama-server/. The model is the bundled
# SmolLM2's Q8_0 working copy (made by any earlier run). Memories are embedded with hashed words
# (--embed-model hashed): this server is started without an embeddings endpoint.
set -euo pipefail
cd "$(dirname "$0")/../.."
HOURS=${1:-4}
SLOTS=${2:-4}
PY=${PYTHON:-.venv/bin/python}
HOME_DIR=$($PY -c "from engine.paths import data_dir; print(data_dir())")
BUILD="$HOME_DIR/llama-server"
SERVER="$BUILD/build/bin/llama-server"
if [ ! -x "$SERVER" ]; then
  VERSION=$($PY -c "import llama_cpp; print(llama_cpp.__version__)")
  mkdir -p "$BUILD"
  $PY -m pip download -q --no-deps --no-binary :all: "llama-cpp-python==$VERSION" -d "$BUILD"
  tar -xzf "$BUILD/llama_cpp_python-$VERSION.tar.gz" -C "$BUILD"
  SRC="$BUILD/llama_cpp_python-$VERSION/vendor/llama.cpp"
  cmake -S "$SRC" -B "$BUILD/build" -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_OPENSSL=OFF -DBUILD_SHARED_LIBS=OFF
  cmake --build "$BUILD/build" --target llama-server -j "$(nproc)"
fi
MODEL=$($PY -c "
from cognition.llm import bundled_model_path, working_copy
from engine.paths import models_dir
print(working_copy(bundled_model_path(), models_dir(), 'q8_0'))")
PORT=$($PY -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$SERVER" -m "$MODEL" --host 127.0.0.1 --port "$PORT" -c $((2048 * SLOTS)) -np "$SLOTS" \
  -t "$(nproc)" -tb "$(nproc)" > "$BUILD/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break
  sleep 1
done
$PY -m game.cli bench --base base_the_ville_n25 --hours "$HOURS" --max-minutes 60 \
  --server "http://127.0.0.1:$PORT/v1" --embed-model hashed
