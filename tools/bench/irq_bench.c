// SPDX-License-Identifier: GPL-2.0
/*
 * irq_bench - QEMU edu's interrupt round trip through one of the paths
 * `make bench` compares: start a factorial with its interrupt on
 * (EDU_REG_FACTORIAL, EDU_STATUS_IRQ_FACT), wait for that interrupt,
 * acknowledge it (EDU_REG_IRQ_ACK), N times.  QEMU computes the factorial
 * in a thread of its own, so the interrupt comes while the waiter waits, as
 * a device's would (a write to EDU_REG_IRQ_RAISE would raise it within the
 * write itself, before any wait began).
 *
 *   irq_bench CASE BDF N
 *
 *   uiox-intx-read   uiox, INTx, the UIO protocol: read() + write(1)
 *   uiox-intx-wait   uiox, INTx, uio_irq_wait() (UIOX_IRQ_UNMASK_WAIT)
 *   uiox-msi-read    uiox, MSI, read()
 *   uiox-msi-wait    uiox, MSI, uio_irq_wait()
 *   uiox-msi-epoll   uiox, MSI, the vector's fd in epoll, then read()
 *   uio-intx         uio_pci_generic: read() on /dev/uioN, then INTx unmasked
 *                    through sysfs config, the command register's INTx
 *                    disable bit cleared (pread + pwrite: uio_pci_generic
 *                    has no irqcontrol); BAR0 through sysfs resource0
 *   vfio-intx        vfio-pci (type1): eventfd read() + VFIO unmask ioctl
 *   vfio-msi         vfio-pci (type1): eventfd read()
 *
 * The device must be bound to the case's driver.  Prints bench_report()'s
 * line (bench.h): the rate of whole round trips, and each one's latency
 * from the start of the factorial to the return of the wait.
 * Exit status: 0 done, 1 failed (one line on stderr), 2 usage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>

#include <libuio.h>

#include "../examples/devices/edu.h"
#include "bench.h"

/*
 * One interrupt path: set up, then per iteration wait for the interrupt
 * (before the ack) and, where the path needs it, unmask (after the ack).
 */
struct path {
	const char *name;
	int (*setup)(struct path *p, const char *bdf);
	int (*wait)(struct path *p);	/* before the ack */
	int (*rearm)(struct path *p);	/* after the ack (unmask), or NULL */
	void *bar;
	struct uio_dev *dev;
	int fd, efd, epfd, devfd, cfgfd;
};

static int read4(int fd)
{
	uint32_t c;

	return read(fd, &c, sizeof(c)) == sizeof(c) ? 0 : -1;
}

static int write1(int fd)
{
	uint32_t one = 1;

	return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

/* ---- uiox -------------------------------------------------------------- */

static int uiox_setup(struct path *p, const char *bdf, uint32_t mode)
{
	size_t size;

	p->dev = uio_open(bdf);
	if (!p->dev)
		return bench_fail("uio_open");
	p->bar = uio_map_region(p->dev, 0, &size);
	if (!p->bar)
		return bench_fail("uio_map_region");
	if (mode == UIOX_IRQ_MSI && uio_bus_master(p->dev, true))
		return bench_fail("uio_bus_master");
	if (uio_irq_set_mode(p->dev, mode, 1))
		return bench_fail("uio_irq_set_mode");
	p->fd = uio_fd(p->dev);
	return 0;
}

static int uiox_intx_setup(struct path *p, const char *bdf)
{
	return uiox_setup(p, bdf, UIOX_IRQ_INTX);
}

static int uiox_msi_setup(struct path *p, const char *bdf)
{
	return uiox_setup(p, bdf, UIOX_IRQ_MSI);
}

static int uiox_read(struct path *p)
{
	return read4(p->fd);
}

static int uiox_unmask(struct path *p)
{
	return write1(p->fd);
}

static int uiox_wait(struct path *p)
{
	return uio_irq_wait(p->dev, 0, -1, NULL);
}

static int uiox_epoll_setup(struct path *p, const char *bdf)
{
	struct epoll_event ev = { .events = EPOLLIN };

	if (uiox_msi_setup(p, bdf))
		return -1;
	p->efd = uio_irq_fd(p->dev, 0);
	if (p->efd < 0)
		return bench_fail("uio_irq_fd");
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0 || epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->efd, &ev))
		return bench_fail("epoll");
	return 0;
}

static int uiox_epoll_wait(struct path *p)
{
	struct epoll_event ev;

	if (epoll_wait(p->epfd, &ev, 1, -1) != 1)
		return -1;
	return read4(p->efd);
}

/* ---- uio_pci_generic ----------------------------------------------------- */

/* BAR0 through sysfs resource0, as a uio_pci_generic user maps it. */
static void *map_resource0(const char *bdf)
{
	char path[PATH_MAX];
	void *bar;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", bdf);
	fd = open(path, O_RDWR | O_SYNC | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	bar = mmap(NULL, EDU_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return bar == MAP_FAILED ? NULL : bar;
}

static int uio_setup(struct path *p, const char *bdf)
{
	char path[PATH_MAX], name[256] = "";
	struct dirent *e;
	DIR *dir;

	/* the one entry of <device>/uio/ names the uio device */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/uio", bdf);
	dir = opendir(path);
	if (!dir)
		return bench_fail("no uio device (is it bound to uio_pci_generic?)");
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.')
			snprintf(name, sizeof(name), "%s", e->d_name);
	closedir(dir);
	snprintf(path, sizeof(path), "/dev/%s", name);
	p->fd = open(path, O_RDWR | O_CLOEXEC);
	if (p->fd < 0)
		return bench_fail(path);
	p->bar = map_resource0(bdf);
	if (!p->bar)
		return bench_fail("resource0");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	p->cfgfd = open(path, O_RDWR | O_CLOEXEC);
	if (p->cfgfd < 0)
		return bench_fail(path);
	return 0;
}

/* INTx unmasked again: PCI_COMMAND_INTX_DISABLE cleared in config space */
static int uio_unmask(struct path *p)
{
	uint16_t cmd;

	if (pread(p->cfgfd, &cmd, 2, 4) != 2)
		return -1;
	cmd &= ~0x400;
	return pwrite(p->cfgfd, &cmd, 2, 4) == 2 ? 0 : -1;
}

/* ---- vfio-pci -------------------------------------------------------------- */

static int vfio_set_irq(int devfd, uint32_t index, uint32_t action, int efd)
{
	char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
	struct vfio_irq_set *set = (struct vfio_irq_set *)buf;

	memset(buf, 0, sizeof(buf));
	set->argsz = efd >= 0 ? sizeof(buf) : sizeof(*set);
	set->flags = action | (efd >= 0 ? VFIO_IRQ_SET_DATA_EVENTFD : VFIO_IRQ_SET_DATA_NONE);
	set->index = index;
	set->start = 0;
	set->count = 1;
	if (efd >= 0)
		memcpy(set->data, &efd, sizeof(int32_t));
	return ioctl(devfd, VFIO_DEVICE_SET_IRQS, set);
}

static int vfio_setup(struct path *p, const char *bdf, uint32_t index)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	uint16_t cmd;

	p->devfd = bench_vfio_open(bdf);
	if (p->devfd < 0)
		return -1;
	reg.index = VFIO_PCI_BAR0_REGION_INDEX;
	if (ioctl(p->devfd, VFIO_DEVICE_GET_REGION_INFO, &reg))
		return bench_fail("region info");
	p->bar = mmap(NULL, reg.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      p->devfd, reg.offset);
	if (p->bar == MAP_FAILED)
		return bench_fail("mmap BAR0");
	/* bus mastering on, for MSI (through the config region) */
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(p->devfd, VFIO_DEVICE_GET_REGION_INFO, &reg) ||
	    pread(p->devfd, &cmd, 2, reg.offset + 4) != 2)
		return bench_fail("config");
	cmd |= 0x4;
	if (pwrite(p->devfd, &cmd, 2, reg.offset + 4) != 2)
		return bench_fail("bus master");
	p->fd = eventfd(0, EFD_CLOEXEC);
	if (p->fd < 0 || vfio_set_irq(p->devfd, index, VFIO_IRQ_SET_ACTION_TRIGGER, p->fd))
		return bench_fail("VFIO_DEVICE_SET_IRQS");
	return 0;
}

static int vfio_intx_setup(struct path *p, const char *bdf)
{
	return vfio_setup(p, bdf, VFIO_PCI_INTX_IRQ_INDEX);
}

static int vfio_msi_setup(struct path *p, const char *bdf)
{
	return vfio_setup(p, bdf, VFIO_PCI_MSI_IRQ_INDEX);
}

static int vfio_read(struct path *p)
{
	uint64_t v;

	return read(p->fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

static int vfio_unmask(struct path *p)
{
	return vfio_set_irq(p->devfd, VFIO_PCI_INTX_IRQ_INDEX,
			    VFIO_IRQ_SET_ACTION_UNMASK, -1);
}

/* ---- the loop -------------------------------------------------------------- */

static struct path paths[] = {
	{ .name = "uiox-intx-read", .setup = uiox_intx_setup, .wait = uiox_read,
	  .rearm = uiox_unmask },
	{ .name = "uiox-intx-wait", .setup = uiox_intx_setup, .wait = uiox_wait },
	{ .name = "uiox-msi-read", .setup = uiox_msi_setup, .wait = uiox_read },
	{ .name = "uiox-msi-wait", .setup = uiox_msi_setup, .wait = uiox_wait },
	{ .name = "uiox-msi-epoll", .setup = uiox_epoll_setup, .wait = uiox_epoll_wait },
	{ .name = "uio-intx", .setup = uio_setup, .wait = uiox_read, .rearm = uio_unmask },
	{ .name = "vfio-intx", .setup = vfio_intx_setup, .wait = vfio_read,
	  .rearm = vfio_unmask },
	{ .name = "vfio-msi", .setup = vfio_msi_setup, .wait = vfio_read },
};

int main(int argc, char **argv)
{
	struct path *p = NULL;
	uint64_t *lat, t0, start;
	unsigned long n, i;
	unsigned int k;

	if (argc != 4 || !(n = strtoul(argv[3], NULL, 10))) {
		fprintf(stderr, "usage: irq_bench CASE BDF N\n");
		return 2;
	}
	for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
		if (!strcmp(argv[1], paths[k].name))
			p = &paths[k];
	if (!p) {
		fprintf(stderr, "irq_bench: unknown case %s\n", argv[1]);
		return 2;
	}
	lat = calloc(n, sizeof(*lat));
	if (!lat || p->setup(p, argv[2]))
		return 1;
	uio_write32(p->bar, EDU_REG_IRQ_ACK, ~0u);
	uio_write32(p->bar, EDU_REG_STATUS, EDU_STATUS_IRQ_FACT);
	start = bench_now_ns();
	for (i = 0; i < n; i++) {
		t0 = bench_now_ns();
		uio_write32(p->bar, EDU_REG_FACTORIAL, 1);
		if (p->wait(p)) {
			bench_fail("wait");
			return 1;
		}
		lat[i] = bench_now_ns() - t0;
		uio_write32(p->bar, EDU_REG_IRQ_ACK, EDU_IRQ_FACT);
		if (p->rearm && p->rearm(p)) {
			bench_fail("unmask");
			return 1;
		}
	}
	return bench_report(p->name, lat, n, bench_now_ns() - start);
}
