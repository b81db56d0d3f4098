#!/usr/bin/env bash
# The whole test suite, as the README gives it: services, install, pytest.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -m "not slow"`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
python -m pip install -q -e '.[dev]'
python -m pytest "$@"
