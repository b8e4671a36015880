#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""distcheck - what make check proves about shipping uiox, on the host.

  make_plain()   `make` as on a real machine: no kselftest harness, one
                 kernel's headers; the module, libuio, the tools and the
                 man pages build, the selftests are left out with a note
  module()       the built uiox.ko: MODULE_VERSION is VERSION, and the
                 device table gives "uiox,generic" nodes their modalias
  dkms(rels)     `make dkms-dist`: the module's sources alone, which
                 `dkms build` turns into uiox.ko for each of rels
  install()      `make install DESTDIR=... PREFIX=/usr`: the files, no
                 RUNPATH, libuio.so.1's soname and version node, a program
                 built outside the tree with pkg-config alone that runs;
                 `make uninstall` takes every file back; another project's
                 libuio in the way stops the install before it installs
                 anything
  man()          each man page renders without a warning; libuio(3) names
                 every public function, uiox(8) every command and option of
                 --help
  completion()   the bash completion offers the commands, the options,
                 and irq's modes
  deb()          `make deb`: the four packages, lintian without errors or
                 warnings,
                 libuio1 + libuio-dev unpacked into a scratch root build a
                 program with pkg-config alone, debian/changelog's version
                 is VERSION

Each takes report(ok, name, detail) (tools/rig/check's result()).
"""

import glob
import os
import re
import shutil
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRATCH = os.path.join(TOP, "build", "distcheck")

with open(os.path.join(TOP, "VERSION")) as _f:
    VERSION = _f.read().strip()

# A program outside the tree: every area's header, a call into the library,
# the version it was built with against the one it runs with.
PROGRAM = r"""
#include <errno.h>
#include <libuio.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct uio_dev *dev = uio_open("no-such-device");

	printf("libuio %s, built with %s, API %d, open: %s\n", uio_version(),
	       LIBUIO_VERSION, UIOX_API_VERSION, dev ? "?" : strerror(errno));
	return dev || strcmp(uio_version(), LIBUIO_VERSION) != 0;
}
"""


def run(cmd, cwd=TOP, env=None):
    r = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=dict(os.environ, **(env or {})))
    return r.returncode, r.stdout


def fresh(name):
    path = os.path.join(SCRATCH, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def files_under(root):
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _, fs in os.walk(root) for f in fs)


def build_program(root, libdir):
    """PROGRAM compiled and linked against what is installed under root
    with `pkg-config --cflags --libs libuio` alone, then run: its output,
    or None and why."""
    src = os.path.join(SCRATCH, "program.c")
    exe = os.path.join(root, "program")
    with open(src, "w") as f:
        f.write(PROGRAM)
    env = {"PKG_CONFIG_SYSROOT_DIR": root,
           "PKG_CONFIG_PATH": os.path.join(root, libdir.lstrip("/"), "pkgconfig")}
    rc, flags = run(["pkg-config", "--cflags", "--libs", "libuio"], env=env)
    if rc:
        return None, ["pkg-config --cflags --libs libuio: " + flags]
    rc, out = run(["cc", "-Wall", "-Werror", "-o", exe, src] + flags.split())
    if rc:
        return None, ["cc %s: %s" % (flags.strip(), out)]
    rc, out = run([exe], env={"LD_LIBRARY_PATH": os.path.join(root, libdir.lstrip("/"))})
    return (out.strip() if rc == 0 else None), [flags.strip(), out]


def make_plain(report, rel):
    """`make` with only one kernel's headers and no harness (BUILD= a
    scratch directory, whose ksrc/ does not exist)."""
    build = fresh("plain")
    rc, out = run(["make", "--no-print-directory", "-j2", "BUILD=" + build, "KVER=" + rel])
    made = [p for p in ("kmod/%s/kmod/uiox.ko" % rel, "lib/libuio.so.1", "bin/uiox",
                        "man/uiox.8") if not os.path.exists(os.path.join(build, p))]
    report(rc == 0 and not made and "selftests not built: no kselftest harness" in out,
           "make without the rig's packages builds uiox.ko, libuio, uiox and the man "
           "pages, and says it left the selftests out",
           ["missing: %s" % p for p in made] + out.splitlines()[-20:])


def module(report, ko):
    rc, out = run(["modinfo", "-F", "version", ko])
    report(rc == 0 and out.strip() == VERSION,
           "uiox.ko's MODULE_VERSION is VERSION (%s)" % VERSION, [out])
    rc, out = run(["modinfo", "-F", "alias", ko])
    report(rc == 0 and "of:N*T*Cuiox,generic" in out.split(),
           "uiox.ko's device table: a \"uiox,generic\" node's modalias loads it", [out])


def dkms(report, rels):
    rc, out = run(["make", "--no-print-directory", "dkms-dist"])
    tree = os.path.join(TOP, "build", "dkms-dist")
    src = os.path.join(tree, "uiox-" + VERSION)
    if rc:
        report(False, "make dkms-dist", out.splitlines()[-20:])
        return
    extra = [f for f in files_under(src)
             if not re.fullmatch(r"Kbuild|VERSION|dkms\.conf|kmod/.*\.[ch]|kmod/Kbuild", f)
             or re.search(r"\.mod\.c$|compat-probed\.h$", f)]
    report(not extra, "make dkms-dist holds the module's sources and dkms.conf, nothing else",
           extra)
    dkms_tree = fresh("dkms")
    for rel in rels:
        rc, out = run(["dkms", "--dkmstree", dkms_tree, "--sourcetree", tree,
                       "build", "-m", "uiox", "-v", VERSION, "-k", rel])
        built = glob.glob(os.path.join(dkms_tree, "uiox", VERSION, rel, "*/module/uiox.ko*"))
        report(rc == 0 and built, "dkms build for %s from make dkms-dist's tree" % rel,
               out.splitlines()[-20:])


def install(report):
    root = fresh("root")
    libdir = "/usr/lib/" + run(["cc", "-print-multiarch"])[1].strip()
    make = ["make", "--no-print-directory", "-j2", "KVERS=", "DESTDIR=" + root, "PREFIX=/usr"]
    rc, out = run(make + ["install"])
    want = ["usr/bin/uiox", "usr/include/libuio.h", "usr/include/libuio/version.h",
            "usr/include/uiox.h", libdir[1:] + "/libuio.so.1", libdir[1:] + "/libuio.so",
            libdir[1:] + "/libuio.so." + VERSION, libdir[1:] + "/pkgconfig/libuio.pc",
            "usr/share/man/man8/uiox.8", "usr/share/man/man4/uiox.4",
            "usr/share/man/man3/libuio.3", "usr/lib/udev/rules.d/70-uiox.rules",
            "usr/lib/sysusers.d/uiox.conf", "usr/share/bash-completion/completions/uiox"]
    have = files_under(root)
    report(rc == 0 and not set(want) - set(have),
           "make install DESTDIR=... PREFIX=/usr: library, headers, libuio.pc, uiox, "
           "man pages, udev rule, sysusers.d entry, completion",
           ["missing: " + f for f in sorted(set(want) - set(have))] + out.splitlines()[-20:])
    if rc:
        return
    elves = [os.path.join(root, "usr/bin/uiox"), os.path.join(root, libdir[1:], "libuio.so.1")]
    paths = [e for e in elves if re.search(r"\((RUNPATH|RPATH)\)", run(["readelf", "-d", e])[1])]
    report(not paths, "installed uiox and libuio.so.1 carry no RUNPATH", paths)
    dyn = run(["readelf", "-d", "--dyn-syms", "-W", elves[1]])[1]
    exported = re.findall(r"\b(uio_\w+)@@LIBUIO_1\b", dyn)
    report("Library soname: [libuio.so.1]" in dyn and "uio_open" in exported
           and not re.search(r"GLOBAL\s+DEFAULT\s+\d+\s+(?!uio_)(?!LIBUIO_1)\w+@", dyn),
           "libuio.so.1: its soname, every exported symbol uio_* in version node "
           "LIBUIO_1 (%d)" % len(exported), dyn.splitlines()[-10:])
    said, why = build_program(root, libdir)
    report(said and said.startswith("libuio %s, built with %s" % (VERSION, VERSION))
           and said.endswith("open: No such file or directory"),
           "a program outside the tree builds with pkg-config --cflags --libs libuio "
           "alone against the install and runs", why)
    rc, out = run(make + ["uninstall"])
    left = files_under(root)
    report(rc == 0 and not set(left) - {"program"},
           "make uninstall removes every file make install put there",
           [f for f in left if f != "program"] + out.splitlines()[-10:])

    # another project's libuio: the install stops before it installs anything
    other = fresh("other")
    os.makedirs(os.path.join(other, "usr/include"))
    with open(os.path.join(other, "usr/include/libuio.h"), "w") as f:
        f.write("/* another libuio */\n")
    rc, out = run(make[:-2] + ["DESTDIR=" + other, "PREFIX=/usr", "install"])
    report(rc != 0 and "is another project's libuio: leaving it alone" in out
           and files_under(other) == ["usr/include/libuio.h"],
           "make install stops at another project's libuio.h, having installed nothing",
           files_under(other) + out.splitlines()[-10:])
    rc, out = run(make[:-2] + ["DESTDIR=" + other, "PREFIX=/usr", "uninstall"])
    report(rc != 0 and "is another project's libuio: leaving it alone" in out
           and files_under(other) == ["usr/include/libuio.h"],
           "make uninstall stops at another project's libuio.h, having removed nothing",
           files_under(other) + out.splitlines()[-10:])


def man(report):
    rc, out = run(["make", "--no-print-directory", "man"])
    pages = sorted(glob.glob(os.path.join(TOP, "build", "man", "*.[0-9]")))
    for page in pages:
        r = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", page],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8",
                                    MAN_KEEP_FORMATTING="0"))
        report(r.returncode == 0 and not r.stderr and len(r.stdout.splitlines()) > 20,
               "man -l %s renders without a warning" % os.path.basename(page),
               r.stderr.splitlines())
    report(rc == 0 and len(pages) == 3, "make man: uiox(8), uiox(4), libuio(3)",
           out.splitlines()[-10:] + pages)
    with open(os.path.join(TOP, "man", "libuio.3.in")) as f:
        text = f.read()
    headers = glob.glob(os.path.join(TOP, "libuio/include/libuio/*.h*"))
    funcs = set()
    for h in headers:
        with open(h) as f:
            funcs |= set(re.findall(r"^[a-z][\w ]*\*?(uio_\w+)\(", f.read(), re.M))
    missing = sorted(fn for fn in funcs if not re.search(r"\b%s\b" % fn, text))
    report(funcs and not missing,
           "libuio(3) names every function of libuio's headers (%d)" % len(funcs), missing)
    rc, usage = run([os.path.join(TOP, "build", "bin", "uiox"), "--help"])
    verbs = sorted(set(re.findall(r"uiox (?:\[[^]]*\] )*(\w+)", usage) +
                       re.findall(r"--\w+", usage)))
    with open(os.path.join(TOP, "man", "uiox.8.in")) as f:
        text = f.read().replace("\\-", "-")
    # each named on a line that sets it in bold (.B, .BI, .BR), not only
    # mentioned in the text
    missing = [v for v in verbs if not re.search(r"^\.B[IR]? .*(?<![\w-])%s\b" % re.escape(v),
                                                 text, re.M)]
    report(rc == 0 and verbs and not missing,
           "uiox(8) documents every command of uiox --help (%s)" % " ".join(verbs), missing)


def completion(report):
    """What the bash completion offers after `uiox `, `uiox bind --f` and
    `uiox irq DEV `."""
    script = os.path.join(TOP, "tools", "uiox.bash-completion")
    probe = ('source "%s"; for w in "uiox|" "uiox bind --f" "uiox irq x |"; do '
             'read -ra COMP_WORDS <<<"${w%%|}"; [[ $w == *"|" ]] && COMP_WORDS+=(""); '
             'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _uiox; echo "${COMPREPLY[*]}"; done' % script)
    rc, out = run(["bash", "-c", probe])
    want = ["status list bind unbind info irq --json --help --version", "--force",
            "none intx msi msix"]
    report(rc == 0 and out.splitlines() == want,
           "bash completion: the commands, bind's --force, irq's modes", out.splitlines())


def deb(report):
    rc, out = run(["make", "--no-print-directory", "deb"])
    debs = {os.path.basename(p).split("_")[0]: p
            for p in glob.glob(os.path.join(TOP, "build", "deb", "*.deb"))}
    want = ["uiox-dkms", "libuio1", "libuio-dev", "uiox-tools"]
    report(rc == 0 and all(p in debs for p in want),
           "make deb: dpkg-buildpackage -us -uc -b builds %s" % ", ".join(want),
           out.splitlines()[-30:])
    if rc:
        return
    changes = glob.glob(os.path.join(TOP, "build", "deb", "*.changes"))
    rc, out = run(["lintian", "--fail-on", "error,warning", "--no-tag-display-limit"] + changes)
    tags = [l for l in out.splitlines() if re.match(r"[EW]: ", l)]
    report(rc == 0 and not tags, "lintian: no error and no warning in the packages",
           out.splitlines()[-30:])
    rc, ver = run(["dpkg-parsechangelog", "-l", "debian/changelog", "-S", "Version"])
    report(rc == 0 and re.sub(r"-[^-]+$", "", ver.strip()) == VERSION,
           "debian/changelog's version is VERSION (%s)" % VERSION, [ver])
    root = fresh("debroot")
    for p in ("libuio1", "libuio-dev"):
        run(["dpkg-deb", "-x", debs[p], root])
    libdir = "/usr/lib/" + run(["cc", "-print-multiarch"])[1].strip()
    said, why = build_program(root, libdir)
    report(said and said.startswith("libuio %s, built with %s" % (VERSION, VERSION)),
           "libuio1 and libuio-dev unpacked into a scratch root: a program builds "
           "with pkg-config alone and runs", why)
