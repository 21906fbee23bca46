#!/usr/bin/env bash
# Times `git commit` in a temporary repository with P profiles (default 50) staged on every commit,
# first without a hook, then with the hook `scslint hook install` writes (checking the staged
# profiles against the demo's 7 observed networks, named in scslint.toml). Every commit rewrites
# all P profiles, so the hook reads and checks all of them. Prints the median and best of RUNS
# commits (default 20) each way, and the difference: what the hook adds to a commit.
# Then, in a repository of BIG profiles (default 10,000) with P of them changed and staged, times
# `scslint check --staged` against `git diff --cached --name-only` (the least a hook runs to know
# what is staged), in one run, and prints the ratio (target <= 2x).
set -euo pipefail

P=${P:-50}
BIG=${BIG:-10000}
RUNS=${RUNS:-20}
cd "$(dirname "$0")/.."

cargo build --release --quiet --bin scslint
scslint="$PWD/target/release/scslint"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Keep the user's git configuration (hooksPath, signing, templates) out of the measurement.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

# A new repository at $1 with the demo's observed networks named in its scslint.toml.
new_repo() {
    mkdir -p "$1/profiles" "$1/networks"
    cp profiles/observed.toml "$1/networks/observed.toml"
    printf '[observed]\npaths = ["networks/observed.toml"]\n' >"$1/scslint.toml"
    git -C "$1" init -q -b main
    git -C "$1" config user.name "bench"
    git -C "$1" config user.email "bench@example.com"
    git -C "$1" config commit.gpgsign false
}

repo="$work/repo"
new_repo "$repo"

# P clean profiles (the demo's HQ desktop), each with its own device comment.
write_profiles() {
    local round=$1 i
    for i in $(seq -w 1 "$P"); do
        sed "2s/.*/<!-- pc$i, revision $round -->/" profiles/wsman/hq-desktop.xml \
            >"$repo/profiles/pc$i.xml"
    done
}
write_profiles 0
git -C "$repo" add -A
git -C "$repo" commit -q -m "fleet"

# Milliseconds each of RUNS commits took, one per line.
commit_times() {
    local label=$1 r start end
    for r in $(seq 1 "$RUNS"); do
        write_profiles "$label-$r"
        git -C "$repo" add -A
        start=$(date +%s%N)
        git -C "$repo" commit -q -m "$label $r" >/dev/null 2>&1 ||
            { echo "bench-hook: commit $label $r failed" >&2; exit 1; }
        end=$(date +%s%N)
        echo $(((end - start) / 1000))
    done
}
# "median best" in milliseconds, from microseconds on standard input.
stats() {
    sort -n | awk '{ t[NR] = $1 } END {
        m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
        printf "%.1f %.1f\n", m / 1000, t[1] / 1000 }'
}

read -r plain_median plain_best < <(commit_times plain | stats)
(cd "$repo" && "$scslint" hook install 2>/dev/null)
# The hook must really run: a broken profile is refused.
sed 's/company\.com/ad.company.local/' profiles/wsman/hq-desktop.xml >"$repo/profiles/broken.xml"
git -C "$repo" add profiles/broken.xml
if git -C "$repo" commit -q -m broken >/dev/null 2>&1; then
    echo "bench-hook: the hook let a broken profile through" >&2
    exit 1
fi
git -C "$repo" rm -q --cached profiles/broken.xml
rm "$repo/profiles/broken.xml"
read -r hook_median hook_best < <(commit_times hook | stats)

echo "git commit of $P staged profiles, $RUNS commits each, in ms (median / best):"
printf '  without the hook  %8.1f / %.1f\n' "$plain_median" "$plain_best"
printf '  with the hook     %8.1f / %.1f\n' "$hook_median" "$hook_best"
awk -v a="$plain_median" -v b="$hook_median" \
    'BEGIN { printf "  the hook adds     %8.1f ms per commit (median)\n", b - a }'

# A large repository: BIG profiles committed, P of them changed and staged.
big="$work/big"
new_repo "$big"
for i in $(seq -w 1 "$BIG"); do
    sed "2s/.*/<!-- pc$i -->/" profiles/wsman/hq-desktop.xml >"$big/profiles/pc$i.xml"
done
git -C "$big" add -A
git -C "$big" commit -q -m "fleet"
for i in $(seq -w 1 "$P"); do
    sed "2s/.*/<!-- pc$i, changed -->/" profiles/wsman/hq-desktop.xml >"$big/profiles/pc$(printf "%0${#BIG}d" "$((10#$i))").xml"
done
git -C "$big" add -A
staged=$(git -C "$big" diff --cached --name-only | wc -l)
# Milliseconds of the best of RUNS runs of a command in the big repository.
best_ms() {
    local r start end best=""
    for r in $(seq 1 "$RUNS"); do
        start=$(date +%s%N)
        (cd "$big" && "$@") >/dev/null 2>&1 || true
        end=$(date +%s%N)
        t=$(((end - start) / 1000))
        if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
    done
    awk -v t="$best" 'BEGIN { printf "%.1f", t / 1000 }'
}
git_ms=$(best_ms git diff --cached --name-only)
check_ms=$(best_ms "$scslint" check --staged)
# As the hook runs it: git starts hooks at the top of the working tree with GIT_PREFIX set, which
# spares scslint asking git for the top.
hook_ms=$(best_ms env GIT_PREFIX= "$scslint" check --staged)
ratio() { awk -v a="$1" -v b="$git_ms" 'BEGIN { printf "%.2f", a / b }'; }
echo "a repository of $BIG profiles with $staged staged, best of $RUNS, in ms:"
printf '  git diff --cached --name-only           %8s\n' "$git_ms"
printf '  scslint check --staged, as a hook runs  %8s  %sx git (target <= 2x)\n' "$hook_ms" "$(ratio "$hook_ms")"
printf '  scslint check --staged, by hand         %8s  %sx git\n' "$check_ms" "$(ratio "$check_ms")"
