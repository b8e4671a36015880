# SPDX-License-Identifier: GPL-2.0
# Unit tests of the kernel-log stream and scan (tools/rig/kmsg.py).

import os
import sys
import tempfile
import unittest

RIG = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RIG)
import kmsg  # noqa: E402


def stream(records):
    """A /dev/kmsg stream: (seq, text) records as "PRI,SEQ,USEC,FLAGS;TEXT"."""
    f = tempfile.NamedTemporaryFile("w", suffix=".kmsg", delete=False)
    for seq, text in records:
        f.write("6,%d,%d,-;%s\r\n" % (seq, 1000 * seq + 7, text))
    f.close()
    return f.name


class KernelLog(unittest.TestCase):
    def log(self, records):
        path = stream(records)
        try:
            return kmsg.kernel_log(path)
        finally:
            os.unlink(path)

    def test_records_come_back_in_order_each_once(self):
        lines, complete, why = self.log([(1, "b"), (0, "a"), (1, "b"),
                                         (2, kmsg.KMSG_END)])
        self.assertEqual(lines, ["[    0.000007] a", "[    0.001007] b",
                                 "[    0.002007] " + kmsg.KMSG_END])
        self.assertTrue(complete, why)

    def test_continuation_lines_and_backslashes_are_unescaped(self):
        lines, _, _ = self.log([(0, "x\\x0ay\\x5cz"), (1, kmsg.KMSG_END)])
        self.assertEqual(lines[0], "[    0.000007] x | y\\z")

    def test_a_stream_without_its_start_is_incomplete(self):
        _, complete, why = self.log([(1, "b"), (2, kmsg.KMSG_END)])
        self.assertFalse(complete)
        self.assertIn("misses its start", why)

    def test_lost_records_are_counted(self):
        _, complete, why = self.log([(0, "a"), (3, kmsg.KMSG_END)])
        self.assertFalse(complete)
        self.assertEqual(why, "2 kernel log records lost from the stream")

    def test_a_stream_that_stops_before_the_guest_end_is_incomplete(self):
        _, complete, why = self.log([(0, "a"), (1, "b")])
        self.assertFalse(complete)
        self.assertIn("ends before", why)

    def test_no_stream_at_all_is_incomplete(self):
        lines, complete, _ = kmsg.kernel_log("/nonexistent/uiox.kmsg")
        self.assertEqual((lines, complete), ([], False))

    def test_the_end_marker_is_logged_after_the_exit_status(self):
        with open(os.path.join(RIG, "init")) as f:
            init = f.read()
        self.assertEqual(kmsg.KMSG_END, "uiox-guest: kmsg end")
        exit_at = init.index('echo "uiox-guest: exit $rc"')
        self.assertGreater(init.index('echo "$KMSG_END" >/dev/kmsg'), exit_at)

    def test_an_init_without_the_marker_is_an_error(self):
        with tempfile.NamedTemporaryFile("w") as f:
            f.write('#!/bin/sh\nKMSG_END=""\n')
            f.flush()
            self.assertRaises(RuntimeError, kmsg.init_marker, f.name)


class ProblemReport(unittest.TestCase):
    def test_every_kind_of_problem_is_found(self):
        for text in ("BUG: KASAN: use-after-free", "WARNING: CPU: 0 PID: 1 at x",
                     "Oops: 0000 [#1] SMP", "general protection fault",
                     "Call Trace:", "Kernel panic - not syncing",
                     "kernel BUG at mm/slub.c:1", "Unable to handle kernel paging",
                     "UBSAN: shift-out-of-bounds", "irq 11: nobody cared",
                     "INFO: task sh:1 blocked for more than 120 seconds",
                     "rcu: INFO: rcu_preempt detected stalls",
                     "pcieport 0000:00:1c.0: unlocked secondary bus reset via: x"):
            hits, _ = kmsg.problem_report(["ok", text, "ok"])
            self.assertEqual(hits, [1], text)

    def test_ordinary_lines_are_not_problems(self):
        hits, out = kmsg.problem_report(["uiox 0000:00:01.0: warning: none",
                                         "pci 0000:00:01.0: BAR 0 assigned"])
        self.assertEqual((hits, out), ([], []))

    def test_a_problem_is_shown_with_the_lines_around_it(self):
        n = kmsg.PROBLEM_CONTEXT
        log = ["line %d" % i for i in range(200)]
        log[100] = "WARNING: at the middle"
        hits, out = kmsg.problem_report(log)
        self.assertEqual(hits, [100])
        self.assertEqual(out[0], "-- kernel log lines %d-%d --" % (101 - n, 101 + n))
        self.assertEqual(len(out), 1 + 2 * n + 1)
        self.assertEqual(out[1 + n], "> WARNING: at the middle")

    def test_problems_close_together_share_one_stretch(self):
        log = ["line %d" % i for i in range(200)]
        log[50] = log[60] = "BUG: twice"
        log[190] = "Oops: far away"
        _, out = kmsg.problem_report(log)
        headers = [l for l in out if l.startswith("-- kernel log lines")]
        self.assertEqual(len(headers), 2)
        self.assertEqual(sum(l.startswith("> ") for l in out), 3)


if __name__ == "__main__":
    unittest.main()
