/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel 82574 (e1000e, PCI 8086:10d3), as QEMU emulates it: the interrupt
 * cause registers and the legacy transmit ring (82574 datasheet, 10.2).
 * MSI-X with 5 vectors: IVAR routes the RxQ0, RxQ1, TxQ0, TxQ1 and Other
 * causes (ICR/ICS/IMS bits 20-24) to them, each once unmasked in IMS.
 */
#ifndef UIOX_DEVICES_E1000E_H
#define UIOX_DEVICES_E1000E_H

#include <stdint.h>

#define E1000E_VENDOR		0x8086
#define E1000E_DEVICE		0x10d3
#define E1000E_BAR0_SIZE	(128 * 1024)

#define E1000E_STATUS		0x08	/* device status */
#define E1000E_ICR		0xc0	/* interrupt cause read (clears) */
#define E1000E_ICS		0xc8	/* interrupt cause set */
#define E1000E_IMS		0xd0	/* interrupt mask set */
#define E1000E_IMC		0xd8	/* interrupt mask clear */
#define E1000E_IVAR		0xe4	/* cause -> MSI-X vector */
#define E1000E_TCTL		0x400	/* transmit control */
#define  E1000E_TCTL_EN		0x2
#define  E1000E_TCTL_PSP	0x8	/* pad short packets */
#define E1000E_TDBAL		0x3800	/* transmit ring base, low */
#define E1000E_TDBAH		0x3804
#define E1000E_TDLEN		0x3808	/* bytes, a multiple of 128 */
#define E1000E_TDH		0x3810	/* head */
#define E1000E_TDT		0x3818	/* tail */
#define E1000E_RAL0		0x5400	/* MAC address, low 4 bytes */

/* The I/O BAR: a window onto the registers above. */
#define E1000E_IOADDR		0x00	/* which register */
#define E1000E_IODATA		0x04	/* its value */

/* A legacy transmit descriptor. */
struct e1000e_tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso, cmd, status, css;
	uint16_t special;
};

#define E1000E_TXD_EOP		0x01	/* cmd: end of packet */
#define E1000E_TXD_IFCS		0x02	/* cmd: insert the FCS */
#define E1000E_TXD_RS		0x08	/* cmd: report status, write DD back */
#define E1000E_TXD_DD		0x01	/* status: descriptor done */

#endif /* UIOX_DEVICES_E1000E_H */
