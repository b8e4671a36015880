# SPDX-License-Identifier: GPL-2.0
# Unit tests of the initramfs writer (tools/rig/initramfs.py), read back
# with cpio(1).

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import initramfs  # noqa: E402


class Cpio(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "t.cpio")

    def tearDown(self):
        self.dir.cleanup()

    def listing(self):
        with open(self.path, "rb") as f:
            r = subprocess.run(["cpio", "-itv", "--quiet"], stdin=f,
                               capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        return {l.split()[-1]: l for l in r.stdout.splitlines()}

    def test_files_nodes_and_their_parent_directories(self):
        c = initramfs.Cpio()
        c.add("/uiox/bin/x", 0o100755, b"#!/bin/sh\n")
        c.add("dev/console", 0o020600, rdev=(5, 1))
        c.write(self.path)
        got = self.listing()
        self.assertEqual(sorted(got), ["dev", "dev/console", "uiox", "uiox/bin",
                                       "uiox/bin/x"])
        self.assertTrue(got["uiox/bin"].startswith("drwxr-xr-x"))
        self.assertTrue(got["uiox/bin/x"].startswith("-rwxr-xr-x"))
        self.assertTrue(got["dev/console"].startswith("crw-------"))
        self.assertIn("5,", got["dev/console"])

    def test_contents_survive_any_length(self):
        c = initramfs.Cpio()
        datas = {"f%d" % n: bytes(range(256))[:n] * 3 for n in range(9)}
        for name, data in datas.items():
            c.add(name, 0o100644, data)
        c.write(self.path)
        out = os.path.join(self.dir.name, "out")
        os.mkdir(out)
        with open(self.path, "rb") as f:
            r = subprocess.run(["cpio", "-id", "--quiet"], stdin=f, cwd=out,
                               capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        for name, data in datas.items():
            with open(os.path.join(out, name), "rb") as f:
                self.assertEqual(f.read(), data, name)


class BuildInitramfs(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.dir.name, "build")
        for rel in ("kmod/9.9.9-test/kmod/uiox.ko", "lib/libuio.so.1",
                    "kselftest/run_kselftest.sh", "kselftest/uiox/uiox_stub_test",
                    "bin/uiox"):
            os.makedirs(os.path.dirname(os.path.join(self.build, rel)), exist_ok=True)
            with open(os.path.join(self.build, rel), "w") as f:
                f.write(rel)
            os.chmod(os.path.join(self.build, rel), 0o644 if rel.endswith(".ko") else 0o755)
        self.conf = initramfs.ARCHES["x86_64"]
        self.was = self.conf["build"]
        self.conf["build"] = self.build

    def tearDown(self):
        self.conf["build"] = self.was
        self.dir.cleanup()

    def test_init_the_command_the_module_and_the_guest_scripts(self):
        path = os.path.join(self.dir.name, "t.cpio")
        initramfs.build_initramfs("x86_64", "9.9.9-test", "echo hi", [], path)
        out = os.path.join(self.dir.name, "out")
        os.mkdir(out)
        with open(path, "rb") as f:
            r = subprocess.run(["cpio", "-id", "--quiet"], stdin=f, cwd=out,
                               capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "uiox/cmd")) as f:
            self.assertEqual(f.read(), "echo hi\n")
        with open(os.path.join(out, "init")) as f, \
                open(os.path.join(initramfs.RIG, "init")) as want:
            self.assertEqual(f.read(), want.read())
        for exe in ("init", "bin/busybox", "uiox/bin/host-hmp", "uiox/bin/demo",
                    "uiox/bin/uiox", "uiox/bin/rig-selftests",
                    "uiox/kselftest/run_kselftest.sh",
                    "uiox/kselftest/uiox/uiox_stub_test"):
            self.assertTrue(os.access(os.path.join(out, exe), os.X_OK), exe)
        for f in ("uiox/uiox.ko", "uiox/lib/libuio.so.1", "dev/console"):
            self.assertTrue(os.path.lexists(os.path.join(out, f)), f)

    def test_a_missing_module_is_an_error_that_says_how_to_build_it(self):
        os.unlink(os.path.join(self.build, "kmod/9.9.9-test/kmod/uiox.ko"))
        with self.assertRaisesRegex(initramfs.RigError, "make KVER=9.9.9-test"):
            initramfs.build_initramfs("x86_64", "9.9.9-test", "true", [],
                                      os.path.join(self.dir.name, "t.cpio"))


class SharedLibs(unittest.TestCase):
    def test_a_host_program_needs_its_loader_and_libc(self):
        libs = initramfs.shared_libs(["/bin/true"], "x86_64")
        self.assertIn("/lib64/ld-linux-x86-64.so.2", libs)
        self.assertIn("/lib/x86_64-linux-gnu/libc.so.6", libs)
        self.assertTrue(all(os.path.exists(p) for p in libs.values()))

    def test_a_file_that_is_not_elf_needs_nothing(self):
        self.assertEqual(initramfs.shared_libs([__file__], "x86_64"), {})


if __name__ == "__main__":
    unittest.main()
