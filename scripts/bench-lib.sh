# Sourced by the benchmark scripts, after `work` (a scratch folder) and RUNS are set.

# Best wall time of RUNS runs of a command, in seconds; its output is discarded.
best() {
    local best=""
    for _ in $(seq "$RUNS"); do
        local start end t
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    printf '%.3f' "$best"
}

# Peak resident memory of one run of a command, in MB.
rss_mb() {
    /usr/bin/time -o "$work/rss" -f '%M' "$@" >/dev/null 2>&1 || true
    printf '%.0f' "$(echo "$(tail -n 1 "$work/rss") / 1024" | bc -l)"
}

# $1 / $2 to two decimals.
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
