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

/*
 * Each way in two steps: open (not timed: uio_open(), vfio's container and
 * device, sysfs), then map the shared memory (timed with the touches).
 */
static struct uio_dev *udev;
static int fd = -1;
static size_t bar_size;
static off_t bar_offset;

static int open_uiox(const char *bdf)
{
	udev = uio_open(bdf);
	return udev ? 0 : -1;
}

static void *map_uiox(size_t *size)
{
	return uio_map_region(udev, IVSHMEM_BAR_SHM, size);
}

static int open_vfio(const char *bdf)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg) };

	fd = bench_vfio_open(bdf);
	reg.index = VFIO_PCI_BAR0_REGION_INDEX + IVSHMEM_BAR_SHM;
	if (fd < 0 || ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		return -1;
	bar_size = reg.size;
	bar_offset = reg.offset;
	return 0;
}

/* its size: line IVSHMEM_BAR_SHM of <device>/resource, "start end flags" */
static int open_resource(const char *bdf)
{
	unsigned long long start, end, flags;
	char path[PATH_MAX];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", bdf);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (i = 0; i <= IVSHMEM_BAR_SHM; i++)
		if (fscanf(f, "%llx %llx %llx", &start, &end, &flags) != 3)
			break;
	fclose(f);
	if (i <= IVSHMEM_BAR_SHM || end <= start) {
		errno = ENXIO;
		return -1;
	}
	bar_size = end - start + 1;
	bar_offset = 0;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%d", bdf,
		 IVSHMEM_BAR_SHM);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -1 : 0;
}

/* vfio's region, or sysfs resource2: an mmap of the file opened */
static void *map_file(size_t *size)
{
	void *p = mmap(NULL, bar_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, bar_offset);

	*size = bar_size;
	return p == MAP_FAILED ? NULL : p;
}

static const struct {
	const char *name;
	int (*open)(const char *bdf);
	void *(*map)(size_t *size);
} cases[] = {
	{ "bar-uiox", open_uiox, map_uiox },
	{ "bar-vfio", open_vfio, map_file },
	{ "bar-resource0", open_resource, map_file },
};

int main(int argc, char **argv)
{
	void *bar;
	unsigned long n = 0, i;
	uint64_t *lat, t0, start = 0;
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
	bar = NULL;
	if (!cases[k].open(argv[2])) {
		start = bench_now_ns();
		bar = cases[k].map(&size);
	}
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
		uio_write8(bar, i * page, (uint8_t)i);
		lat[i] = bench_now_ns() - t0;
	}
	return bench_report(cases[k].name, lat, n, bench_now_ns() - start);
}
