// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio unplug survival: see <libuio/unplug.h>.
 *
 * Every mapping libuio makes is entered in a fixed table, with the device
 * file it came from, that the SIGBUS handler can read without locks.  The
 * handler takes over only what an unplug causes: a BUS_ADRERR fault inside
 * a tracked mapping whose device the stub reports gone.  It replaces that
 * mapping once, whichever threads fault on it meanwhile, with private
 * copies of a read-only all-ones source made at install time, so the
 * replacement costs memory only where it is written.  Everything else goes
 * where it would have gone without libuio.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/futex.h>

#include "uio_private.h"

#define UIO_TRACK_SLOTS	4096

/* The all-ones source, and how many copies of it one mapping may take. */
#define UIO_ONES_SIZE	(1UL << 20)
#define UIO_ONES_MAX	4096UL

enum { UIO_LIVE, UIO_REPLACING, UIO_REPLACED, UIO_FAILED };

static struct {
	_Atomic uintptr_t start;	/* 0: free */
	_Atomic size_t len;
	_Atomic int fd;
	_Atomic int state;		/* UIO_LIVE, ... */
} uio_tracked[UIO_TRACK_SLOTS];

static struct sigaction uio_old_sigbus;
static atomic_int uio_sigbus_installed;
static int uio_ones_fd = -1;

/*
 * A slot is live once its length is set: track() claims a free slot, fills
 * it in, then sets len; untrack() clears len, then frees the slot.  The
 * handler ignores a slot whose len is 0.
 */
void libuio_track(void *addr, size_t len, int fd)
{
	unsigned int i;

	for (i = 0; i < UIO_TRACK_SLOTS; i++) {
		uintptr_t free_slot = 0;

		if (atomic_compare_exchange_strong(&uio_tracked[i].start,
						   &free_slot,
						   (uintptr_t)addr)) {
			atomic_store(&uio_tracked[i].fd, fd);
			atomic_store(&uio_tracked[i].state, UIO_LIVE);
			atomic_store(&uio_tracked[i].len, len);
			return;
		}
	}
	/* table full: this mapping is not covered (see <libuio/unplug.h>) */
}

void libuio_untrack(void *addr)
{
	unsigned int i;

	for (i = 0; i < UIO_TRACK_SLOTS; i++) {
		if (atomic_load(&uio_tracked[i].start) == (uintptr_t)addr) {
			atomic_store(&uio_tracked[i].len, 0);
			atomic_store(&uio_tracked[i].start, 0);
			return;
		}
	}
}

/*
 * Put private memory over [start, start + len): copies of the all-ones
 * source, or for a mapping larger than UIO_ONES_MAX of them, anonymous
 * zero pages (one mapping, where the copies would be too many).  Nothing
 * is reserved (MAP_NORESERVE): a BAR larger than RAM is replaced too.
 * Each mmap() replaces its part atomically; threads that fault on a part
 * not yet replaced wait for the whole.
 */
static int uio_replace(uintptr_t start, size_t len)
{
	size_t off, n;

	if (len > UIO_ONES_MAX * UIO_ONES_SIZE)
		return mmap((void *)start, len, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
			    -1, 0) == MAP_FAILED ? -1 : 0;
	for (off = 0; off < len; off += n) {
		n = len - off < UIO_ONES_SIZE ? len - off : UIO_ONES_SIZE;
		if (mmap((void *)(start + off), n, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_FIXED | MAP_NORESERVE, uio_ones_fd,
			 0) == MAP_FAILED)
			return -1;
	}
	return 0;
}

/* Does the stub say the device behind @fd is gone? */
static bool uio_fd_gone(int fd)
{
	struct uiox_device_info info = { .argsz = sizeof(info) };

	return ioctl(fd, UIOX_GET_DEVICE_INFO, &info) < 0 && errno == ENODEV;
}

/*
 * A fault inside tracked slot @i: replace its mapping, once.  Return: 0
 * when the access may run again, -1 when the SIGBUS is not ours to take.
 */
static int uio_take_over(unsigned int i, uintptr_t start, size_t len)
{
	int state = UIO_LIVE;

	if (atomic_compare_exchange_strong(&uio_tracked[i].state, &state,
					   UIO_REPLACING)) {
		if (!uio_fd_gone(atomic_load(&uio_tracked[i].fd))) {
			atomic_store(&uio_tracked[i].state, UIO_LIVE);
			syscall(SYS_futex, &uio_tracked[i].state,
				FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
			return -1;	/* a live device: a real fault */
		}
		state = uio_replace(start, len) ? UIO_FAILED : UIO_REPLACED;
		atomic_store(&uio_tracked[i].state, state);
		syscall(SYS_futex, &uio_tracked[i].state, FUTEX_WAKE_PRIVATE,
			INT_MAX, NULL, NULL, 0);
	}
	/* another thread is at it: sleep (a spin could starve it) */
	while (state == UIO_REPLACING) {
		syscall(SYS_futex, &uio_tracked[i].state, FUTEX_WAIT_PRIVATE,
			UIO_REPLACING, NULL, NULL, 0);
		state = atomic_load(&uio_tracked[i].state);
	}
	/* UIO_LIVE again: that thread found the device live, and so do we */
	return state == UIO_REPLACED ? 0 : -1;
}

/*
 * Not ours: what would have happened without libuio.  The handler
 * installed before runs with its own mask and flags; the default action
 * (or ignoring a fault, which the kernel does not allow either) kills the
 * process with SIGBUS, raised again with the default action in place and
 * delivered as this handler returns (before a faulting access could run
 * again).  An ignored signal sent by someone (or an advisory memory-error
 * notice, BUS_MCEERR_AO) stays ignored, and our handler stays installed.
 * Two differences remain: the old handler runs on the alternate stack if
 * the thread has one (ours asks for it), and its SA_RESETHAND is applied
 * by us, without synchronisation between threads.
 */
static void uio_chain(int sig, siginfo_t *si, void *uc)
{
	struct sigaction old = uio_old_sigbus, dfl;
	sigset_t saved, mask;
	int i;

	/* sent, or an advisory machine-check notice: not forced on us */
	if (old.sa_handler == SIG_IGN &&
	    (si->si_code <= 0 || si->si_code == BUS_MCEERR_AO))
		return;
	if (old.sa_handler == SIG_DFL || old.sa_handler == SIG_IGN) {
		memset(&dfl, 0, sizeof(dfl));
		dfl.sa_handler = SIG_DFL;
		sigaction(sig, &dfl, NULL);
		raise(sig);
		return;
	}
	if (old.sa_flags & SA_RESETHAND)
		uio_old_sigbus.sa_handler = SIG_DFL;
	/* the mask it would have run with: ours now, its own, and sig */
	pthread_sigmask(SIG_BLOCK, NULL, &saved);
	mask = saved;
	for (i = 1; i < NSIG; i++)
		if (sigismember(&old.sa_mask, i) == 1)
			sigaddset(&mask, i);
	if (old.sa_flags & SA_NODEFER)
		sigdelset(&mask, sig);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	if (old.sa_flags & SA_SIGINFO)
		old.sa_sigaction(sig, si, uc);
	else
		old.sa_handler(sig);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
}

static void uio_sigbus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	int saved = errno;
	unsigned int i;

	/* BUS_ADRERR: the kernel found nothing to map there (an unplug) */
	for (i = 0; si->si_code == BUS_ADRERR && i < UIO_TRACK_SLOTS; i++) {
		uintptr_t start = atomic_load(&uio_tracked[i].start);
		size_t len = atomic_load(&uio_tracked[i].len);

		/* start again after len: not a pair torn by a re-track */
		if (!len || atomic_load(&uio_tracked[i].start) != start ||
		    addr - start >= len)
			continue;
		if (!uio_take_over(i, start, len)) {
			errno = saved;
			return;		/* the access runs again */
		}
		break;
	}
	uio_chain(sig, si, uc);
	errno = saved;
}

/* The all-ones source: UIO_ONES_SIZE bytes of 0xff in a memfd. */
static int uio_ones_create(void)
{
	void *p;
	int fd;

	fd = memfd_create("libuio-unplugged", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ftruncate(fd, UIO_ONES_SIZE))
		goto err;
	p = mmap(NULL, UIO_ONES_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 0);
	if (p == MAP_FAILED)
		goto err;
	memset(p, 0xff, UIO_ONES_SIZE);
	munmap(p, UIO_ONES_SIZE);
	return fd;
err:
	close(fd);
	return -1;
}

int uio_survive_unplug(void)
{
	struct sigaction sa;
	int err;

	if (atomic_exchange(&uio_sigbus_installed, 1))
		return 0;
	uio_ones_fd = uio_ones_create();
	if (uio_ones_fd < 0)
		goto err;
	if (sigaction(SIGBUS, NULL, &uio_old_sigbus))
		goto err_ones;
	/* on the alternate stack if there is one; restarting as before */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = uio_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK |
		      (uio_old_sigbus.sa_flags & SA_RESTART);
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL))
		goto err_ones;
	return 0;

err_ones:
	err = errno;
	close(uio_ones_fd);
	uio_ones_fd = -1;
	errno = err;
err:
	atomic_store(&uio_sigbus_installed, 0);
	return -1;
}
