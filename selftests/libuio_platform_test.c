// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio on a device-tree platform device, inside an arm64 guest (a
 * kselftest of the uiox collection): QEMU virt's PL031 RTC, which dts/
 * hands to uiox.
 *
 * uio_survive_unplug() takes over a SIGBUS only for a gone device: the
 * alignment fault an unaligned access to Device memory raises on arm64
 * hardware (glibc's memcpy() on a BAR does that), and even an address
 * fault, on the mapping of a device that is still there, must still kill
 * with SIGBUS.  QEMU 7.2's TCG raises no alignment fault for Device
 * memory, so the test sends both with the kernel's own fields
 * (rt_tgsigqueueinfo, to itself).  After a real unbind, the mapping
 * reads all-ones.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libuio.h>

#include "uiox_test.h"
#include "../tools/examples/devices/pl031.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PLATFORM(VIRT_PL031_NAME, "QEMU virt's PL031")

/* In a child: the PL031 mapped, unplug survival on, @code sent at it. */
static int live_fault(int code)
{
	struct uio_dev *dev;
	int status;
	siginfo_t si;
	pid_t pid;
	void *bar;

	pid = fork();
	if (pid == 0) {
		dev = uio_open(VIRT_PL031_NAME);
		bar = dev ? uio_map_region(dev, 0, NULL) : NULL;
		if (!bar || uio_survive_unplug())
			_exit(10);
		if (uio_read32(bar, PL031_PCELLID0) != 0x0d)
			_exit(11);
		memset(&si, 0, sizeof(si));
		si.si_signo = SIGBUS;
		si.si_code = code;
		si.si_addr = (char *)bar + 1;
		syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGBUS, &si);
		_exit(uio_read32(bar, PL031_PCELLID0) == 0x0d ? 0 : 12);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(an_alignment_fault_on_a_live_device_kills)
{
	EXPECT_EQ(128 + SIGBUS, live_fault(BUS_ADRALN));
}

TEST(an_address_fault_on_a_live_device_kills)
{
	EXPECT_EQ(128 + SIGBUS, live_fault(BUS_ADRERR));
}

TEST(after_unbind_the_mapping_reads_all_ones)
{
	struct uio_dev *dev = uio_open(VIRT_PL031_NAME);
	void *bar;

	ASSERT_NE(NULL, dev) TH_LOG("%s: %s", VIRT_PL031_NAME, strerror(errno));
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	ASSERT_EQ(0, uio_survive_unplug());
	ASSERT_EQ(0x0d, uio_read32(bar, PL031_PCELLID0));
	ASSERT_EQ(0, uiox_unbind("platform", VIRT_PL031_NAME));
	EXPECT_EQ(0xffffffff, uio_read32(bar, PL031_PCELLID0));
	EXPECT_TRUE(uio_gone(dev));
	uio_close(dev);
	EXPECT_EQ(0, uiox_driver_bind("platform", VIRT_PL031_NAME));
	dev = uio_open(VIRT_PL031_NAME);
	ASSERT_NE(NULL, dev);
	bar = uio_map_region(dev, 0, NULL);
	ASSERT_NE(NULL, bar);
	EXPECT_EQ(0x0d, uio_read32(bar, PL031_PCELLID0));
	uio_close(dev);
}

TEST_HARNESS_MAIN
