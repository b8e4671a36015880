// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * uio_survive_unplug() on the host, without the stub: a mapping of an
 * empty file raises SIGBUS like a mapping of a vanished device.  Entered
 * in libuio's table it must come back full of 0xff; left out, it must
 * still kill, as must a SIGBUS sent with kill().  Also the table's
 * bookkeeping: untracked mappings are left alone, freed slots are reused.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../uio_private.h"
#include "kselftest_harness.h"

/* In a child: two pages of an empty file; any access raises SIGBUS. */
static volatile unsigned char *doomed_mapping(void)
{
	int fd = memfd_create("doomed", 0);
	void *p;

	if (fd < 0)
		_exit(10);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		_exit(10);
	return p;
}

/* Run fn in a child; its exit code, or 128 + the signal that killed it. */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void tracked_reads_all_ones(void)
{
	volatile unsigned char *p = doomed_mapping();

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, 8192);
	if (p[8191] != 0xff || p[0] != 0xff)
		_exit(11);
	p[5] = 0x12;				/* private now */
	if (p[5] != 0x12 || p[4] != 0xff)
		_exit(12);
	libuio_untrack((void *)p);
	munmap((void *)p, 8192);
}

static void untracked_dies(void)
{
	volatile unsigned char *p = doomed_mapping();

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, 8192);
	libuio_untrack((void *)p);
	(void)p[0];
	_exit(11);
}

static void without_the_handler_dies(void)
{
	volatile unsigned char *p = doomed_mapping();

	libuio_track((void *)p, 8192);
	(void)p[0];
	_exit(11);
}

static void many_mappings_reuse_slots(void)
{
	volatile unsigned char *p;
	int i;

	if (uio_survive_unplug())
		_exit(10);
	/* far more than the table holds, each freed again */
	for (i = 0; i < 10000; i++) {
		p = doomed_mapping();
		libuio_track((void *)p, 8192);
		if (i % 1000 == 0 && p[4096] != 0xff)
			_exit(12);
		libuio_untrack((void *)p);
		munmap((void *)p, 8192);
	}
}

static void killed_by_hand(void)
{
	volatile unsigned char *p = doomed_mapping();

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, 8192);
	kill(getpid(), SIGBUS);		/* not a fault: must not be survived */
	_exit(11);
}

static void old_handler(int sig)
{
	_exit(sig == SIGBUS ? 42 : 13);
}

static void earlier_handler_still_called(void)
{
	volatile unsigned char *p = doomed_mapping();

	if (signal(SIGBUS, old_handler) == SIG_ERR || uio_survive_unplug())
		_exit(10);
	(void)p[0];
	_exit(11);
}

TEST(tracked_mapping_survives_and_reads_all_ones)
{
	EXPECT_EQ(0, in_child(tracked_reads_all_ones));
}

TEST(untracked_mapping_still_dies_of_sigbus)
{
	EXPECT_EQ(128 + SIGBUS, in_child(untracked_dies));
}

TEST(without_uio_survive_unplug_sigbus_kills)
{
	EXPECT_EQ(128 + SIGBUS, in_child(without_the_handler_dies));
}

TEST(a_sigbus_sent_by_kill_still_kills)
{
	EXPECT_EQ(128 + SIGBUS, in_child(killed_by_hand));
}

TEST(slots_are_reused)
{
	EXPECT_EQ(0, in_child(many_mappings_reuse_slots));
}

TEST(a_handler_installed_before_gets_other_sigbus)
{
	EXPECT_EQ(42, in_child(earlier_handler_still_called));
}

TEST_HARNESS_MAIN
