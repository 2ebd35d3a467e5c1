#!/usr/bin/env bash
# Runs the smoke suite (tests/src/smoke/java, dev.hotpath.smoke.SmokeMain: every kernel family,
# native results against the JVM twin's) on real JVMs with the packaged jar:
#   host   the java on PATH (Linux x86_64): a check of the suite itself
#   arm64  Debian's arm64 OpenJDK 17 under qemu-user, which must load the jar's linux-aarch64
#          library through the normal loader
#   jvm-smoke.sh [host|arm64 ...]   (default: both)
# Needs the all-platforms jar and the compiled suite: run ./mvnw -B -Pall-platforms verify (or
# package) first. Installs what is missing: qemu-user with apt-get, and the arm64 JRE unpacked
# from Debian's packages into $HOTPATH_TOOLS_DIR/arm64-jdk (default ~/.cache/hotpath-tools).
# The arm64 packages are downloaded and unpacked, never installed: `apt-get install` of an arm64
# JRE would replace dozens of the host's own packages, its JDK included.
# HOTPATH_SMOKE_SEED repeats a run's random inputs (each run prints its seed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${HOTPATH_TOOLS_DIR:-$HOME/.cache/hotpath-tools}"
jdk_dir="$tools/arm64-jdk"
jre_home=usr/lib/jvm/java-17-openjdk-arm64
# What the headless JRE loads at run time (readelf -d of its libraries): libjvm needs libstdc++
# and libgcc_s, libzip needs zlib. Its other dependencies (fonts, ALSA, CUPS, NSS, PC/SC) serve
# AWT, sound, printing and PKCS#11 smart cards, none of which the suite touches.
packages=(openjdk-17-jre-headless libc6 libgcc-s1 libstdc++6 zlib1g)

modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(host arm64)

classes="$root/tests/target/smoke/classes"
classpath_file="$root/tests/target/smoke/classpath.txt"
if [ ! -f "$classes/dev/hotpath/smoke/SmokeMain.class" ] || [ ! -f "$classpath_file" ]; then
  echo "jvm-smoke.sh: the smoke suite is not built: run ./mvnw -B -Pall-platforms verify first" >&2
  exit 1
fi
classpath="$(cat "$classpath_file"):$classes"
seed="${HOTPATH_SMOKE_SEED:-$(od -An -N8 -td8 /dev/urandom | tr -d ' ')}"

# Unpacks the arm64 JRE and the libraries it needs into $jdk_dir/root, once.
install_arm64_jre() {
  if ! command -v qemu-aarch64 >/dev/null; then
    echo "jvm-smoke.sh: installing qemu-user"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user >/dev/null
  fi
  [ -x "$jdk_dir/root/$jre_home/bin/java" ] && return
  echo "jvm-smoke.sh: unpacking Debian's arm64 ${packages[*]} into $jdk_dir"
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  apt-get update -qq
  local tmp
  tmp="$(mktemp -d "$tools/arm64-jdk.XXXXXX")"
  chmod 755 "$tmp" # apt-get download fetches as the _apt user where it can
  (cd "$tmp" && apt-get download -qq "${packages[@]/%/:arm64}")
  for deb in "$tmp"/*.deb; do
    dpkg -x "$deb" "$tmp/root"
    dpkg-deb --show --showformat='${Package} ${Version}\n' "$deb" >> "$tmp/packages.txt"
  done
  rm -f "$tmp"/*.deb
  # The JRE's configuration files are absolute symlinks into /etc (jvm.cfg, java.security, ...);
  # make them relative, so they resolve inside the folder and not to the host's own JDK.
  find "$tmp/root" -type l -lname '/*' | while read -r link; do
    ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$tmp/root$(readlink "$link")")" "$link"
  done
  rm -rf "$jdk_dir"
  mv "$tmp" "$jdk_dir"
}

# run_smoke <label> <platform> <java command ...>
run_smoke() {
  local label="$1" platform="$2"
  shift 2
  local cache="$root/tests/target/smoke/cache-$label"
  rm -rf "$cache"
  local start=$SECONDS status=0
  "$@" -Dhotpath.cache.dir="$cache" -cp "$classpath" dev.hotpath.smoke.SmokeMain "$platform" "$seed" || status=$?
  if [ "$status" -ne 0 ]; then
    echo "jvm-smoke.sh: $label ($platform) FAILED (exit $status; HOTPATH_SMOKE_SEED=$seed repeats its inputs)" >&2
    exit "$status"
  fi
  echo "jvm-smoke.sh: $label ($platform) passed in $((SECONDS - start)) s"
}

for mode in "${modes[@]}"; do
  case "$mode" in
    host)
      [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] || { echo "jvm-smoke.sh: host mode expects Linux x86_64" >&2; exit 1; }
      run_smoke host linux-x86_64 java ;;
    arm64)
      install_arm64_jre
      echo "jvm-smoke.sh: arm64 JRE: $(paste -sd, "$jdk_dir/packages.txt")"
      run_smoke arm64 linux-aarch64 qemu-aarch64 -L "$jdk_dir/root" "$jdk_dir/root/$jre_home/bin/java" ;;
    *) echo "jvm-smoke.sh: unknown mode $mode (host or arm64)" >&2; exit 1 ;;
  esac
done
