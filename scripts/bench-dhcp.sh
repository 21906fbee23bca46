#!/usr/bin/env bash
# Times `scslint collect` on one large DHCP server configuration, 5k and 50k subnets, each subnet
# with a pool, its own option 15 and one fixed-address host (examples/gen_dhcp.rs), for ISC dhcpd
# and Kea, in one run, and prints:
#   linearity: the 50k time over the 5k time (10x the input; target <= 11x)
#   peak RSS at 50k (targets: dhcpd.conf < 100 MB, Kea < 200 MB)
#   ratios against the floor (`cat` of the file) and the server's own check (`dhcpd -t`,
#   `kea-dhcp4 -t`), where that server is installed or can be.
# SMALL, LARGE and RUNS may be set in the environment.
set -euo pipefail

SMALL=${SMALL:-5000}
LARGE=${LARGE:-50000}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."

. scripts/need.sh
need /usr/bin/time time
need bc bc
have_dhcpd=0
have_kea=0
want dhcpd isc-dhcp-server && have_dhcpd=1
want kea-dhcp4 kea-dhcp4-server && have_kea=1

cargo build --release --quiet --bin scslint --example gen_dhcp
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "$SMALL" "$LARGE"; do
    target/release/examples/gen_dhcp --kind dhcpd --subnets "$n" --out "$work/dhcpd-$n.conf"
    target/release/examples/gen_dhcp --kind kea --subnets "$n" --out "$work/kea-$n.json"
done

. scripts/bench-lib.sh

collect() { target/release/scslint collect "$1" -o "$work/observed.toml" --no-config --format concise; }
floor() { cat "$1"; }
dhcpd_check() { dhcpd -t -q -cf "$1"; }
kea_check() { kea-dhcp4 -t "$1"; }

echo "DHCP configurations: $SMALL and $LARGE subnets (one pool, option 15 and host each); $(nproc) cores; best of $RUNS"
cat "$work"/* >/dev/null # warm the page cache
for kind in dhcpd kea; do
    case $kind in
    dhcpd) small="$work/dhcpd-$SMALL.conf" large="$work/dhcpd-$LARGE.conf" goal=100 peer=dhcpd_check name="dhcpd -t" have=$have_dhcpd ;;
    kea) small="$work/kea-$SMALL.json" large="$work/kea-$LARGE.json" goal=200 peer=kea_check name="kea-dhcp4 -t" have=$have_kea ;;
    esac
    t_small=$(best collect "$small")
    t_large=$(best collect "$large")
    t_floor=$(best floor "$large")
    printf '%-5s scslint collect: %6ss at %s, %6ss at %s: %sx for 10x the subnets (target <= 11x)\n' \
        "$kind" "$t_small" "$SMALL" "$t_large" "$LARGE" "$(ratio "$t_large" "$t_small")"
    printf '%-5s peak RSS at %s: %s MB (target < %s MB); %sx the cat floor (%ss)\n' \
        "$kind" "$LARGE" "$(rss_mb target/release/scslint collect "$large" -o "$work/observed.toml" --no-config --format concise)" "$goal" "$(ratio "$t_large" "$t_floor")" "$t_floor"
    if [ "$have" = 1 ]; then
        # The servers' own checks are slow at this size: timed once.
        t_peer=$(RUNS=1 best "$peer" "$large")
        printf '%-5s the server'"'"'s own check (%s): %ss; scslint takes %sx its time\n' \
            "$kind" "$name" "$t_peer" "$(ratio "$t_large" "$t_peer")"
    fi
done
