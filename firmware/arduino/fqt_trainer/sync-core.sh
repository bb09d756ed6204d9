#!/bin/sh
# Copies firmware/core/ into this sketch's src/fqt/, where the Arduino build compiles it. Each .c
# file starts with the float and integer semantics the core needs (firmware/Makefile's flags),
# since an Arduino core compiles with its own flags (gnu11, -ffp-contract=fast fuses multiply-adds
# on the M4F and M7, and a fused result differs from Java's).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$here/src/fqt"
mkdir -p "$here/src/fqt"
cp "$here"/../../core/*.h "$here/src/fqt/"
for c in "$here"/../../core/*.c; do
  { echo '#pragma GCC optimize ("fp-contract=off", "no-fast-math", "wrapv", "no-strict-aliasing")'; cat "$c"; } > "$here/src/fqt/$(basename "$c")"
done
echo "firmware/core/ copied to $here/src/fqt/"
