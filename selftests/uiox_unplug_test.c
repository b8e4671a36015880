// SPDX-License-Identifier: GPL-2.0
/*
 * uiox unplug selftest: a process reading BAR0 in a loop when the device
 * goes away must get SIGBUS, not stale data; open files must fail cleanly
 * with ENODEV and close without trouble.
 *
 * Destructive: it removes both edu devices, so selftests/run runs it last.
 *   - the edu behind a pcie-root-port (QEMU id "eduhp0", tools/vmrun device
 *     set "edu-hotplug") is unplugged from the host with device_del, which
 *     the guest sees as a PCIe hot-unplug (pciehp);
 *   - the edu on the root bus is removed through sysfs "remove".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uiox.h>

#include "kselftest_harness.h"

#define EDU_VENDOR	"0x1234"
#define EDU_DEVICE	"0x11e8"
#define EDU_ID		0x010000ed
#define EDU_BAR0_SIZE	(1024 * 1024)

/* child exit codes */
#define CHILD_SETUP_FAILED	10
#define CHILD_READ_STALE	11

static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * The edu device on bus 0 (@behind_bridge false) or behind a bridge
 * (@behind_bridge true), by PCI name.
 */
static int find_edu(int behind_bridge, char *name, size_t len)
{
	FILE *p = popen("ls /sys/bus/pci/devices", "r");
	char bdf[64], path[256], v[16], d[16];
	int found = -1;

	if (!p)
		return -1;
	while (found && fgets(bdf, sizeof(bdf), p)) {
		bdf[strcspn(bdf, "\n")] = '\0';
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", bdf);
		if (read_line(path, v, sizeof(v)))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", bdf);
		if (read_line(path, d, sizeof(d)))
			continue;
		if (strcmp(v, EDU_VENDOR) || strcmp(d, EDU_DEVICE))
			continue;
		/* "0000:00:..." is on the root bus */
		if ((strncmp(bdf + 5, "00:", 3) != 0) == behind_bridge) {
			snprintf(name, len, "%s", bdf);
			found = 0;
		}
	}
	pclose(p);
	return found;
}

static int wait_gone(const char *path, int seconds)
{
	int i;

	for (i = 0; i < seconds * 10; i++) {
		if (access(path, F_OK))
			return 0;
		usleep(100000);
	}
	return -1;
}

/*
 * Child: map BAR0, report through @ready, then read the ID register until
 * something happens.  A stale read (anything but the ID) exits with
 * CHILD_READ_STALE; the expected outcome is death by SIGBUS.
 */
static void reader(const char *node, int ready)
{
	volatile uint32_t *bar;
	int fd;

	fd = open(node, O_RDWR);
	if (fd < 0)
		_exit(CHILD_SETUP_FAILED);
	bar = mmap(NULL, EDU_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   UIOX_REGION_OFFSET(0));
	if (bar == MAP_FAILED || bar[0] != EDU_ID)
		_exit(CHILD_SETUP_FAILED);
	if (write(ready, "r", 1) != 1)
		_exit(CHILD_SETUP_FAILED);
	for (;;)
		if (bar[0] != EDU_ID)
			_exit(CHILD_READ_STALE);
}

/* Ask vmrun on the host for a monitor command (see tools/vmrun). */
static int host_hmp(const char *cmd)
{
	FILE *con = fopen("/dev/console", "w");

	if (!con)
		return -1;
	fprintf(con, "uiox-host: hmp %s\n", cmd);
	return fclose(con);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/*
 * Run the scenario on one device: a reader child, an fd and a mapping held
 * by the parent, then @unplug.  Checks what each of them sees afterwards.
 */
static void unplug_scenario(struct __test_metadata *_metadata,
			    const char *bdf, int (*unplug)(const char *bdf))
{
	struct uiox_device_info info = { .argsz = sizeof(info) };
	char node[128], sysdev[128];
	int pipefd[2], status, fd;
	volatile uint32_t *bar;
	pid_t pid;
	char c;

	snprintf(node, sizeof(node), "/dev/uiox/%s", bdf);
	snprintf(sysdev, sizeof(sysdev), "/sys/bus/pci/devices/%s", bdf);
	ASSERT_EQ(0, access(node, F_OK)) {
		TH_LOG("%s is not bound to uiox", bdf);
	}

	fd = open(node, O_RDWR);
	ASSERT_LE(0, fd);
	bar = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, UIOX_REGION_OFFSET(0));
	ASSERT_NE(MAP_FAILED, bar);
	ASSERT_EQ(EDU_ID, bar[0]);

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(pipefd[0]);
		reader(node, pipefd[1]);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1)) {
		TH_LOG("reader could not map BAR0");
	}
	close(pipefd[0]);

	ASSERT_EQ(0, unplug(bdf));
	EXPECT_EQ(0, wait_gone(sysdev, 30)) {
		TH_LOG("%s still present 30 s after unplug", bdf);
	}

	/* The reader must die of SIGBUS, and soon. */
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status)) {
		TH_LOG("reader exited with %d instead of a signal",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	if (WIFSIGNALED(status))
		EXPECT_EQ(SIGBUS, WTERMSIG(status));

	/* The parent's open file fails cleanly, and closes. */
	EXPECT_EQ(-1, ioctl(fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
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
	return write_str(path, "1");
}

TEST(hot_unplug_sigbus_enodev)
{
	char bdf[64];

	ASSERT_EQ(0, find_edu(1, bdf, sizeof(bdf))) {
		TH_LOG("no edu behind a root port (vmrun --dev edu-hotplug)");
	}
	unplug_scenario(_metadata, bdf, unplug_from_host);
}

TEST(sysfs_remove_sigbus_enodev)
{
	char bdf[64];

	ASSERT_EQ(0, find_edu(0, bdf, sizeof(bdf))) {
		TH_LOG("no edu on the root bus (vmrun --dev edu)");
	}
	unplug_scenario(_metadata, bdf, remove_via_sysfs);
}

TEST(rmmod_after_unplug)
{
	int status = system("rmmod uiox");

	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_NE(0, access("/sys/module/uiox", F_OK));
}

TEST_HARNESS_MAIN
