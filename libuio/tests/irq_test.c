// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio's interrupt wrappers on the host, without the stub: a handle
 * whose descriptor is /dev/null, which refuses every ioctl (ENOTTY) the
 * way the stub refuses a vector the device does not have (EINVAL).  A
 * refused call must leave nothing behind: no write past an array, no
 * memory kept.
 */
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <unistd.h>

#include "../uio_private.h"
#include "kselftest_harness.h"

FIXTURE(null_dev) {
	struct uio_dev dev;
};

FIXTURE_SETUP(null_dev)
{
	memset(&self->dev, 0, sizeof(self->dev));
	self->dev.fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->dev.fd);
	pthread_mutex_init(&self->dev.lock, NULL);
}

FIXTURE_TEARDOWN(null_dev)
{
	libuio_irq_close_fds(&self->dev);
	close(self->dev.fd);
	pthread_mutex_destroy(&self->dev.lock);
}

/* UINT_MAX + 1 wrapped to an empty array, then a write past it. */
TEST_F(null_dev, the_largest_vector_is_refused_cleanly)
{
	errno = 0;
	EXPECT_EQ(-1, uio_irq_fd(&self->dev, UINT_MAX));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(0, self->dev.num_vfds);
}

/* A refused vector must not leave 132 MB of descriptor slots behind. */
TEST_F(null_dev, a_refused_vector_keeps_no_memory)
{
	struct mallinfo2 before = mallinfo2(), after;

	EXPECT_EQ(-1, uio_irq_fd(&self->dev, 33000000));
	EXPECT_EQ(ENOTTY, errno);
	after = mallinfo2();
	EXPECT_GT(1 << 20, (long)(after.hblkhd + after.arena) -
			   (long)(before.hblkhd + before.arena));
	EXPECT_EQ(0, self->dev.num_vfds);
}

TEST_HARNESS_MAIN
