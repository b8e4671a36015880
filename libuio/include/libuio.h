/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libuio - write device drivers in userspace against the uiox stub.
 *
 * Include this one header; it pulls in every area:
 *   <libuio/device.h>	open/close a device, identity, regions, mapping
 *   <libuio/regs.h>	typed register access with the right barriers
 *   <libuio/discover.h>	enumerate devices bound to uiox (libudev)
 *   <libuio/irq.h>	interrupt modes, waiting, masking, pollable fds
 *   <libuio/dma.h>	DMA buffers: allocate, map, free
 *   <libuio/unplug.h>	staying alive when a device vanishes under a mapping
 *   <libuio/version.h>	the library's version (generated from VERSION)
 *
 * Every function that can fail returns -1 (or NULL) and sets errno; the
 * library never prints.  Thread-safety is stated per function.
 */
#ifndef LIBUIO_H
#define LIBUIO_H

#include <libuio/device.h>
#include <libuio/discover.h>
#include <libuio/dma.h>
#include <libuio/irq.h>
#include <libuio/regs.h>
#include <libuio/unplug.h>
#include <libuio/version.h>

#endif /* LIBUIO_H */
