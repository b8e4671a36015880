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
#include <linux/of_address.h>
#include <linux/platform_device.h>

#include "uiox.h"

/*
 * A node the device tree gives to uiox: its modalias makes udev (or
 * modprobe) load the module.  PCI has no table: uiox takes a PCI device
 * only where the administrator asks (driver_override, new_id, ids=).
 */
static const struct of_device_id uiox_of_match[] = {
	{ .compatible = "uiox,generic" },
	{ /* sentinel */ },
};
MODULE_DEVICE_TABLE(of, uiox_of_match);

/*
 * Whether another device-tree node has registers in the page of @res.  The
 * page-pad claim (uiox_region_claim()) sees only what the iomem tree holds,
 * and a device-tree device enters it only once a driver requests its
 * registers: a neighbour without a driver yet (QEMU virt's virtio-mmio
 * transports, eight of 0x200 bytes to a page) would be mapped along with
 * ours, and our pad would keep its driver out.
 */
static bool uiox_of_page_shared(struct device_node *self,
				const struct resource *res)
{
	resource_size_t start = ALIGN_DOWN(res->start, PAGE_SIZE);
	resource_size_t end = start + PAGE_SIZE - 1;
	struct device_node *np;
	struct resource other;
	int i;

	for_each_node_with_property(np, "reg") {
		if (np == self)
			continue;
		for (i = 0; !of_address_to_resource(np, i, &other); i++) {
			if (resource_type(&other) == IORESOURCE_MEM &&
			    other.start <= end && other.end >= start) {
				of_node_put(np);
				return true;
			}
		}
	}
	return false;
}

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

/*
 * Request every memory resource, then decide which can be mapped: a page
 * pad claimed for one sub-page region must not keep out the next.
 */
static int uiox_platform_fill_regions(struct uiox_device *udev,
				      struct platform_device *pdev)
{
	struct resource *busy[UIOX_MAX_REGIONS];
	unsigned int i;

	for (i = 0; i < UIOX_MAX_REGIONS; i++) {
		struct resource *res;
		struct uiox_region *r = &udev->regions[i];

		res = platform_get_resource(pdev, IORESOURCE_MEM, i);
		if (!res)
			break;
		busy[i] = request_mem_region(res->start, resource_size(res),
					     dev_name(&pdev->dev));
		if (!busy[i]) {
			dev_info(&pdev->dev, "region %u %pR is in use\n", i, res);
			uiox_platform_free_regions(udev);
			return -EBUSY;
		}
		r->start = res->start;
		r->size = resource_size(res);
		udev->num_regions = i + 1;
	}
	for (i = 0; i < udev->num_regions; i++) {
		struct uiox_region *r = &udev->regions[i];

		if (PAGE_ALIGNED(r->start) && r->size < PAGE_SIZE &&
		    uiox_of_page_shared(pdev->dev.of_node, busy[i]))
			dev_info(&pdev->dev, "region %u %pR shares its page with another device: not mappable\n",
				 i, busy[i]);
		else
			uiox_region_claim(r, busy[i]);
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
