#!/usr/bin/env bash
# Builds hotpath's JNI library for this machine and lays it out as the jar expects:
#   <out>/dev/hotpath/native/<platform>/<library>          the library
#   <out>/dev/hotpath/native/<platform>/<library>.sha256   its SHA-256, the loader's cache key
#   <out>/dev/hotpath/native/platforms.txt                 one line per platform the jar carries
# HOTPATH_VERSION (set by Maven) is compiled into the library; the loader refuses a mismatch.
set -euo pipefail

out="${1:?usage: native.sh <output-directory>}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo="${CARGO:-cargo}"

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

"$cargo" build --release --locked -p hotpath-jni --manifest-path "$root/Cargo.toml"

target_dir="${CARGO_TARGET_DIR:-$root/target/rust}"
dest="$out/dev/hotpath/native/$platform"
mkdir -p "$dest"
cp "$target_dir/release/$lib" "$dest/$lib"
if command -v sha256sum >/dev/null; then
  sha256sum "$dest/$lib" | cut -d' ' -f1 > "$dest/$lib.sha256"
else
  shasum -a 256 "$dest/$lib" | cut -d' ' -f1 > "$dest/$lib.sha256"
fi
(cd "$out/dev/hotpath/native" && ls -d */ | tr -d / | sort) > "$out/dev/hotpath/native/platforms.txt"
echo "native.sh: $platform/$lib ($(wc -c < "$dest/$lib") bytes, sha256 $(cat "$dest/$lib.sha256"))"
