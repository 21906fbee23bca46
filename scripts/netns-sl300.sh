#!/usr/bin/env bash
# SL300 end to end across network namespaces: a device whose OS answers while its AMT ports
# 16992/16993 are dropped by its firewall, on a network whose option 15 the profile does not
# cover. `scslint probe` must confirm the misfire. Needs root and iproute2 (iptables is installed
# with apt when missing); skipped with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then
    echo "netns-sl300: skipped (needs root and iproute2)"
    exit 0
fi
# Without iptables (and no way to install it) the check cannot be built: skip, do not fail.
. scripts/need.sh
if ! (need iptables iptables) 2>/dev/null; then
    echo "netns-sl300: skipped (iptables is not available)"
    exit 0
fi

cargo build --quiet --bin scslint
ns="scsdev$$"
host_if="scsh$$"
dev_if="scsd$$"
work=$(mktemp -d)
cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    ip link del "$host_if" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip link add "$host_if" type veth peer name "$dev_if"
ip link set "$dev_if" netns "$ns"
ip addr add 10.203.0.1/24 dev "$host_if"
ip link set "$host_if" up
ip netns exec "$ns" ip addr add 10.203.0.2/24 dev "$dev_if"
ip netns exec "$ns" ip link set "$dev_if" up
ip netns exec "$ns" ip link set lo up
# The device: its OS stack answers (other ports refuse), its management ports are dropped.
ip netns exec "$ns" iptables -A INPUT -p tcp --dport 16992:16993 -j DROP

cat > "$work/observed.toml" <<'TOML'
[[network]]
name = "lab-wired"
suffix = "corp.test"
trust = "enterprise"
ranges = ["10.203.0.0/24"]

[[host]]
name = "pc-netns"
network = "lab-wired"
os_ip = "10.203.0.2"
me_ip = "0.0.0.0"
suffix = "corp.test"
ras = "outside"
link_up = true
TOML
cat > "$work/profile.xml" <<'XML'
<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>ad.corp.local</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
XML

status=0
target/debug/scslint probe --no-config --yes --os-address --observed "$work/observed.toml" --profile "$work/profile.xml" \
    --timeout 1 --format json > "$work/out.json" || status=$?
if [ "$status" != 1 ] || ! grep -q '"code": "SL300"' "$work/out.json"; then
    echo "netns-sl300: FAILED (exit $status)"
    cat "$work/out.json"
    exit 1
fi
grep -q '"16992": "timeout"' "$work/out.json" && grep -q '"16994": "refused"' "$work/out.json" || {
    echo "netns-sl300: FAILED: unexpected port states"
    cat "$work/out.json"
    exit 1
}
echo "netns-sl300: ok (SL300 confirmed for a device whose AMT ports are dropped)"
