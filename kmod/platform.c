// SPDX-License-Identifier: GPL-2.0
/*
 * uiox platform glue, for devices described by a device tree.  As on PCI,
 * nothing here knows a device: the stub binds to nodes compatible with
 * "uiox,generic" (see dts/), and to any platform device the administrator
 * points at it with driver_override.
 *
 * Every memory resource becomes a region (mmap-able under the same rules as
 * a PCI BAR); the first interrupt becomes the device's wired line, which
 * the stub masks with disable_irq_nosync() when it fires, since a platform
 * device has no generic way to be quietened.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "uiox.h"

/* No MODULE_DEVICE_TABLE: the stub is loaded by hand, never by udev. */
static const struct of_device_id uiox_of_match[] = {
	{ .compatible = "uiox,generic" },
	{ /* sentinel */ },
};

static void uiox_platform_free_regions(struct uiox_device *udev)
{
	unsigned int i;

	for (i = 0; i < udev->num_regions; i++) {
		struct uiox_region *r = &udev->regions[i];

		uiox_region_unclaim(r);
		release_mem_region(r->start, r->size);
	}
	udev->num_regions = 0;
}

static int uiox_platform_fill_regions(struct uiox_device *udev,
				      struct platform_device *pdev)
{
	unsigned int i;

	for (i = 0; i < UIOX_MAX_REGIONS; i++) {
		struct resource *res, *busy;
		struct uiox_region *r = &udev->regions[i];

		res = platform_get_resource(pdev, IORESOURCE_MEM, i);
		if (!res)
			break;
		busy = request_mem_region(res->start, resource_size(res),
					  dev_name(&pdev->dev));
		if (!busy) {
			dev_info(&pdev->dev, "region %u %pR is in use\n", i, res);
			uiox_platform_free_regions(udev);
			return -EBUSY;
		}
		r->start = res->start;
		r->size = resource_size(res);
		uiox_region_claim(r, busy);
		udev->num_regions = i + 1;
	}
	return 0;
}

static int uiox_platform_probe(struct platform_device *pdev)
{
	struct uiox_device *udev;
	int irq, ret;

	udev = uiox_device_alloc(&pdev->dev, dev_name(&pdev->dev));
	if (IS_ERR(udev))
		return PTR_ERR(udev);

	ret = uiox_platform_fill_regions(udev, pdev);
	if (ret)
		goto err_regions;

	irq = platform_get_irq_optional(pdev, 0);
	if (irq == -EPROBE_DEFER) {
		ret = irq;
		goto err_irq;
	}
	if (irq > 0) {
		udev->irq_caps = UIOX_IRQ_CAN_INTX;
		udev->line_irq = irq;
	}
	udev->info.flags = UIOX_DEVICE_PLATFORM;
	uiox_irq_probe(udev);

	platform_set_drvdata(pdev, udev);
	ret = uiox_device_add(udev);
	if (ret)
		goto err_add;

	return 0;

err_add:
	platform_set_drvdata(pdev, NULL);
	uiox_irq_remove(udev);
err_irq:
	uiox_platform_free_regions(udev);
err_regions:
	uiox_device_put(udev);
	return ret;
}

static uiox_platform_remove_t uiox_platform_remove(struct platform_device *pdev)
{
	struct uiox_device *udev = platform_get_drvdata(pdev);

	uiox_device_remove(udev);
	platform_set_drvdata(pdev, NULL);
	uiox_platform_free_regions(udev);
	uiox_device_put(udev);
	return UIOX_PLATFORM_REMOVE_DONE;
}

static struct platform_driver uiox_platform_driver = {
	.driver = {
		.name = KBUILD_MODNAME,
		.of_match_table = uiox_of_match,
	},
	.probe = uiox_platform_probe,
	.remove = uiox_platform_remove,
};

int uiox_platform_init(void)
{
	return platform_driver_register(&uiox_platform_driver);
}

void uiox_platform_exit(void)
{
	platform_driver_unregister(&uiox_platform_driver);
}
