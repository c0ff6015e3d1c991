#!/usr/bin/env bash
# Offline docs build (see docs.py); run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
"${VENV:-.venv}/bin/python" .ci/docs.py
