# Sourced by the scripts: `need COMMAND DEBIAN-PACKAGE` installs the package with apt when the
# command is missing and we are root (refreshing the package lists once if the install fails),
# else stops with a message naming what is missing.
need() {
    command -v "$1" >/dev/null && return
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "$2" >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$2" >/dev/null 2>&1; }
    fi
    if ! command -v "$1" >/dev/null; then
        echo "$(basename "$0"): needs $1 (Debian package $2)" >&2
        exit 1
    fi
}

# `want COMMAND DEBIAN-PACKAGE`: like `need`, but for an optional peer. Returns 1 with a one-line
# notice instead of stopping when the command cannot be had.
want() {
    command -v "$1" >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y -qq "$2" >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$2" >/dev/null 2>&1; }
    fi
    command -v "$1" >/dev/null && return 0
    echo "$(basename "$0"): $1 (Debian package $2) is not installed; its row is skipped" >&2
    return 1
}
