// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * uio_survive_unplug() on the host, without the stub: a mapping of an
 * empty file raises SIGBUS (BUS_ADRERR) like a mapping of a vanished
 * device, and this program's own ioctl() stands in for the stub's answer
 * to "is the device gone?": ENODEV for the descriptor in gone_fd.
 *
 * Entered in libuio's table with a gone device, a mapping must come back
 * all-ones, once, whatever the threads and the size; everything else must
 * go where it would have gone without libuio: a live device's fault, an
 * alignment fault, an untracked mapping, a kill(), to the handler
 * installed before or to the default action, with the handler staying
 * installed.
 */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../uio_private.h"
#include "kselftest_harness.h"

static int gone_fd = -1;

/* libuio's ioctl() calls land here (this program's symbol wins). */
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (fd == gone_fd && request == UIOX_GET_DEVICE_INFO) {
		errno = ENODEV;
		return -1;
	}
	return syscall(SYS_ioctl, fd, request, arg);
}

/* In a child: @len bytes of an empty file; any access raises SIGBUS. */
static volatile unsigned char *doomed_mapping(size_t len)
{
	int fd = memfd_create("doomed", 0);
	void *p;

	if (fd < 0)
		_exit(10);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
		 fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		_exit(10);
	return p;
}

/* A descriptor whose device the fake stub reports gone. */
static int a_gone_device(void)
{
	gone_fd = memfd_create("gone", 0);
	if (gone_fd < 0)
		_exit(10);
	return gone_fd;
}

/* A descriptor whose device is there (the ioctl fails, but not ENODEV). */
static int a_live_device(void)
{
	int fd = memfd_create("live", 0);

	if (fd < 0)
		_exit(10);
	return fd;
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

static long resident_kib(void)
{
	long pages = -1;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f && fscanf(f, "%*d %ld", &pages) != 1)
		pages = -1;
	if (f)
		fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static void tracked_reads_all_ones(void)
{
	volatile unsigned char *p = doomed_mapping(8192);
	struct sigaction cur;

	if (uio_survive_unplug())
		_exit(10);
	if (sigaction(SIGBUS, NULL, &cur) || !(cur.sa_flags & SA_ONSTACK))
		_exit(13);
	libuio_track((void *)p, 8192, a_gone_device());
	if (p[8191] != 0xff || p[0] != 0xff)
		_exit(11);
	p[5] = 0x12;				/* private now */
	if (p[5] != 0x12 || p[4] != 0xff)
		_exit(12);
	libuio_untrack((void *)p);
	munmap((void *)p, 8192);
}

static void live_device_dies(void)
{
	volatile unsigned char *p = doomed_mapping(8192);

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, 8192, a_live_device());
	(void)p[0];
	_exit(11);
}

static void untracked_dies(void)
{
	volatile unsigned char *p = doomed_mapping(8192);

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, 8192, a_gone_device());
	libuio_untrack((void *)p);
	(void)p[0];
	_exit(11);
}

static void without_the_handler_dies(void)
{
	volatile unsigned char *p = doomed_mapping(8192);

	libuio_track((void *)p, 8192, a_gone_device());
	(void)p[0];
	_exit(11);
}

static void many_mappings_reuse_slots(void)
{
	volatile unsigned char *p;
	int i, fd = a_gone_device();

	if (uio_survive_unplug())
		_exit(10);
	/* far more than the table holds, each freed again */
	for (i = 0; i < 10000; i++) {
		p = doomed_mapping(8192);
		libuio_track((void *)p, 8192, fd);
		if (i % 1000 == 0 && p[4096] != 0xff)
			_exit(12);
		libuio_untrack((void *)p);
		munmap((void *)p, 8192);
	}
}

static void killed_by_hand(void)
{
	volatile unsigned char *p = doomed_mapping(8192);

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, 8192, a_gone_device());
	kill(getpid(), SIGBUS);		/* not a fault: must not be survived */
	_exit(11);
}

static void old_handler(int sig)
{
	_exit(sig == SIGBUS ? 42 : 13);
}

static void earlier_handler_still_called(void)
{
	volatile unsigned char *p = doomed_mapping(8192);

	if (signal(SIGBUS, old_handler) == SIG_ERR || uio_survive_unplug())
		_exit(10);
	(void)p[0];
	_exit(11);
}

static volatile sig_atomic_t old_code;

static void old_info_handler(int sig, siginfo_t *si, void *uc)
{
	old_code = si->si_code;
}

/*
 * An alignment fault (as memcpy() on Device memory raises on arm64),
 * forged with the kernel's own fields, inside a mapping of a gone device:
 * not an unplug, so the handler installed before gets it and the mapping
 * stays what it was.
 */
static void alignment_fault_goes_to_the_old_handler(void)
{
	struct sigaction sa = { .sa_sigaction = old_info_handler,
				.sa_flags = SA_SIGINFO };
	int fd = memfd_create("data", 0);
	volatile unsigned char *p;
	siginfo_t si;

	if (fd < 0 || ftruncate(fd, 8192))
		_exit(10);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED || sigaction(SIGBUS, &sa, NULL) ||
	    uio_survive_unplug())
		_exit(10);
	p[0] = 'L';
	libuio_track((void *)p, 8192, a_gone_device());
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGBUS;
	si.si_code = BUS_ADRALN;
	si.si_addr = (void *)p;
	if (syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGBUS, &si))
		_exit(10);
	if (old_code != BUS_ADRALN)
		_exit(11);
	if (p[0] != 'L')
		_exit(12);		/* the live mapping was replaced */
}

/* SIG_DFL saved with SA_SIGINFO set: the default action, not a call to 0. */
static void default_saved_with_siginfo_dies_of_sigbus(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL, .sa_flags = SA_SIGINFO };
	volatile unsigned char *p = doomed_mapping(8192);

	if (sigaction(SIGBUS, &sa, NULL) || uio_survive_unplug())
		_exit(10);
	(void)p[0];
	_exit(11);
}

/* An ignored kill(): ignored, and the next unplug is still survived. */
static void ignored_kill_keeps_the_handler(void)
{
	volatile unsigned char *p = doomed_mapping(8192);

	if (signal(SIGBUS, SIG_IGN) == SIG_ERR || uio_survive_unplug())
		_exit(10);
	kill(getpid(), SIGBUS);
	libuio_track((void *)p, 8192, a_gone_device());
	if (p[0] != 0xff)
		_exit(11);
}

static volatile unsigned char *shared_p;
static pthread_barrier_t start_line;

static void *write_page(void *arg)
{
	size_t page = (size_t)arg;

	pthread_barrier_wait(&start_line);
	shared_p[page * 4096] = (unsigned char)(page + 1);
	return NULL;
}

/*
 * Threads fault on the same vanished mapping at once: it is replaced
 * once, so no thread's write is undone by another's replacement.
 */
static void threads_faulting_together_keep_their_writes(void)
{
	enum { THREADS = 4, ROUNDS = 200 };
	pthread_t t[THREADS];
	int fd = a_gone_device();
	size_t i, r;

	if (uio_survive_unplug())
		_exit(10);
	for (r = 0; r < ROUNDS; r++) {
		shared_p = doomed_mapping(THREADS * 4096);
		libuio_track((void *)shared_p, THREADS * 4096, fd);
		pthread_barrier_init(&start_line, NULL, THREADS);
		for (i = 0; i < THREADS; i++)
			if (pthread_create(&t[i], NULL, write_page, (void *)i))
				_exit(10);
		for (i = 0; i < THREADS; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&start_line);
		for (i = 0; i < THREADS; i++)
			if (shared_p[i * 4096] != i + 1)
				_exit(11);
		libuio_untrack((void *)shared_p);
		munmap((void *)shared_p, THREADS * 4096);
	}
}

/* A 1 GiB BAR replaced costs what is written, not 1 GiB. */
static void a_large_mapping_costs_no_memory(void)
{
	size_t len = 1UL << 30;
	volatile unsigned char *p = doomed_mapping(len);
	long before;

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, len, a_gone_device());
	before = resident_kib();
	if (p[len - 1] != 0xff || p[len / 2] != 0xff)
		_exit(11);
	p[4096] = 1;
	if (resident_kib() - before > 16 * 1024)
		_exit(12);
}

/*
 * Beyond 4 GiB: zero-filled memory, still nothing paid up front - even
 * for a mapping twice the size of RAM, which a reserving mmap() would be
 * refused.
 */
static void a_huge_mapping_reads_zeros(void)
{
	size_t ram = (size_t)sysconf(_SC_PHYS_PAGES) * sysconf(_SC_PAGESIZE);
	size_t len = ((2 * ram) | ((8UL << 30) - 1)) + 1;
	volatile unsigned char *p = doomed_mapping(len);
	long before;

	if (uio_survive_unplug())
		_exit(10);
	libuio_track((void *)p, len, a_gone_device());
	before = resident_kib();
	if (p[len - 1] != 0 || p[0] != 0)
		_exit(11);
	if (resident_kib() - before > 16 * 1024)
		_exit(12);
}

TEST(tracked_mapping_of_a_gone_device_survives_and_reads_all_ones)
{
	EXPECT_EQ(0, in_child(tracked_reads_all_ones));
}

TEST(a_fault_on_a_live_device_still_kills)
{
	EXPECT_EQ(128 + SIGBUS, in_child(live_device_dies));
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

TEST(an_alignment_fault_is_not_taken_for_an_unplug)
{
	EXPECT_EQ(0, in_child(alignment_fault_goes_to_the_old_handler));
}

TEST(a_saved_default_action_with_siginfo_still_kills_with_sigbus)
{
	EXPECT_EQ(128 + SIGBUS, in_child(default_saved_with_siginfo_dies_of_sigbus));
}

TEST(an_ignored_kill_leaves_the_handler_installed)
{
	EXPECT_EQ(0, in_child(ignored_kill_keeps_the_handler));
}

TEST(threads_faulting_at_once_replace_the_mapping_once)
{
	EXPECT_EQ(0, in_child(threads_faulting_together_keep_their_writes));
}

TEST(replacing_a_large_mapping_costs_only_what_is_written)
{
	EXPECT_EQ(0, in_child(a_large_mapping_costs_no_memory));
}

TEST(a_mapping_over_4_gib_even_larger_than_ram_is_replaced_with_zeros)
{
	EXPECT_EQ(0, in_child(a_huge_mapping_reads_zeros));
}

TEST_HARNESS_MAIN
