#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""bench - `make bench`: QEMU edu's interrupt round trip through uiox and
the anchors, side by side in one guest per kernel.

  tools/rig/bench.py [--rounds R] [--n N] [--kernel K]... [--smoke]

Each kernel (default: the x86_64 LTS builds, 6.1 and 6.12) gets one guest
(q35, intel-iommu, one vCPU, edu, ivshmem with a 256 MiB BAR) in which guest/rig-bench runs every case
of CASES R times (default 7), interleaved, N round trips each (default
5000), then counts each case's system calls per interrupt under strace.
The report, per kernel and case: the median over the rounds of the rate
and of the round-trip latency's p50, p99 and max, system calls per
interrupt, and the rate's ratio to each anchor of its kind (uio_pci_generic
and vfio-pci for INTx, vfio-pci and the in-kernel reference for MSI).  A
table on stdout; build/bench/results.{csv,json}; with gnuplot,
build/bench/latency-<kernel>.png, each case's latency histogram.

Under TCG only ratios mean anything, and only between cases of one run:
a timing is never a pass or fail.  --smoke (make check): one round of
200 (in build/bench/smoke), every case must produce its line and its
system-call count.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "tools", "rig"))
import kernels  # noqa: E402  (the one list of kernels)

OUT = os.path.join(TOP, "build", "bench")
# The cases, in the order they run and print; each with its kind (which
# anchors it is compared with) and what it is.
CASES = [
    ("uio-intx", "intx", "uio_pci_generic INTx: read + config-space unmask"),
    ("vfio-intx", "intx", "vfio-pci INTx: eventfd read + UNMASK ioctl"),
    ("uiox-intx-read", "intx", "uiox INTx, UIO protocol: read + write(1)"),
    ("uiox-intx-wait", "intx", "uiox INTx, uio_irq_wait() (UNMASK_WAIT)"),
    ("vfio-msi", "msi", "vfio-pci MSI: eventfd read"),
    ("kernel-msi", "msi", "in-kernel driver MSI: handler, completion, waiter"),
    ("uiox-msi-read", "msi", "uiox MSI: read"),
    ("uiox-msi-wait", "msi", "uiox MSI: uio_irq_wait()"),
    ("uiox-msi-epoll", "msi", "uiox MSI: vector fd in epoll + read"),
    ("bar-resource0", "bar", "256 MiB BAR, first touch per page: sysfs resource2"),
    ("bar-vfio", "bar", "256 MiB BAR, first touch per page: vfio-pci's mmap"),
    ("bar-uiox", "bar", "256 MiB BAR, first touch per page: uiox's mmap"),
]
ANCHORS = {"intx": ["uio-intx", "vfio-intx"], "msi": ["vfio-msi", "kernel-msi"],
           "bar": ["bar-resource0", "bar-vfio"]}
DEFAULT_KERNELS = ["6.1", "6.12"]
LINE = re.compile(r"^bench (\S+) n=(\d+) ns=(\d+) rate=(\d+) p50=(\d+) p99=(\d+) "
                  r"max=(\d+) hist=([\d,]+)$")


def guest(kernel, rel, rounds, n):
    """rig-bench in one guest: its output."""
    ko = os.path.join(TOP, "build", "bench", "kmod", rel, "edu_ref.ko")
    if not os.path.exists(ko):
        sys.exit("bench: %s missing: run 'make bench-build'" % ko)
    timeout = 600 + rounds * len(CASES) * n // 100
    cmd = ["tools/rig/vmrun", "--no-build", "--kernel", kernel, "--iommu", "--smp", "1",
           "--dev", "edu", "--dev", "ivshmem-big", "--add", ko, "--add", "/usr/bin/strace",
           "--timeout", str(timeout), "--",
           "rig-bench %d %d %s" % (rounds, n, " ".join(c for c, _, _ in CASES))]
    r = subprocess.run(cmd, cwd=TOP, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    return r.returncode, r.stdout


def parse(out):
    """{case: [run, ...]} with each run a dict, {case: syscalls per irq},
    and the error lines."""
    runs, calls, errors = {}, {}, []
    for line in out.splitlines():
        line = line.strip()
        m = LINE.match(line)
        if m:
            case = m.group(1)
            runs.setdefault(case, []).append({
                "n": int(m.group(2)), "ns": int(m.group(3)), "rate": int(m.group(4)),
                "p50": int(m.group(5)), "p99": int(m.group(6)), "max": int(m.group(7)),
                "hist": [int(x) for x in m.group(8).split(",")]})
        elif re.fullmatch(r"syscalls \S+ -?[\d.]+", line):
            _, case, per = line.split()
            calls[case] = float(per)
        elif line.startswith("bench-error "):
            errors.append(line)
    return runs, calls, errors


def summarize(runs, calls):
    """Per case: medians over the rounds, and the ratios to the anchors."""
    rows = {}
    for case, kind, what in CASES:
        rs = runs.get(case, [])
        if not rs:
            continue
        rows[case] = {
            "case": case, "kind": kind, "what": what, "rounds": len(rs),
            "rate": statistics.median(r["rate"] for r in rs),
            "rate_min": min(r["rate"] for r in rs), "rate_max": max(r["rate"] for r in rs),
            "p50_us": statistics.median(r["p50"] for r in rs) / 1000,
            "p99_us": statistics.median(r["p99"] for r in rs) / 1000,
            "max_us": statistics.median(r["max"] for r in rs) / 1000,
            "syscalls": 0.0 if case.startswith("kernel-") else calls.get(case),
            "hist": [sum(col) for col in zip(*(r["hist"] for r in rs))],
        }
    for row in rows.values():
        for a in ANCHORS[row["kind"]]:
            if a in rows and a != row["case"]:
                row["vs_" + a] = row["rate"] / rows[a]["rate"]
    return rows


def table(kernel, rows):
    lines = ["", "%s: medians of %s rounds" % (kernel, max((r["rounds"] for r in rows.values()),
                                                           default=0)),
             "%-15s %9s %13s %8s %8s %9s %9s  %s" % ("case", "per s", "(min-max)", "p50 us",
                                                     "p99 us", "max us", "calls/irq",
                                                     "vs anchors")]
    for case, _, _ in CASES:
        r = rows.get(case)
        if not r:
            lines.append("%-15s  (no result)" % case)
            continue
        vs = "  ".join("%.2fx %s" % (r[k], k[3:]) for k in sorted(r) if k.startswith("vs_"))
        calls = "-" if r["syscalls"] is None else "%.2f" % r["syscalls"]
        lines.append("%-15s %9.0f %13s %8.1f %8.1f %9.1f %9s  %s" % (
            case, r["rate"], "(%d-%d)" % (r["rate_min"], r["rate_max"]), r["p50_us"],
            r["p99_us"], r["max_us"], calls, vs))
    return lines


def plot(kernel, rows):
    """Each interrupt case's latency histogram (all rounds), if gnuplot is
    there: the share of round trips in each power-of-two bucket, both axes
    logarithmic so that the tails show."""
    data = os.path.join(OUT, "latency-%s.dat" % kernel)
    png = os.path.join(OUT, "latency-%s.png" % kernel)
    cases = [c for c, kind, _ in CASES if c in rows and kind != "bar"]
    used = [b for b in range(len(rows[cases[0]]["hist"]))
            if any(rows[c]["hist"][b] for c in cases)]
    with open(data, "w") as f:
        f.write("# bucket_us " + " ".join(cases) + "\n")
        for b in range(used[0], used[-1] + 1):
            f.write("%g %s\n" % ((2 ** b) / 1000, " ".join(
                "%.6f" % (rows[c]["hist"][b] / sum(rows[c]["hist"])) if rows[c]["hist"][b]
                else "NaN" for c in cases)))
    script = ("set terminal pngcairo size 1000,600; set output '%s'; set logscale xy 2; "
              "set xlabel 'round-trip latency, us (power-of-two buckets)'; "
              "set ylabel 'share of round trips'; set title 'edu interrupt round trip, "
              "Linux %s under TCG (make bench)'; set key top right; set grid; plot " %
              (png, kernel) +
              ", ".join("'%s' using 1:%d with linespoints title '%s'" % (data, i + 2, c)
                        for i, c in enumerate(cases)))
    try:
        r = subprocess.run(["gnuplot", "-e", script], capture_output=True, text=True)
    except OSError:
        return None
    return png if r.returncode == 0 else None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--kernel", action="append")
    p.add_argument("--smoke", action="store_true")
    a = p.parse_args()
    outdir = OUT
    if a.smoke:     # (in a directory of its own: make bench's stay)
        a.rounds, a.n, outdir = 1, 200, os.path.join(OUT, "smoke")
    os.makedirs(outdir, exist_ok=True)
    for f in ("results.json", "results.csv"):
        if os.path.exists(os.path.join(outdir, f)):
            os.unlink(os.path.join(outdir, f))
    failed = False
    report, results = [], {}
    for name in a.kernel or DEFAULT_KERNELS:
        k = kernels.find("x86_64", name)
        rel = kernels.release(k) if k else None
        if not rel:
            print("bench: kernel %s: headers not installed" % name)
            failed = True
            continue
        rc, out = guest(name, rel, a.rounds, a.n)
        runs, calls, errors = parse(out)
        with open(os.path.join(outdir, "guest-%s.log" % name), "w") as f:
            f.write(out)
        missing = [c for c, _, _ in CASES if len(runs.get(c, [])) != a.rounds or
                   (not c.startswith("kernel-") and c not in calls)]
        if rc or errors or missing:
            failed = True
            print("bench: %s: guest status %d; %s%s" % (
                name, rc, "; ".join(errors), "; no result from " + ", ".join(missing)
                if missing else ""))
        rows = summarize(runs, calls)
        results[name] = {"release": rel, "rounds": a.rounds, "n": a.n, "cases": rows}
        report += table(name, rows)
        if rows and not a.smoke:
            png = plot(name, rows)
            if png:
                report.append("plot: %s" % os.path.relpath(png, TOP))
    print("\n".join(report))
    with open(os.path.join(outdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(outdir, "results.csv"), "w") as f:
        f.write("kernel,case,rounds,rate,rate_min,rate_max,p50_us,p99_us,max_us,syscalls\n")
        for name, res in results.items():
            for r in res["cases"].values():
                f.write("%s,%s,%d,%.0f,%d,%d,%.1f,%.1f,%.1f,%s\n" % (
                    name, r["case"], r["rounds"], r["rate"], r["rate_min"], r["rate_max"],
                    r["p50_us"], r["p99_us"], r["max_us"],
                    "" if r["syscalls"] is None else "%.2f" % r["syscalls"]))
    print("bench: results in %s" % os.path.relpath(outdir, TOP))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
