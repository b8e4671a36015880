/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio interrupts: choose a mode, wait for events, mask and unmask.
 *
 * The kernel masks INTx when it fires; a driver's loop is therefore
 * "uio_irq_wait() (which unmasks first), service the device, repeat" - one
 * system call per interrupt.  MSI and MSI-X vectors are not masked by the
 * kernel.  uio_irq_fd() gives a descriptor per vector for the caller's own
 * poll/epoll loop.
 *
 * Thread-safety: all functions may be called concurrently on one handle;
 * uio_irq_set_mode() closes the descriptors uio_irq_fd() handed out, and
 * a uio_irq_wait() blocked meanwhile goes on waiting for the same vector of
 * the new mode (EINVAL if it has none), as a read() of the device file does
 * for vector 0.
 */
#ifndef LIBUIO_IRQ_H
#define LIBUIO_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include <uiox.h>

#include <libuio/device.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * uio_irq_info() - what interrupts the device offers, and the current mode
 * @dev: an open handle
 * @info: filled on success (UIOX_IRQ_CAN_* flags, mode, vector counts)
 *
 * Return: 0, or -1 with errno ENODEV once the device is gone.
 */
int uio_irq_info(struct uio_dev *dev, struct uiox_irq_info *info);

/**
 * uio_irq_set_mode() - switch interrupt mode
 * @dev: an open handle
 * @mode: UIOX_IRQ_NONE, UIOX_IRQ_INTX, UIOX_IRQ_MSI or UIOX_IRQ_MSIX
 * @num_vectors: 0 for none, 1 for INTx, 1..max for MSI/MSI-X
 *
 * MSI and MSI-X need bus mastering (uio_bus_master()).  Descriptors from
 * uio_irq_fd() are closed.
 *
 * Return: 0, or -1 with errno: EINVAL for a bad mode or count, EOPNOTSUPP
 * when the device lacks the mode, ENODEV once gone, or the error of the
 * kernel's interrupt setup (the device is then left without interrupts).
 */
int uio_irq_set_mode(struct uio_dev *dev, uint32_t mode,
		     unsigned int num_vectors);

/**
 * uio_irq_wait() - unmask a vector and wait for its next event
 * @dev: an open handle
 * @vector: vector index
 * @timeout_ms: longest wait, -1 for no limit, 0 to only check
 * @count: if not NULL, receives the vector's cumulative event count
 *
 * A vector other than 0 is waited on through its own file (see
 * uio_irq_fd()); when the mode was changed elsewhere since that file was
 * made (sysfs, the CLI, another handle), the wait runs again on a file of
 * the current mode, for the rest of @timeout_ms.
 *
 * Return: 0 on an event, or -1 with errno: ETIMEDOUT when none came in
 * time, EINTR on a signal, EINVAL for a bad vector or a @timeout_ms below
 * -1, EIO in mode none or once after a PCI error, EBADFD when the mode
 * changed (again) during the wait, ENODEV once the device is gone, ENOMEM,
 * EMFILE.
 */
int uio_irq_wait(struct uio_dev *dev, unsigned int vector, int timeout_ms,
		 uint32_t *count);

/**
 * uio_irq_mask() - mask or unmask a vector
 * @dev: an open handle
 * @vector: vector index
 * @masked: true to mask, false to unmask
 *
 * Return: 0, or -1 with errno EINVAL (bad vector or mode none) or ENODEV.
 */
int uio_irq_mask(struct uio_dev *dev, unsigned int vector, bool masked);

/**
 * uio_irq_fd() - a pollable descriptor for one vector
 * @dev: an open handle
 * @vector: vector index
 *
 * Readable (POLLIN) when the vector has an event that has not been read;
 * read 4 bytes from it to get the count, write a 4-byte 1 to unmask.  It is
 * non-blocking, close-on-exec, owned by @dev (do not close it), and stays
 * the same for later calls until the mode changes: uio_irq_set_mode()
 * closes it; after a change made elsewhere (it then reports POLLHUP) the
 * next call closes it and returns a file of the current mode.  After an
 * unplug it reports POLLERR|POLLHUP.
 *
 * Return: the descriptor, or -1 with errno EINVAL (bad vector or mode
 * none), ENODEV, EMFILE, ENOMEM.
 */
int uio_irq_fd(struct uio_dev *dev, unsigned int vector);

#ifdef __cplusplus
}
#endif

#endif /* LIBUIO_IRQ_H */
