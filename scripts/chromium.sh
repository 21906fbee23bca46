#!/usr/bin/env bash
# Headless Chromium for the report test (tests/report_chromium.rs): installs Debian's chromium
# package with apt when it is missing and we are root, then prints the browser's path. Exits 1,
# with a one-line message, where it cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/need.sh
need chromium chromium
command -v chromium
