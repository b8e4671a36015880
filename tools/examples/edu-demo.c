// SPDX-License-Identifier: GPL-2.0
/*
 * edu-demo: a tiny userspace driver for QEMU's "edu" teaching device,
 * written against libuio.  It finds the device, maps BAR0 and uses its
 * ID register, the liveness check and the factorial unit - once polling
 * the busy bit, once waiting for the completion interrupt over MSI - and
 * its DMA engine, copying a message between two DMA buffers through the
 * device's own memory.
 * Everything device-specific is here; the kernel stub knows nothing about
 * edu.
 *
 *   edu-demo [name] [n]     name defaults to the first edu bound to uiox
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libuio.h>

#include "devices/edu.h"

static uint32_t factorial(unsigned int n)
{
	uint32_t f = 1;

	while (n > 1)
		f *= n--;
	return f;
}

/* Ask the device for n!, polling its busy bit for at most a second. */
static int edu_factorial(void *bar, unsigned int n, uint32_t *result)
{
	struct timespec start, now;

	uio_write32(bar, EDU_REG_FACTORIAL, n);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (uio_read32(bar, EDU_REG_STATUS) & EDU_STATUS_BUSY) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 1)
			return -1;
	}
	*result = uio_read32(bar, EDU_REG_FACTORIAL);
	return 0;
}

/* Ask for n! and sleep until the device's completion interrupt. */
static int edu_factorial_irq(struct uio_dev *dev, void *bar, unsigned int n,
			     uint32_t *result, uint32_t *event)
{
	int ret;

	uio_write32(bar, EDU_REG_STATUS, EDU_STATUS_IRQ_FACT);
	uio_write32(bar, EDU_REG_FACTORIAL, n);
	ret = uio_irq_wait(dev, 0, 1000, event);
	if (!ret)
		*result = uio_read32(bar, EDU_REG_FACTORIAL);
	uio_write32(bar, EDU_REG_IRQ_ACK, uio_read32(bar, EDU_REG_IRQ_STATUS));
	uio_write32(bar, EDU_REG_STATUS, 0);
	return ret;
}

/* Wait up to a second for edu's DMA engine to finish (RUN clears). */
static int edu_dma_idle(void *bar)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	while (uio_read32(bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 1) {
			errno = ETIMEDOUT;
			return -1;
		}
	}
	return 0;
}

/*
 * One DMA transfer between RAM and edu's memory, waited for by interrupt.
 * An interrupt is not proof that this transfer is done (it may be another
 * of edu's sources): the transfer is done when the RUN bit has cleared.
 */
static int edu_dma(struct uio_dev *dev, void *bar, uint64_t src, uint64_t dst,
		   uint32_t len, uint32_t dir)
{
	uint32_t event;
	int ret;

	uio_write32(bar, EDU_REG_DMA_SRC, (uint32_t)src);
	uio_write32(bar, EDU_REG_DMA_DST, (uint32_t)dst);
	uio_write32(bar, EDU_REG_DMA_COUNT, len);
	uio_write32(bar, EDU_REG_DMA_CMD, EDU_DMA_RUN | EDU_DMA_IRQ | dir);
	ret = uio_irq_wait(dev, 0, 1000, &event);
	uio_write32(bar, EDU_REG_IRQ_ACK, uio_read32(bar, EDU_REG_IRQ_STATUS));
	if (uio_read32(bar, EDU_REG_DMA_CMD) & EDU_DMA_RUN) {
		errno = ret ? errno : EINPROGRESS;
		ret = -1;
	}
	return ret;
}

/* A message from one DMA buffer into edu, and from edu into another. */
static int edu_dma_demo(struct uio_dev *dev, void *bar)
{
	static const char msg[] = "a message carried by the edu DMA engine";
	struct uio_dma *a = NULL, *b = NULL;
	int ok = 0;

	if (uio_dma_set_mask(dev, EDU_DMA_BITS) ||
	    !(a = uio_dma_alloc(dev, sizeof(msg))) ||
	    !(b = uio_dma_alloc(dev, sizeof(msg)))) {
		printf("edu-demo: cannot get DMA buffers: %s\n", strerror(errno));
		goto out;
	}
	memcpy(a->vaddr, msg, sizeof(msg));
	if (edu_dma(dev, bar, a->iova, EDU_DMA_BUF, sizeof(msg), 0) ||
	    edu_dma(dev, bar, EDU_DMA_BUF, b->iova, sizeof(msg), EDU_DMA_TO_RAM)) {
		printf("edu-demo: DMA did not complete: %s\n", strerror(errno));
		goto out;
	}
	ok = !memcmp(b->vaddr, msg, sizeof(msg));
	printf("edu-demo: DMA: iova 0x%llx -> edu -> iova 0x%llx: \"%s\": %s\n",
	       (unsigned long long)a->iova, (unsigned long long)b->iova,
	       ok ? (char *)b->vaddr : "", ok ? "match" : "MISMATCH");
out:
	/*
	 * The order that keeps the device out of freed memory: the device
	 * stopped, bus mastering off, then the buffers freed.  A transfer
	 * that will not stop leaves its buffers allocated: they go when the
	 * handle is closed, after the stub has turned bus mastering off.
	 */
	if (edu_dma_idle(bar)) {
		printf("edu-demo: DMA engine does not stop: keeping its buffers\n");
		uio_bus_master(dev, false);
		return 0;
	}
	uio_bus_master(dev, false);
	uio_dma_free(dev, a);
	uio_dma_free(dev, b);
	return ok;
}

int main(int argc, char **argv)
{
	char name[64];
	unsigned int n = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 10;
	uint32_t id, probe = 0x5a5aa5a5, live, fact, event;
	struct uio_dev *dev;
	size_t size;
	void *bar;
	int ok;

	if (argc > 1) {
		snprintf(name, sizeof(name), "%s", argv[1]);
	} else if (uio_find_pci(EDU_VENDOR, EDU_DEVICE, 0, name, sizeof(name))) {
		fprintf(stderr, "edu-demo: no edu device bound to uiox: %s\n",
			strerror(errno));
		return 1;
	}

	dev = uio_open(name);
	if (!dev) {
		fprintf(stderr, "edu-demo: cannot open %s: %s\n", name,
			strerror(errno));
		return 1;
	}
	bar = uio_map_region(dev, 0, &size);
	if (!bar) {
		fprintf(stderr, "edu-demo: cannot map BAR0 of %s: %s\n", name,
			strerror(errno));
		uio_close(dev);
		return 1;
	}
	printf("edu-demo: opened /dev/uiox/%s, BAR0 mapped: %zu KiB\n", name,
	       size / 1024);

	id = uio_read32(bar, EDU_REG_ID);
	printf("edu-demo: ID register 0x%08x: edu version %u.%u%s\n", id,
	       id >> 24, (id >> 16) & 0xff,
	       (id & 0xff) == EDU_ID_MAGIC ? "" : " (NOT an edu device!)");
	ok = (id & 0xff) == EDU_ID_MAGIC;

	uio_write32(bar, EDU_REG_LIVENESS, probe);
	live = uio_read32(bar, EDU_REG_LIVENESS);
	printf("edu-demo: liveness: wrote 0x%08x, read back 0x%08x: %s\n",
	       probe, live, live == ~probe ? "alive" : "WRONG");
	ok &= live == ~probe;

	if (edu_factorial(bar, n, &fact)) {
		printf("edu-demo: factorial unit stuck busy\n");
		ok = 0;
	} else {
		printf("edu-demo: factorial: %u! = %u (device) / %u (CPU): %s\n",
		       n, fact, factorial(n),
		       fact == factorial(n) ? "match" : "MISMATCH");
		ok &= fact == factorial(n);
	}

	if (uio_irq_set_mode(dev, UIOX_IRQ_MSI, 1) || uio_bus_master(dev, true)) {
		printf("edu-demo: cannot set up MSI: %s\n", strerror(errno));
		ok = 0;
	} else if (edu_factorial_irq(dev, bar, n + 2, &fact, &event)) {
		printf("edu-demo: no completion interrupt: %s\n", strerror(errno));
		ok = 0;
	} else {
		printf("edu-demo: factorial by interrupt: %u! = %u, MSI event #%u: %s\n",
		       n + 2, fact, event,
		       fact == factorial(n + 2) ? "match" : "MISMATCH");
		ok &= fact == factorial(n + 2);
		ok &= edu_dma_demo(dev, bar);
	}
	uio_bus_master(dev, false);

	uio_close(dev);
	printf("edu-demo: %s\n", ok ? "all good" : "FAILED");
	return ok ? 0 : 1;
}
