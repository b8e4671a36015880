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

/* Each width writes exactly its bytes, reads them back, touches no others. */
#define WIDTH_TEST(bits, off, val)					\
TEST(write_read_##bits)							\
{									\
	uint##bits##_t v;						\
									\
	reset();							\
	uio_write##bits(buf, off, val);					\
	memcpy(&v, buf + (off), sizeof(v));				\
	EXPECT_EQ((uint##bits##_t)(val), v);				\
	EXPECT_EQ((uint##bits##_t)(val), uio_read##bits(buf, off));	\
	EXPECT_TRUE(untouched_except(off, sizeof(v)));			\
}

WIDTH_TEST(8, 5, 0xa5)
WIDTH_TEST(16, 6, 0xbeef)
WIDTH_TEST(32, 12, 0x010000ed)
WIDTH_TEST(64, 16, 0x0123456789abcdefULL)

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
