#!/usr/bin/env bash
# Builds hotpath's JNI library for every bundled platform with cargo-zigbuild (zig as the
# cross-linker) and lays them out as the jar expects (build/native-common.sh). Run
# build/cross-tools.sh once first; Maven runs this script with -Pall-platforms.
#   native-all.sh <output-directory> [platform ...]   (default: all seven)
# HOTPATH_VERSION (set by Maven) is compiled into every library; the loader refuses a mismatch.
# Per-target flags that hold for every binary of a target (page size, musl's -crt-static) live
# in .cargo/config.toml; flags that only make sense for the cdylib itself (the Windows export
# list, the macOS install name) are passed here with `cargo zigbuild rustc --lib`.
set -euo pipefail

out="${1:?usage: native-all.sh <output-directory> [platform ...]}"
shift
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=native-common.sh
. "$root/build/native-common.sh"

tools="${HOTPATH_TOOLS_DIR:-$HOME/.cache/hotpath-tools}"
export PATH="$tools/zig-0.17.1/bin:$tools/cargo-zigbuild-0.24.1/bin:$HOME/.cargo/bin:$PATH"
if ! command -v cargo-zigbuild >/dev/null || ! python3 -m ziglang version >/dev/null 2>&1; then
  echo "native-all.sh: cargo-zigbuild or zig not found under $tools: run bash build/cross-tools.sh first" >&2
  exit 1
fi
target_dir="${CARGO_TARGET_DIR:-$root/target/rust}"

# platform | rust target (zigbuild's spelling) | library file name
ALL=(
  "linux-x86_64        x86_64-unknown-linux-gnu.2.17   libhotpath_jni.so"
  "linux-aarch64       aarch64-unknown-linux-gnu.2.17  libhotpath_jni.so"
  "linux-x86_64-musl   x86_64-unknown-linux-musl       libhotpath_jni.so"
  "linux-aarch64-musl  aarch64-unknown-linux-musl      libhotpath_jni.so"
  "macos-x86_64        x86_64-apple-darwin             libhotpath_jni.dylib"
  "macos-aarch64       aarch64-apple-darwin            libhotpath_jni.dylib"
  "windows-x86_64      x86_64-pc-windows-gnu           hotpath_jni.dll"
)

# The DLL's export list: every JNI entry point and every C-ABI function of the FFM bridge
# (rust/jni/src/ffm.rs) in the sources, nothing else (zig's MinGW link would otherwise export
# about two thousand internal Rust symbols).
def="$target_dir/hotpath_jni.def"
mkdir -p "$target_dir"
{
  echo "LIBRARY hotpath_jni.dll"
  echo "EXPORTS"
  # `status fn` / `value fn`: the FFM entry points that rust/jni/src/ffm's ffm_fn! declares.
  grep -rhoE '(extern "(system|C)"|status|value) fn (Java_[A-Za-z0-9_]+|JNI_On(Load|Unload)|hotpath_[a-z0-9_]+)' "$root/rust/jni/src" \
    | awk '{print "    " $NF}' | sort -u
} > "$def.tmp"
mv "$def.tmp" "$def"

rm -rf "$out/dev/hotpath/native"
for row in "${ALL[@]}"; do
  read -r platform target lib <<<"$row"
  if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$platform"; then continue; fi
  triple="${target%.2.17}"
  extra=()
  deployment=()
  case "$triple" in
    *-windows-*) extra=(-C "link-arg=$def") ;;
    *-apple-darwin) extra=(-C "link-arg=-Wl,-install_name,@rpath/libhotpath_jni.dylib") ;;
  esac
  case "$triple" in
    aarch64-apple-darwin) deployment=(MACOSX_DEPLOYMENT_TARGET=11.0) ;;
    x86_64-apple-darwin) deployment=(MACOSX_DEPLOYMENT_TARGET=10.12) ;;
  esac
  start=$SECONDS
  env "${deployment[@]}" cargo-zigbuild rustc --release --locked -p hotpath-jni --lib \
    --manifest-path "$root/Cargo.toml" --target "$target" -- "${extra[@]}"
  echo "native-all.sh: $platform ($target) built in $((SECONDS - start)) s"
  hotpath_lay_out "$target_dir/$triple/release/$lib" "$out" "$platform" "$lib"
done
hotpath_write_index "$out"
