// SPDX-License-Identifier: GPL-2.0
/* make bench's shared helpers (bench.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "bench.h"

#define BUCKETS	40

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int bench_report(const char *name, uint64_t *lat, unsigned long n, uint64_t total)
{
	unsigned long hist[BUCKETS] = { 0 }, i;
	unsigned int k;

	for (i = 0; i < n; i++) {
		for (k = 0; k + 1 < BUCKETS && lat[i] >= 2ull << k; k++)
			;
		hist[k]++;
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("bench %s n=%lu ns=%llu rate=%.0f p50=%llu p99=%llu max=%llu hist=",
	       name, n, (unsigned long long)total, n * 1e9 / total,
	       (unsigned long long)lat[n / 2], (unsigned long long)lat[n * 99 / 100],
	       (unsigned long long)lat[n - 1]);
	for (k = 0; k < BUCKETS; k++)
		printf("%lu%s", hist[k], k + 1 < BUCKETS ? "," : "\n");
	return 0;
}

int bench_fail(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	return -1;
}

int bench_vfio_open(const char *bdf)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	char path[PATH_MAX], link[PATH_MAX], group[64];
	int container, grp, devfd;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return bench_fail("iommu_group");
	link[n] = '\0';
	snprintf(group, sizeof(group), "/dev/vfio/%s", strrchr(link, '/') + 1);
	container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	grp = open(group, O_RDWR | O_CLOEXEC);
	if (container < 0 || grp < 0)
		return bench_fail("open /dev/vfio");
	if (ioctl(grp, VFIO_GROUP_GET_STATUS, &st) || !(st.flags & VFIO_GROUP_FLAGS_VIABLE))
		return bench_fail("group not viable");
	if (ioctl(grp, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU))
		return bench_fail("container");
	devfd = ioctl(grp, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (devfd < 0)
		return bench_fail("VFIO_GROUP_GET_DEVICE_FD");
	return devfd;
}
