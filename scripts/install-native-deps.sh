#!/usr/bin/env bash
# Makes libtorch (TorchSharp 0.107, libtorch 2.10) loadable on this machine.
# libLibTorchSharp.so needs the C++ runtime of GCC 13 or newer (symbol version GLIBCXX_3.4.32).
# Debian 12 ships GCC 12's, so there we take libstdc++6 from Debian 13 ("trixie"), pinned at
# priority 100 so that nothing else is upgraded from it. Idempotent: a second run does nothing.
set -euo pipefail

needed=GLIBCXX_3.4.32

current_lib() {
    # The runtime the dynamic loader would pick for a process started now.
    ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64|libstdc\+\+\.so\.6 .*AArch64/ {print $NF; exit}'
}

has_symbol() {
    local lib
    lib=$(current_lib)
    [ -n "$lib" ] && [ -r "$lib" ] && grep -q -a "$needed" "$lib"
}

if has_symbol; then
    echo "install-native-deps: $(current_lib) already provides $needed; nothing to do."
    exit 0
fi

case "$(uname -s)" in
    Linux) ;;
    *) echo "install-native-deps: $(uname -s) needs no extra native packages for TorchSharp."; exit 0 ;;
esac

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != "debian" ]; then
    echo "install-native-deps: the C++ runtime here ($(current_lib)) lacks $needed, which libtorch 2.10 needs." >&2
    echo "  This script only knows how to fix Debian. Install libstdc++ from GCC 13 or newer with your" >&2
    echo "  distribution's package manager (Ubuntu 24.04, Fedora 39 and newer already have it)." >&2
    exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-native-deps: libstdc++ lacks $needed and installing it needs root." >&2
    echo "  Run: sudo $0" >&2
    exit 1
fi

sources=/etc/apt/sources.list.d/glowml-trixie.sources
pin=/etc/apt/preferences.d/glowml-trixie
if [ ! -f "$sources" ]; then
    cat >"$sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
if [ ! -f "$pin" ]; then
    cat >"$pin" <<PIN
# Added by GlowML's install-native-deps.sh: packages from trixie only when asked for by name.
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
fi

export DEBIAN_FRONTEND=noninteractive
# Other configured sources may be unreachable; the trixie index and the local bookworm lists suffice.
apt-get update -o Dir::Etc::sourcelist="$sources" -o Dir::Etc::sourceparts=- \
    -o APT::Get::List-Cleanup=0 >/dev/null
if ! apt-cache policy libc6 | grep -q bookworm; then
    apt-get update >/dev/null || true
fi
apt-get install -y -t trixie libstdc++6 >/dev/null

if has_symbol; then
    echo "install-native-deps: installed libstdc++6 from trixie; $needed is now available."
else
    echo "install-native-deps: installed libstdc++6 from trixie but $needed is still missing." >&2
    exit 1
fi
