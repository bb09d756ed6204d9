#!/usr/bin/env bash
# Installs what fqt-toolkit needs on a Debian machine and is missing: apt packages, then the Maven
# build (dependencies from Maven Central). Safe to run again: it only installs what is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(
  openjdk-17-jdk-headless maven    # the build
  dataset-fashion-mnist            # the data: /usr/share/datasets/fashion-mnist
  gcc-arm-none-eabi libnewlib-arm-none-eabi make   # the firmware (firmware/port/mps2/board.mk)
  qemu-system-arm                  # the virtual boards mps2-an386 (M4F), mps2-an500 (M7), mps2-an385 (M3), microbit (M0)
  clang libclang-rt-dev            # libFuzzer and AddressSanitizer (firmware/fuzz/Makefile)
  gcc libc6-dev                    # the host build of the firmware core (parity tests)
  jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook python3-ipykernel   # notebooks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fqt setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

echo "fqt setup: building the toolkit (Maven downloads its dependencies the first time)" >&2
mvn -q -B compile >&2
touch target/classes/.built
# The API reference (maven-javadoc-plugin in pom.xml), rebuilt when a source is newer than it.
apidocs=target/reports/apidocs/index.html
if [ ! -f "$apidocs" ] || [ -n "$(find toolkit/java -newer "$apidocs" -print -quit)" ]; then
  echo "fqt setup: building the API reference" >&2
  mvn -q -B javadoc:javadoc >&2
fi
echo "fqt setup: API reference: $root/$apidocs" >&2
scripts/install-kernel.sh
