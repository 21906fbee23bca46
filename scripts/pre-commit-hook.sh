#!/bin/sh
# The entry of the `scslint` hook in .pre-commit-hooks.yaml (`language: script`). pre-commit runs
# it from its own checkout of this repository at the `rev` a project pins, with the arguments of
# the entry followed by the staged file names.
#
# Why not `language: rust`: pre-commit builds such hooks with `cargo install --path .` and no
# `--locked`, which resolves every dependency afresh to the newest compatible release instead of
# the versions Cargo.lock records, and it offers no setting that changes this (its
# additional_dependencies only `cargo add` more crates). So this script builds scslint itself, the
# first time it runs in a checkout: `cargo install --locked` into a folder inside that checkout,
# exactly the dependency set of Cargo.lock. Later runs start the built binary at once. cargo
# honours CARGO_TARGET_DIR as usual, to reuse compiled dependencies.
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")/.." && pwd)
root="$here/.scslint-hook"
bin="$root/bin/scslint"
if [ ! -x "$bin" ]; then
    if ! command -v cargo >/dev/null 2>&1; then
        echo "scslint pre-commit hook: cargo (Rust 1.88 or newer) is needed to build scslint" >&2
        exit 1
    fi
    echo "scslint pre-commit hook: building scslint with the dependency versions in Cargo.lock (first run only)" >&2
    cargo install --locked --quiet --path "$here" --root "$root" --bin scslint >&2
fi
exec "$bin" "$@"
