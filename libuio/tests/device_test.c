// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for libuio's error contracts that need no kernel module:
 * bad names, missing devices, nodes that are not uiox devices, and
 * discovery on a machine without the uiox class.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include <libuio.h>

#include "kselftest_harness.h"

TEST(open_null_or_malformed_name_is_einval)
{
	const char *bad[] = { "", ".", "..", "a/b", "../0000:00:01.0" };
	unsigned int i;

	errno = 0;
	EXPECT_EQ(NULL, uio_open(NULL));
	EXPECT_EQ(EINVAL, errno);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		EXPECT_EQ(NULL, uio_open(bad[i]));
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("name \"%s\"", bad[i]);
		}
	}
}

TEST(open_missing_device_is_enoent)
{
	errno = 0;
	EXPECT_EQ(NULL, uio_open("0000:ff:1f.7"));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(NULL, uio_open("/nonexistent/uiox/node"));
	EXPECT_EQ(ENOENT, errno);
}

TEST(open_non_uiox_node_is_enotty)
{
	errno = 0;
	EXPECT_EQ(NULL, uio_open("/dev/null"));
	EXPECT_EQ(ENOTTY, errno);
}

TEST(close_null_is_harmless_and_keeps_errno)
{
	errno = EBUSY;
	uio_close(NULL);
	EXPECT_EQ(EBUSY, errno);
}

static int count_cb(const struct uio_dev_desc *desc, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

TEST(enumerate_without_module_finds_nothing)
{
	int seen = 0;

	if (access("/sys/class/uiox", F_OK) == 0)
		SKIP(return, "uiox is loaded on this host");
	EXPECT_EQ(0, uio_enumerate(count_cb, &seen));
	EXPECT_EQ(0, seen);
}

TEST(find_pci_missing_is_enoent)
{
	char name[64];

	errno = 0;
	EXPECT_EQ(-1, uio_find_pci(0x1234, 0x11e8, 0, name, sizeof(name)));
	EXPECT_EQ(ENOENT, errno);
	errno = 0;
	EXPECT_EQ(-1, uio_find_pci(0x1234, 0x11e8, 0, NULL, 0));
	EXPECT_EQ(EINVAL, errno);
}

TEST_HARNESS_MAIN
