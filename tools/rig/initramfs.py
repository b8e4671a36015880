# SPDX-License-Identifier: GPL-2.0
"""initramfs - the guest's initramfs: busybox, uiox.ko, libuio, the tools and
the selftests (installed with the kernel's runner, in /uiox/kselftest),
their shared libraries, tools/rig/init as /init and tools/rig/guest/'s
scripts in /uiox/bin.

build_initramfs() writes it as a newc cpio archive (Cpio: no privileges
needed for device nodes).
"""

import glob
import lzma
import os
import re
import subprocess

from machines import ARCHES, RigError

RIG = os.path.dirname(os.path.abspath(__file__))

# The kernel's own drivers a test takes a device from and gives it back to
# (uiox_cli.sh): copied, decompressed, from the installed kernel's modules
# to /uiox/kmods/ when that kernel has them (a --kdir kernel builds e1000e
# in).
GUEST_KERNEL_MODULES = {
    "x86_64": ["drivers/net/ethernet/intel/e1000e/e1000e.ko",
               # uiox_cli.sh's disk: virtio-blk (its PCI transport is
               # built into 6.12, a module in 6.1) and minix
               "drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio.ko",
               "drivers/virtio/virtio_pci_legacy_dev.ko",
               "drivers/virtio/virtio_pci_modern_dev.ko",
               "drivers/virtio/virtio_pci.ko", "drivers/block/virtio_blk.ko",
               "fs/minix/minix.ko",
               # make bench's anchors: uio_pci_generic and vfio-pci
               "drivers/uio/uio.ko", "drivers/uio/uio_pci_generic.ko",
               "virt/lib/irqbypass.ko", "drivers/vfio/vfio.ko",
               "drivers/vfio/vfio_virqfd.ko", "drivers/vfio/vfio_iommu_type1.ko",
               "drivers/vfio/pci/vfio-pci-core.ko", "drivers/vfio/pci/vfio-pci.ko"],
    "arm64": [],
}


class Cpio:
    """A newc archive written directly, so nodes need no privileges."""

    def __init__(self):
        self.entries = {}

    def add(self, name, mode, data=b"", rdev=(0, 0)):
        name = name.strip("/")
        parts = name.split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            self.entries.setdefault(d, (0o040755, b"", (0, 0)))
        self.entries[name] = (mode, data, rdev)

    def add_file(self, name, src, mode=None):
        with open(src, "rb") as f:
            data = f.read()
        if mode is None:
            mode = 0o755 if os.access(src, os.X_OK) else 0o644
        self.add(name, 0o100000 | mode, data)

    def write(self, path):
        with open(path, "wb") as out:
            ino = 1
            for name in sorted(self.entries) + ["TRAILER!!!"]:
                mode, data, rdev = self.entries.get(name, (0, b"", (0, 0)))
                nm = name.encode() + b"\0"
                fields = [ino, mode, 0, 0, 2 if mode & 0o040000 else 1, 0,
                          len(data), 0, 0, rdev[0], rdev[1], len(nm), 0]
                hdr = b"070701" + b"".join(b"%08X" % v for v in fields) + nm
                out.write(hdr + b"\0" * (-len(hdr) % 4))
                out.write(data + b"\0" * (-len(data) % 4))
                ino += 1


def elf_info(path):
    """(interpreter, [NEEDED...]) of an ELF file, or None if it is not one."""
    with open(path, "rb") as f:
        if f.read(4) != b"\x7fELF":
            return None
    r = subprocess.run(["readelf", "-W", "-d", "-l", path],
                       capture_output=True, text=True)
    interp = re.search(r"interpreter: (\S+)\]", r.stdout)
    needed = re.findall(r"\(NEEDED\).*\[(.+)\]", r.stdout)
    return (interp.group(1) if interp else None), needed


def shared_libs(paths, arch):
    """Guest path -> host path of every library (and loader) the ELF files
    need, found in the build's lib/ or the architecture's library folders."""
    conf = ARCHES[arch]
    ours = os.path.join(conf["build"], "lib")
    found, todo, seen = {}, list(paths), set()
    while todo:
        info = elf_info(todo.pop())
        if not info:
            continue
        interp, needed = info
        if interp and interp not in found:
            host = interp if arch == "x86_64" else \
                os.path.join("/usr", conf["triplet"], "lib",
                             os.path.basename(interp))
            found[interp] = os.path.realpath(host)
        for name in needed:
            if name in seen:
                continue
            seen.add(name)
            if os.path.exists(os.path.join(ours, name)):
                continue    # ours: already in /uiox/lib
            for d in conf["libdirs"]:
                host = os.path.join(d, name)
                if os.path.exists(host):
                    found["/lib/%s/%s" % (conf["triplet"], name)] = \
                        os.path.realpath(host)
                    todo.append(host)
                    break
            else:
                raise RigError("cannot find %s (needed by the guest's programs)" % name)
    return found


def build_initramfs(arch, kver, cmd, extra, path):
    build = ARCHES[arch]["build"]
    ko = os.path.join(build, "kmod", kver, "kmod", "uiox.ko")
    if not os.path.exists(ko):
        raise RigError("%s missing: run 'make %sKVER=%s'"
                       % (ko, "ARCH=arm64 " if arch == "arm64" else "", kver))
    busybox = ARCHES[arch]["busybox"]
    if not os.path.exists(busybox):
        raise RigError("%s missing: run 'make deps'" % busybox)

    c = Cpio()
    for rel in GUEST_KERNEL_MODULES[arch]:
        src = "/lib/modules/%s/kernel/%s" % (kver, rel)
        for path_, read in ((src, lambda f: f.read()),
                            (src + ".xz", lambda f: lzma.decompress(f.read()))):
            if os.path.exists(path_):
                with open(path_, "rb") as f:
                    c.add("uiox/kmods/" + os.path.basename(rel), 0o100644, read(f))
                break
    c.add("dev/console", 0o020600, rdev=(5, 1))
    c.add("dev/null", 0o020666, rdev=(1, 3))
    c.add_file("init", os.path.join(RIG, "init"), 0o755)
    c.add_file("bin/busybox", busybox, 0o755)
    c.add_file("uiox/uiox.ko", ko, 0o644)
    c.add("uiox/cmd", 0o100644, (cmd + "\n").encode())

    elves = []
    for sub, dest in (("lib", "uiox/lib"), ("bin", "uiox/bin")):
        for p in sorted(glob.glob(os.path.join(build, sub, "*"))):
            if os.path.isfile(p) and not p.endswith(".a"):
                c.add_file("%s/%s" % (dest, os.path.basename(p)), p)
                elves.append(p)
    # the selftests as installed with the kernel's runner (selftests/Makefile)
    ksft = os.path.join(build, "kselftest")
    for d, _, files in sorted(os.walk(ksft)):
        for f in sorted(files):
            p = os.path.join(d, f)
            c.add_file("uiox/kselftest/" + os.path.relpath(p, ksft), p)
            elves.append(p)
    for p in sorted(glob.glob(os.path.join(RIG, "guest", "*"))):
        c.add_file("uiox/bin/" + os.path.basename(p), p)
    for p in extra:
        if not os.path.isfile(p):
            raise RigError("--add %s: no such file" % p)
        c.add_file("extra/" + os.path.basename(p), p)
        elves.append(p)
    for guest_path, host_path in sorted(shared_libs(elves, arch).items()):
        c.add_file(guest_path, host_path, 0o755)
    c.write(path)
