# SPDX-License-Identifier: GPL-2.0
"""devsuite - the device-agnostic selftest (uiox_device_test) in the rig's guests.

The suite knows nothing of the device it tests: the rig names each of its
devices to it through UIOX_TEST_DEVICE alone, and gives it, as a user
would, the registers it may use (UIOX_TEST_SCRATCH, how to raise and
acknowledge an interrupt), taken from the device's register header in
tools/examples/devices/.  That it touched no other register is proven from
outside: QEMU traces every access to the device's register regions
(memory_region_ops_read/write, switched on through the monitor only while
the suite runs, written to vmrun --trace's file; RAM-backed regions, as
ivshmem's shared memory, have no accesses to trace), and each access must
be one the recipe names - its register, direction and width - and some
must be, or the trace proves nothing.

command() is the guest's shell command; split() cuts the guest's output
into one part per run; traced() says whether the trace was on for all of
them; check_trace() reads the trace.  Tested by
tools/rig/tests/test_devsuite.py.
"""

import os
import re

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HEADERS = os.path.join(TOP, "tools", "examples", "devices")
MARK = "uiox-device-suite:"


def header(name):
    """The numeric macros of tools/examples/devices/<name>.h."""
    with open(os.path.join(HEADERS, name + ".h")) as f:
        return {m: int(v, 0) for m, v in
                re.findall(r"^#define\s+(\w+)\s+(0x[0-9a-fA-F]+|\d+)\b", f.read(), re.M)}


class Device:
    """One rig device as the suite gets it.  find: a shell expression for
    its name in the guest; regions: region index -> the names of QEMU's
    memory regions behind it; scratch: (region, offset, length);
    raise_/ack: accesses ("w", region, offset, value) or ("r", region,
    offset), value an int or "+N"."""

    def __init__(self, kind, find, regions, scratch, raise_=(), ack=()):
        self.kind, self.find, self.regions = kind, find, regions
        self.scratch, self.raise_, self.ack = scratch, raise_, ack

    @staticmethod
    def ops(accesses):
        return " ".join(":".join(str(x) if not isinstance(x, int) or i < 2 else hex(x)
                                 for i, x in enumerate(a)) for a in accesses)

    def env(self):
        """The suite's environment for this device (after UIOX_TEST_DEVICE)."""
        e = ["UIOX_TEST_WRITE=1", "UIOX_TEST_SCRATCH=%d:%#x:%d" % self.scratch]
        if self.raise_:
            e += ["UIOX_TEST_IRQ_MODE=intx",
                  "UIOX_TEST_IRQ_RAISE='%s'" % self.ops(self.raise_),
                  "UIOX_TEST_IRQ_ACK='%s'" % self.ops(self.ack)]
        return " ".join(e)

    def allowed(self):
        """(region, first byte, end, directions) of every access the recipe
        names: the scratch registers read and written, each operation's
        register in its own direction."""
        r, off, length = self.scratch
        kinds = {"r": ("read",), "w": ("write",)}
        return [(r, off, off + length, ("read", "write"))] + \
            [(a[1], a[2], a[2] + 4, kinds[a[0]]) for a in list(self.raise_) + list(self.ack)]


def _pci(vendor, device):
    # the first function with these IDs: the root bus's sorts first
    return "$(pci_find %#06x %#06x | head -n1)" % (vendor, device)


def devices():
    """The rig's devices, by kind."""
    edu, nic = header("edu"), header("e1000e")
    ivs, rtc = header("ivshmem"), header("pl031")
    return {d.kind: d for d in [
        Device("edu", _pci(edu["EDU_VENDOR"], edu["EDU_DEVICE"]), {0: ["edu-mmio"]},
               (0, edu["EDU_REG_DMA_SRC"], 4),
               [("w", 0, edu["EDU_REG_IRQ_RAISE"], 1)],
               [("w", 0, edu["EDU_REG_IRQ_ACK"], 1)]),
        # INTx from cause TXDW (bit 0): set in IMS and ICS; acked by
        # masking every cause and clearing ICR
        Device("e1000e", _pci(nic["E1000E_VENDOR"], nic["E1000E_DEVICE"]),
               {0: ["e1000e-mmio"], 1: ["e1000e-flash"], 2: ["e1000e-io"],
                3: ["e1000e-msix", "msix-table", "msix-pba"]},
               (0, nic["E1000E_RAL0"], 4),
               [("w", 0, nic["E1000E_IMS"], 1), ("w", 0, nic["E1000E_ICS"], 1)],
               [("w", 0, nic["E1000E_IMC"], 0xffffffff),
                ("w", 0, nic["E1000E_ICR"], 0xffffffff), ("r", 0, nic["E1000E_ICR"])]),
        # ivshmem-plain has no interrupts: the suite needs no recipe
        Device("ivshmem", _pci(ivs["IVSHMEM_VENDOR"], ivs["IVSHMEM_DEVICE"]),
               {0: ["ivshmem-mmio"]}, (0, ivs["IVSHMEM_INTR_MASK"], 4)),
        # the alarm: enabled, the match register one second ahead of the
        # data register; acked by clearing and disabling it
        Device("pl031", "9010000.pl031",    # (uiox_test.h's VIRT_PL031_NAME)
               {0: ["pl031"]}, (0, rtc["PL031_MR"], 4),
               [("w", 0, rtc["PL031_IMSC"], 1), ("r", 0, rtc["PL031_DR"]),
                ("w", 0, rtc["PL031_MR"], "+1")],
               [("w", 0, rtc["PL031_ICR"], 1), ("w", 0, rtc["PL031_IMSC"], 0)]),
    ]}


def command(kinds):
    """The guest's shell command (a subshell): the trace on, the suite once per device
    kind (a MARK line with the kind, its name and its regions first), the
    trace off; its status 0 only if every run passed.  Each command the
    guest asks of the host (host-hmp) is followed by a pause long enough
    for vmrun to carry it out."""
    devs = devices()
    cmd = [". /uiox/kselftest/uiox/lib.sh; s=0",
           "host-hmp trace-event memory_region_ops_read on",
           "host-hmp trace-event memory_region_ops_write on; sleep 2"]
    for k in kinds:
        d = devs[k]
        # (each run unloads uiox at its end: load it and bind first)
        cmd.append('rig_prepare; n=%s; echo "%s %s $n $(cat /sys/class/uiox/$n/regions | '
                   'tr \'\\n\' \' \')"' % (d.find, MARK, k))
        cmd.append("UIOX_TEST_DEVICE=$n %s rig-selftests uiox_device_test || s=1"
                   % d.env())
    cmd += ["echo '%s end'" % MARK,
            "host-hmp trace-event memory_region_ops_read off",
            "host-hmp trace-event memory_region_ops_write off; sleep 2", "[ $s = 0 ]"]
    return "(%s)" % "; ".join(cmd)


def split(out):
    """(the output outside the suite's runs, [(kind, name, regions, the
    run's output)]); regions: index -> start address."""
    rest, runs, cur = [], [], None
    for line in out.splitlines():
        if line.startswith(MARK):
            f = line[len(MARK):].split()
            if f and f[0] == "end":
                cur = None
                continue
            # "KIND NAME" then the regions file's lines: "I START SIZE FLAGS"
            regions = {int(f[i]): int(f[i + 1], 16) for i in range(2, len(f) - 3, 4)}
            cur = []
            runs.append((f[0], f[1] if len(f) > 1 else "?", regions, cur))
            continue
        (cur if cur is not None else rest).append(line)
    return "\n".join(rest), [(k, n, r, "\n".join(lines)) for k, n, r, lines in runs]


HOST_NOTE = re.compile(r"vmrun: host: trace-event memory_region_ops_(read|write) (on|off): ok$")


def traced(out):
    """Was the trace on, reads and writes, from before the first run to
    after the last (vmrun's notes of the monitor commands, in order with
    the guest's output)?"""
    lines = out.splitlines()
    marks = [i for i, l in enumerate(lines) if l.startswith(MARK)]
    notes = [(i, m.group(1), m.group(2)) for i, l in enumerate(lines)
             for m in [HOST_NOTE.search(l)] if m]
    if not marks:
        return False
    on = {k for i, k, state in notes if state == "on" and i < marks[0]}
    off = {k for i, k, state in notes if state == "off" and i > marks[-1]}
    early_off = [i for i, _, state in notes if state == "off" and i < marks[-1]]
    return on == off == {"read", "write"} and not early_off


TRACE = re.compile(r"memory_region_ops_(read|write) cpu -?\d+ mr 0x[0-9a-f]+ "
                   r"addr (0x[0-9a-f]+) value 0x[0-9a-f]+ size (\d+) name '([^']+)'")


def check_trace(path, kind, regions):
    """Accesses to device kind's memory regions in the trace at path:
    (how many there were, [the ones its recipe does not name]).  regions
    (from split()) gives each region's start: QEMU traces the absolute
    address, for a region inside a BAR (the MSI-X table) too."""
    d = devices()[kind]
    names = {n: r for r, ns in d.regions.items() for n in ns}
    allowed = d.allowed()
    seen, bad = 0, []
    with open(path, errors="replace") as f:
        for line in f:
            m = TRACE.search(line)
            if not m or m.group(4) not in names:
                continue
            seen += 1
            op, r = m.group(1), names[m.group(4)]
            addr, size = int(m.group(2), 16), int(m.group(3))
            off = addr - regions.get(r, 0)
            if size != 4 or not any(r == ar and lo <= off and off + size <= hi and op in kinds
                                    for ar, lo, hi, kinds in allowed):
                bad.append("%s of %d bytes at region %d + %#x (%s)"
                           % (op, size, r, off, m.group(4)))
    return seen, bad
