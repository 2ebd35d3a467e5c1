#!/usr/bin/env bash
# Runs the Rust unit and integration tests (rust/core, rust/jni) for the bundled targets the host
# cannot run natively, under emulation, and for x86_64 musl natively:
#   aarch64-unknown-linux-gnu   dynamic test binaries, runner qemu-aarch64 -L /usr/aarch64-linux-gnu
#   aarch64-unknown-linux-musl  static test binaries, runner qemu-aarch64
#   x86_64-unknown-linux-musl   static test binaries, run directly
#   x86_64-pc-windows-gnu       test binaries (.exe), runner Wine (Debian's wine64), headless
# Installs what is missing with apt-get (needs root): qemu-user and libc6-arm64-cross for aarch64,
# wine64 for Windows. Uses the tools build/cross-tools.sh installed.
#   emulated-tests.sh [rust target ...]      (default: all four)
# The musl test binaries are linked statically (+crt-static through RUSTFLAGS, which replaces the
# -crt-static of .cargo/config.toml for this run only): a musl loader for aarch64 is not packaged
# by Debian, and the kernels under test do not depend on how libc is linked.
# Windows: Wine runs in its own prefix under the tools folder ($tools/wine-prefix), never ~/.wine,
# with build/wine/bcryptprimitives.dll added (Wine 8.0 lacks the DLL; see its source).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${HOTPATH_TOOLS_DIR:-$HOME/.cache/hotpath-tools}"
export PATH="$tools/zig-0.17.1/bin:$tools/cargo-zigbuild-0.24.1/bin:$HOME/.cargo/bin:$PATH"
if ! command -v cargo-zigbuild >/dev/null || ! python3 -m ziglang version >/dev/null 2>&1; then
  echo "emulated-tests.sh: cargo-zigbuild or zig not found under $tools: run bash build/cross-tools.sh first" >&2
  exit 1
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(aarch64-unknown-linux-gnu aarch64-unknown-linux-musl x86_64-unknown-linux-musl x86_64-pc-windows-gnu)

# apt_install <package ...>: Debian packages for the host (never a foreign architecture's).
apt_install() {
  echo "emulated-tests.sh: installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

setup_qemu() {
  if ! command -v qemu-aarch64 >/dev/null || [ ! -d /usr/aarch64-linux-gnu/lib ]; then
    apt_install qemu-user libc6-arm64-cross
  fi
}

# Debian's wine64 package puts its loader in /usr/lib/wine; /usr/bin/wine comes only with the
# recommended `wine` package, which would also pull in 32-bit Wine.
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver64

setup_wine() {
  [ -x "$wine" ] || apt_install wine64
  # Quiet, except when a DLL cannot be found or imported (a test binary would just exit 53).
  export WINEPREFIX="$tools/wine-prefix" WINEARCH=win64 WINEDEBUG=-all,err+module
  # Console programs need no display; without one Wine never tries to open a window.
  unset DISPLAY WAYLAND_DISPLAY
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "emulated-tests.sh: creating the Wine prefix $WINEPREFIX"
    "$wine" wineboot --init >/dev/null 2>&1
    "$wineserver" -w
  fi
  local source="$root/build/wine/bcryptprimitives.c"
  local dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  local stamp="$WINEPREFIX/bcryptprimitives.c.sha256"
  local want
  want="$(sha256sum "$source" | cut -d' ' -f1)"
  if [ ! -f "$dll" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "emulated-tests.sh: building $dll"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && python3 -m ziglang cc -target x86_64-windows-gnu -shared -O2 -s \
      -o bcryptprimitives.dll "$source" -lbcrypt)
    cp "$tmp/bcryptprimitives.dll" "$dll"
    rm -rf "$tmp"
    echo "$want" > "$stamp"
  fi
}

for target in "${targets[@]}"; do
  start=$SECONDS
  case "$target" in
    aarch64-unknown-linux-gnu)
      setup_qemu
      env CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" ;;
    aarch64-unknown-linux-musl)
      setup_qemu
      env RUSTFLAGS="-C target-feature=+crt-static" CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUNNER=qemu-aarch64 \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" ;;
    x86_64-unknown-linux-musl)
      env RUSTFLAGS="-C target-feature=+crt-static" \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" ;;
    x86_64-pc-windows-gnu)
      setup_wine
      status=0
      env CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$wine" \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" || status=$?
      # Leave no wineserver of this prefix running once the tests are done.
      "$wineserver" -k 2>/dev/null || true
      [ "$status" -eq 0 ] || exit "$status" ;;
    *) echo "emulated-tests.sh: no test set-up for $target" >&2; exit 1 ;;
  esac
  echo "emulated-tests.sh: $target tests passed in $((SECONDS - start)) s"
done
