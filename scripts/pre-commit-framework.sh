#!/usr/bin/env bash
# The real pre-commit framework against this repository's .pre-commit-hooks.yaml: installs
# pre-commit from PyPI into a temporary venv, makes a temporary git repository whose
# .pre-commit-config.yaml points at this repository (a local path, rev = the HEAD commit: commit
# what you want tested), stages a profile with a known mistake beside a pyproject.toml and an INI
# file, and checks that the commit is refused for the profile's mistake (SL100) and accepted once
# the profile is fixed. Skips with a one-line notice when pip cannot reach PyPI.
#
# pre-commit builds the hook with `cargo install --locked` on its first run (minutes); the build
# shares CARGO_TARGET_DIR (default: this repository's target/), so compiled dependencies are
# reused.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD
rev=$(git rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Keep the user's git configuration (hooksPath, templates, signing) out of the test.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
export PRE_COMMIT_HOME="$work/cache" PIP_DISABLE_PIP_VERSION_CHECK=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"

if ! python3 -m venv "$work/venv" >/dev/null 2>&1 ||
    ! "$work/venv/bin/pip" install --quiet --timeout 30 pre-commit >"$work/pip.log" 2>&1; then
    echo "pre-commit-framework.sh: skipped: cannot install pre-commit from PyPI with pip ($(tail -n 1 "$work/pip.log" 2>/dev/null || echo 'no python3 venv'))"
    exit 0
fi
pre_commit="$work/venv/bin/pre-commit"

repo="$work/repo"
mkdir -p "$repo/profiles" "$repo/networks"
git -C "$repo" init -q -b main
git -C "$repo" config user.name "Profile Reviewer"
git -C "$repo" config user.email "reviewer@example.com"
git -C "$repo" config commit.gpgsign false
cat >"$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $here
    rev: $rev
    hooks:
      - id: scslint
YAML
printf '[observed]\npaths = ["networks/observed.toml"]\n' >"$repo/scslint.toml"
printf '[[network]]\nname = "hq"\nsuffix = "site4.company.com"\nhosts = 12\n' >"$repo/networks/observed.toml"
git -C "$repo" add .
git -C "$repo" commit -q -m "networks and hook configuration"
(cd "$repo" && "$pre_commit" install >/dev/null)

profile() {
    cat <<XML
<g:AMT_EnvironmentDetectionSettingData xmlns:g="http://intel.com/wbem/wscim/1/amt-schema/1/AMT_EnvironmentDetectionSettingData">
  <g:DetectionAlgorithm>0</g:DetectionAlgorithm>
  <g:DetectionStrings>$1</g:DetectionStrings>
</g:AMT_EnvironmentDetectionSettingData>
XML
}
# The article's mistake: the AD root domain, which HQ's option 15 does not end with.
profile ad.company.local >"$repo/profiles/pc0423.xml"
printf '[project]\nname = "provisioning-tools"\nversion = "1.0"\n' >"$repo/pyproject.toml"
printf '[provisioning]\nconsole = mps.company.com\n' >"$repo/provisioning.ini"
git -C "$repo" add .

echo "pre-commit-framework.sh: first commit (pre-commit builds the hook: this may take minutes)"
if (cd "$repo" && git commit -q -m "AD root as home domain") >"$work/refused.log" 2>&1; then
    cat "$work/refused.log"
    echo "pre-commit-framework.sh: FAIL: the commit of a profile with SL100 went through" >&2
    exit 1
fi
if ! grep -q "SL100" "$work/refused.log" || ! grep -q "profiles/pc0423.xml" "$work/refused.log"; then
    cat "$work/refused.log"
    echo "pre-commit-framework.sh: FAIL: the commit was refused, but not for SL100 in profiles/pc0423.xml" >&2
    exit 1
fi
if grep -Eq "pyproject|provisioning.ini|SL053" "$work/refused.log"; then
    cat "$work/refused.log"
    echo "pre-commit-framework.sh: FAIL: a file that is no profile was checked" >&2
    exit 1
fi

profile company.com >"$repo/profiles/pc0423.xml"
git -C "$repo" add profiles/pc0423.xml
if ! (cd "$repo" && git commit -q -m "company.com as home domain") >"$work/accepted.log" 2>&1; then
    cat "$work/accepted.log"
    echo "pre-commit-framework.sh: FAIL: the commit of the fixed profile was refused" >&2
    exit 1
fi
echo "pre-commit-framework.sh: ok: pre-commit refused SL100 in a staged profile and committed the fix ($(git -C "$repo" rev-list --count HEAD) commits)"
