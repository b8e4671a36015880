// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for libuio's error contracts that need no kernel module:
 * bad names, missing devices, nodes that are not uiox devices (never
 * opened), and
 * discovery on a machine without the uiox class.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
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

/*
 * A terminal is refused before it is opened: in a new session, opening
 * it without O_NOCTTY would make it the controlling terminal, and
 * /dev/tty would then open.
 */
TEST(open_refuses_a_terminal_without_opening_it)
{
	int status, master = posix_openpt(O_RDWR | O_NOCTTY);
	pid_t pid;

	ASSERT_LE(0, master);
	ASSERT_EQ(0, grantpt(master));
	ASSERT_EQ(0, unlockpt(master));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (setsid() < 0)
			_exit(10);
		errno = 0;
		if (uio_open(ptsname(master)) || errno != ENOTTY)
			_exit(11);
		_exit(open("/dev/tty", O_RDWR) < 0 && errno == ENXIO ? 0 : 12);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status)) {
		TH_LOG("%s", WEXITSTATUS(status) == 12 ?
		       "uio_open() made the terminal the controlling one" :
		       "uio_open() did not fail with ENOTTY");
	}
	close(master);
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
