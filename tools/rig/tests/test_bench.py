# SPDX-License-Identifier: GPL-2.0
# Unit tests of make bench's host side (tools/rig/bench.py): what it reads
# from the guest, the medians over rounds and the ratios to the anchors.

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import bench  # noqa: E402


def line(case, rate, p50=1000, hist="0,1"):
    return "bench %s n=10 ns=100 rate=%d p50=%d p99=2000 max=3000 hist=%s" % (
        case, rate, p50, hist)


class Parse(unittest.TestCase):
    def test_runs_calls_and_errors_are_read(self):
        runs, calls, errors = bench.parse("\n".join([
            "round 1", line("vfio-msi", 100), "[  1.0] noise", line("vfio-msi", 300),
            "syscalls vfio-msi 1.00", "bench-error uio-intx irq_bench failed"]))
        self.assertEqual([r["rate"] for r in runs["vfio-msi"]], [100, 300])
        self.assertEqual(runs["vfio-msi"][0]["hist"], [0, 1])
        self.assertEqual(calls, {"vfio-msi": 1.0})
        self.assertEqual(errors, ["bench-error uio-intx irq_bench failed"])

    def test_a_line_cut_short_is_not_a_result(self):
        runs, _, _ = bench.parse("bench vfio-msi n=10 ns=100 rate=5 p50=1")
        self.assertEqual(runs, {})


class Summarize(unittest.TestCase):
    def test_medians_over_rounds_and_ratios_to_the_anchors_of_its_kind(self):
        runs, calls, _ = bench.parse("\n".join(
            [line("vfio-msi", r) for r in (100, 200, 900)] +
            [line("kernel-msi", 400)] +
            [line("uiox-msi-read", r, p50=p) for r, p in ((300, 1000), (100, 3000), (250, 2000))] +
            [line("uio-intx", 50), "syscalls uiox-msi-read 1.00"]))
        rows = bench.summarize(runs, calls)
        u = rows["uiox-msi-read"]
        self.assertEqual(u["rate"], 250)
        self.assertEqual(u["p50_us"], 2.0)
        self.assertEqual((u["rate_min"], u["rate_max"]), (100, 300))
        self.assertAlmostEqual(u["vs_vfio-msi"], 250 / 200)
        self.assertAlmostEqual(u["vs_kernel-msi"], 250 / 400)
        self.assertNotIn("vs_uio-intx", u)
        self.assertEqual(u["syscalls"], 1.0)
        self.assertEqual(u["hist"], [0, 3])
        self.assertEqual(rows["kernel-msi"]["syscalls"], 0.0)
        self.assertIsNone(rows["vfio-msi"]["syscalls"])

    def test_every_case_has_anchors_of_its_kind(self):
        for case, kind, _ in bench.CASES:
            self.assertIn(kind, bench.ANCHORS, case)
            for a in bench.ANCHORS[kind]:
                self.assertIn(a, [c for c, _, _ in bench.CASES])


if __name__ == "__main__":
    unittest.main()
