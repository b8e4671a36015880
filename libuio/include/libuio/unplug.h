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
 * Thread-safety: call uio_survive_unplug() early, before other threads
 * install signal handlers; the handler itself is safe with any number of
 * threads faulting at once.
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
 * 0).  A SIGBUS at an address inside a mapping libuio made (at most 4096
 * of them at a time are covered) replaces that whole mapping with private
 * memory filled with 0xff and lets the access run again: reads return
 * all-ones, writes reach no device (a later read of the same place returns
 * what was written).  The replacement costs memory the size of the
 * mapping until it is unmapped; if that memory cannot be had, the SIGBUS
 * is treated as any other.  Any other SIGBUS goes to the handler
 * installed before, or kills the process as it would have.
 *
 * Return: 0, or -1 with errno from sigaction().
 */
int uio_survive_unplug(void);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_UNPLUG_H */
