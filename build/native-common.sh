# Shared by build/native.sh (the host library) and build/native-all.sh (every bundled
# platform): how a built library is laid out in the jar's classes directory. Source it.
#   <out>/dev/hotpath/native/<platform>/<library>          the library
#   <out>/dev/hotpath/native/<platform>/<library>.sha256   its SHA-256, the loader's cache key
#   <out>/dev/hotpath/native/<platform>/<library>.size-crc32
#                                                          "<bytes> <CRC-32 in hex>": what a cached copy
#                                                          must match before the loader loads it
#   <out>/dev/hotpath/native/platforms.txt                 one line per platform the jar carries

# hotpath_sha256 <file>: prints the file's SHA-256 in hex.
hotpath_sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# hotpath_size_crc32 <file>: prints "<bytes> <CRC-32 in hex>" (the CRC from gzip's trailer, the
# same CRC-32 as java.util.zip.CRC32).
hotpath_size_crc32() {
  local crc
  crc="$(gzip -1 -c "$1" | tail -c 8 | od -An -N4 -tx4 | tr -d ' \n')"
  echo "$(wc -c < "$1" | tr -d ' ') $crc"
}

# hotpath_lay_out <built library> <out> <platform> <file name in the jar>
hotpath_lay_out() {
  local src="$1" out="$2" platform="$3" lib="$4"
  local dest="$out/dev/hotpath/native/$platform"
  mkdir -p "$dest"
  cp "$src" "$dest/$lib"
  hotpath_sha256 "$dest/$lib" > "$dest/$lib.sha256"
  hotpath_size_crc32 "$dest/$lib" > "$dest/$lib.size-crc32"
  echo "native: $platform/$lib ($(wc -c < "$dest/$lib") bytes, sha256 $(cat "$dest/$lib.sha256"))"
}

# hotpath_write_index <out>: platforms.txt lists every platform folder present.
hotpath_write_index() {
  (cd "$1/dev/hotpath/native" && ls -d */ | tr -d / | sort) > "$1/dev/hotpath/native/platforms.txt"
}
