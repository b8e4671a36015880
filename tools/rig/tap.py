# SPDX-License-Identifier: GPL-2.0
"""tap - the TAP counter: every case of a guest's selftest output, counted.

selftests/run frames each program's TAP output with "# uiox-run: NAME" and
"# uiox-exit: NAME STATUS".  count() reports each case, and each way a
program can fail without a failing case: no plan, a plan it did not keep,
a non-zero exit, a bail-out, never finishing.  A skipped case counts as
failed.  Against the cases selftests/MANIFEST lists, a case or a program
that did not run fails too, and a case the manifest does not know.
Tested by tools/rig/tests/test_tap.py.
"""

import os
import re

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


def count(prefix, text, report, programs=None, manifest=None):
    """Count TAP results in text; report(ok, name, detail) is called once
    per case and once per failure of a program as a whole.

    With programs (the names that were to run), each of them must have run
    and, if manifest (load_manifest()'s) lists it, shown exactly its cases."""
    name, plan, results, bailed = None, None, [], False
    seen = {}

    def close(status):
        seen[name] = [desc for _, desc, _ in results]
        if plan is None:
            report(False, "%s %s: no TAP plan" % (prefix, name))
        elif plan != len(results):
            report(False, "%s %s: planned %d tests, ran %d"
                   % (prefix, name, plan, len(results)))
        if status is None:
            report(False, "%s %s: never finished (crash or hang)" % (prefix, name))
        elif status != 0 and all(ok for ok, _, _ in results):
            report(False, "%s %s: exit status %d" % (prefix, name, status))
        if bailed:
            report(False, "%s %s: bailed out" % (prefix, name))

    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"# uiox-run: (\S+)", line)
        if m:
            if name:
                close(None)
            name, plan, results, bailed = m.group(1), None, [], False
            continue
        if not name:
            continue
        m = re.match(r"# uiox-exit: (\S+) (\d+)", line)
        if m:
            close(int(m.group(2)))
            name = None
            continue
        m = re.match(r"1\.\.(\d+)", line)
        if m:
            plan = int(m.group(1))
            continue
        if line.startswith("Bail out!"):
            bailed = True
            continue
        m = re.match(r"(not )?ok \d+ (.*)", line)
        if m:
            ok = not m.group(1)
            desc = m.group(2)
            skipped = re.search(r"#\s*SKIP", desc, re.I) is not None
            ctx = [l for l in lines[max(0, i - 15):i] if l.startswith("#")]
            results.append((ok and not skipped, desc, ctx))
            report(ok and not skipped,
                   "%s %s: %s%s" % (prefix, name, desc,
                                    " (skipped counts as failed)" if skipped else ""),
                   ctx)
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
