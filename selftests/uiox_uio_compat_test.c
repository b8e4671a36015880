// SPDX-License-Identifier: GPL-2.0
/*
 * uiox UIO-compatibility selftest: the loop a program written for
 * /dev/uioN runs, unchanged, against /dev/uiox/<name>.  It uses nothing but
 * open(), mmap() of map 0 at offset 0, 4-byte write() to unmask, 4-byte
 * read() for the event count, and poll() - no uiox header, no ioctl.
 *
 * Needs the edu device on the root bus bound to uiox in its default (INTx)
 * interrupt mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../tools/examples/devices/edu.h"
#include "kselftest_harness.h"
#include "uiox_ksft.h"

UIOX_TEST_NEEDS_PCI(EDU_VENDOR, EDU_DEVICE, "QEMU's edu device")

static int open_edu(char *node, size_t len)
{
	/* what a UIO program gets from its configuration: a path */
	FILE *p = popen("for d in /sys/class/uiox/0000:00:*; do "
			"[ \"$(cat $d/device/device)\" = 0x11e8 ] && "
			"echo /dev/uiox/${d##*/}; done | head -n1", "r");
	int ok;

	if (!p)
		return -1;
	ok = fgets(node, (int)len, p) != NULL;
	pclose(p);
	if (!ok)
		return -1;
	node[strcspn(node, "\n")] = '\0';
	return open(node, O_RDWR);
}

TEST(uio_program_loop)
{
	volatile uint32_t *regs;
	int32_t info, on = 1, prev = -1;
	char node[128];
	int fd, i;

	fd = open_edu(node, sizeof(node));
	ASSERT_LE(0, fd) {
		TH_LOG("no edu bound to uiox on the root bus");
	}
	regs = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, regs);
	ASSERT_EQ(EDU_ID, regs[EDU_REG_ID / 4]);

	for (i = 0; i < 20; i++) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		ASSERT_EQ(sizeof(on), write(fd, &on, sizeof(on)));
		regs[EDU_REG_IRQ_RAISE / 4] = 1;
		ASSERT_EQ(1, poll(&p, 1, 2000));
		ASSERT_EQ(sizeof(info), read(fd, &info, sizeof(info)));
		if (prev >= 0)
			ASSERT_EQ(prev + 1, info);
		prev = info;
		ASSERT_EQ(1, regs[EDU_REG_IRQ_STATUS / 4]);
		regs[EDU_REG_IRQ_ACK / 4] = 1;
	}
	EXPECT_EQ(0, munmap((void *)regs, 4096));
	EXPECT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
