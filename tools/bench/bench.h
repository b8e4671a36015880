/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What make bench's programs (irq_bench, bar_bench) share: the clock, the
 * report line tools/rig/bench.py reads, and opening a device through
 * vfio-pci.
 */
#ifndef UIOX_BENCH_H
#define UIOX_BENCH_H

#include <stddef.h>
#include <stdint.h>

/** bench_now_ns() - CLOCK_MONOTONIC in nanoseconds */
uint64_t bench_now_ns(void);

/**
 * bench_report() - print "bench CASE n=N ns=TOTAL rate=R p50=NS p99=NS
 * max=NS hist=B0,...": the per-iteration latencies @lat (sorted here) in
 * power-of-two buckets of nanoseconds (bucket i: [2^i, 2^(i+1)))
 *
 * Return: 0, the program's exit status.
 */
int bench_report(const char *name, uint64_t *lat, unsigned long n, uint64_t total);

/**
 * bench_fail() - say "PROGRAM: WHAT: <errno's text>" on stderr
 *
 * Return: -1, for a setup step to return.
 */
int bench_fail(const char *what);

/**
 * bench_vfio_open() - the vfio-pci device file of PCI function @bdf, its
 * group in a new type1 container
 *
 * Return: the device file, or -1 with a line on stderr.
 */
int bench_vfio_open(const char *bdf);

#endif /* UIOX_BENCH_H */
