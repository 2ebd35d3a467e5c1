#!/usr/bin/env bash
# Builds hotpath's JNI library for this machine with the machine's own toolchain and lays it out
# as the jar expects (build/native-common.sh). build/native-all.sh builds every bundled platform.
# HOTPATH_VERSION (set by Maven) is compiled into the library; the loader refuses a mismatch.
set -euo pipefail

out="${1:?usage: native.sh <output-directory>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo="${CARGO:-cargo}"
# shellcheck source=native-common.sh
. "$root/build/native-common.sh"

case "$(uname -s)" in
  Linux) os=linux; lib=libhotpath_jni.so ;;
  Darwin) os=macos; lib=libhotpath_jni.dylib ;;
  *) echo "native.sh: building on $(uname -s) is not supported; build on Linux or macOS" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x86_64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch="$(uname -m)" ;;
esac
platform="$os-$arch"
if [ "$os" = linux ] && ls /lib/ld-musl-*.so.1 >/dev/null 2>&1; then
  platform="$platform-musl"
fi

rm -rf "$out/dev/hotpath/native"
"$cargo" build --release --locked -p hotpath-jni --manifest-path "$root/Cargo.toml"

target_dir="${CARGO_TARGET_DIR:-$root/target/rust}"
hotpath_lay_out "$target_dir/release/$lib" "$out" "$platform" "$lib"
hotpath_write_index "$out"
