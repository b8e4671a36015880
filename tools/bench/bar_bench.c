// SPDX-License-Identifier: GPL-2.0
/*
 * bar_bench - a big BAR mapped and each of its pages touched once, through
 * one of the mappings `make bench` compares: ivshmem's shared memory (BAR2),
 * mapped afresh and written one byte per page.  Where the mapping is made
 * matters (at mmap(), at the first fault, a page or more at a time), so the
 * time counted is the mmap() and every touch.
 *
 *   bar_bench CASE BDF all|N      (every page, or the first N)
 *
 *   bar-uiox        uiox's mmap of the region (uio_map_region())
 *   bar-vfio        vfio-pci's mmap of the region (type1)
 *   bar-resource0   sysfs resource2 (what uio_pci_generic users map)
 *
 * The device must be bound to the case's driver (none for bar-resource0).
 * Prints bench_report()'s line (bench.h): the rate in pages per second of
 * mmap() and touches, the latencies those of each page's touch.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <libuio.h>

#include "../examples/devices/ivshmem.h"
#include "bench.h"

/* The shared memory mapped through the case's way: its address and size. */
static volatile uint8_t *map_uiox(const char *bdf, size_t *size)
{
	struct uio_dev *dev = uio_open(bdf);
	void *p;

	if (!dev)
		return NULL;
	p = uio_map_region(dev, IVSHMEM_BAR_SHM, size);
	return p;
}

static volatile uint8_t *map_vfio(const char *bdf, size_t *size)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	int devfd = bench_vfio_open(bdf);
	void *p;

	if (devfd < 0)
		return NULL;
	reg.index = VFIO_PCI_BAR0_REGION_INDEX + IVSHMEM_BAR_SHM;
	if (ioctl(devfd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		return NULL;
	*size = reg.size;
	p = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED, devfd, reg.offset);
	return p == MAP_FAILED ? NULL : p;
}

static volatile uint8_t *map_resource(const char *bdf, size_t *size)
{
	char path[PATH_MAX];
	void *p;
	int fd;

	unsigned long long start, end, flags;
	FILE *f;
	int i;

	/* its size: line IVSHMEM_BAR_SHM of <device>/resource, "start end flags" */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	for (i = 0; i <= IVSHMEM_BAR_SHM; i++)
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3)
			break;
	fclose(f);
	if (i <= IVSHMEM_BAR_SHM || end <= start) {
		errno = ENXIO;
		return NULL;
	}
	*size = end - start + 1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf,
		 IVSHMEM_BAR_SHM);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	p = mmap(NULL, *size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

static const struct {
	const char *name;
	volatile uint8_t *(*map)(const char *bdf, size_t *size);
} cases[] = {
	{ "bar-uiox", map_uiox },
	{ "bar-vfio", map_vfio },
	{ "bar-resource0", map_resource },
};

int main(int argc, char **argv)
{
	volatile uint8_t *bar;
	unsigned long n = 0, i;
	uint64_t *lat, t0, start;
	size_t size = 0, page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned int k;

	if (argc != 4 || (strcmp(argv[3], "all") && !(n = strtoul(argv[3], NULL, 10)))) {
		fprintf(stderr, "usage: bar_bench CASE BDF all|N\n");
		return 2;
	}
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
		if (!strcmp(argv[1], cases[k].name))
			break;
	if (k == sizeof(cases) / sizeof(cases[0])) {
		fprintf(stderr, "bar_bench: unknown case %s\n", argv[1]);
		return 2;
	}
	start = bench_now_ns();
	bar = cases[k].map(argv[2], &size);
	if (!bar) {
		fprintf(stderr, "bar_bench: cannot map %s's BAR%d: %s\n", argv[2],
			IVSHMEM_BAR_SHM, strerror(errno));
		return 1;
	}
	if (!strcmp(argv[3], "all"))
		n = size / page;
	if (n > size / page) {
		fprintf(stderr, "bar_bench: the BAR has %zu pages, not %lu\n", size / page, n);
		return 1;
	}
	lat = calloc(n, sizeof(*lat));
	if (!lat) {
		fprintf(stderr, "bar_bench: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		t0 = bench_now_ns();
		bar[i * page] = (uint8_t)i;
		lat[i] = bench_now_ns() - t0;
	}
	return bench_report(cases[k].name, lat, n, bench_now_ns() - start);
}
