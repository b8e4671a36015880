// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libuio unplug survival: see <libuio/unplug.h>.
 *
 * Every mapping libuio makes is entered in a fixed table that the SIGBUS
 * handler can read without locks.  The handler swaps a faulting mapping
 * for a ready-made private copy full of 0xff in one mremap(), so that no
 * other thread ever sees the range unmapped or half filled.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "uio_private.h"

#define UIO_TRACK_SLOTS	4096

static struct {
	_Atomic uintptr_t start;	/* 0: free */
	_Atomic size_t len;
} uio_tracked[UIO_TRACK_SLOTS];

static struct sigaction uio_old_sigbus;
static atomic_int uio_sigbus_installed;

/*
 * A slot is live once both fields are set: track() claims a free slot,
 * then sets len; untrack() clears len, then frees the slot.  The handler
 * ignores a slot whose len is 0.
 */
void libuio_track(void *addr, size_t len)
{
	unsigned int i;

	for (i = 0; i < UIO_TRACK_SLOTS; i++) {
		uintptr_t free_slot = 0;

		if (atomic_compare_exchange_strong(&uio_tracked[i].start,
						   &free_slot,
						   (uintptr_t)addr)) {
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

/* Put private memory full of 0xff over [start, start + len). */
static int uio_replace(uintptr_t start, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	memset(p, 0xff, len);
	if (mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED,
		   (void *)start) == MAP_FAILED) {
		munmap(p, len);
		return -1;
	}
	return 0;
}

static void uio_sigbus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	int saved = errno;
	unsigned int i;

	/* si_code > 0: a fault the kernel raised, not a kill() */
	for (i = 0; si->si_code > 0 && i < UIO_TRACK_SLOTS; i++) {
		uintptr_t start = atomic_load(&uio_tracked[i].start);
		size_t len = atomic_load(&uio_tracked[i].len);

		if (start && addr - start < len && !uio_replace(start, len)) {
			errno = saved;
			return;		/* the access runs again */
		}
	}

	/* Not ours: whoever had SIGBUS before, or what it would have done. */
	if (uio_old_sigbus.sa_flags & SA_SIGINFO) {
		uio_old_sigbus.sa_sigaction(sig, si, uc);
	} else if (uio_old_sigbus.sa_handler != SIG_DFL &&
		   uio_old_sigbus.sa_handler != SIG_IGN) {
		uio_old_sigbus.sa_handler(sig);
	} else {
		/* pending until this handler returns, then as before */
		sigaction(SIGBUS, &uio_old_sigbus, NULL);
		raise(SIGBUS);
	}
	errno = saved;
}

int uio_survive_unplug(void)
{
	struct sigaction sa;

	if (atomic_exchange(&uio_sigbus_installed, 1))
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = uio_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &uio_old_sigbus)) {
		atomic_store(&uio_sigbus_installed, 0);
		return -1;
	}
	return 0;
}
