// SPDX-License-Identifier: GPL-2.0
/*
 * edu_ref - the in-kernel reference of `make bench`: QEMU edu's interrupt
 * round trip as a kernel driver does it.  Bound through driver_override
 * (it has no ID table), it enables MSI and, in probe - so the process that
 * bound it waits, as irq_bench's does - starts a factorial with its
 * interrupt on, waits for the handler's completion and acknowledges it,
 * rounds= times, as irq_bench does, then prints the line irq_bench prints:
 *   bench kernel-msi n=N ns=TOTAL rate=R p50=NS p99=NS max=NS hist=...
 * Not part of uiox: a yardstick for what the interrupt path can cost.
 */
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/timekeeping.h>

#include "edu.h"	/* tools/examples/devices/edu.h, linked in by tools/bench/bench.mk */

#define EDU_REF_BUCKETS	40

static unsigned int rounds = 5000;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "Round trips to time (default 5000)");

struct edu_ref {
	void __iomem *bar;
	struct completion done;
	u64 *lat;
};

static irqreturn_t edu_ref_irq(int irq, void *data)
{
	struct edu_ref *e = data;

	complete(&e->done);
	return IRQ_HANDLED;
}

static int edu_ref_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static int edu_ref_run(struct edu_ref *e)
{
	unsigned long hist[EDU_REF_BUCKETS] = { 0 };
	char line[EDU_REF_BUCKETS * 12];
	u64 t0, start, total;
	unsigned int i, k;
	int len = 0;

	writel(~0u, e->bar + EDU_REG_IRQ_ACK);
	writel(EDU_STATUS_IRQ_FACT, e->bar + EDU_REG_STATUS);
	start = ktime_get_ns();
	for (i = 0; i < rounds; i++) {
		t0 = ktime_get_ns();
		writel(1, e->bar + EDU_REG_FACTORIAL);
		if (!wait_for_completion_timeout(&e->done, HZ)) {
			pr_info("bench kernel-msi: no interrupt\n");
			return -ETIMEDOUT;
		}
		e->lat[i] = ktime_get_ns() - t0;
		writel(EDU_IRQ_FACT, e->bar + EDU_REG_IRQ_ACK);
	}
	total = ktime_get_ns() - start;
	for (i = 0; i < rounds; i++) {
		for (k = 0; k + 1 < EDU_REF_BUCKETS && e->lat[i] >= 2ull << k; k++)
			;
		hist[k]++;
	}
	sort(e->lat, rounds, sizeof(*e->lat), edu_ref_cmp, NULL);
	for (k = 0; k < EDU_REF_BUCKETS; k++)
		len += scnprintf(line + len, sizeof(line) - len, "%lu%s", hist[k],
				 k + 1 < EDU_REF_BUCKETS ? "," : "");
	pr_info("bench kernel-msi n=%u ns=%llu rate=%llu p50=%llu p99=%llu max=%llu hist=%s\n",
		rounds, total, div64_u64((u64)rounds * NSEC_PER_SEC, total),
		e->lat[rounds / 2], e->lat[rounds * 99 / 100], e->lat[rounds - 1], line);
	return 0;
}

static int edu_ref_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct edu_ref *e;
	int ret;

	if (!rounds)
		return -EINVAL;
	e = devm_kzalloc(&pdev->dev, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->lat = devm_kcalloc(&pdev->dev, rounds, sizeof(*e->lat), GFP_KERNEL);
	if (!e->lat)
		return -ENOMEM;
	init_completion(&e->done);
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	e->bar = pcim_iomap(pdev, 0, 0);
	if (!e->bar)
		return -ENOMEM;
	pci_set_master(pdev);
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI);	/* pcim: freed with it */
	if (ret < 0)
		return ret;
	ret = request_irq(pci_irq_vector(pdev, 0), edu_ref_irq, 0, "edu_ref", e);
	if (ret)
		return ret;
	ret = edu_ref_run(e);
	free_irq(pci_irq_vector(pdev, 0), e);
	/* the result is in the log; the device stays bound, idle, till unbound */
	return ret;
}

static struct pci_driver edu_ref_driver = {
	.name = "edu_ref",
	.probe = edu_ref_probe,
};
module_pci_driver(edu_ref_driver);

MODULE_DESCRIPTION("make bench's in-kernel reference: edu's interrupt round trip");
MODULE_LICENSE("GPL");
