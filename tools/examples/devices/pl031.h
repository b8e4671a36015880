/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARM PrimeCell PL031 real-time clock (ARM DDI 0224): a 4 KiB register
 * window, one level-triggered interrupt (the match alarm).
 */
#ifndef UIOX_DEVICES_PL031_H
#define UIOX_DEVICES_PL031_H

#define PL031_SIZE	4096
#define PL031_DR	0x00	/* data: the time in seconds, read-only */
#define PL031_MR	0x04	/* match: the alarm time */
#define PL031_LR	0x08	/* load: sets the time */
#define PL031_IMSC	0x10	/* interrupt mask set/clear */
#define PL031_RIS	0x14	/* raw interrupt status */
#define PL031_ICR	0x1c	/* interrupt clear */
#define PL031_ID	0xfe0	/* PeriphID0-3, PCellID0-3, one byte each */
#define PL031_PCELLID0	0xff0	/* reads 0x0d, as in every PrimeCell */

#endif /* UIOX_DEVICES_PL031_H */
