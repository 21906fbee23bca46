#!/usr/bin/env bash
# Times `scslint check` over PROFILES WS-Management profiles (default 10,000) against NETWORKS
# observed networks (default 1,000), from examples/gen_profiles.rs, in one run, and prints:
#   the floor: reading the same files with `xargs -P"$(nproc)" cat`
#   the peer: `xmllint --noout` over the same files (a well-formedness check, what one runs today)
#   scslint check (every profile read, every rule, every network), JSON output to /dev/null
#   the ratios (target: scslint within 2x of xmllint), and scslint's peak RSS.
# PROFILES, NETWORKS and RUNS may be set in the environment.
set -euo pipefail

PROFILES=${PROFILES:-10000}
NETWORKS=${NETWORKS:-1000}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."

. scripts/need.sh
need /usr/bin/time time
need bc bc
need xmllint libxml2-utils

cargo build --release --quiet --bin scslint --example gen_profiles
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen_profiles --profiles "$PROFILES" --networks "$NETWORKS" --out "$work"
. scripts/bench-lib.sh

floor() { find "$work/profiles" -name '*.xml' -print0 | xargs -0 -P"$(nproc)" cat; }
peer() { find "$work/profiles" -name '*.xml' -print0 | xargs -0 xmllint --noout; }
check() {
    target/release/scslint check "$work/profiles" --observed "$work/observed.toml" \
        --no-config --format json
}

# The run must really check: the estate has findings, so check exits 1 and prints them.
check >"$work/out.json" 2>/dev/null && { echo "bench-check: no findings?" >&2; exit 1; }
findings=$(grep -o '"code": *"SL[0-9]*"' "$work/out.json" | wc -l)

echo "check: $PROFILES profiles x $NETWORKS networks; $(nproc) cores; best of $RUNS; $findings findings"
floor >/dev/null # warm the page cache
t_floor=$(best floor)
t_peer=$(best peer)
t_check=$(best check)
printf '  xargs -P%s cat (I/O floor)   %7ss\n' "$(nproc)" "$t_floor"
printf '  xmllint --noout              %7ss\n' "$t_peer"
printf '  scslint check                %7ss  %sx xmllint (target <= 2x), %sx the floor\n' \
    "$t_check" "$(ratio "$t_check" "$t_peer")" "$(ratio "$t_check" "$t_floor")"
printf '  scslint check peak RSS       %7s MB\n' "$(rss_mb target/release/scslint check "$work/profiles" --observed "$work/observed.toml" --no-config --format json)"
