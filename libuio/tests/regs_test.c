// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for <libuio/regs.h>: every width reads and writes exactly its
 * bytes at the given offset, and nothing around them.
 */
#include <stdint.h>
#include <string.h>

#include <libuio/regs.h>

#include "kselftest_harness.h"

static uint8_t buf[64] __attribute__((aligned(8)));

#define GUARD 0xcc

static void reset(void)
{
	memset(buf, GUARD, sizeof(buf));
}

static int untouched_except(size_t off, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(buf); i++)
		if ((i < off || i >= off + len) && buf[i] != GUARD)
			return 0;
	return 1;
}

TEST(write_read_8)
{
	reset();
	uio_write8(buf, 5, 0xa5);
	EXPECT_EQ(0xa5, buf[5]);
	EXPECT_EQ(0xa5, uio_read8(buf, 5));
	EXPECT_TRUE(untouched_except(5, 1));
}

TEST(write_read_16)
{
	uint16_t v;

	reset();
	uio_write16(buf, 6, 0xbeef);
	memcpy(&v, buf + 6, 2);
	EXPECT_EQ(0xbeef, v);
	EXPECT_EQ(0xbeef, uio_read16(buf, 6));
	EXPECT_TRUE(untouched_except(6, 2));
}

TEST(write_read_32)
{
	uint32_t v;

	reset();
	uio_write32(buf, 12, 0x010000ed);
	memcpy(&v, buf + 12, 4);
	EXPECT_EQ(0x010000ed, v);
	EXPECT_EQ(0x010000ed, uio_read32(buf, 12));
	EXPECT_TRUE(untouched_except(12, 4));
}

TEST(write_read_64)
{
	uint64_t v;

	reset();
	uio_write64(buf, 16, 0x0123456789abcdefULL);
	memcpy(&v, buf + 16, 8);
	EXPECT_EQ(0x0123456789abcdefULL, v);
	EXPECT_EQ(0x0123456789abcdefULL, uio_read64(buf, 16));
	EXPECT_TRUE(untouched_except(16, 8));
}

TEST(relaxed_variants)
{
	reset();
	uio_write32_relaxed(buf, 32, 0xfeedf00d);
	EXPECT_EQ(0xfeedf00d, uio_read32_relaxed(buf, 32));
	uio_write64_relaxed(buf, 40, ~0ULL);
	EXPECT_EQ(~0ULL, uio_read64_relaxed(buf, 40));
	EXPECT_TRUE(untouched_except(32, 16));
}

TEST_HARNESS_MAIN
