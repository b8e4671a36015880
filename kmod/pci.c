// SPDX-License-Identifier: GPL-2.0
/*
 * uiox PCI glue.  The driver has no ID table: it binds only where the
 * administrator asks, through driver_override, new_id or the ids= module
 * parameter.  Bridges are refused.  Bus mastering stays off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "uiox.h"

static char ids[1024];
module_param_string(ids, ids, sizeof(ids), 0444);
MODULE_PARM_DESC(ids, "Devices to bind at load, \"vendor:device[:subvendor:subdevice[:class:class_mask]]\" in hex, comma separated");

static void uiox_pci_fill_regions(struct uiox_device *udev,
				  struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct uiox_region *r = &udev->regions[i];
		unsigned long flags = pci_resource_flags(pdev, i);

		r->start = pci_resource_start(pdev, i);
		r->size = pci_resource_len(pdev, i);
		if (!r->size)
			continue;
		if (flags & IORESOURCE_IO) {
			r->flags = UIOX_REGION_IO;
			continue;
		}
		if (!(flags & IORESOURCE_MEM))
			continue;
		if (PAGE_ALIGNED(r->start))
			r->flags |= UIOX_REGION_MMAP;
		if (flags & IORESOURCE_PREFETCH)
			r->flags |= UIOX_REGION_PREFETCH;
		if (flags & IORESOURCE_MEM_64)
			r->flags |= UIOX_REGION_MEM64;
	}
	udev->num_regions = PCI_STD_NUM_BARS;
}

static int uiox_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct uiox_device *udev;
	int ret;

	if (pdev->hdr_type != PCI_HEADER_TYPE_NORMAL) {
		pci_info(pdev, "not binding to a bridge\n");
		return -ENODEV;
	}

	udev = uiox_device_alloc(&pdev->dev, pci_name(pdev));
	if (IS_ERR(udev))
		return PTR_ERR(udev);

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_enable;

	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret)
		goto err_regions;

	udev->info.flags = UIOX_DEVICE_PCI;
	udev->info.vendor = pdev->vendor;
	udev->info.device = pdev->device;
	udev->info.subsystem_vendor = pdev->subsystem_vendor;
	udev->info.subsystem_device = pdev->subsystem_device;
	udev->info.class_code = pdev->class;
	uiox_pci_fill_regions(udev, pdev);

	pci_set_drvdata(pdev, udev);
	ret = uiox_device_add(udev);
	if (ret)
		goto err_add;

	return 0;

err_add:
	pci_set_drvdata(pdev, NULL);
	pci_release_regions(pdev);
err_regions:
	pci_disable_device(pdev);
err_enable:
	uiox_device_put(udev);
	return ret;
}

static void uiox_pci_remove(struct pci_dev *pdev)
{
	struct uiox_device *udev = pci_get_drvdata(pdev);

	uiox_device_remove(udev);
	pci_set_drvdata(pdev, NULL);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	uiox_device_put(udev);
}

static struct pci_driver uiox_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = NULL,
	.probe = uiox_pci_probe,
	.remove = uiox_pci_remove,
};

/* Parse one "vendor:device[:subvendor:subdevice[:class:class_mask]]". */
static int uiox_pci_add_id(const char *id)
{
	unsigned int vendor, device;
	unsigned int subvendor = PCI_ANY_ID, subdevice = PCI_ANY_ID;
	unsigned int class = 0, class_mask = 0;
	int n;

	n = sscanf(id, "%x:%x:%x:%x:%x:%x", &vendor, &device, &subvendor,
		   &subdevice, &class, &class_mask);
	if (n != 2 && n != 4 && n != 6)
		return -EINVAL;
	if (vendor > 0xffff && vendor != PCI_ANY_ID)
		return -EINVAL;
	if (device > 0xffff && device != PCI_ANY_ID)
		return -EINVAL;

	return pci_add_dynid(&uiox_pci_driver, vendor, device, subvendor,
			     subdevice, class, class_mask, 0);
}

/* Work on a copy: the parameter stays readable in sysfs as given. */
static void uiox_pci_add_ids(void)
{
	char *buf, *p, *id;
	int ret;

	if (!ids[0])
		return;
	buf = kstrdup(ids, GFP_KERNEL);
	if (!buf) {
		pr_warn("ids: out of memory, no IDs added\n");
		return;
	}
	p = buf;
	while ((id = strsep(&p, ",")) != NULL) {
		if (!*id)
			continue;
		ret = uiox_pci_add_id(id);
		if (ret)
			pr_warn("ids: cannot add \"%s\": %d\n", id, ret);
	}
	kfree(buf);
}

int uiox_pci_init(void)
{
	int ret;

	ret = pci_register_driver(&uiox_pci_driver);
	if (ret)
		return ret;
	uiox_pci_add_ids();
	return 0;
}

void uiox_pci_exit(void)
{
	pci_unregister_driver(&uiox_pci_driver);
}
