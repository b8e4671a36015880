# SPDX-License-Identifier: GPL-2.0
"""machines - the QEMU machines the rig boots and the PCI devices it gives them.

DEVICES: the device sets vmrun's --dev names; ARCHES: what differs between
the x86_64 (q35) and arm64 (virt) guests; qemu_cmdline(): the whole QEMU
command line for vmrun's arguments; arm64_dtb(): virt's device tree with
dts/'s overlay for the PL031.
"""

import os
import subprocess

import kernels

TOP = kernels.TOP
BUILD = os.path.abspath(os.environ.get("BUILD", os.path.join(TOP, "build")))


class RigError(Exception):
    """A guest cannot be set up: the message says what is missing."""


# Device sets: name -> QEMU arguments.  IDs are fixed so tests can name them.
DEVICES = {
    "edu": ["-device", "edu,id=edu0"],
    "edu-hotplug": ["-device", "pcie-root-port,id=rp1,chassis=1,slot=1",
                    "-device", "edu,id=eduhp0,bus=rp1"],
    "e1000e": ["-netdev", "user,id=net0,restrict=on",
               "-device", "e1000e,id=nic0,netdev=net0"],
    "ivshmem": ["-object", "memory-backend-ram,id=ivmem,size=1M",
                "-device", "ivshmem-plain,id=ivshmem0,memdev=ivmem"],
    "ivshmem-hp": ["-device", "pcie-root-port,id=rp4,chassis=5,slot=4",
                   "-object", "memory-backend-ram,id=ivmemhp,size=1M",
                   "-device", "ivshmem-plain,id=ivshmemhp,memdev=ivmemhp,bus=rp4"],
    "bridge": ["-device", "pci-bridge,id=br0,chassis_nr=2"],
    "bigbar": ["-global", "x86_64-cpu.phys-bits=44",
               "-global", "q35-pcihost.pci-hole64-size=2T",
               "-device", "pci-testdev,id=big0,membar=1T",
               "-device", "pci-testdev,id=big1,membar=512G"],
    "edu-shared": ["-device", "edu,id=edu9,addr=09.0"],
    # An edu in one IOMMU group with a device a kernel driver holds: a
    # 16550 (8250_pci is built in).  Slot 4 puts it on an INTx line no
    # uiox device of the IOMMU guests uses: QEMU's 16550 raises INTx
    # whatever MCR's OUT2 says, and on PREEMPT_RT, where the port lock
    # leaves interrupts on, 8250's IER probe at bind would storm a shared
    # line until the kernel disabled it ("nobody cared").
    "shared-group": ["-device", "pci-bridge,id=br1,chassis_nr=4,addr=1e",
                     "-device", "edu,id=edubr,bus=br1,addr=1",
                     "-device", "pci-serial,id=ser0,bus=br1,addr=4"],
    # The same on arm64, where devices behind a conventional bridge share
    # its stream ID and arm-smmu-v3 takes only the first ("stream 240
    # already in tree"): the two functions of one slot, neither with ACS.
    "shared-slot": ["-device", "pcie-root-port,id=rp6,chassis=6,slot=6",
                    "-device", "edu,id=edumf,bus=rp6,addr=0.0,multifunction=on",
                    "-device", "pci-serial,id=sermf,bus=rp6,addr=0.1"],
    "virtio-aer": ["-device", "pcie-root-port,id=rp3,chassis=3,slot=3",
                   "-device", "virtio-rng-pci,id=rng0,bus=rp3,aer=on,"
                   "disable-legacy=on,vectors=128"],
}

# make bench's big BAR: ivshmem with 256 MiB of shared memory
DEVICES["ivshmem-big"] = ["-object", "memory-backend-ram,id=ivmembig,size=256M",
                          "-device", "ivshmem-plain,id=ivshmembig,memdev=ivmembig"]

# Devices a kernel driver holds and uses, which `uiox bind` must refuse to
# take (uiox_cli.sh): the boot display, and a disk with a mounted
# filesystem, minix (minix.ko needs no other module), in an image
# disk_images() makes on the host, attached read-only.
MINIX_IMAGE = os.path.join(BUILD, "vm", "minix.img")
DEVICES["vga"] = ["-device", "VGA,id=vga0"]
DEVICES["virtio-blk"] = ["-drive", "if=none,id=blk0,format=raw,readonly=on,file=" + MINIX_IMAGE,
                         "-device", "virtio-blk-pci,id=blkdev0,drive=blk0,disable-legacy=on"]

# bigbar sizes q35's 64-bit window and the x86 CPU's address bits; the
# boot display is x86's
X86_ONLY_DEVICES = {"bigbar", "vga"}

# What differs between the two guest architectures.
ARM64_ROOT = kernels.ARM64_ROOT     # what tools/rig/deps unpacks
ARCHES = {
    "x86_64": {
        "qemu": "qemu-system-x86_64", "machine": "q35", "cpu": "qemu64,+rdrand",
        # --iommu: machine options, devices, kernel command line
        "iommu": (",kernel-irqchip=split", ["-device", "intel-iommu,intremap=%s"],
                  " intel_iommu=on"),
        "console": "ttyS0", "build": BUILD, "boot": "/boot",
        # the kernel log's own channel: the second ISA serial port
        "kmsg": (["-serial", "chardev:kmsg"], "ttyS1"),
        "busybox": "/bin/busybox", "triplet": "x86_64-linux-gnu",
        "libdirs": ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"],
        "make": [],
        "device_props": {},
    },
    "arm64": {
        # a CPU with 16 KiB translation granules, for the -16k kernel
        # GICv3 with an ITS: MSI for PCI devices, isolated per device
        "qemu": "qemu-system-aarch64", "machine": "virt,gic-version=3",
        "cpu": "cortex-a76",
        # an SMMUv3 in front of the PCIe host; the ITS isolates MSI
        # (and lazy IOTLB invalidation, x86's default, not arm64's: the
        # tests check that the stub flushes before pages go back)
        "iommu": (",iommu=smmuv3", [], " iommu.strict=0"),
        "console": "ttyAMA0", "build": os.path.join(BUILD, "arm64"),
        # virt has one PL011: a PCI 16550 (8250_pci is built in), in the
        # last slot, so that the PCI devices take the slots they have on
        # q35 (edu 00:01.0, and the same INTx sharing: virt swizzles
        # slot + pin over 4 lines, q35 over 8)
        "kmsg": (["-device", "pci-serial,chardev=kmsg,addr=1f"], "ttyS0"),
        # virt's RAM starts at 1 GiB, beyond edu's default 28 address
        # bits: edu drives 40 here, so that it can aim at any page (the
        # tests still give its buffers 28-bit IOVAs)
        "device_props": {"edu": ",dma_mask=0xffffffffff"},
        "boot": os.path.join(ARM64_ROOT, "boot"),
        "busybox": os.path.join(ARM64_ROOT, "bin", "busybox"),
        "triplet": "aarch64-linux-gnu",
        "libdirs": [os.path.join(ARM64_ROOT, "usr", "lib", "aarch64-linux-gnu"),
                    "/usr/aarch64-linux-gnu/lib"],
        "make": ["ARCH=arm64"],
    },
}
ARM64_OVERLAY = os.path.join(TOP, "dts", "qemu-virt-pl031-uiox.dtso")

# QEMU 7.2's multi-threaded TCG does not keep an x86 vCPU from running code
# another vCPU has just patched: when a static key flips while two vCPUs run,
# the other one can trap on the int3 of text_poke_bp() after the patch is
# complete, and the kernel dies with "Oops: int3" (6.12) or locks up (6.1).
# Measured: toggling a tracepoint in a loop kills a 6.12 guest within
# seconds; single-threaded TCG is safe but makes the guests 2-3 times slower
# and the timing-sensitive tests fail.  arm64 swaps one instruction, no int3.
# So no key may flip once a second x86 vCPU runs: the guest boots with
# maxcpus=1, and init brings the other vCPUs up only after boot's last
# patching (the refined TSC clocksource and high-resolution timers; see
# tools/rig/init).  Keys that would flip later: RDRAND (ARCHES' "cpu") makes
# the crng ready at boot, where it took about 30 s of interrupt entropy and
# flipped during the tests; tsc=reliable keeps the clocksource watchdog and
# the TSC sync check from ever marking the TSC unstable; init makes the
# memory cgroup before the other vCPUs come up.
# Tests must not flip keys themselves: no tracepoints, kprobes or ftrace,
# and no new memory cgroups (init makes the one they may use).
ONE_CPU_BOOT = " maxcpus=1 tsc=reliable"


def machine_of(a):
    """The -machine option: the architecture's machine, with --iommu's options."""
    conf = ARCHES[a.arch]
    return conf["machine"] + (conf["iommu"][0] if a.iommu else "")


def disk_images(args):
    """The disk images args' devices need, made once (mkfs.minix)."""
    if "virtio-blk" not in (args.dev or []) or os.path.exists(MINIX_IMAGE):
        return
    os.makedirs(os.path.dirname(MINIX_IMAGE), exist_ok=True)
    tmp = MINIX_IMAGE + ".tmp"
    with open(tmp, "wb") as f:
        f.truncate(1 << 20)
    r = subprocess.run(["mkfs.minix", tmp], capture_output=True, text=True,
                       env=dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"))
    if r.returncode:
        raise RigError("mkfs.minix failed: %s" % (r.stderr or r.stdout).strip())
    os.rename(tmp, MINIX_IMAGE)


def arm64_dtb(args, stem):
    """The virt machine's own device tree with dts/'s overlay applied."""
    base = stem + ".virt.dtb"
    dtbo = stem + ".dtbo"
    dtb = stem + ".dtb"
    conf = ARCHES["arm64"]
    steps = [
        [conf["qemu"], "-machine", "%s,dumpdtb=%s" % (machine_of(args), base),
         "-cpu", args.cpu or conf["cpu"], "-m", str(args.memory),
         "-smp", str(args.smp), "-nodefaults", "-display", "none"],
        ["dtc", "-q", "-@", "-I", "dts", "-O", "dtb", "-o", dtbo,
         ARM64_OVERLAY],
        ["fdtoverlay", "-i", base, "-o", dtb, dtbo],
    ]
    for cmd in steps:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            raise RigError("%s failed: %s" % (cmd[0], (r.stderr or r.stdout).strip()))
    return dtb


def qemu_cmdline(a, image, initramfs, kmsg_path, qmp_path, dtb=None):
    """QEMU's command line for vmrun's arguments a: the machine, its
    devices, the kernel and its command line; the kernel log streamed to
    kmsg_path, QMP on qmp_path."""
    conf = ARCHES[a.arch]
    kmsg_dev, kmsg_tty = conf["kmsg"]
    # init_on_alloc=0: Debian zeroes every page it allocates, which
    # would hide a buffer the stub fails to zero itself
    append = "console=%s panic=-1 loglevel=4 init_on_alloc=0 uiox_kmsg=%s" % (
        conf["console"], kmsg_tty)
    if a.arch == "x86_64" and a.smp > 1:
        append += ONE_CPU_BOOT
    machine = machine_of(a)
    devs = []
    if dtb:
        devs += ["-dtb", dtb]
    if a.iommu:
        _, iommu_devs, iommu_append = conf["iommu"]
        devs += [d.replace("%s", "off" if a.no_intremap else "on")
                 for d in iommu_devs]
        append += iommu_append
    props = conf["device_props"]
    for d in a.dev:
        devs += [arg + props.get(arg.split(",")[0], "") for arg in DEVICES[d]]
    if a.append:
        append += " " + a.append
    if a.trace:
        devs += ["-D", os.path.abspath(a.trace)]
    cpu = a.cpu or conf["cpu"]
    cpu = ["-cpu", cpu] if cpu else []
    return [conf["qemu"], "-accel", "tcg", "-machine", machine] + cpu + [
            "-m", str(a.memory), "-smp", str(a.smp),
            "-nodefaults", "-no-user-config", "-display", "none",
            "-no-reboot", "-serial", "stdio",
            "-chardev", "file,id=kmsg,path=%s" % kmsg_path] + kmsg_dev + [
            "-qmp", "unix:%s,server=on,wait=off" % qmp_path,
            "-kernel", image,
            "-initrd", initramfs, "-append", append] + devs

