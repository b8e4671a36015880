/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's "edu" teaching device (docs/specs/edu.rst in QEMU): PCI 1234:11e8,
 * one 1 MiB memory BAR, INTx and one MSI vector, a factorial unit and a DMA
 * engine with a 4 KiB buffer of its own.  Registers below 0x80 take 4-byte
 * accesses only.  The DMA registers are 64 bits wide and take 4- or 8-byte
 * accesses: a 4-byte write at 0x80 or 0x88 sets the whole address with its
 * upper half zero; writes to 0x84 and 0x8c are ignored.
 *
 * The one register header for edu: the example driver, the selftests and
 * libuio's guest tests all include it.
 */
#ifndef UIOX_DEVICES_EDU_H
#define UIOX_DEVICES_EDU_H

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_BAR0_SIZE		(1024 * 1024)

#define EDU_REG_ID		0x00	/* RO: 0xMMmm00ed, version MM.mm */
#define  EDU_ID			0x010000ed	/* version 1.0 */
#define  EDU_ID_MAGIC		0xed	/* its low byte, every version */
#define EDU_REG_LIVENESS	0x04	/* RW: reads back the bitwise NOT */
#define EDU_REG_FACTORIAL	0x08	/* RW: write n, read n! when not busy */
#define EDU_REG_STATUS		0x20
#define  EDU_STATUS_BUSY	0x01	/* RO: computing */
#define  EDU_STATUS_IRQ_FACT	0x80	/* RW: interrupt when n! is done */
#define EDU_REG_IRQ_STATUS	0x24	/* RO: pending interrupt bits */
#define  EDU_IRQ_FACT		0x01	/* the bit n!'s interrupt raises */
#define EDU_REG_IRQ_RAISE	0x60	/* WO: raise these bits */
#define EDU_REG_IRQ_ACK		0x64	/* WO: clear these bits */

#define EDU_REG_DMA_SRC		0x80	/* 64-bit bus (or device) address */
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90	/* bytes */
#define EDU_REG_DMA_CMD		0x98
#define  EDU_DMA_RUN		0x01	/* start; reads 1 until done */
#define  EDU_DMA_FROM_RAM	0x00	/* direction: RAM -> edu's buffer */
#define  EDU_DMA_TO_RAM		0x02	/* direction: edu's buffer -> RAM */
#define  EDU_DMA_IRQ		0x04	/* interrupt when the transfer is done */
#define EDU_DMA_BUF		0x40000	/* edu's buffer, as the device sees it */
#define EDU_DMA_SIZE		4096	/* its size */
#define EDU_DMA_BITS		28	/* address bits edu drives by default */

#endif /* UIOX_DEVICES_EDU_H */
