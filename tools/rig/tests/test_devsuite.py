# SPDX-License-Identifier: GPL-2.0
# Unit tests of the device suite's rig part (tools/rig/devsuite.py): the
# recipes from the register headers, the guest's command, the output split
# per run, and the trace check that proves what the suite touched.

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import devsuite  # noqa: E402

EDU_BAR = 0xfea00000


def trace_line(op, addr, size, name, value=1):
    return ("123@1.000001:memory_region_ops_%s cpu 0 mr 0x55d0 addr %#x value %#x "
            "size %d name '%s'\n" % (op, addr, value, size, name))


class Recipes(unittest.TestCase):
    def test_offsets_come_from_the_register_headers(self):
        edu = devsuite.header("edu")
        d = devsuite.devices()["edu"]
        self.assertEqual(d.scratch, (0, edu["EDU_REG_DMA_SRC"], 4))
        self.assertIn("UIOX_TEST_IRQ_RAISE='w:0:%#x:0x1'" % edu["EDU_REG_IRQ_RAISE"], d.env())
        self.assertIn("UIOX_TEST_SCRATCH=0:%#x:4" % edu["EDU_REG_DMA_SRC"], d.env())

    def test_a_value_relative_to_the_last_read_stays_as_it_is(self):
        self.assertEqual(devsuite.Device.ops([("r", 0, 0), ("w", 0, 4, "+1")]),
                         "r:0:0x0 w:0:0x4:+1")

    def test_a_device_without_interrupts_gets_no_interrupt_recipe(self):
        d = devsuite.devices()["ivshmem"]
        self.assertIn("UIOX_TEST_SCRATCH=", d.env())
        self.assertNotIn("UIOX_TEST_IRQ", d.env())
        self.assertEqual(d.allowed(), [(0, d.scratch[1], d.scratch[1] + 4, ("read", "write"))])

    def test_the_command_names_each_device_only_through_uiox_test_device(self):
        cmd = devsuite.command(["edu", "e1000e"])
        self.assertEqual(cmd.count("rig-selftests uiox_device_test"), 2)
        self.assertEqual(cmd.count("UIOX_TEST_DEVICE=$n "), 2)
        self.assertLess(cmd.index("memory_region_ops_write on"), cmd.index("rig-selftests"))
        self.assertGreater(cmd.index("memory_region_ops_write off"),
                           cmd.rindex("rig-selftests"))
        self.assertTrue(cmd.startswith("(") and cmd.endswith("; [ $s = 0 ])"))


class Split(unittest.TestCase):
    def test_each_run_apart_with_its_regions(self):
        out = ("before\n"
               "uiox-device-suite: edu 0000:00:01.0 0 0x00000000fea00000 0x100000 mem,mmap \n"
               "# selftests: uiox: uiox_device_test\nok 1 selftests: uiox: uiox_device_test\n"
               "uiox-device-suite: e1000e 0000:00:02.0 0 0x00000000fe800000 0x20000 mem,mmap "
               "2 0x000000000000c000 0x20 io \n"
               "run2\n"
               "uiox-device-suite: end\nafter\n")
        rest, runs = devsuite.split(out)
        self.assertEqual(rest, "before\nafter")
        self.assertEqual([(k, n) for k, n, _, _ in runs],
                         [("edu", "0000:00:01.0"), ("e1000e", "0000:00:02.0")])
        self.assertEqual(runs[0][2], {0: EDU_BAR})
        self.assertEqual(runs[1][2], {0: 0xfe800000, 2: 0xc000})
        self.assertIn("ok 1 selftests: uiox: uiox_device_test", runs[0][3])
        self.assertEqual(runs[1][3], "run2")


class Traced(unittest.TestCase):
    ON = ("vmrun: host: trace-event memory_region_ops_read on: ok\n"
          "vmrun: host: trace-event memory_region_ops_write on: ok\n")
    OFF = ON.replace(" on:", " off:")
    RUNS = "uiox-device-suite: edu X 0 0x1 0x2 mem \nrun\nuiox-device-suite: end\n"

    def test_on_before_the_runs_and_off_after(self):
        self.assertTrue(devsuite.traced(self.ON + self.RUNS + self.OFF))

    def test_on_too_late_or_off_too_early_or_half_is_not_traced(self):
        self.assertFalse(devsuite.traced(self.RUNS + self.ON + self.OFF))
        self.assertFalse(devsuite.traced(self.ON + self.OFF + self.RUNS))
        self.assertFalse(devsuite.traced(self.ON.splitlines()[0] + "\n" + self.RUNS + self.OFF))
        self.assertFalse(devsuite.traced(self.ON + self.OFF))


class Trace(unittest.TestCase):
    def check(self, lines, kind="edu", regions=None):
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.writelines(lines)
        try:
            return devsuite.check_trace(f.name, kind, regions or {0: EDU_BAR})
        finally:
            os.unlink(f.name)

    def test_the_recipes_registers_pass(self):
        edu = devsuite.header("edu")
        seen, bad = self.check([
            trace_line("write", EDU_BAR + edu["EDU_REG_DMA_SRC"], 4, "edu-mmio"),
            trace_line("read", EDU_BAR + edu["EDU_REG_DMA_SRC"], 4, "edu-mmio"),
            trace_line("write", EDU_BAR + edu["EDU_REG_IRQ_RAISE"], 4, "edu-mmio"),
            trace_line("write", 0x20, 1, "pic")])
        self.assertEqual((seen, bad), (3, []))

    def test_any_other_register_width_or_direction_fails_and_is_named(self):
        edu = devsuite.header("edu")
        seen, bad = self.check([
            trace_line("read", EDU_BAR + edu["EDU_REG_ID"], 4, "edu-mmio"),
            trace_line("read", EDU_BAR + edu["EDU_REG_DMA_SRC"], 8, "edu-mmio"),
            trace_line("write", EDU_BAR + edu["EDU_REG_DMA_SRC"], 1, "edu-mmio"),
            trace_line("read", EDU_BAR + edu["EDU_REG_IRQ_RAISE"], 4, "edu-mmio")])
        self.assertEqual(seen, 4)
        self.assertEqual(len(bad), 4)
        self.assertIn("read of 4 bytes at region 0 + 0x0 (edu-mmio)", bad[0])
        self.assertIn("read of 4 bytes at region 0 + %#x" % edu["EDU_REG_IRQ_RAISE"], bad[3])

    def test_a_region_inside_a_bar_is_traced_at_its_absolute_address(self):
        seen, bad = self.check([trace_line("read", 0xfe840010, 4, "msix-table")], "e1000e",
                               {0: 0xfe800000, 3: 0xfe840000})
        self.assertEqual((seen, bad), (1, ["read of 4 bytes at region 3 + 0x10 (msix-table)"]))

    def test_an_empty_trace_sees_nothing(self):
        self.assertEqual(self.check([]), (0, []))


if __name__ == "__main__":
    unittest.main()
