// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio's discovery on the host, without the stub: real libudev, with
 * some of its calls faked by this program where an answer the host will
 * not give is needed (a socket overrun, a failed scan), so that no test
 * has to flood the host's uevents or break its sysfs.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libudev.h>
#include <libuio.h>

#include "kselftest_harness.h"

static int fake_errno;		/* 0: libudev's own answer */

struct udev_device *udev_monitor_receive_device(struct udev_monitor *m)
{
	static struct udev_device *(*real)(struct udev_monitor *);

	if (fake_errno) {
		errno = fake_errno;
		return NULL;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "udev_monitor_receive_device");
	return real(m);
}

static int fake_scan_result;	/* 0: libudev's own answer */

int udev_enumerate_scan_devices(struct udev_enumerate *en)
{
	static int (*real)(struct udev_enumerate *);

	if (fake_scan_result) {
		errno = ENOENT;		/* stale, as libudev may leave it */
		return fake_scan_result;
	}
	if (!real)
		real = dlsym(RTLD_NEXT, "udev_enumerate_scan_devices");
	return real(en);
}

/* libudev's own error, not whatever errno held. */
TEST(a_failed_scan_reports_libudevs_error)
{
	fake_scan_result = -EACCES;
	errno = 0;
	EXPECT_EQ(-1, uio_enumerate(NULL, NULL));
	EXPECT_EQ(EACCES, errno);
	fake_scan_result = 0;
}

static long rmem_max(void)
{
	long v = -1;
	FILE *f = fopen("/proc/sys/net/core/rmem_max", "r");

	if (f && fscanf(f, "%ld", &v) != 1)
		v = -1;
	if (f)
		fclose(f);
	return v;
}

/*
 * The socket has room for a burst: libudev asks for 128 MiB (capped at
 * net.core.rmem_max without CAP_NET_ADMIN); at least 1 MiB of it.
 */
TEST(monitor_has_a_large_receive_buffer)
{
	struct uio_monitor *mon = uio_monitor_open();
	long want = 1 << 20, max = rmem_max();
	socklen_t len = sizeof(int);
	int got = 0;

	ASSERT_NE(NULL, mon) TH_LOG("uio_monitor_open: %s", strerror(errno));
	if (geteuid() && max >= 0 && max < want)
		want = max;
	ASSERT_EQ(0, getsockopt(uio_monitor_fd(mon), SOL_SOCKET, SO_RCVBUF,
				&got, &len));
	EXPECT_LE(want, got) TH_LOG("SO_RCVBUF %d, want %ld", got, want);
	uio_monitor_close(mon);
}

TEST(nothing_waiting_is_eagain)
{
	struct uio_monitor *mon = uio_monitor_open();
	struct uio_event ev;

	ASSERT_NE(NULL, mon);
	fake_errno = EAGAIN;
	errno = 0;
	EXPECT_EQ(-1, uio_monitor_read(mon, &ev));
	EXPECT_EQ(EAGAIN, errno);
	fake_errno = 0;
	uio_monitor_close(mon);
}

/* Lost events are reported, so that the caller enumerates again. */
TEST(an_overrun_is_enobufs_not_eagain)
{
	struct uio_monitor *mon = uio_monitor_open();
	struct uio_event ev;

	ASSERT_NE(NULL, mon);
	fake_errno = ENOBUFS;
	errno = 0;
	EXPECT_EQ(-1, uio_monitor_read(mon, &ev));
	EXPECT_EQ(ENOBUFS, errno);
	fake_errno = 0;
	uio_monitor_close(mon);
}

TEST_HARNESS_MAIN
