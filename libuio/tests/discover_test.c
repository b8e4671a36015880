// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio's discovery on the host, without the stub: real libudev, with
 * some of its calls faked by this program where an answer the host will
 * not give is needed (a socket overrun, a failed scan), so that no test
 * has to flood the host's uevents or break its sysfs.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
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

/*
 * A fake sysfs for uio_enumerate(), in libudev's (syspath) order: an edu
 * behind the root port at 00:01.0, an edu on the root bus, and a platform
 * device below a PCI function (an MFD cell), bound to uiox.  The fake
 * objects are pointers into this table; libuio only hands them back.
 */
static struct fake_dev {
	const char *syspath, *subsystem, *vendor, *device;
	int parent;			/* index of the parent, or -1 */
} fake_sysfs[] = {
	/* 0 */ { "/sys/devices/pci0000:00/0000:00:01.0/0000:02:00.0/uiox/0000:02:00.0", "uiox", NULL, NULL, 1 },
	/* 1 */ { "/sys/devices/pci0000:00/0000:00:01.0/0000:02:00.0", "pci", "0x1234", "0x11e8", -1 },
	/* 2 */ { "/sys/devices/pci0000:00/0000:00:03.0/uiox/0000:00:03.0", "uiox", NULL, NULL, 3 },
	/* 3 */ { "/sys/devices/pci0000:00/0000:00:03.0", "pci", "0x1234", "0x11e8", -1 },
	/* 4 */ { "/sys/devices/pci0000:00/0000:00:04.0/mfd-cell.0/uiox/mfd-cell.0", "uiox", NULL, NULL, 5 },
	/* 5 */ { "/sys/devices/pci0000:00/0000:00:04.0/mfd-cell.0", "platform", NULL, NULL, 6 },
	/* 6 */ { "/sys/devices/pci0000:00/0000:00:04.0", "pci", "0x8086", "0x1234", -1 },
};
static const int fake_listed[] = { 0, 2, 4 };
static bool faking_sysfs;

#define FAKE(p)	((struct fake_dev *)(p))
#define REAL(fn) ({ static __typeof__(fn) *real_fn;			\
		    if (!real_fn)					\
			real_fn = dlsym(RTLD_NEXT, #fn);		\
		    real_fn; })

struct udev_list_entry *udev_enumerate_get_list_entry(struct udev_enumerate *en)
{
	if (!faking_sysfs)
		return REAL(udev_enumerate_get_list_entry)(en);
	return (struct udev_list_entry *)&fake_listed[0];
}

struct udev_list_entry *udev_list_entry_get_next(struct udev_list_entry *e)
{
	const int *i = (const int *)e;

	if (!faking_sysfs)
		return REAL(udev_list_entry_get_next)(e);
	return i + 1 < fake_listed + 3 ? (struct udev_list_entry *)(i + 1) : NULL;
}

const char *udev_list_entry_get_name(struct udev_list_entry *e)
{
	if (!faking_sysfs)
		return REAL(udev_list_entry_get_name)(e);
	return fake_sysfs[*(const int *)e].syspath;
}

struct udev_device *udev_device_new_from_syspath(struct udev *udev,
						 const char *path)
{
	unsigned int i;

	if (!faking_sysfs)
		return REAL(udev_device_new_from_syspath)(udev, path);
	for (i = 0; i < sizeof(fake_sysfs) / sizeof(fake_sysfs[0]); i++)
		if (!strcmp(fake_sysfs[i].syspath, path))
			return (struct udev_device *)&fake_sysfs[i];
	return NULL;
}

struct udev_device *udev_device_unref(struct udev_device *d)
{
	return faking_sysfs ? NULL : REAL(udev_device_unref)(d);
}

const char *udev_device_get_syspath(struct udev_device *d)
{
	return faking_sysfs ? FAKE(d)->syspath : REAL(udev_device_get_syspath)(d);
}

const char *udev_device_get_sysname(struct udev_device *d)
{
	return faking_sysfs ? strrchr(FAKE(d)->syspath, '/') + 1 :
			      REAL(udev_device_get_sysname)(d);
}

const char *udev_device_get_devnode(struct udev_device *d)
{
	return faking_sysfs ? NULL : REAL(udev_device_get_devnode)(d);
}

const char *udev_device_get_subsystem(struct udev_device *d)
{
	return faking_sysfs ? FAKE(d)->subsystem :
			      REAL(udev_device_get_subsystem)(d);
}

struct udev_device *udev_device_get_parent(struct udev_device *d)
{
	if (!faking_sysfs)
		return REAL(udev_device_get_parent)(d);
	return FAKE(d)->parent < 0 ? NULL :
	       (struct udev_device *)&fake_sysfs[FAKE(d)->parent];
}

struct udev_device *
udev_device_get_parent_with_subsystem_devtype(struct udev_device *d,
					      const char *subsystem,
					      const char *devtype)
{
	struct fake_dev *f = FAKE(d);

	if (!faking_sysfs)
		return REAL(udev_device_get_parent_with_subsystem_devtype)(d,
							subsystem, devtype);
	while (f->parent >= 0) {
		f = &fake_sysfs[f->parent];
		if (!strcmp(f->subsystem, subsystem))
			return (struct udev_device *)f;
	}
	return NULL;
}

const char *udev_device_get_sysattr_value(struct udev_device *d,
					  const char *attr)
{
	if (!faking_sysfs)
		return REAL(udev_device_get_sysattr_value)(d, attr);
	return !strcmp(attr, "vendor") ? FAKE(d)->vendor :
	       !strcmp(attr, "device") ? FAKE(d)->device : NULL;
}

static int record(const struct uio_dev_desc *desc, void *arg)
{
	char *names = arg;

	snprintf(names + strlen(names), 256 - strlen(names), "%s%s %04x:%04x",
		 names[0] ? ", " : "", desc->name, desc->vendor, desc->device);
	return 0;
}

/*
 * Name order, not libudev's syspath order; PCI IDs only of a PCI function
 * bound to uiox, not of a platform device's PCI ancestor.
 */
TEST(enumeration_is_in_name_order_with_ids_of_pci_functions_only)
{
	char names[256] = "", name[64];

	faking_sysfs = true;
	EXPECT_EQ(3, uio_enumerate(record, names));
	EXPECT_STREQ("0000:00:03.0 1234:11e8, 0000:02:00.0 1234:11e8, mfd-cell.0 0000:0000",
		     names);
	EXPECT_EQ(0, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	EXPECT_STREQ("0000:00:03.0", name);
	EXPECT_EQ(-1, uio_find_pci(0x8086, 0x1234, 0, name, sizeof(name)));
	EXPECT_EQ(ENOENT, errno);
	faking_sysfs = false;
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

/* CAP_NET_ADMIN in the effective set (root in a user namespace lacks it). */
static bool net_admin(void)
{
	unsigned long long caps = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &caps) == 1)
			break;
	if (f)
		fclose(f);
	return caps & (1ULL << 12);
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
	if (!net_admin() && max >= 0 && max < want)
		want = max;
	ASSERT_EQ(0, getsockopt(uio_monitor_fd(mon), SOL_SOCKET, SO_RCVBUF,
				&got, &len));
	EXPECT_LE(want, got) TH_LOG("SO_RCVBUF %d, want %ld", got, want);
	uio_monitor_close(mon);
}

/* What uio_monitor_read() says when libudev's receive fails with @err. */
static int monitor_read_errno(int err)
{
	struct uio_monitor *mon = uio_monitor_open();
	struct uio_event ev;
	int got = -1;

	if (!mon)
		return -1;
	fake_errno = err;
	errno = 0;
	if (uio_monitor_read(mon, &ev) == -1)
		got = errno;
	fake_errno = 0;
	uio_monitor_close(mon);
	return got;
}

TEST(nothing_waiting_is_eagain)
{
	EXPECT_EQ(EAGAIN, monitor_read_errno(EAGAIN));
}

/* Lost events are reported, so that the caller enumerates again. */
TEST(an_overrun_is_enobufs_not_eagain)
{
	EXPECT_EQ(ENOBUFS, monitor_read_errno(ENOBUFS));
}

TEST_HARNESS_MAIN
