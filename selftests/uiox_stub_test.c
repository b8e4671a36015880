// SPDX-License-Identifier: GPL-2.0
/*
 * uiox stub selftest: device and region info, mmap of BAR0 on QEMU's edu
 * device, and the mmap and ioctl argument checks.  Talks to the stub with
 * raw syscalls only (no libuio), so it tests the kernel side alone.
 *
 * Needs an edu device (1234:11e8) bound to uiox; UIOX_DEV=<name> picks one,
 * otherwise the first in /sys/class/uiox is used.  The rig binds it.
 */
#include <sys/stat.h>

#include "uiox_test.h"
#include "kselftest_harness.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

static unsigned long read_hex(const char *dir, const char *name,
			      const char *attr)
{
	char path[512], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/device/%s", dir, name, attr);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoul(buf, NULL, 16);
}

/* Name of the edu device bound to uiox, or NULL. */
static const char *find_edu(char *name, size_t len)
{
	const char *env = getenv("UIOX_DEV");
	const char *dir = "/sys/class/uiox";
	struct dirent *de;
	DIR *d;

	if (env) {
		snprintf(name, len, "%s", env);
		return name;
	}
	d = opendir(dir);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (read_hex(dir, de->d_name, "vendor") == EDU_VENDOR &&
		    read_hex(dir, de->d_name, "device") == EDU_DEVICE) {
			snprintf(name, len, "%s", de->d_name);
			closedir(d);
			return name;
		}
	}
	closedir(d);
	return NULL;
}

FIXTURE(edu) {
	int fd;
	char name[256];
};

FIXTURE_SETUP(edu)
{
	char path[300];

	ASSERT_NE(NULL, find_edu(self->name, sizeof(self->name))) {
		TH_LOG("no edu device bound to uiox (is uiox.ko loaded and bound?)");
	}
	snprintf(path, sizeof(path), "/dev/uiox/%s", self->name);
	self->fd = open(path, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", path, strerror(errno));
	}
}

FIXTURE_TEARDOWN(edu)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(edu, node_is_root_only_char_device)
{
	struct stat st;

	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
}

TEST_F(edu, device_info)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };

	ASSERT_EQ(0, ioctl(self->fd, UIOX_GET_DEVICE_INFO, &info));
	EXPECT_EQ(sizeof(info), info.argsz);
	EXPECT_EQ(UIOX_API_VERSION, info.api_version);
	EXPECT_EQ(UIOX_DEVICE_PCI, info.flags);
	EXPECT_EQ(EDU_VENDOR, info.vendor);
	EXPECT_EQ(EDU_DEVICE, info.device);
	EXPECT_EQ(6, info.num_regions);
	EXPECT_EQ(0x00ff00, info.class_code);
}

TEST_F(edu, region_info_bar0)
{
	struct uiox_region_info r = { .argsz = sizeof(r), .index = 0 };

	ASSERT_EQ(0, ioctl(self->fd, UIOX_GET_REGION_INFO, &r));
	EXPECT_EQ(EDU_BAR0_SIZE, r.size);
	EXPECT_EQ(UIOX_REGION_OFFSET(0), r.offset);
	EXPECT_TRUE(r.flags & UIOX_REGION_MMAP);
	EXPECT_FALSE(r.flags & UIOX_REGION_IO);
}

TEST_F(edu, region_info_unused_and_bad_index)
{
	struct uiox_region_info r = { .argsz = sizeof(r), .index = 1 };

	/* edu has BAR0 only: index 1 exists but is empty */
	ASSERT_EQ(0, ioctl(self->fd, UIOX_GET_REGION_INFO, &r));
	EXPECT_EQ(0, r.size);
	EXPECT_EQ(0, r.flags);

	r.index = 6;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
	r.index = 0xffffffff;
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_GET_REGION_INFO, &r));
	EXPECT_EQ(EINVAL, errno);
}

/* The argsz rules for every ioctl: uiox_abi_test. */
TEST_F(edu, ioctl_argument_too_small_or_unreadable)
{
	struct uiox_device_info small = { .argsz = 4 };

	EXPECT_EQ(-1, ioctl(self->fd, UIOX_GET_DEVICE_INFO, &small));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, UIOX_GET_DEVICE_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(edu, unknown_ioctl_is_enotty)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO(UIOX_MAGIC, 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(edu, mmap_bar0_reads_id)
{
	volatile uint32_t *bar;

	bar = mmap(NULL, EDU_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, UIOX_REGION_OFFSET(0));
	ASSERT_NE(MAP_FAILED, bar);
	EXPECT_EQ(EDU_ID, bar[EDU_REG_ID / 4]);
	EXPECT_EQ(0, munmap((void *)bar, EDU_BAR0_SIZE));
}

TEST_F(edu, liveness_round_trip)
{
	volatile uint32_t *bar;
	uint32_t v;

	bar = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		   UIOX_REGION_OFFSET(0));
	ASSERT_NE(MAP_FAILED, bar);
	for (v = 1; v; v <<= 1) {
		bar[EDU_REG_LIVENESS / 4] = v;
		ASSERT_EQ(~v, bar[EDU_REG_LIVENESS / 4]);
	}
	EXPECT_EQ(0, munmap((void *)bar, 4096));
}

/* The last page of the BAR maps on its own (its contents: uiox_regions_test). */
TEST_F(edu, mmap_of_the_last_page)
{
	size_t len = getpagesize();
	void *p;

	p = mmap(NULL, len, PROT_READ, MAP_SHARED, self->fd,
		 UIOX_REGION_OFFSET(0) + EDU_BAR0_SIZE - len);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, munmap(p, len));
}

TEST_F(edu, mmap_refuses_exec_and_private)
{
	EXPECT_EQ(EPERM, try_mmap(self->fd, 4096, PROT_READ | PROT_EXEC,
				  MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ, MAP_PRIVATE, 0));
}

TEST_F(edu, mprotect_cannot_add_exec)
{
	void *p;

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, munmap(p, 4096));
}

TEST_F(edu, mmap_refuses_out_of_range)
{
	/* starts at the end of BAR0 */
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ, MAP_SHARED,
				   EDU_BAR0_SIZE));
	/* starts inside, runs past the end */
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 2 * 4096, PROT_READ, MAP_SHARED,
				   EDU_BAR0_SIZE - 4096));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 2 * EDU_BAR0_SIZE, PROT_READ,
				   MAP_SHARED, 0));
	/* an empty region, a region index past the table, a huge offset */
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ, MAP_SHARED,
				   UIOX_REGION_OFFSET(1)));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ, MAP_SHARED,
				   UIOX_REGION_OFFSET(6)));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ, MAP_SHARED,
				   UIOX_REGION_OFFSET(0x100000)));
	EXPECT_EQ(EINVAL, try_mmap(self->fd, 4096, PROT_READ, MAP_SHARED,
				   0x7ffffffffffff000ULL));
}

TEST_HARNESS_MAIN
