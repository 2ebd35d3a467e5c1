#!/usr/bin/env bash
# Installs the pinned tools the all-platforms build (build/native-all.sh, -Pall-platforms) needs:
#   - zig, from PyPI's `ziglang` wheel, in a private venv (run as `python3 -m ziglang`)
#   - cargo-zigbuild, from crates.io (`cargo install --locked`), in a private cargo root
#   - the rustup targets of every bundled platform
# Idempotent: each step is skipped when its pinned version is already there (about a second).
# HOTPATH_TOOLS_DIR (default ~/.cache/hotpath-tools) says where the tools go; build/native-all.sh
# reads the same variable. Prints the PATH entries to use.
set -euo pipefail

ZIGLANG_VERSION=0.17.1
ZIGBUILD_VERSION=0.24.1
TARGETS=(
  aarch64-unknown-linux-gnu
  x86_64-unknown-linux-musl
  aarch64-unknown-linux-musl
  x86_64-apple-darwin
  aarch64-apple-darwin
  x86_64-pc-windows-gnu
)

tools="${HOTPATH_TOOLS_DIR:-$HOME/.cache/hotpath-tools}"
venv="$tools/zig-$ZIGLANG_VERSION"
cargo_root="$tools/cargo-zigbuild-$ZIGBUILD_VERSION"
export PATH="$HOME/.cargo/bin:$PATH"
mkdir -p "$tools"

# zig: a venv whose python3 has ziglang, so `python3 -m ziglang` (what cargo-zigbuild runs when
# no `zig` is on PATH) finds exactly this version.
if [ "$("$venv/bin/python3" -c 'import importlib.metadata as m; print(m.version("ziglang"))' 2>/dev/null)" != "$ZIGLANG_VERSION" ]; then
  echo "cross-tools: installing ziglang==$ZIGLANG_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check "ziglang==$ZIGLANG_VERSION"
fi
echo "cross-tools: zig $("$venv/bin/python3" -m ziglang version)"

# cargo-zigbuild, pinned, in its own root so nothing else on the machine changes.
if [ "$("$cargo_root/bin/cargo-zigbuild" --version 2>/dev/null | awk '{print $2}')" != "$ZIGBUILD_VERSION" ]; then
  echo "cross-tools: installing cargo-zigbuild $ZIGBUILD_VERSION into $cargo_root"
  cargo install --locked --quiet --version "$ZIGBUILD_VERSION" --root "$cargo_root" cargo-zigbuild
fi
echo "cross-tools: $("$cargo_root/bin/cargo-zigbuild" --version)"

# rustup targets of the toolchain this checkout builds with.
installed="$(rustup target list --installed)"
missing=()
for t in "${TARGETS[@]}"; do
  grep -qx "$t" <<<"$installed" || missing+=("$t")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "cross-tools: rustup target add ${missing[*]}"
  rustup target add "${missing[@]}"
fi
echo "cross-tools: rustup targets ready (${TARGETS[*]})"
echo "cross-tools: PATH entries: $venv/bin:$cargo_root/bin"
