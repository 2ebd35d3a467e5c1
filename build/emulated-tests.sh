#!/usr/bin/env bash
# Runs the Rust unit and integration tests (rust/core, rust/jni) for the Linux targets the host
# cannot run natively, under qemu-user, and for x86_64 musl natively:
#   aarch64-unknown-linux-gnu   dynamic test binaries, runner qemu-aarch64 -L /usr/aarch64-linux-gnu
#   aarch64-unknown-linux-musl  static test binaries, runner qemu-aarch64
#   x86_64-unknown-linux-musl   static test binaries, run directly
# Installs Debian's qemu-user and libc6-arm64-cross with apt-get when missing (needs root), and
# uses the tools build/cross-tools.sh installed. Usage: emulated-tests.sh [rust target ...]
# The musl test binaries are linked statically (+crt-static through RUSTFLAGS, which replaces the
# -crt-static of .cargo/config.toml for this run only): a musl loader for aarch64 is not packaged
# by Debian, and the kernels under test do not depend on how libc is linked.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${HOTPATH_TOOLS_DIR:-$HOME/.cache/hotpath-tools}"
export PATH="$tools/zig-0.17.1/bin:$tools/cargo-zigbuild-0.24.1/bin:$HOME/.cargo/bin:$PATH"
if ! command -v cargo-zigbuild >/dev/null; then
  echo "emulated-tests.sh: run bash build/cross-tools.sh first" >&2
  exit 1
fi

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(aarch64-unknown-linux-gnu aarch64-unknown-linux-musl x86_64-unknown-linux-musl)

if [[ " ${targets[*]} " == *aarch64* ]] && { ! command -v qemu-aarch64 >/dev/null || [ ! -d /usr/aarch64-linux-gnu/lib ]; }; then
  echo "emulated-tests.sh: installing qemu-user and libc6-arm64-cross"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user libc6-arm64-cross >/dev/null
fi

for target in "${targets[@]}"; do
  start=$SECONDS
  case "$target" in
    aarch64-unknown-linux-gnu)
      env CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu" \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" ;;
    aarch64-unknown-linux-musl)
      env RUSTFLAGS="-C target-feature=+crt-static" CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_RUNNER=qemu-aarch64 \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" ;;
    x86_64-unknown-linux-musl)
      env RUSTFLAGS="-C target-feature=+crt-static" \
        cargo-zigbuild test --workspace --locked --manifest-path "$root/Cargo.toml" --target "$target" ;;
    *) echo "emulated-tests.sh: no test set-up for $target" >&2; exit 1 ;;
  esac
  echo "emulated-tests.sh: $target tests passed in $((SECONDS - start)) s"
done
