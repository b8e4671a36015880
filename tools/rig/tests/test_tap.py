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


def framed(name, body, status=0):
    return "# uiox-run: %s\n%s# uiox-exit: %s %d\n" % (name, body, name, status)


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
        seen = counted("# uiox-run: a\n1..2\nok 1 x\n")
        self.assertIn((False, "[t] a: planned 2 tests, ran 1"), seen)
        self.assertIn((False, "[t] a: never finished (crash or hang)"), seen)

    def test_the_next_program_starting_ends_one_that_never_finished(self):
        seen = counted("# uiox-run: a\n1..1\n" + framed("b", "1..1\nok 1 y\n"))
        self.assertEqual(seen, [(False, "[t] a: planned 1 tests, ran 0"),
                                (False, "[t] a: never finished (crash or hang)"),
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

    def test_output_outside_a_frame_is_not_counted(self):
        self.assertEqual(counted("ok 1 stray\n" + framed("a", "1..1\nok 1 x\n")),
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


if __name__ == "__main__":
    unittest.main()
