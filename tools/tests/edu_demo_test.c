// SPDX-License-Identifier: GPL-2.0
/*
 * edu-demo, the example people copy, against a fake libuio and a fake edu
 * on the host.  BAR0 is plain memory; the fake device acts only when the
 * demo waits for an interrupt: it finishes the factorial and, depending
 * on the case, finishes the DMA transfer, raises an interrupt that is not
 * the transfer's, or never finishes it.
 *
 * The rules checked are the ones the demo is there to teach:
 *   - a DMA buffer is freed only with the device's DMA engine stopped and
 *     bus mastering off, else it stays allocated until the handle closes;
 *   - an interrupt is not proof of completion: no transfer is programmed
 *     while the previous one still runs.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libuio.h>
#include "kselftest_harness.h"

int edu_demo_main(int argc, char **argv);
#define main edu_demo_main
#include "../examples/edu-demo.c"
#undef main

enum edu_behaviour { DMA_COMPLETES, DMA_SPURIOUS_IRQ, DMA_NEVER_ENDS };

#define FAKE_BUFS	4
#define FAKE_IOVA	0x100000ULL	/* buffer k is at FAKE_IOVA * (k + 1) */

static struct {
	enum edu_behaviour behaviour;
	uint32_t bar[EDU_BAR0_SIZE / 4];
	uint8_t edu_mem[EDU_DMA_SIZE];		/* edu's own buffer, at EDU_DMA_BUF */
	struct uio_dma bufs[FAKE_BUFS];
	bool allocated[FAKE_BUFS];
	bool bus_master, closed;
	bool running;			/* a transfer the device has taken */
	uint32_t taken[4];		/* its SRC, DST, COUNT, CMD */
	int frees, bad_frees, reprogrammed;
} edu;

static uint32_t *reg(uint32_t off)
{
	return &edu.bar[off / 4];
}

/* The device side of an address: one of the fake buffers or edu's own. */
static uint8_t *edu_addr(uint64_t addr, uint32_t len)
{
	if (addr >= EDU_DMA_BUF && addr + len <= EDU_DMA_BUF + sizeof(edu.edu_mem))
		return edu.edu_mem + (addr - EDU_DMA_BUF);
	for (int k = 0; k < FAKE_BUFS; k++)
		if (edu.allocated[k] && addr == edu.bufs[k].iova &&
		    len <= edu.bufs[k].size)
			return edu.bufs[k].vaddr;
	return NULL;
}

static void edu_dma_step(void)
{
	uint32_t now[4] = { *reg(EDU_REG_DMA_SRC), *reg(EDU_REG_DMA_DST),
			    *reg(EDU_REG_DMA_COUNT), *reg(EDU_REG_DMA_CMD) };
	uint8_t *src, *dst;

	if (edu.running) {
		if (memcmp(now, edu.taken, sizeof(now)))
			edu.reprogrammed++;
		return;
	}
	if (!(now[3] & EDU_DMA_RUN) || !edu.bus_master)
		return;
	memcpy(edu.taken, now, sizeof(now));
	if (edu.behaviour != DMA_COMPLETES) {
		edu.running = true;
		return;
	}
	src = edu_addr(now[0], now[2]);
	dst = edu_addr(now[1], now[2]);
	if (src && dst)
		memcpy(dst, src, now[2]);
	*reg(EDU_REG_DMA_CMD) &= ~EDU_DMA_RUN;
}

/* The fake libuio: one device, "fake0", with edu's BAR0. */
int uio_find_pci(uint16_t vendor, uint16_t device, unsigned int nth,
		 char *name, size_t len)
{
	snprintf(name, len, "fake0");
	return 0;
}

struct uio_dev *uio_open(const char *name)
{
	*reg(EDU_REG_ID) = EDU_ID;
	return (struct uio_dev *)&edu;
}

void *uio_map_region(struct uio_dev *dev, unsigned int index, size_t *size)
{
	*size = sizeof(edu.bar);
	return edu.bar;
}

void uio_close(struct uio_dev *dev)
{
	edu.closed = true;
}

int uio_irq_set_mode(struct uio_dev *dev, uint32_t mode, uint32_t count)
{
	return 0;
}

int uio_bus_master(struct uio_dev *dev, bool enable)
{
	edu.bus_master = enable;
	return 0;
}

int uio_dma_set_mask(struct uio_dev *dev, unsigned int bits)
{
	return 0;
}

struct uio_dma *uio_dma_alloc(struct uio_dev *dev, size_t size)
{
	for (int k = 0; k < FAKE_BUFS; k++) {
		if (edu.allocated[k])
			continue;
		edu.allocated[k] = true;
		edu.bufs[k].vaddr = calloc(1, size);
		edu.bufs[k].iova = FAKE_IOVA * (k + 1);
		edu.bufs[k].size = size;
		return &edu.bufs[k];
	}
	errno = ENOMEM;
	return NULL;
}

int uio_dma_free(struct uio_dev *dev, struct uio_dma *buf)
{
	edu.frees++;
	if (edu.bus_master || (*reg(EDU_REG_DMA_CMD) & EDU_DMA_RUN))
		edu.bad_frees++;
	edu.allocated[buf - edu.bufs] = false;
	return 0;
}

int uio_irq_wait(struct uio_dev *dev, unsigned int vector, int timeout_ms,
		 uint32_t *count)
{
	uint32_t n = *reg(EDU_REG_FACTORIAL);

	if (*reg(EDU_REG_STATUS) & EDU_STATUS_IRQ_FACT) {
		*reg(EDU_REG_FACTORIAL) = factorial(n);
		*count = 1;
		return 0;
	}
	edu_dma_step();
	if (edu.behaviour == DMA_NEVER_ENDS) {
		errno = ETIMEDOUT;
		return -1;
	}
	*count = 2;
	return 0;
}

static int run_demo(enum edu_behaviour behaviour, char *out, size_t len)
{
	char *argv[] = { "edu-demo", "fake0", "1", NULL };
	FILE *f = tmpfile();
	int ret, saved = dup(1);
	size_t got;

	memset(&edu, 0, sizeof(edu));
	edu.behaviour = behaviour;
	fflush(stdout);
	dup2(fileno(f), 1);
	ret = edu_demo_main(3, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(f);
	got = fread(out, 1, len - 1, f);
	out[got] = '\0';
	fclose(f);
	return ret;
}

TEST(a_completed_transfer_is_freed_after_bus_mastering_is_off)
{
	char out[4096];

	run_demo(DMA_COMPLETES, out, sizeof(out));
	ASSERT_NE(NULL, strstr(out, "carried by the edu DMA engine\": match")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(2, edu.frees);
	EXPECT_EQ(0, edu.bad_frees);
	EXPECT_TRUE(edu.closed);
}

TEST(an_interrupt_that_is_not_the_transfers_ends_nothing)
{
	char out[4096];

	EXPECT_EQ(1, run_demo(DMA_SPURIOUS_IRQ, out, sizeof(out)));
	EXPECT_EQ(0, edu.reprogrammed) {
		TH_LOG("a transfer was programmed while the last one ran");
	}
	EXPECT_NE(NULL, strstr(out, "DMA did not complete")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(0, edu.bad_frees);
	EXPECT_TRUE(edu.closed);
}

TEST(a_transfer_that_never_ends_keeps_its_buffers)
{
	char out[4096];

	EXPECT_EQ(1, run_demo(DMA_NEVER_ENDS, out, sizeof(out)));
	EXPECT_NE(NULL, strstr(out, "does not stop: keeping its buffers")) {
		TH_LOG("%s", out);
	}
	EXPECT_EQ(0, edu.frees);
	EXPECT_FALSE(edu.bus_master);
	EXPECT_TRUE(edu.closed);
}

TEST_HARNESS_MAIN
