// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio against the real stub, inside a guest (a kselftest of the uiox collection):
 * discovery and the hot-plug monitor, surviving an unbind (with and
 * without uio_survive_unplug()), mapping, interrupts (INTx, MSI, MSI-X
 * through pollable fds in epoll), DMA buffers, port I/O, and the errno
 * contracts that need a device.  Device IDs and sysfs helpers come from
 * the selftests' uiox_test.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libuio.h>

#include "uiox_test.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

/* The first edu: on the root bus in this guest's device order. */
FIXTURE(edu) {
	struct uio_dev *dev;
	void *bar;
};

FIXTURE_SETUP(edu)
{
	char name[64];
	size_t size;

	ASSERT_EQ(0, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	self->dev = uio_open(name);
	ASSERT_NE(NULL, self->dev);
	EXPECT_STREQ(name, uio_name(self->dev));
	self->bar = uio_map_region(self->dev, 0, &size);
	ASSERT_NE(NULL, self->bar);
	EXPECT_EQ(1024 * 1024, size);
}

FIXTURE_TEARDOWN(edu)
{
	uio_irq_set_mode(self->dev, UIOX_IRQ_INTX, 1);
	uio_bus_master(self->dev, false);
	uio_close(self->dev);
}

TEST_F(edu, map_is_cached_and_reads_id)
{
	EXPECT_EQ(self->bar, uio_map_region(self->dev, 0, NULL));
	EXPECT_EQ(EDU_ID, uio_read32(self->bar, EDU_REG_ID));
	EXPECT_EQ(NULL, uio_map_region(self->dev, 1, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(NULL, uio_map_region(self->dev, 6, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, uio_unmap_region(self->dev, 0));
	EXPECT_EQ(-1, uio_unmap_region(self->dev, 0));
	EXPECT_EQ(EINVAL, errno);
	self->bar = uio_map_region(self->dev, 0, NULL);
	ASSERT_NE(NULL, self->bar);
}

/* The driver loop with INTx: wait (unmasks), service, repeat. */
TEST_F(edu, intx_wait_loop)
{
	uint32_t count;
	int i;

	EXPECT_EQ(-1, uio_irq_wait(self->dev, 0, 50, &count));
	EXPECT_EQ(ETIMEDOUT, errno);
	for (i = 1; i <= 5; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (pid == 0) {
			usleep(50000);
			uio_write32(self->bar, EDU_REG_IRQ_RAISE, 1);
			_exit(0);
		}
		ASSERT_EQ(0, uio_irq_wait(self->dev, 0, 2000, &count));
		EXPECT_EQ(i, count);
		uio_write32(self->bar, EDU_REG_IRQ_ACK, uio_read32(self->bar, EDU_REG_IRQ_STATUS));
		waitpid(pid, NULL, 0);
	}
}

TEST_F(edu, msi_with_bus_master)
{
	struct uiox_irq_info info;
	uint32_t count;

	ASSERT_EQ(0, uio_irq_set_mode(self->dev, UIOX_IRQ_MSI, 1));
	ASSERT_EQ(0, uio_bus_master(self->dev, true));
	ASSERT_EQ(0, uio_irq_info(self->dev, &info));
	EXPECT_EQ(UIOX_IRQ_MSI, info.mode);
	uio_write32(self->bar, EDU_REG_IRQ_RAISE, 1);
	ASSERT_EQ(0, uio_irq_wait(self->dev, 0, 2000, &count));
	EXPECT_EQ(1, count);
	uio_write32(self->bar, EDU_REG_IRQ_ACK, 1);

	EXPECT_EQ(-1, uio_irq_set_mode(self->dev, UIOX_IRQ_MSIX, 1));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, uio_irq_wait(self->dev, 3, 0, NULL));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(edu, irq_fd_is_pollable_and_stable)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	int fd, ep;

	fd = uio_irq_fd(self->dev, 0);
	ASSERT_LE(0, fd);
	EXPECT_EQ(fd, uio_irq_fd(self->dev, 0));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	EXPECT_EQ(0, epoll_wait(ep, &out, 1, 50));
	uio_write32(self->bar, EDU_REG_IRQ_RAISE, 1);
	EXPECT_EQ(1, epoll_wait(ep, &out, 1, 2000));
	uio_write32(self->bar, EDU_REG_IRQ_ACK, 1);
	close(ep);

	/* a mode change closes the cached fds */
	ASSERT_EQ(0, uio_irq_set_mode(self->dev, UIOX_IRQ_INTX, 1));
	EXPECT_EQ(-1, fcntl(fd, F_GETFD));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(edu, controls_report_errno)
{
	uint32_t v;

	EXPECT_EQ(-1, uio_port_read(self->dev, 0, 0, 4, &v));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uio_reset(self->dev));	/* no reset method on bus 0 */
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(0, uio_bus_master(self->dev, true));
	EXPECT_EQ(0, uio_bus_master(self->dev, false));
}

/* edu copies one DMA buffer into its own memory and back into another. */
TEST_F(edu, dma_buffers_round_trip)
{
	struct uio_dma *a, *b, *c, fake = { 0 };
	unsigned char *pa, *pb;
	size_t i;

	EXPECT_EQ(NULL, uio_dma_alloc(self->dev, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, uio_dma_set_mask(self->dev, 65));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, uio_dma_set_mask(self->dev, EDU_DMA_BITS));
	a = uio_dma_alloc(self->dev, EDU_DMA_LEN);
	b = uio_dma_alloc(self->dev, 4096);
	c = uio_dma_alloc(self->dev, 4096);	/* left for uio_close() */
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(getpagesize(), a->size);	/* a page */
	EXPECT_GT(1ULL << EDU_DMA_BITS, a->iova);
	pa = a->vaddr;
	pb = b->vaddr;
	for (i = 0; i < EDU_DMA_LEN; i++)
		pa[i] = (unsigned char)(i * 5 + 1);
	ASSERT_EQ(0, uio_bus_master(self->dev, true));

	ASSERT_EQ(0, edu_dma(self->bar, a->iova, EDU_DMA_BUF, EDU_DMA_LEN,
			     EDU_DMA_FROM_RAM));
	ASSERT_EQ(0, edu_dma(self->bar, EDU_DMA_BUF, b->iova, EDU_DMA_LEN,
			     EDU_DMA_TO_RAM));
	EXPECT_EQ(0, memcmp(pa, pb, EDU_DMA_LEN));

	EXPECT_EQ(0, uio_dma_free(self->dev, a));
	EXPECT_EQ(0, uio_dma_free(self->dev, b));
	EXPECT_EQ(0, uio_dma_free(self->dev, NULL));
	EXPECT_EQ(-1, uio_dma_free(self->dev, &fake));
	EXPECT_EQ(EINVAL, errno);
}

/* Wait up to 5 s for @type on @name from @mon. */
static int monitor_wait(struct uio_monitor *mon, enum uio_event_type type,
			const char *name)
{
	struct uio_event ev;
	int i;

	for (i = 0; i < 50; i++) {
		while (uio_monitor_read(mon, &ev) == 0)
			if (ev.type == type && !strcmp(ev.name, name))
				return 0;
		if (errno != EAGAIN)
			return -1;
		readable_within(uio_monitor_fd(mon), 100);
	}
	return -1;
}

/*
 * Surviving an unbind (the same path as an unplug): the monitor reports
 * the removal, the handle says it is gone and fails cleanly; after the
 * device is bound again the monitor reports it and it opens as new.
 */
TEST(monitor_sees_device_go_and_come_back)
{
	struct uio_monitor *mon;
	struct uio_event ev;
	struct uio_dev *dev;
	char name[64];
	uint32_t n;
	void *bar;

	ASSERT_EQ(0, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	mon = uio_monitor_open();
	ASSERT_NE(NULL, mon);
	dev = uio_open(name);
	ASSERT_NE(NULL, dev);
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	EXPECT_FALSE(uio_gone(dev));

	ASSERT_EQ(0, uiox_unbind("pci", name));
	EXPECT_EQ(0, monitor_wait(mon, UIO_EVENT_REMOVE, name))
		TH_LOG("no remove event for %s", name);
	EXPECT_TRUE(uio_gone(dev));
	EXPECT_EQ(-1, uio_irq_wait(dev, 0, 0, &n));
	EXPECT_EQ(ENODEV, errno);
	uio_close(dev);		/* unmaps, closes: nothing left behind */

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers_probe", name));
	EXPECT_EQ(0, monitor_wait(mon, UIO_EVENT_ADD, name))
		TH_LOG("no add event for %s", name);
	dev = uio_open(name);
	ASSERT_NE(NULL, dev);
	EXPECT_FALSE(uio_gone(dev));
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	EXPECT_EQ(EDU_ID, uio_read32(bar, EDU_REG_ID));
	uio_close(dev);
	uio_monitor_close(mon);

	/* a new monitor has heard nothing yet */
	mon = uio_monitor_open();
	ASSERT_NE(NULL, mon);
	EXPECT_EQ(-1, uio_monitor_read(mon, &ev));
	EXPECT_EQ(EAGAIN, errno);
	uio_monitor_close(mon);
	uio_monitor_close(NULL);
}

/* With uio_survive_unplug(), a vanished device's mappings read all-ones. */
TEST(survive_unplug_reads_all_ones)
{
	struct uio_dev *dev;
	struct uio_dma *buf;
	volatile uint8_t *mem;
	char name[64];
	void *bar;

	ASSERT_EQ(0, uio_survive_unplug());
	ASSERT_EQ(0, uio_survive_unplug());	/* again: nothing more */
	ASSERT_EQ(0, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	dev = uio_open(name);
	ASSERT_NE(NULL, dev);
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	ASSERT_EQ(0, uio_dma_set_mask(dev, EDU_DMA_BITS));
	buf = uio_dma_alloc(dev, 4096);
	ASSERT_NE(NULL, buf);
	mem = buf->vaddr;
	mem[0] = 0x11;
	EXPECT_EQ(EDU_ID, uio_read32(bar, EDU_REG_ID));

	ASSERT_EQ(0, uiox_unbind("pci", name));
	EXPECT_EQ(0xffffffff, uio_read32(bar, EDU_REG_ID));
	EXPECT_EQ(0xffffffff, uio_read32(bar, EDU_REG_IRQ_STATUS));
	uio_write32(bar, EDU_REG_IRQ_RAISE, 1);	/* reaches nothing, kills nothing */
	EXPECT_EQ(0xff, mem[0]);
	EXPECT_TRUE(uio_gone(dev));
	EXPECT_EQ(0, uio_dma_free(dev, buf));
	uio_close(dev);

	ASSERT_EQ(0, sysfs_write("/sys/bus/pci/drivers_probe", name));
	dev = uio_open(name);
	ASSERT_NE(NULL, dev);
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	EXPECT_EQ(EDU_ID, uio_read32(bar, EDU_REG_ID));
	uio_close(dev);
}

/* ...and any other SIGBUS still kills the process. */
TEST(survive_unplug_leaves_other_sigbus_alone)
{
	int status = 0;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = memfd_create("empty", 0);
		volatile char *p;

		if (fd < 0 || uio_survive_unplug())
			_exit(1);
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			_exit(1);
		(void)p[0];	/* beyond the end of an empty file */
		_exit(2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGBUS, WTERMSIG(status));
}

TEST(e1000e_port_io)
{
	struct uiox_region_info r;
	struct uio_dev *dev;
	char name[64];
	uint32_t v = 0;
	void *bar;
	int io;

	ASSERT_EQ(0, uio_find_pci(0x8086, 0x10d3, 0, name, sizeof(name)));
	dev = uio_open(name);
	ASSERT_NE(NULL, dev);
	for (io = 0; io < 6; io++) {
		ASSERT_EQ(0, uio_region_info(dev, io, &r));
		if (r.flags & UIOX_REGION_IO)
			break;
	}
	ASSERT_GT(6, io);
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	ASSERT_EQ(0, uio_port_write(dev, io, E1000E_IOADDR, 4, E1000E_STATUS));
	ASSERT_EQ(0, uio_port_read(dev, io, E1000E_IODATA, 4, &v));
	EXPECT_EQ(uio_read32(bar, E1000E_STATUS), v);
	EXPECT_EQ(-1, uio_port_write(dev, io, 0, 1, 0x100));
	EXPECT_EQ(EINVAL, errno);
	uio_close(dev);
}

/* An absolute path opens the same device, named as in the class. */
TEST(open_by_node_path)
{
	char name[64], path[96];
	struct uio_dev *dev;

	ASSERT_EQ(0, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	snprintf(path, sizeof(path), "/dev/uiox/%s", name);
	dev = uio_open(path);
	ASSERT_NE(NULL, dev) TH_LOG("%s: %s", path, strerror(errno));
	EXPECT_STREQ(name, uio_name(dev));
	uio_close(dev);
	EXPECT_EQ(NULL, uio_open("/dev/ttyS0"));	/* a real device node */
	EXPECT_EQ(ENOTTY, errno);
}

TEST(open_unbound_pci_device_is_enoent)
{
	EXPECT_EQ(NULL, uio_open("0000:00:1f.3"));	/* SMBus, not bound */
	EXPECT_EQ(ENOENT, errno);
}

/* Entries of /proc/self/fd, and lines of /proc/self/maps naming @what. */
static int fd_count(void)
{
	int n = dir_entries("/proc/self/fd");

	return n < 0 ? -1 : n - 1;	/* not the directory's own descriptor */
}

static int maps_naming(const char *what)
{
	return lines_naming("/proc/self/maps", what);
}

static int count_cb(const struct uio_dev_desc *desc, void *arg)
{
	++*(int *)arg;
	return 0;
}

/*
 * The library never prints, on success or failure, and uio_close() leaves
 * no descriptor and no mapping behind: every area's calls are made with
 * stdout and stderr on a memfd, which must stay empty.
 */
TEST(never_prints_and_close_leaves_nothing)
{
	int out, saved[2], fds, found = 0;
	struct uio_monitor *mon;
	struct uio_event ev;
	struct uio_dma *buf;
	struct uio_dev *dev;
	uint32_t count;
	char name[64];
	size_t size;

	ASSERT_EQ(0, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	fds = fd_count();
	ASSERT_EQ(0, maps_naming("/dev/uiox/"));
	out = memfd_create("libuio-output", 0);
	ASSERT_LE(0, out);
	fflush(stdout);
	fflush(stderr);
	saved[0] = dup(1);
	saved[1] = dup(2);
	dup2(out, 1);
	dup2(out, 2);

	EXPECT_EQ(NULL, uio_open("no-such-device"));
	EXPECT_EQ(NULL, uio_open("/dev/null"));
	EXPECT_EQ(-1, uio_find_pci(0xdead, 0xbeef, 0, name + 32, 32));
	EXPECT_LT(0, uio_enumerate(count_cb, &found));
	mon = uio_monitor_open();
	EXPECT_NE(NULL, mon);
	if (mon) {
		EXPECT_EQ(-1, uio_monitor_read(mon, &ev));
		uio_monitor_close(mon);
	}
	dev = uio_open(name);
	EXPECT_NE(NULL, dev);
	if (dev) {
		EXPECT_NE(NULL, uio_map_region(dev, 0, &size));
		EXPECT_EQ(NULL, uio_map_region(dev, 7, &size));
		EXPECT_EQ(-1, uio_irq_set_mode(dev, 99, 1));
		EXPECT_EQ(0, uio_irq_set_mode(dev, UIOX_IRQ_MSI, 1));
		EXPECT_LE(0, uio_irq_fd(dev, 0));
		EXPECT_EQ(-1, uio_irq_fd(dev, 5));
		EXPECT_EQ(-1, uio_irq_wait(dev, 0, 0, &count));
		buf = uio_dma_alloc(dev, 4096);
		EXPECT_NE(NULL, buf);
		if (buf)
			EXPECT_EQ(0, uio_dma_free(dev, buf));
		EXPECT_EQ(0, uio_irq_set_mode(dev, UIOX_IRQ_INTX, 1));
		uio_close(dev);
	}

	fflush(stdout);
	fflush(stderr);
	dup2(saved[0], 1);
	dup2(saved[1], 2);
	close(saved[0]);
	close(saved[1]);
	EXPECT_LT(0, found);
	/* what went there (a failed EXPECT above also lands there) */
	if (lseek(out, 0, SEEK_END) > 0) {
		char text[512] = "";

		pread(out, text, sizeof(text) - 1, 0);
		TH_LOG("written to stdout or stderr: %s", text);
	}
	EXPECT_EQ(0, lseek(out, 0, SEEK_END));
	close(out);
	EXPECT_EQ(fds, fd_count());
	EXPECT_EQ(0, maps_naming("/dev/uiox/"));
}

TEST_HARNESS_MAIN
