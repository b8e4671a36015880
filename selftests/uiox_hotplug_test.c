// SPDX-License-Identifier: GPL-2.0
/*
 * uiox hot-plug selftest.
 *
 * Unplug: a process reading BAR0 in a loop when the device goes away must
 * get SIGBUS, not stale data, and so must one mapping and unmapping in a
 * loop (or get ENODEV from mmap); readers, pollers and UNMASK_WAIT callers
 * seen asleep must wake with ENODEV and POLLERR|POLLHUP; open files must
 * fail cleanly and close.
 *   - the edu behind a pcie-root-port (QEMU id "eduhp0", device set
 *     "edu-hotplug" in tools/rig/machines.py) is unplugged from the host
 *     with device_del, which the guest sees as a PCIe hot-unplug (pciehp);
 *   - the edu on the root bus is removed through sysfs "remove".
 *
 * Soak: unplug and replug cycles of the edu behind the root port, the
 * scenario above each time.
 *
 * Hot-add: two functions with 256-byte BARs (sdhci-pci) plugged into the
 * emptied root port; Linux packs their BARs into one page, so neither may
 * be mapped.
 *
 * Destructive: it removes both edu devices, so the rig runs it last.
 */
#include <signal.h>

#include "uiox_test.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

/*
 * Child: map BAR0 through its own file, report ready, then read the ID
 * register until something happens.  A stale read (anything but the ID)
 * exits with CHILD_READ_STALE; the expected outcome is death by SIGBUS.
 */
static void bar_reader(int fd, int ready)
{
	volatile uint32_t *bar;

	bar = uiox_map(fd, 0, EDU_BAR0_SIZE);
	if (bar == MAP_FAILED || bar[EDU_REG_ID / 4] != EDU_ID)
		_exit(CHILD_SETUP_FAILED);
	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;)
		if (bar[EDU_REG_ID / 4] != EDU_ID)
			_exit(CHILD_READ_STALE);
}

/* Child: block in poll() on the device file; expect POLLERR|POLLHUP. */
static void blocked_poller(int fd, int ready)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	if (poll(&p, 1, 60000) == 1 &&
	    (p.revents & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP))
		_exit(CHILD_OK);
	_exit(CHILD_WRONG_RESULT);
}

/* Child: block in read() on a vector file; expect ENODEV. */
static void blocked_vector_reader(int fd, int ready)
{
	int vfd = uiox_vector_fd(fd, 0, UIOX_FD_CLOEXEC);
	int32_t c;

	if (vfd < 0 || write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	if (read(vfd, &c, sizeof(c)) == -1 && errno == ENODEV)
		_exit(CHILD_OK);
	_exit(CHILD_WRONG_RESULT);
}

/* Child: block in UIOX_IRQ_UNMASK_WAIT with no time limit; expect ENODEV. */
static void blocked_unmask_waiter(int fd, int ready)
{
	struct uiox_irq_wait w = { .argsz = sizeof(w), .timeout_ms = -1 };

	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	if (ioctl(fd, UIOX_IRQ_UNMASK_WAIT, &w) == -1 && errno == ENODEV)
		_exit(CHILD_OK);
	_exit(CHILD_WRONG_RESULT);
}

/* Child: block in poll() on a vector file; expect POLLERR|POLLHUP. */
static void blocked_vector_poller(int fd, int ready)
{
	struct pollfd p = { .fd = uiox_vector_fd(fd, 0, UIOX_FD_CLOEXEC),
			    .events = POLLIN };

	if (p.fd < 0 || write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	if (poll(&p, 1, 60000) == 1 &&
	    (p.revents & (POLLERR | POLLHUP)) == (POLLERR | POLLHUP))
		_exit(CHILD_OK);
	_exit(CHILD_WRONG_RESULT);
}

static void churner_sigbus(int sig)
{
	_exit(CHILD_OK);
}

/*
 * Child: map BAR0, read the ID, unmap, in a loop, so that faults race
 * remove().  It ends at the unplug: SIGBUS in a fault, or ENODEV from
 * mmap(), both CHILD_OK; anything but the ID read is CHILD_READ_STALE.
 */
static void map_churner(int fd, int ready)
{
	signal(SIGBUS, churner_sigbus);
	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;) {
		volatile uint32_t *bar = mmap(NULL, 4096, PROT_READ, MAP_SHARED,
					      fd, UIOX_REGION_OFFSET(0));

		if (bar == MAP_FAILED)
			_exit(errno == ENODEV ? CHILD_OK : CHILD_WRONG_RESULT);
		if (bar[EDU_REG_ID / 4] != EDU_ID)
			_exit(CHILD_READ_STALE);
		munmap((void *)bar, 4096);
	}
}

/* A spawned child asleep in @nr (or @nr2) within 5 s. */
static int asleep(pid_t pid, long nr, long nr2)
{
	char proc[32];

	return wait_asleep_in(proc_of(pid, proc, sizeof(proc)), nr, nr2, 5000);
}

/*
 * Run the scenario on one device: a BAR reader, a blocked reader, a blocked
 * poller and a blocked vector-file reader, plus a file, a BAR mapping and a
 * DMA buffer mapping held here; then @unplug.  Checks what each of them sees afterwards.
 */
static void unplug_scenario(struct __test_metadata *_metadata,
			    const char *bdf, int (*unplug)(const char *bdf))
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	struct uiox_reset reset = { .argsz = sizeof(reset) };
	/* each child, the system call it sleeps in (-1: none), its verdict */
	struct {
		void (*fn)(int fd, int ready);
		long nr, nr2;
		int want;
		const char *failed;
	} children[] = {
		{ bar_reader, -1, -1, 128 + SIGBUS,
		  "BAR reader did not die of SIGBUS" },
		{ blocked_reader, SYS_read, -1, CHILD_OK,
		  "blocked read() did not fail with ENODEV" },
		{ blocked_poller, SYS_ppoll, SYS_POLL_ANY, CHILD_OK,
		  "blocked poll() did not report POLLERR|POLLHUP" },
		{ blocked_vector_reader, SYS_read, -1, CHILD_OK,
		  "blocked vector read() did not fail with ENODEV" },
		{ blocked_unmask_waiter, SYS_ioctl, -1, CHILD_OK,
		  "blocked UIOX_IRQ_UNMASK_WAIT did not fail with ENODEV" },
		{ blocked_vector_poller, SYS_ppoll, SYS_POLL_ANY, CHILD_OK,
		  "blocked vector-file poll() did not report POLLERR|POLLHUP" },
		{ map_churner, -1, -1, CHILD_OK,
		  "the map/read/unmap loop did not end in SIGBUS or ENODEV" },
	};
	char node[128], sysdev[128];
	volatile unsigned char *dma;
	struct uiox_dma_alloc a;
	pid_t pid[ARRAY_SIZE(children)];
	volatile void *bar;
	unsigned int i;
	int fd;

	snprintf(node, sizeof(node), "/dev/uiox/%s", bdf);
	snprintf(sysdev, sizeof(sysdev), "/sys/bus/pci/devices/%s", bdf);
	fd = uiox_open(bdf, 0);
	ASSERT_LE(0, fd) {
		TH_LOG("%s is not bound to uiox", bdf);
	}
	bar = uiox_map(fd, 0, 4096);
	ASSERT_NE(MAP_FAILED, bar);
	ASSERT_EQ(EDU_ID, rd32(bar, EDU_REG_ID));
	ASSERT_EQ(0, uiox_dma_alloc(fd, 4096, &a));
	dma = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   (off_t)a.offset);
	ASSERT_NE(MAP_FAILED, dma);
	dma[0] = 0x42;

	for (i = 0; i < ARRAY_SIZE(children); i++) {
		pid[i] = spawn(children[i].fn, fd);
		ASSERT_LT(0, pid[i]);
	}
	/* the unplug must find the sleepers asleep, not on their way there */
	for (i = 0; i < ARRAY_SIZE(children); i++) {
		if (children[i].nr >= 0)
			EXPECT_EQ(0, asleep(pid[i], children[i].nr,
					    children[i].nr2));
	}

	ASSERT_EQ(0, unplug(bdf));
	EXPECT_EQ(0, wait_gone(sysdev, 30)) {
		TH_LOG("%s still present 30 s after unplug", bdf);
	}

	for (i = 0; i < ARRAY_SIZE(children); i++) {
		EXPECT_EQ(children[i].want, exit_code(pid[i])) {
			TH_LOG("%s", children[i].failed);
		}
	}

	/* The file held here fails cleanly, and closes. */
	EXPECT_EQ(-1, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, uio_read_count(fd));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, uio_unmask(fd, 1));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, uiox_dma_free(fd, a.id));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(fd, UIOX_RESET, &reset));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(128 + SIGBUS, exit_code(touch_in_child(dma))) {
		TH_LOG("the DMA buffer's mapping outlived the device");
	}
	EXPECT_EQ(0, munmap((void *)dma, 4096));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_NE(0, access(node, F_OK));
	EXPECT_EQ(0, munmap((void *)bar, 4096));
	EXPECT_EQ(0, close(fd));
}

static int unplug_from_host(const char *bdf)
{
	return host_hmp("device_del eduhp0");
}

static int remove_via_sysfs(const char *bdf)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	return sysfs_write(path, "1");
}

/* The edu found at @where, unplugged with @unplug. */
static void unplug_edu(struct __test_metadata *_metadata, int where,
		       int (*unplug)(const char *bdf))
{
	char bdf[64];

	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, where, 0, bdf,
			      sizeof(bdf))) {
		TH_LOG("no edu %s (vmrun --dev %s)",
		       where == ROOT_BUS ? "on the root bus" : "behind a root port",
		       where == ROOT_BUS ? "edu" : "edu-hotplug");
	}
	unplug_scenario(_metadata, bdf, unplug);
}

/*
 * Unplug and replug cycles of the hot-pluggable edu (UIOX_SOAK_CYCLES, 2
 * by default; make soak runs 100): each cycle the whole unplug scenario,
 * then the device comes back (device_add from the host), binds and works.
 * Nothing may pile up: as many uiox devices and IRQ lines after the cycles
 * as before them.
 */
/*
 * The harness gives every TEST 30 s, which would cut the soak short (and a
 * fixture's tests run after all the plain ones, when the device is gone):
 * this one gets 30 minutes; vmrun's limit still holds.
 */
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	1800
TEST(unplug_replug_cycles)
{
	const char *env = getenv("UIOX_SOAK_CYCLES");
	int cycles = env ? atoi(env) : 2, i, devs, lines;
	char bdf[64], path[128];
	volatile void *bar;
	int fd;

	ASSERT_LT(0, cycles);
	ASSERT_EQ(0, pci_find(EDU_VENDOR, EDU_DEVICE, BEHIND_BRIDGE, 0, bdf,
			      sizeof(bdf))) {
		TH_LOG("no edu behind a root port (vmrun --dev edu-hotplug)");
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	devs = dir_entries("/sys/class/uiox");
	lines = lines_naming("/proc/interrupts", "uiox[");
	for (i = 0; i < cycles; i++) {
		unplug_scenario(_metadata, bdf, unplug_from_host);
		ASSERT_EQ(0, host_hmp("device_add edu,id=eduhp0,bus=rp1"));
		ASSERT_EQ(0, wait_exists(path, 30)) {
			TH_LOG("cycle %d: %s did not come back", i + 1, bdf);
		}
		ASSERT_EQ(0, uiox_bind_override("pci", bdf)) {
			TH_LOG("cycle %d: %s does not bind again", i + 1, bdf);
		}
		fd = uiox_open(bdf, 0);
		ASSERT_LE(0, fd);
		bar = uiox_map(fd, 0, 4096);
		ASSERT_NE(MAP_FAILED, bar);
		ASSERT_EQ(EDU_ID, rd32(bar, EDU_REG_ID));
		wr32(bar, EDU_REG_LIVENESS, 0x5a5a0000 + i);
		ASSERT_EQ(~(0x5a5a0000U + i), rd32(bar, EDU_REG_LIVENESS));
		munmap((void *)bar, 4096);
		close(fd);
	}
	EXPECT_EQ(devs, dir_entries("/sys/class/uiox"));
	EXPECT_EQ(lines, lines_naming("/proc/interrupts", "uiox["));
	TH_LOG("%d unplug/replug cycles", cycles);
}

#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT	30

TEST(hot_unplug_sigbus_enodev)
{
	unplug_edu(_metadata, BEHIND_BRIDGE, unplug_from_host);
}

/* Runs after hot_unplug_sigbus_enodev has emptied the root port. */
TEST(sub_page_bars_sharing_a_page_are_not_mappable)
{
	static const char * const fn[] = { "0000:01:00.0", "0000:01:00.1" };
	unsigned long long start[2], end, flags, s;
	struct uiox_region_info r;
	char line[256];
	int i, fd, pad = 0;
	FILE *f;

	/* functions other than 0 first: plugging function 0 announces the slot */
	ASSERT_EQ(0, host_hmp("device_add sdhci-pci,bus=rp1,addr=0.1,id=sd1"));
	usleep(500000);
	ASSERT_EQ(0, host_hmp("device_add sdhci-pci,bus=rp1,addr=0.0,multifunction=on,id=sd0"));
	for (i = 0; i < 2; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", fn[i]);
		ASSERT_EQ(0, wait_exists(path, 30)) {
			TH_LOG("%s did not appear after hot-add", fn[i]);
		}
	}
	usleep(500000);

	/* the premise: Linux put both 256-byte BARs into one page */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, pci_resource(fn[i], 0, &start[i], &end, &flags));
	ASSERT_NE(start[0], start[1]);
	ASSERT_EQ(start[0] / 4096, start[1] / 4096) {
		TH_LOG("BARs at 0x%llx and 0x%llx: not one page", start[0], start[1]);
	}

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, uiox_bind_override("pci", fn[i])) {
			TH_LOG("cannot bind hot-added %s", fn[i]);
		}
		fd = uiox_open(fn[i], 0);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, region_info(fd, 0, &r));
		EXPECT_EQ(256, r.size);
		EXPECT_EQ(0, r.flags & UIOX_REGION_MMAP);
		EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
		EXPECT_EQ(EINVAL, errno);
		close(fd);
	}

	/* and no pad was claimed in that page */
	f = fopen("/proc/iomem", "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "uiox page pad") &&
		    sscanf(line, " %llx-", &s) == 1)
			pad |= s / 4096 == start[0] / 4096;
	fclose(f);
	EXPECT_FALSE(pad);
}

TEST(sysfs_remove_sigbus_enodev)
{
	unplug_edu(_metadata, ROOT_BUS, remove_via_sysfs);
}

/*
 * A removed device whose file is still open keeps the module: rmmod is
 * refused until the file closes.  Uses the first sdhci function that
 * sub_page_bars_sharing_a_page_are_not_mappable plugged in and bound.
 */
TEST(rmmod_refused_while_a_removed_devices_file_is_open)
{
	const char *bdf = "0000:01:00.0";
	char path[128];
	int fd, status;

	fd = uiox_open(bdf, 0);
	ASSERT_LE(0, fd) TH_LOG("%s is not bound to uiox", bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/remove", bdf);
	ASSERT_EQ(0, sysfs_write(path, "1"));
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	ASSERT_EQ(0, wait_gone(path, 10));
	status = system("rmmod uiox 2>/dev/null");
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	EXPECT_EQ(0, access("/sys/module/uiox", F_OK));
	EXPECT_EQ(0, close(fd));
}

TEST(rmmod_after_unplug)
{
	int status;

	/* the other devices bound to uiox go with the module */
	status = system("rmmod uiox");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_NE(0, access("/sys/module/uiox", F_OK));
}

TEST_HARNESS_MAIN
