// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio's interrupt wrappers on the host, without the stub.
 *
 * A handle whose descriptor is /dev/null refuses every ioctl (ENOTTY) the
 * way the stub refuses a vector the device does not have (EINVAL): a
 * refused call must leave nothing behind, no write past an array, no
 * memory kept.
 *
 * A handle on a fake stub (this program's ioctl(), which libuio's calls
 * reach): vector files are pipes, dead when their mode is changed (the
 * write end closed: POLLHUP, and EBADFD from a wait).  A wait must never
 * land on a file other than the one it was given, whatever another thread
 * does to the mode meanwhile, and a file of a mode changed elsewhere is
 * replaced.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../uio_private.h"
#include "kselftest_harness.h"

#define FAKE_FILES 64

static struct {
	int dev_fd;			/* the fake device file, or -1 */
	unsigned int gen;		/* bumped by a mode change */
	struct {
		int fd;			/* read end handed out, or -1 */
		int peer;		/* write end: closed when it dies */
		ino_t ino;
		unsigned int gen;
	} files[FAKE_FILES];
	void (*before_wait)(void);	/* run once, as another thread */
	int misdirected;		/* a wait reached some other file */
} fake = { .dev_fd = -1 };

/* A mode change: every vector file dies. */
static void fake_change_mode(void)
{
	int i;

	fake.gen++;
	for (i = 0; i < FAKE_FILES; i++)
		if (fake.files[i].fd >= 0 && fake.files[i].peer >= 0) {
			close(fake.files[i].peer);
			fake.files[i].peer = -1;
		}
}

static int fake_vector_fd(void)
{
	struct stat st;
	int p[2], i;

	for (i = 0; i < FAKE_FILES && fake.files[i].fd >= 0; i++)
		;
	if (i == FAKE_FILES || pipe2(p, O_CLOEXEC) || fstat(p[0], &st))
		return -1;
	fake.files[i].fd = p[0];
	fake.files[i].peer = p[1];
	fake.files[i].ino = st.st_ino;
	fake.files[i].gen = fake.gen;
	return p[0];
}

static int fake_wait(int fd, struct uiox_irq_wait *req)
{
	void (*hook)(void) = fake.before_wait;
	struct stat st;
	int i;

	fake.before_wait = NULL;
	if (hook)
		hook();
	if (fstat(fd, &st))
		return -1;
	for (i = 0; i < FAKE_FILES; i++)
		if (fake.files[i].fd == fd && fake.files[i].ino == st.st_ino)
			break;
	if (i == FAKE_FILES) {
		fake.misdirected++;
		errno = ENOTTY;
		return -1;
	}
	if (fake.files[i].gen != fake.gen) {
		errno = EBADFD;
		return -1;
	}
	req->count = 1;
	return 0;
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fake.dev_fd >= 0 && fd == fake.dev_fd) {
		if (request == UIOX_GET_VECTOR_FD)
			return fake_vector_fd();
		if (request == UIOX_SET_IRQ_MODE) {
			fake_change_mode();
			return 0;
		}
	}
	if (fake.dev_fd >= 0 && request == UIOX_IRQ_UNMASK_WAIT)
		return fake_wait(fd, arg);
	return syscall(SYS_ioctl, fd, request, arg);
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

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

FIXTURE(fake_dev) {
	struct uio_dev dev;
};

FIXTURE_SETUP(fake_dev)
{
	int i;

	memset(&self->dev, 0, sizeof(self->dev));
	for (i = 0; i < FAKE_FILES; i++)
		fake.files[i].fd = fake.files[i].peer = -1;
	self->dev.fd = memfd_create("fake-uiox", MFD_CLOEXEC);
	ASSERT_LE(0, self->dev.fd);
	fake.dev_fd = self->dev.fd;
	pthread_mutex_init(&self->dev.lock, NULL);
}

FIXTURE_TEARDOWN(fake_dev)
{
	libuio_irq_close_fds(&self->dev);
	fake.dev_fd = -1;
	close(self->dev.fd);
	pthread_mutex_destroy(&self->dev.lock);
}

static struct uio_dev *racing_dev;
static int racing_memfd = -1;

/* Another thread changes the mode, then opens a file of its own. */
static void change_mode_and_open(void)
{
	uio_irq_set_mode(racing_dev, UIOX_IRQ_MSIX, 4);
	racing_memfd = memfd_create("bystander", MFD_CLOEXEC);
}

/*
 * The mode changes between the wait taking its file and the call
 * reaching the kernel: that file must still be the one the wait was
 * given (not closed, its number not reused by the bystander), and the
 * wait goes on on the new mode's file.  Nothing is left open.
 */
TEST_F(fake_dev, a_wait_racing_a_mode_change_stays_on_its_own_file)
{
	uint32_t count = 0;
	int before = open_fds();

	racing_dev = &self->dev;
	fake.misdirected = 0;
	fake.before_wait = change_mode_and_open;
	EXPECT_EQ(0, uio_irq_wait(&self->dev, 1, 100, &count));
	EXPECT_EQ(0, fake.misdirected);
	EXPECT_EQ(1, count);
	ASSERT_LE(0, racing_memfd);
	/* the bystander and the new vector file (a pipe), not the old one */
	EXPECT_EQ(before + 3, open_fds());
	close(racing_memfd);
}

/* Changed elsewhere (sysfs, another handle): a file of the new mode. */
TEST_F(fake_dev, a_vector_file_of_a_mode_changed_elsewhere_is_replaced)
{
	struct stat a, b;
	uint32_t count = 0;
	int fd, before;

	fd = uio_irq_fd(&self->dev, 2);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &a));
	before = open_fds();
	fake_change_mode();
	fd = uio_irq_fd(&self->dev, 2);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, fstat(fd, &b));
	EXPECT_NE(a.st_ino, b.st_ino);
	EXPECT_EQ(before, open_fds());		/* the old one closed */

	fake_change_mode();
	EXPECT_EQ(0, uio_irq_wait(&self->dev, 2, 100, &count));
	EXPECT_EQ(1, count);
	EXPECT_EQ(before, open_fds());
}

TEST_HARNESS_MAIN
