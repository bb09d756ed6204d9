#!/usr/bin/env python3
"""A faulty serial line between a board's port and the host, as its own process.

    scripts/fault-relay.py --port /dev/pts/3 [--drop 0.01] [--flip 0.01] [--delay-ms 0] [--seed 1]

Opens the board's port (a QEMU virtual board's pseudo-terminal, or a real serial port), makes a
new pseudo-terminal for the host and prints its path as the first line on stdout; then copies
bytes both ways, dropping a share --drop of them and flipping one random bit in a share --flip
(each byte, each direction, independently), and holding each burst --delay-ms. Commands on stdin,
one per line, each answered with one line on stdout:

    stall S   hold every byte for S seconds, both ways, then deliver it (a stalled line)
    gone S    drop every byte for S seconds, both ways (a board unplugged, then back)
    rates D F set --drop and --flip
    stats     'stats dropped=N flipped=N held=N lost=N relayed=N'

It ends when stdin closes or the board's port does. fqt's tests drive it (fqt.board.FaultRelay);
it is also how to try a link against a bad cable before one is at hand.
"""
import argparse
import os
import random
import select
import sys
import termios
import time
import tty


def raw(fd):
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", required=True, help="the board's serial port or pseudo-terminal")
    ap.add_argument("--drop", type=float, default=0.0, help="share of bytes dropped, per direction")
    ap.add_argument("--flip", type=float, default=0.0, help="share of bytes with one bit flipped, per direction")
    ap.add_argument("--delay-ms", type=float, default=0.0, help="each burst of bytes held this long")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    for name, p in (("--drop", a.drop), ("--flip", a.flip)):
        if not 0.0 <= p <= 1.0:
            sys.exit("fault-relay: %s must be in [0, 1], got %s" % (name, p))
    rng = random.Random(a.seed)
    try:
        board = os.open(a.port, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError as e:
        sys.exit("fault-relay: cannot open the board's port %s: %s" % (a.port, e.strerror))
    raw(board)
    master, slave = os.openpty()
    raw(slave)
    os.set_blocking(master, False)
    print(os.ttyname(slave), flush=True)

    rates = [a.drop, a.flip]
    counts = dict(dropped=0, flipped=0, held=0, lost=0, relayed=0)
    stall_until = gone_until = 0.0
    # Bytes on their way: (deliver at, destination fd, bytes), in order per destination.
    queue = []

    def mangle(data):
        out = bytearray()
        for b in data:
            r = rng.random()
            if r < rates[0]:
                counts["dropped"] += 1
                continue
            if r < rates[0] + rates[1]:
                b ^= 1 << rng.randrange(8)
                counts["flipped"] += 1
            out.append(b)
        return bytes(out)

    def incoming(src, dst, now):
        try:
            data = os.read(src, 4096)
        except BlockingIOError:
            return True
        except OSError:
            return src != board  # the host side closing is fine (it may open the pty again)
        if not data:
            return src != board
        if now < gone_until:
            counts["lost"] += len(data)
            return True
        data = mangle(data)
        if data:
            at = max(now + a.delay_ms / 1000.0, stall_until)
            if at > now:
                counts["held"] += len(data)
            queue.append((at, dst, data))
        return True

    def command(line, now):
        nonlocal stall_until, gone_until
        w = line.split()
        if not w:
            return
        if w[0] == "stall" and len(w) == 2:
            stall_until = now + float(w[1])
            print("ok stall %s" % w[1], flush=True)
        elif w[0] == "gone" and len(w) == 2:
            gone_until = now + float(w[1])
            print("ok gone %s" % w[1], flush=True)
        elif w[0] == "rates" and len(w) == 3:
            rates[0], rates[1] = float(w[1]), float(w[2])
            print("ok rates %s %s" % (w[1], w[2]), flush=True)
        elif w[0] == "stats":
            print("stats " + " ".join("%s=%d" % kv for kv in counts.items()), flush=True)
        else:
            print("error: unknown command %r (stall S, gone S, rates D F, stats)" % line.strip(), flush=True)

    stdin_open = True
    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            at, dst, data = queue[0]
            try:
                n = os.write(dst, data)
            except BlockingIOError:
                break
            except OSError:
                n = len(data)  # nobody on the host side: the bytes are lost as on a real line
            counts["relayed"] += n
            if n < len(data):
                queue[0] = (at, dst, data[n:])
                break
            queue.pop(0)
        timeout = 0.05 if not queue else max(0.0, min(0.05, queue[0][0] - now))
        fds = [board, master] + ([sys.stdin] if stdin_open else [])
        ready, _, _ = select.select(fds, [], [], timeout)
        now = time.monotonic()
        if board in ready and not incoming(board, master, now):
            break
        if master in ready:
            incoming(master, board, now)
        if stdin_open and sys.stdin in ready:
            line = sys.stdin.readline()
            if not line:
                stdin_open = False
                break
            command(line, now)
    print("stats " + " ".join("%s=%d" % kv for kv in counts.items()), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
