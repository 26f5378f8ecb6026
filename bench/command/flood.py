#!/usr/bin/env python3
# The program bench/command.ts runs through the line protocol (stdlib only).
#   flood.py LINES        `::stage work`, then LINES `::progress` lines as fast as print() goes
#   flood.py LINES RATE   the same lines at RATE a second, each with its print time (wall clock,
#                         ms) in metadata.t, for the latency measurement
#   flood.py clock        answers each line on stdin with the wall clock (ms), to check that this
#                         clock and Bun's agree
import sys
import time


def flood(lines):
    print("::stage work")
    for i in range(1, lines + 1):
        print('::progress {"stageProgress":%r}' % (i / lines))


def paced(lines, rate):
    print("::stage work")
    start = time.monotonic()
    for i in range(1, lines + 1):
        delay = start + (i - 1) / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        print('::progress {"stageProgress":%r,"metadata":{"t":%r}}' % (i / lines, time.time_ns() / 1e6))


def clock():
    for _ in sys.stdin:
        sys.stdout.write("%r\n" % (time.time_ns() / 1e6))
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1] == "clock":
        clock()
    elif len(sys.argv) > 2:
        paced(int(sys.argv[1]), float(sys.argv[2]))
    else:
        flood(int(sys.argv[1]))
