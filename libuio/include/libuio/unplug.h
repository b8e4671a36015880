/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio and unplug: a process that maps a device must not die when the
 * device vanishes under it.
 *
 * When a device goes, the stub takes its mappings away and a later access
 * raises SIGBUS, which kills the process by default.  With
 * uio_survive_unplug(), libuio catches that SIGBUS for its own mappings
 * (regions and DMA buffers) and puts memory full of 0xff bytes in their
 * place: the access completes and reads all-ones, as a read from a PCI
 * device that has been removed does.  A driver that sees all-ones checks
 * uio_gone(), closes the handle, and may wait for the device to come back
 * (uio_monitor_open()).
 *
 * Thread-safety: call uio_survive_unplug() once, early, before other
 * threads start or install signal handlers (a second caller racing the
 * first may return before the handler is in place); the handler itself is
 * safe with any number of threads faulting at once.
 */
#ifndef LIBUIO_UNPLUG_H
#define LIBUIO_UNPLUG_H

#ifdef __cplusplus
extern "C" {
#endif

/**
 * uio_survive_unplug() - survive accesses to mappings of a vanished device
 *
 * Installs a SIGBUS handler for the process (once; later calls only return
 * 0).  A fault (BUS_ADRERR) at an address inside a mapping libuio made (at
 * most 4096 of them at a time are covered), of a device the stub reports
 * gone, replaces that whole mapping with private memory, once, whichever
 * threads fault on it, and lets the access run again: reads return
 * all-ones, writes reach no device (a later read of the same place returns
 * what was written).  The replacement costs memory only where it is
 * written (and 1 MiB for the process, taken here); a mapping larger than
 * 4 GiB is replaced with zero-filled memory instead.  If the replacement
 * cannot be made, the SIGBUS is treated as any other.
 *
 * Any other SIGBUS - of a device that is still there, an alignment fault,
 * one sent with kill() - is handled as it would have been without libuio:
 * by the handler installed before (with its mask and flags), or by the
 * default action, which kills the process; a sent SIGBUS the process
 * ignored stays ignored.  The handler stays installed.  It runs on the
 * alternate signal stack if the thread has one.
 *
 * A system call that reads or writes a mapping of a gone device that no
 * access has replaced yet (write() from a BAR, say) raises no SIGBUS: it
 * fails with EFAULT.
 *
 * Return: 0, or -1 with errno from memfd_create(), mmap() or sigaction()
 * (ENOMEM, EMFILE).
 */
int uio_survive_unplug(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_UNPLUG_H */
