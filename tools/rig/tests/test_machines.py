# SPDX-License-Identifier: GPL-2.0
# Unit tests of the QEMU command lines the rig builds (tools/rig/machines.py).

import argparse
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import machines  # noqa: E402


def args(**kw):
    a = dict(arch="x86_64", iommu=False, no_intremap=False, dev=["edu"], append=None,
             cpu=None, memory=512, smp=2, trace=None)
    a.update(kw)
    return argparse.Namespace(**a)


def cmdline(**kw):
    return machines.qemu_cmdline(args(**kw), "IMAGE", "INITRD", "KMSG", "QMP")


def option(cmd, name):
    return cmd[cmd.index(name) + 1]


class QemuCmdline(unittest.TestCase):
    def test_x86_64_is_q35_under_tcg_with_the_kernel_and_initramfs(self):
        cmd = cmdline()
        self.assertEqual(cmd[0], "qemu-system-x86_64")
        self.assertEqual(option(cmd, "-accel"), "tcg")
        self.assertEqual(option(cmd, "-machine"), "q35")
        self.assertEqual(option(cmd, "-kernel"), "IMAGE")
        self.assertEqual(option(cmd, "-initrd"), "INITRD")
        self.assertIn("edu,id=edu0", cmd)

    def test_x86_64_boots_on_one_cpu_when_it_has_two(self):
        self.assertIn(machines.ONE_CPU_BOOT.strip(), option(cmdline(), "-append"))
        self.assertNotIn("maxcpus", option(cmdline(smp=1), "-append"))
        self.assertNotIn("maxcpus", option(cmdline(arch="arm64", dev=[]), "-append"))

    def test_the_kernel_log_has_its_own_serial_port(self):
        cmd = cmdline()
        self.assertIn("file,id=kmsg,path=KMSG", cmd)
        self.assertIn("uiox_kmsg=ttyS1", option(cmd, "-append"))

    def test_trace_log_only_when_asked(self):
        self.assertEqual(option(cmdline(trace="/t/log"), "-D"), "/t/log")
        self.assertNotIn("-D", cmdline())

    def test_iommu_on_x86_64_is_intel_iommu_with_interrupt_remapping(self):
        cmd = cmdline(iommu=True)
        self.assertEqual(option(cmd, "-machine"), "q35,kernel-irqchip=split")
        self.assertIn("intel-iommu,intremap=on", cmd)
        self.assertIn("intel_iommu=on", option(cmd, "-append"))
        self.assertIn("intel-iommu,intremap=off", cmdline(iommu=True, no_intremap=True))

    def test_iommu_on_arm64_is_an_smmuv3_with_strict_off(self):
        cmd = cmdline(arch="arm64", iommu=True)
        self.assertEqual(cmd[0], "qemu-system-aarch64")
        self.assertEqual(option(cmd, "-machine"), "virt,gic-version=3,iommu=smmuv3")
        self.assertIn("iommu.strict=0", option(cmd, "-append"))

    def test_edu_on_arm64_drives_40_address_bits(self):
        self.assertIn("edu,id=edu0,dma_mask=0xffffffffff", cmdline(arch="arm64"))
        self.assertIn("edu,id=edu0", cmdline())

    def test_every_device_set_is_attached_as_given(self):
        for name, qemu_args in machines.DEVICES.items():
            cmd = cmdline(dev=[name])
            for a in qemu_args:
                self.assertIn(a, cmd, name)

    def test_an_extra_command_line_comes_last(self):
        self.assertTrue(option(cmdline(append="x=1"), "-append").endswith(" x=1"))


if __name__ == "__main__":
    unittest.main()
