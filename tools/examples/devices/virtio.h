/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio over PCI (virtio 1.x, 4.1): the vendor, and the modern devices
 * the rig attaches.
 */
#ifndef UIOX_DEVICES_VIRTIO_H
#define UIOX_DEVICES_VIRTIO_H

#define VIRTIO_VENDOR		0x1af4
#define VIRTIO_RNG_DEVICE	0x1044	/* entropy device, 0x1040 + type 4 */

#endif /* UIOX_DEVICES_VIRTIO_H */
