#!/usr/bin/env bash
# Fuzz every reader and reply parser: each cargo-fuzz target under fuzz/ in turn, for SECONDS each
# (default 600), one job, starting from the committed seeds (fuzz/corpus/<target>) and regression
# inputs (fuzz/regressions/<target>). New inputs go to fuzz/corpus-run/<target> (not committed),
# crashes to fuzz/artifacts/<target>/. Prints executions, time and crashes per target; exits 1 when
# a target crashed, hung or ran out of memory.
#
#   scripts/fuzz.sh [SECONDS] [TARGET]...
#
# cargo-fuzz needs a nightly toolchain and cargo-fuzz itself; without either this says so and
# exits 0, nothing fuzzed. What the fuzzing found stays covered on stable: `cargo test --test
# fuzz_replay` replays every seed and regression input (see fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-600}"
shift || true
case "$seconds" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET]..." >&2; exit 2 ;;
esac

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz: no nightly toolchain, which cargo-fuzz needs (rustup toolchain install nightly); nothing fuzzed"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz --locked); nothing fuzzed"
  exit 0
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build
logs="fuzz/target/logs"
mkdir -p "$logs"
failed=0
summary=()
for target in "${targets[@]}"; do
  run_dir="fuzz/corpus-run/$target"
  mkdir -p "$run_dir" "fuzz/regressions/$target"
  log="$logs/$target.log"
  echo "== $target: ${seconds}s"
  status=0
  cargo +nightly fuzz run "$target" "$run_dir" "fuzz/corpus/$target" "fuzz/regressions/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    >"$log" 2>&1 || status=$?
  # -a: a crash log holds the input's raw bytes; a log without the lines gives "?".
  execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  took=$(grep -ao 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1 || true)
  if [ "$status" -eq 0 ]; then
    result="ok"
  else
    failed=1
    artifact=$(grep -ao 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //' || true)
    result="FAILED (exit $status${artifact:+, input $artifact}; log $log)"
  fi
  summary+=("$(printf '%-20s %10s execs %5ss  %s' "$target" "${execs:-?}" "${took:-?}" "$result")")
  echo "${summary[-1]}"
done

echo
echo "target                   executions   time  result"
printf '%s\n' "${summary[@]}"
exit "$failed"
