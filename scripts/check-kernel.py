#!/usr/bin/python3
"""Starts the notebook kernel N times the way Jupyter does and reports how long each took to answer.

Each start: a new kernel process, then jupyter_client's wait_for_ready (kernel_info_request,
resent every second) with a deadline; then one cell that uses the toolkit, then shutdown.
Prints one line per start and a summary line; exits 1 if any start missed the deadline.
"""
import argparse
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager


def one_start(kernel, deadline, log):
    km = KernelManager(kernel_name=kernel)
    t0 = time.monotonic()
    km.start_kernel(stdout=subprocess.DEVNULL, stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=deadline)
        ready = time.monotonic() - t0
        reply = kc.execute_interactive("fqt.nn.Precision.UINT8.name()", timeout=deadline, store_history=False,
                                       output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError("the first cell failed: " + str(reply["content"]))
        return ready, None
    except Exception as e:  # a start that never answered, or a broken first cell
        return time.monotonic() - t0, str(e).splitlines()[0] if str(e) else type(e).__name__
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--starts", type=int, default=50)
    p.add_argument("--deadline", type=float, default=30.0, help="seconds a start may take to answer")
    p.add_argument("--kernel", default="fqt-java")
    a = p.parse_args()
    times, failures = [], 0
    for i in range(1, a.starts + 1):
        with tempfile.TemporaryFile() as log:
            seconds, error = one_start(a.kernel, a.deadline, log)
            if error:
                log.seek(0)
                sys.stdout.write(log.read().decode(errors="replace")[-3000:])
        times.append(seconds)
        if error:
            failures += 1
        print(f"start {i}: {'FAILED ' + error if error else 'answered'} in {seconds:.1f} s", flush=True)
    ok = a.starts - failures
    print(f"kernel starts: {ok} of {a.starts} answered within {a.deadline:.0f} s; slowest {max(times):.1f} s, "
          f"median {sorted(times)[len(times) // 2]:.1f} s")
    sys.exit(0 if failures == 0 else 1)


if __name__ == "__main__":
    main()
