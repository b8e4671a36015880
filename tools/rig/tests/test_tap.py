# SPDX-License-Identifier: GPL-2.0
# Unit tests of the TAP counter (tools/rig/tap.py); make check runs them.

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import tap  # noqa: E402


def counted(text, programs=None, manifest=None):
    seen = []
    tap.count("[t]", text, lambda ok, name, detail=(): seen.append((ok, name)),
              programs, manifest)
    return seen


def started(name, body):
    """A program's start and output as the kernel's runner prints them."""
    return "# selftests: c: %s\n%s" % (name, "".join("# " + l + "\n" for l in body.splitlines()))


def framed(name, body, status=0):
    """... and its result line."""
    result = {0: "ok 1 selftests: c: %s", 4: "ok 1 selftests: c: %s # SKIP"}.get(
        status, "not ok 1 selftests: c: %%s # exit=%d" % status)
    return started(name, body) + result % name + "\n"


class Count(unittest.TestCase):
    def test_each_passing_case_counts_once(self):
        self.assertEqual(counted(framed("a", "1..2\nok 1 x\nok 2 y\n")),
                         [(True, "[t] a: x"), (True, "[t] a: y")])

    def test_a_failing_case_fails(self):
        self.assertEqual(counted(framed("a", "1..1\nnot ok 1 x\n", 1)),
                         [(False, "[t] a: x")])

    def test_a_skipped_case_counts_as_failed(self):
        seen = counted(framed("a", "1..1\nok 1 x # SKIP no device\n"))
        self.assertEqual([ok for ok, _ in seen], [False])
        self.assertIn("skipped counts as failed", seen[0][1])

    def test_a_program_that_never_finished_fails(self):
        seen = counted(started("a", "1..2\nok 1 x\n"))
        self.assertIn((False, "[t] a: planned 2 tests, ran 1"), seen)
        self.assertIn((False, "[t] a: never finished (crash or hang)"), seen)

    def test_the_next_program_starting_ends_one_that_never_finished(self):
        seen = counted(started("a", "1..1\n") + framed("b", "1..1\nok 1 y\n"))
        self.assertEqual(seen, [(False, "[t] a: never finished (crash or hang)"),
                                (False, "[t] a: planned 1 tests, ran 0"),
                                (True, "[t] b: y")])

    def test_no_plan_fails(self):
        self.assertIn((False, "[t] a: no TAP plan"),
                      counted(framed("a", "ok 1 x\n")))

    def test_a_bail_out_fails(self):
        self.assertIn((False, "[t] a: bailed out"),
                      counted(framed("a", "1..0\nBail out! no device\n", 1)))

    def test_a_non_zero_exit_with_every_case_passing_fails(self):
        self.assertIn((False, "[t] a: exit status 3"),
                      counted(framed("a", "1..1\nok 1 x\n", 3)))

    def test_a_skipped_program_counts_as_failed_with_its_reason(self):
        self.assertEqual(counted(framed("a", "1..0 # SKIP no edu device\n", 4)),
                         [(False, "[t] a: skipped, which counts as "
                           "failed: no edu device")])

    def test_a_skip_plan_fails_even_with_exit_0(self):
        self.assertEqual(counted(framed("a", "1..0 # SKIP no device\n")),
                         [(False, "[t] a: skipped, which counts as "
                           "failed: no device")])

    def test_a_timeout_fails(self):
        seen = counted(started("a", "1..1\nok 1 x\n") +
                       "#\nnot ok 1 selftests: c: a # TIMEOUT 45 seconds\n")
        self.assertIn((False, "[t] a: timeout 45 seconds"), seen)

    def test_output_outside_a_program_is_not_counted(self):
        self.assertEqual(counted("TAP version 13\n1..1\nok 1 stray\n" +
                                 framed("a", "1..1\nok 1 x\n")),
                         [(True, "[t] a: x")])

    def test_unprefixed_lines_inside_a_program_are_not_its_cases(self):
        self.assertEqual(counted(started("a", "1..1\nok 1 x\n") + "ok 2 stray\n"
                                 "ok 1 selftests: c: a\n"),
                         [(True, "[t] a: x")])


class AgainstTheManifest(unittest.TestCase):
    manifest = {"a": ["x", "y"]}

    def test_all_cases_ran(self):
        seen = counted(framed("a", "1..2\nok 1 x\nok 2 y\n"), ["a"], self.manifest)
        self.assertEqual(seen, [(True, "[t] a: x"), (True, "[t] a: y")])

    def test_a_case_that_did_not_run_fails(self):
        seen = counted(framed("a", "1..1\nok 1 x\n"), ["a"], self.manifest)
        self.assertEqual(seen[-1], (False, "[t] a: y: did not run"))

    def test_a_case_the_manifest_does_not_list_fails(self):
        seen = counted(framed("a", "1..3\nok 1 x\nok 2 y\nok 3 z\n"), ["a"],
                       self.manifest)
        self.assertEqual(seen[-1], (False, "[t] a: z: not in selftests/MANIFEST"))

    def test_a_program_that_did_not_run_fails(self):
        seen = counted(framed("a", "1..2\nok 1 x\nok 2 y\n"), ["a", "b"],
                       self.manifest)
        self.assertEqual(seen[-1], (False, "[t] b: did not run"))

    def test_a_case_of_one_architecture_is_listed_on_it_only(self):
        with tempfile.NamedTemporaryFile("w", suffix=".manifest") as f:
            f.write("# comment\na x\na y x86_64\nb z arm64\n")
            f.flush()
            self.assertEqual(tap.load_manifest("x86_64", f.name),
                             {"a": ["x", "y"]})
            self.assertEqual(tap.load_manifest("arm64", f.name),
                             {"a": ["x"], "b": ["z"]})


class TheKernelsRunner(unittest.TestCase):
    """What the kernel's own runner prints (the copy tools/rig/deps
    extracts), counted: a pass, a failing case, an exit 1 with every case
    passed, a skip (exit 4), a death by signal."""
    programs = {
        "pass.sh": "echo 'TAP version 13'; echo 1..1; echo 'ok 1 x'",
        "case_fails.sh": "echo 1..2; echo 'ok 1 x'; echo 'not ok 2 y'; exit 1",
        "exit_1.sh": "echo 1..1; echo 'ok 1 x'; exit 1",
        "skip.sh": "echo '1..0 # SKIP no device'; exit 4",
        "killed.sh": "echo 1..1; kill -9 $$",
    }

    def test_each_outcome_is_counted(self):
        runner = os.path.join(tap.KSFT, "kselftest", "runner.sh")
        self.assertTrue(os.path.exists(runner), "%s: run tools/rig/deps" % runner)
        with tempfile.TemporaryDirectory() as d:
            for name, body in self.programs.items():
                with open(os.path.join(d, name), "w") as f:
                    f.write("#!/bin/sh\n" + body + "\n")
                os.chmod(os.path.join(d, name), 0o755)
            out = tap.run_many([os.path.join(d, p) for p in self.programs])
        seen = counted(out, list(self.programs))
        self.assertEqual(seen, [
            (True, "[t] pass.sh: x"),
            (True, "[t] case_fails.sh: x"), (False, "[t] case_fails.sh: y"),
            (True, "[t] exit_1.sh: x"), (False, "[t] exit_1.sh: exit status 1"),
            (False, "[t] skip.sh: skipped, which counts as failed: no device"),
            (False, "[t] killed.sh: exit status 137"),
            (False, "[t] killed.sh: planned 1 tests, ran 0")], out)


if __name__ == "__main__":
    unittest.main()
