#!/usr/bin/env bash
# Times `scslint probe --ports-only` against nmap's connect scan, in one run, over the same
# loopback fleet: N addresses from BASE up (default 4096 from 127.0.0.0, i.e. 127.0.0.0/20), each
# with 16992 and 16993 open, refused or silent (SYNs dropped) in a fixed mix (examples/fake_fleet.rs).
# Prints both wall times, the ratio, and what nmap found against what the fleet serves.
# N must be a power of two (the fleet is scanned as one CIDR block); BASE must be aligned to it.
# NMAP_HOST_TIMEOUT (default 60s) and NMAP_EXTRA (extra nmap flags) may be set.
set -euo pipefail

N=${N:-4096}
BASE=${BASE:-127.0.0.0}
NMAP_HOST_TIMEOUT=${NMAP_HOST_TIMEOUT:-60s}
NMAP_EXTRA=${NMAP_EXTRA:-}
cd "$(dirname "$0")/.."

. scripts/need.sh
need nmap nmap
need bc bc

# The prefix length of an N-address block.
bits=0
while [ $((1 << bits)) -lt "$N" ]; do bits=$((bits + 1)); done
if [ $((1 << bits)) -ne "$N" ]; then
    echo "bench-probe: N=$N is not a power of two" >&2
    exit 1
fi
cidr="$BASE/$((32 - bits))"

# The fleet holds about two descriptors per bound slot, and each scanner its own in flight.
want=$((4 * N + 4096))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then
    ulimit -Hn "$want" 2>/dev/null || true
    ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
fi

cargo build --release --quiet --bin scslint --example fake_fleet
work=$(mktemp -d)
fleet_pid=""
cleanup() {
    if [ -n "$fleet_pid" ]; then kill "$fleet_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

target/release/examples/fake_fleet --base "$BASE" --count "$N" >"$work/fleet.out" 2>"$work/fleet.err" &
fleet_pid=$!
for _ in $(seq 600); do
    grep -q '^ready' "$work/fleet.out" 2>/dev/null && break
    if ! kill -0 "$fleet_pid" 2>/dev/null; then
        echo "bench-probe: fake_fleet exited: $(cat "$work/fleet.err")" >&2
        exit 1
    fi
    sleep 0.1
done
ready=$(grep '^ready' "$work/fleet.out") || { echo "bench-probe: fake_fleet never got ready" >&2; exit 1; }
field() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" <<<"$ready"; }

# Wall time of one run of "$@" in seconds; output to $work/$name.out/.err, exit status to .rc.
timed() {
    local name=$1 start end rc=0
    shift
    start=$(date +%s.%N)
    "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    end=$(date +%s.%N)
    echo "$rc" >"$work/$name.rc"
    printf '%.3f' "$(echo "$end - $start" | bc -l)"
}

t_scs=$(timed scslint target/release/scslint probe --ports-only --allow-range --yes --timeout 1 --no-config --format json "$cidr")
# shellcheck disable=SC2086 # NMAP_EXTRA is a list of flags
t_nmap=$(timed nmap nmap -sT -Pn -n -p16992,16993 --max-rtt-timeout 1000ms \
    --host-timeout "$NMAP_HOST_TIMEOUT" $NMAP_EXTRA -oG - "$cidr")
rc_scs=$(cat "$work/scslint.rc")
rc_nmap=$(cat "$work/nmap.rc")

count() { grep -o "/$1/tcp" "$work/nmap.out" | wc -l; }
echo "fleet: $N addresses ($cidr) x 2 ports: $(field open) open, $(field refused) refused, $(field silent) silent, $(field unbindable) unbindable"
scount() { grep -oE "\"1699[23]\": \"$1\"" "$work/scslint.out" | wc -l; }
echo "scslint found: $(scount open) open, $(scount refused) refused, $(scount timeout) timed out"
echo "nmap found: $(count open) open, $(count closed) closed, $(count filtered) filtered; $(grep -c 'Status: Timeout' "$work/nmap.out" || true) hosts timed out"
printf '%-44s %8s s  (exit %s)\n' "scslint probe --ports-only --timeout 1" "$t_scs" "$rc_scs" \
    "nmap -sT --max-rtt-timeout 1000ms" "$t_nmap" "$rc_nmap"
if [ "$rc_scs" -gt 1 ]; then
    echo "bench-probe: scslint probe failed:" >&2
    tail -n 5 "$work/scslint.err" >&2
    exit 1
fi
if [ "$rc_nmap" -ne 0 ]; then
    echo "bench-probe: nmap failed:" >&2
    tail -n 5 "$work/nmap.err" >&2
    exit 1
fi
printf 'nmap vs scslint: %.2fx the time\n' "$(echo "$t_nmap / $t_scs" | bc -l)"
