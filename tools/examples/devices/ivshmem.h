/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's inter-VM shared memory device, ivshmem-plain (docs/specs/
 * ivshmem-spec.rst in QEMU): PCI 1af4:1110, BAR0 registers, BAR2 the
 * shared memory.
 */
#ifndef UIOX_DEVICES_IVSHMEM_H
#define UIOX_DEVICES_IVSHMEM_H

#define IVSHMEM_VENDOR		0x1af4
#define IVSHMEM_DEVICE		0x1110
#define IVSHMEM_INTR_MASK	0x00	/* BAR0: interrupt mask */
#define IVSHMEM_BAR_SHM		2	/* the BAR of the shared memory */

#endif /* UIOX_DEVICES_IVSHMEM_H */
