#!/usr/bin/env bash
# Times `scslint collect` on a synthetic fleet, in one run, against what a user would otherwise do:
#   floor: reading the same files with `xargs -P"$(nproc)" cat` (the I/O floor)
#   jq:    a jq pipeline pulling the option-15 suffix out of the JSON agent reports
# and prints the ratios and scslint's peak RSS.  N (reports), M (DHCP scopes) and RUNS may be set
# in the environment.  Targets: >= 2.5x faster than jq, <= 1.5x the floor, peak RSS < 200 MB.
set -euo pipefail

N=${N:-100000}
M=${M:-300}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."

. scripts/need.sh
need jq jq
need /usr/bin/time time
need bc bc

cargo build --release --quiet --bin scslint --example gen_fleet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen_fleet --reports "$N" --scopes "$M" --out "$work/fleet" >/dev/null
files=$(find "$work/fleet" -type f | wc -l)
json=$(find "$work/fleet/agents" -name '*.json' | wc -l)

# Best wall time of RUNS runs, in seconds.
. scripts/bench-lib.sh

floor() { find "$work/fleet" -type f -print0 | xargs -0 -P"$(nproc)" -n 1000 cat >/dev/null; }
jq_pipeline() {
    find "$work/fleet/agents" -name '*.json' -print0 |
        xargs -0 -P"$(nproc)" -n 1000 jq -r '.dnsSuffixOS // ."DNS Suffix (OS)" // empty' |
        sort | uniq -c >/dev/null
}
scslint_collect() { target/release/scslint collect "$work/fleet" -o "$work/observed.toml" --no-config --format json; }

floor # warm the page cache once, so every contender reads from memory
t_floor=$(best floor)
t_jq=$(best jq_pipeline)
t_scs=$(best scslint_collect)
# collect exits 1 when the fleet has error-level findings (it has): only its peak RSS matters here.
rss_kb=$( { /usr/bin/time -f '%M' target/release/scslint collect "$work/fleet" -o "$work/observed.toml" --no-config --format json >/dev/null || true; } 2>&1 | tail -n 1)

echo "fleet: $N reports ($json JSON) over $M DHCP scopes, $files files; $(nproc) cores; best of $RUNS"
printf '%-34s %8s s\n' "xargs -P$(nproc) cat (I/O floor)" "$t_floor" "jq pipeline (JSON reports only)" "$t_jq" "scslint collect" "$t_scs"
printf 'scslint vs floor: %.2fx the time   (target <= 1.3x)\n' "$(echo "$t_scs / $t_floor" | bc -l)"
printf 'jq vs scslint:    %.2fx faster      (target >= 2.5x)\n' "$(echo "$t_jq / $t_scs" | bc -l)"
printf 'scslint peak RSS: %.1f MB          (target < 200 MB)\n' "$(echo "$rss_kb / 1024" | bc -l)"
