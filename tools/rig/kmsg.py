# SPDX-License-Identifier: GPL-2.0
"""kmsg - the guest's kernel log, as the host gets it, and the scan for problems.

kernel_log() puts the records init streamed from /dev/kmsg back in order
and says whether any are missing; problem_report() finds what
KERNEL_PROBLEMS matches and shows it with the lines around it.  Tested by
tools/rig/tests/test_kmsg.py.
"""

import os
import re

INIT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "init")

KERNEL_PROBLEMS = re.compile(
    r"BUG:|WARNING:|Oops|general protection|Call Trace|Kernel panic|"
    r"kernel BUG at|Unable to handle kernel|UBSAN:|unlocked secondary bus reset|"
    r"nobody cared|INFO: task .* blocked|rcu: INFO:")
# The console stays at loglevel=4 (what CMD prints is not drowned), but
# every record at every level reaches the host on its own serial port as
# it is logged: init streams /dev/kmsg there.  The scan reads that stream,
# so a WARNING, and whatever the ring buffer would have overwritten or a
# crash would have kept from the final dmesg, is seen.


def init_marker(path=INIT):
    """The record init logs last (its KMSG_END="..." line: one place)."""
    with open(path) as f:
        m = re.search(r'^KMSG_END="([^"]+)"', f.read(), re.M)
    if not m:
        raise RuntimeError("%s: no KMSG_END=\"...\" line" % path)
    return m.group(1)


KMSG_END = init_marker()
PROBLEM_CONTEXT = 30    # kernel log lines shown before and after a problem


def kernel_log(path):
    """The kernel's records streamed from /dev/kmsg ("PRI,SEQ,USEC,FLAGS;
    TEXT"), in order, each once: (lines, complete, why not)."""
    records = {}
    try:
        with open(path, "rb") as f:
            raw = f.read().decode("utf-8", "replace")
    except OSError as e:
        return [], False, "no kernel log stream: %s" % e
    for line in raw.splitlines():
        m = re.match(r"\d+,(\d+),(\d+),[^;]*;(.*)", line.rstrip("\r"))
        if m:
            usec = int(m.group(2))
            text = m.group(3).replace("\\x0a", " | ").replace("\\x5c", "\\")
            records[int(m.group(1))] = "[%5d.%06d] %s" % (usec // 10**6, usec % 10**6, text)
    seqs = sorted(records)
    lines = [records[q] for q in seqs]
    if not seqs or seqs[0] != 0:
        return lines, False, "the kernel log stream misses its start"
    lost = seqs[-1] + 1 - len(seqs)
    if lost:
        return lines, False, "%d kernel log records lost from the stream" % lost
    if not any(l.endswith("] " + KMSG_END) for l in lines):
        return lines, False, "the kernel log stream ends before the guest's end"
    return lines, True, ""


def problem_report(dmesg):
    """The kernel log around each reported problem: PROBLEM_CONTEXT lines
    before and after, overlapping stretches merged."""
    hits = [i for i, l in enumerate(dmesg) if KERNEL_PROBLEMS.search(l)]
    spans = []
    for i in hits:
        lo, hi = max(0, i - PROBLEM_CONTEXT), min(len(dmesg), i + PROBLEM_CONTEXT + 1)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = hi
        else:
            spans.append([lo, hi])
    out = []
    for lo, hi in spans:
        out += ["-- kernel log lines %d-%d --" % (lo + 1, hi)]
        out += [("> " if i in hits else "  ") + dmesg[i] for i in range(lo, hi)]
    return hits, out
