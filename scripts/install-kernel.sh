#!/usr/bin/env bash
# Installs the Jupyter kernelspec "fqt-java" ("Java (fqt-toolkit)"): the JShell-based
# rapaio-jupyter-kernel from Maven Central with the toolkit and its dependencies already on the
# classpath, so notebooks need no kernel-specific magic. Run after the toolkit is built.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version=3.0.1
jar="target/kernel/rapaio-jupyter-kernel-$version.jar"
if [ ! -f "$jar" ]; then
  mvn -q -B dependency:copy -Dartifact=io.github.padreati:rapaio-jupyter-kernel:$version -DoutputDirectory=target/kernel >&2
fi
[ -f target/classpath.txt ] || mvn -q -B compile >&2
# Our launcher of the kernel (toolkit/kernel: it removes the kernel's start-up race), kept off the
# toolkit's classes so those load only once, in the notebook's JShell.
launcher=target/kernel/launcher
rm -rf "$launcher"
javac --release 17 -nowarn -cp "$jar" -d "$launcher" toolkit/kernel/fqt/kernel/KernelLauncher.java >&2
# The kernel takes a ';'-separated classpath.
cp="$root/target/classes;$(tr ':' ';' < target/classpath.txt)"
dir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels/fqt-java"
mkdir -p "$dir"
# The Vector API module for the simulator's rounding loops (pom.xml, vector.module.flag).
vector_flag="$(sed -n 's:.*<vector.module.flag>\(.*\)</vector.module.flag>.*:\1:p' pom.xml)"
/usr/bin/python3 - "$dir/kernel.json" "$root/$jar:$root/$launcher" "$cp" "$root/toolkit/kernel/init.jshell" "$vector_flag" <<'PY'
import json, sys
path, jvm_cp, cp, init, vector_flag = sys.argv[1:6]
spec = {
    "argv": ["java", "-Xmx8g", vector_flag, "-Dai.djl.offline=true", "-Dfqt.progress=stdout", "-cp", jvm_cp, "fqt.kernel.KernelLauncher", "{connection_file}"],
    "display_name": "Java (fqt-toolkit)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"RJK_CLASSPATH": cp, "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": init,
            "RJK_TIMEOUT_MILLIS": "-1", "DJL_OFFLINE": "true"},
}
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PY
echo "fqt: kernel 'fqt-java' installed in $dir" >&2
