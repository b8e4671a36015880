# SPDX-License-Identifier: GPL-2.0
"""tap - the TAP counter: every case of the kernel's kselftest runner's output, counted.

The runner (run_kselftest.sh, kselftest/runner.sh) prints a plan for the
programs, then for each "# selftests: COLLECTION: NAME", the program's own
TAP with every line prefixed "# ", and its result: "ok N selftests:
COLLECTION: NAME", with " # SKIP" when it exited 4, or "not ok N ..."
with " # exit=STATUS" or " # TIMEOUT N seconds".  count() reports each
case, and each way a program can fail without a failing case: no plan, a
plan it did not keep, a non-zero exit, a timeout, a bail-out, never
finishing (no result line).  A skipped case or program counts as failed.
Against the cases selftests/MANIFEST lists, a case or a program that did
not run fails too, and a case the manifest does not know.  Tested by
tools/rig/tests/test_tap.py, also against the kernel's runner itself.
"""

import os
import re
import subprocess

import kernels

MANIFEST = os.path.join(kernels.TOP, "selftests", "MANIFEST")


def load_manifest(arch="x86_64", path=MANIFEST):
    """Program -> the cases the manifest lists for it on arch (a line is
    "PROGRAM CASE [ARCH]": a case of one architecture names it)."""
    cases = {}
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                prog, case, *only = line.split()
                if not only or arch in only:
                    cases.setdefault(prog, []).append(case)
    return cases


# the kernel's kselftest tree tools/rig/deps extracts (lib.mk, the runner)
KSFT = os.path.join(kernels.TOP, "build", "ksrc", "tools", "testing", "selftests")


def run_many(paths, **env):
    """The programs at paths through the kernel's runner (run_many of
    kselftest/runner.sh, as `make -C selftests run_tests` runs them), with
    env added (KSELFTEST_<NAME>_ARGS: a program's arguments): its output,
    stderr in it."""
    return subprocess.run(["sh", "-c", 'BASE_DIR=$1; shift; . "$BASE_DIR/kselftest/runner.sh" && '
                           'run_many "$@"', "sh", KSFT] + paths, env=dict(os.environ, **env),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout


PROGRAM = re.compile(r"# selftests: (\S+): (\S+)$")
RESULT = re.compile(r"(not )?ok \d+ selftests: (\S+): (\S+)(?: # (SKIP|exit=(\d+)|TIMEOUT.*))?$")


def count(prefix, text, report, programs=None, manifest=None):
    """Count the TAP results in text, the runner's output; report(ok,
    name, detail) is called once per case and once per failure of a
    program as a whole.

    With programs (the names that were to run), each of them must have run
    and, if manifest (load_manifest()'s) lists it, shown exactly its cases."""
    name, plan, results, bailed, skip = None, None, [], False, None
    seen = {}
    nested = []

    def close(result):
        seen[name] = [desc for _, desc, _ in results]
        if result is None:
            report(False, "%s %s: never finished (crash or hang)" % (prefix, name))
        elif result.group(4) == "SKIP" or skip is not None:
            report(False, "%s %s: skipped, which counts as failed%s"
                   % (prefix, name, ": " + skip if skip else ""))
            return
        elif result.group(4) and result.group(4).startswith("TIMEOUT"):
            report(False, "%s %s: %s" % (prefix, name, result.group(4).lower()))
        elif result.group(1) and all(ok for ok, _, _ in results):
            report(False, "%s %s: exit status %s"
                   % (prefix, name, result.group(5) or "not 0"))
        if plan is None:
            report(False, "%s %s: no TAP plan" % (prefix, name))
        elif plan != len(results):
            report(False, "%s %s: planned %d tests, ran %d"
                   % (prefix, name, plan, len(results)))
        if bailed:
            report(False, "%s %s: bailed out" % (prefix, name))

    for line in text.splitlines():
        m = PROGRAM.match(line)
        if m:
            if name:
                close(None)
            name, plan, results, bailed, skip = m.group(2), None, [], False, None
            nested = []
            continue
        if not name:
            continue
        m = RESULT.match(line)
        if m and m.group(3) == name:
            close(m)
            name = None
            continue
        if line != "#" and not line.startswith("# "):
            continue
        line = line[2:]
        m = re.match(r"1\.\.(\d+)(?:\s*#\s*SKIP\s*(.*))?", line)
        if m:
            plan, skip = int(m.group(1)), m.group(2)
            continue
        if line.startswith("Bail out!"):
            bailed = True
            continue
        m = re.match(r"(not )?ok \d+ (.*)", line)
        if m:
            ok = not m.group(1)
            desc = m.group(2)
            skipped = re.search(r"#\s*SKIP", desc, re.I) is not None
            ctx = [l for l in nested[-15:] if l.startswith("#")]
            results.append((ok and not skipped, desc, ctx))
            report(ok and not skipped,
                   "%s %s: %s%s" % (prefix, name, desc,
                                    " (skipped counts as failed)" if skipped else ""),
                   ctx)
        nested.append(line)
    if name:
        close(None)
    for prog in programs or []:
        if prog not in seen:
            report(False, "%s %s: did not run" % (prefix, prog))
            continue
        if prog not in (manifest or {}):
            continue    # no named cases to compare (regs_codegen_test.sh)
        want, got = manifest[prog], seen[prog]
        for case in want:
            if case not in got:
                report(False, "%s %s: %s: did not run" % (prefix, prog, case))
        for case in got:
            if case not in want:
                report(False, "%s %s: %s: not in selftests/MANIFEST"
                       % (prefix, prog, case))
