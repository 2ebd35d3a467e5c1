#!/usr/bin/env bash
# Runs every cargo-fuzz target in rust/fuzz for a fixed time each and exits non-zero on the first
# crash, failed assertion, leak or allocation over the limit (libFuzzer's own exit status).
# Usage: bash build/fuzz.sh [seconds-per-target]   (default 60)
# Installs what it lacks: a nightly toolchain (rustup) and a pinned cargo-fuzz. Not part of CI:
# the time it runs for is the caller's choice, and nightly must never be a build dependency.
set -euo pipefail

SECONDS_PER_TARGET="${1:-60}"
CARGO_FUZZ_VERSION="0.13.2"
# libFuzzer's limits: a length trusted before it was checked shows up as an allocation over them.
RSS_LIMIT_MB=512
MALLOC_LIMIT_MB=256

case "$SECONDS_PER_TARGET" in
  ''|*[!0-9]*|0) echo "fuzz.sh: seconds must be a positive integer, got '$SECONDS_PER_TARGET'" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
installed="$(cargo fuzz --version 2>/dev/null || true)"
if [ "$installed" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
  echo "fuzz.sh: installing cargo-fuzz $CARGO_FUZZ_VERSION (found: ${installed:-none})"
  cargo install --locked --version "$CARGO_FUZZ_VERSION" cargo-fuzz
fi

echo "fuzz.sh: $(rustup run nightly rustc --version), $(cargo fuzz --version)"
targets="$(cargo +nightly fuzz list --fuzz-dir rust/fuzz)"
if [ -z "$targets" ]; then
  echo "fuzz.sh: no targets in rust/fuzz" >&2
  exit 1
fi

for target in $targets; do
  # The corpus grows across runs (it is not committed); a fresh one starts from libFuzzer's own inputs.
  corpus="rust/fuzz/corpus/$target"
  mkdir -p "$corpus"
  echo "fuzz.sh: $target for ${SECONDS_PER_TARGET}s"
  if ! cargo +nightly fuzz run --fuzz-dir rust/fuzz "$target" "$corpus" -- \
      -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_LIMIT_MB" -malloc_limit_mb="$MALLOC_LIMIT_MB"; then
    echo "fuzz.sh: $target FAILED; the input is in rust/fuzz/artifacts/$target/" >&2
    exit 1
  fi
done
echo "fuzz.sh: every target ran ${SECONDS_PER_TARGET}s without a failure: $targets"
