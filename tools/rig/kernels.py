#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""kernels - the one list of kernels uiox supports, and the release finder.

The Makefile, tools/rig/deps, tools/rig/vmrun and tools/rig/check all read it.  Each
kernel is one of Debian 12's: a series (6.1, 6.12), a flavour (the end
of its release name) and an architecture.  Its release, e.g.
6.1.0-57-amd64, 6.12.117+deb12-rt-amd64 or 6.12.117+deb12-arm64-16k, is
found among the installed headers: /lib/modules/<release>/build on the
host, build/arm64/root/usr/src/linux-headers-<release> for arm64 (what
tools/rig/deps unpacks, never installs).

  kernels.py names ARCH         the kernels' names on ARCH
  kernels.py releases ARCH      the installed release of each, one a line
  kernels.py release ARCH NAME  the installed release of one (exit 1: none)
  kernels.py packages ARCH      Debian's metapackages for them: on x86_64
                                the image and headers to install, on arm64
                                the image metapackage and flavour to unpack
  kernels.py debug              the series make check-debug builds a debug
                                kernel of (DEBUG_SERIES), one a line
"""

import collections
import glob
import os
import re
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARM64_ROOT = os.path.join(TOP, "build", "arm64", "root")

Kernel = collections.namedtuple("Kernel", "arch name series flavour")

# What each is for: the two LTS series; their PREEMPT_RT builds (threaded
# handlers, sleeping spinlocks); arm64 with 4 KiB and with 16 KiB pages.
KERNELS = [
    Kernel("x86_64", "6.1", "6.1", "amd64"),
    Kernel("x86_64", "6.12", "6.12", "amd64"),
    Kernel("x86_64", "6.1-rt", "6.1", "rt-amd64"),
    Kernel("x86_64", "6.12-rt", "6.12", "rt-amd64"),
    Kernel("arm64", "6.1", "6.1", "arm64"),
    Kernel("arm64", "6.12", "6.12", "arm64"),
    Kernel("arm64", "6.12-16k", "6.12", "arm64-16k"),
]

# The series `make check-debug` builds a debug kernel of (tools/rig/debug-kernel,
# from Debian's linux-source-<series>) and runs the selftests and the soak in.
DEBUG_SERIES = ["6.1", "6.12"]


def of_arch(arch):
    return [k for k in KERNELS if k.arch == arch]


def find(arch, name):
    """The kernel called name on arch, or None."""
    for k in of_arch(arch):
        if k.name == name:
            return k
    return None


def version_key(release):
    return [int(x) for x in re.findall(r"\d+", release)]


def matches(k, release):
    """Whether release belongs to kernel k: "6.1.0-57-amd64" is 6.1's, not
    6.1-rt's, and "6.12.117+deb12-rt-amd64" is 6.12-rt's."""
    return re.fullmatch(re.escape(k.series) + r"\.\d[\d.]*(-\d+)?(\+deb\d+)?-" +
                        re.escape(k.flavour), release) is not None


def headers(arch):
    """Installed kernel headers on arch: {release: headers directory}."""
    if arch == "arm64":
        pat = os.path.join(ARM64_ROOT, "usr/src/linux-headers-*")
        return {os.path.basename(p)[len("linux-headers-"):]: p
                for p in glob.glob(pat)}
    return {p.split("/")[3]: p for p in glob.glob("/lib/modules/*/build")}


def release(k, installed=None):
    """The newest installed release of kernel k, or None."""
    rels = [r for r in (installed or headers(k.arch)) if matches(k, r)]
    return max(rels, key=version_key) if rels else None


def metapackage(k, what):
    """Debian's metapackage for k's image or headers: 6.1 is bookworm's
    own (linux-image-amd64), 6.12 carries its series in the name."""
    series = "" if k.series == "6.1" else k.series + "-"
    return "linux-%s-%s%s" % (what, series, k.flavour)


def main(argv):
    if len(argv) >= 2 and argv[0] in ("names", "releases", "packages"):
        ks = of_arch(argv[1])
        if argv[0] == "names":
            out = [k.name for k in ks]
        elif argv[0] == "releases":
            out = [r for r in (release(k) for k in ks) if r]
        elif argv[1] == "arm64":
            out = ["%s %s" % (metapackage(k, "image"), k.flavour) for k in ks]
        else:
            out = [metapackage(k, w) for k in ks for w in ("image", "headers")]
        print("\n".join(out))
        return 0
    if argv == ["debug"]:
        print("\n".join(DEBUG_SERIES))
        return 0
    if len(argv) == 3 and argv[0] == "release":
        k = find(argv[1], argv[2])
        r = k and release(k)
        if r:
            print(r)
        return 0 if r else 1
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
