// SPDX-License-Identifier: GPL-2.0
/*
 * uiox PCI glue.  The driver has no ID table: it binds only where the
 * administrator asks, through driver_override, new_id or the ids= module
 * parameter.  Bridges are refused.  Bus mastering stays off until
 * userspace turns it on.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "uiox.h"

static char ids[1024];
module_param_string(ids, ids, sizeof(ids), 0444);
MODULE_PARM_DESC(ids, "Devices to bind at load, \"vendor:device[:subvendor:subdevice[:class:class_mask]]\" in hex, comma separated");

/*
 * The bound PCI devices, for uiox_pci_bus_notify(): it runs under the lock
 * of the device a driver is binding to, so it takes this lock next; probe
 * and remove take it under their own device's lock.
 */
static LIST_HEAD(uiox_pci_devices);
static DEFINE_MUTEX(uiox_pci_devices_lock);

static bool intx_masking = true;
module_param(intx_masking, bool, 0644);
MODULE_PARM_DESC(intx_masking, "Use PCI 2.3 INTx masking where the device has it (default on; off forces disable_irq masking)");

/*
 * Note the pages of the MSI-X table (@which 0) or PBA (1): whoever writes
 * the table aims the device's interrupts anywhere, so mmap.c keeps them
 * unmapped unless MSI is isolated.
 */
static void uiox_pci_note_msix(struct uiox_device *udev, struct pci_dev *pdev,
			       int which, u64 size)
{
	struct uiox_region *r;
	u32 where, bar;

	pci_read_config_dword(pdev, pdev->msix_cap +
			      (which ? PCI_MSIX_PBA : PCI_MSIX_TABLE), &where);
	bar = where & PCI_MSIX_TABLE_BIR;
	if (bar >= PCI_STD_NUM_BARS || !udev->regions[bar].size)
		return;
	r = &udev->regions[bar];
	r->msix[which].start = round_down(where & PCI_MSIX_TABLE_OFFSET,
					  PAGE_SIZE);
	r->msix[which].end = round_up((u64)(where & PCI_MSIX_TABLE_OFFSET) +
				      size, PAGE_SIZE);
	r->flags |= UIOX_REGION_MSIX;
}

static void uiox_pci_fill_regions(struct uiox_device *udev,
				  struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		struct uiox_region *r = &udev->regions[i];
		struct resource *res = &pdev->resource[i];
		unsigned long flags = pci_resource_flags(pdev, i);

		r->start = pci_resource_start(pdev, i);
		r->size = pci_resource_len(pdev, i);
		if (!r->size)
			continue;
		if (flags & IORESOURCE_IO) {
			r->port = pci_iomap(pdev, i, 0);
			if (r->port)
				r->flags = UIOX_REGION_IO;
			continue;
		}
		if (!(flags & IORESOURCE_MEM))
			continue;
		if (flags & IORESOURCE_PREFETCH)
			r->flags |= UIOX_REGION_PREFETCH;
		if (flags & IORESOURCE_MEM_64)
			r->flags |= UIOX_REGION_MEM64;
		uiox_region_claim(r, res);
	}
	udev->num_regions = PCI_STD_NUM_BARS;
	if (udev->max_msix) {		/* from uiox_pci_irq_caps() */
		u64 n = udev->max_msix;

		uiox_pci_note_msix(udev, pdev, 0, n * PCI_MSIX_ENTRY_SIZE);
		uiox_pci_note_msix(udev, pdev, 1, DIV_ROUND_UP(n, 64) * 8);
	}
}

static void uiox_pci_free_regions(struct uiox_device *udev,
				  struct pci_dev *pdev)
{
	unsigned int i;

	for (i = 0; i < udev->num_regions; i++) {
		struct uiox_region *r = &udev->regions[i];

		if (r->port)
			pci_iounmap(pdev, r->port);
		r->port = NULL;
		uiox_region_unclaim(r);
	}
}

/* What interrupts the function offers. */
static void uiox_pci_irq_caps(struct uiox_device *udev, struct pci_dev *pdev)
{
	int n;

	if (pdev->irq && pdev->pin) {
		udev->irq_caps |= UIOX_IRQ_CAN_INTX;
		udev->line_irq = pdev->irq;
		udev->intx_maskable = READ_ONCE(intx_masking) &&
				      pci_intx_mask_supported(pdev);
	}
	n = pci_msi_vec_count(pdev);
	if (n > 0) {
		udev->irq_caps |= UIOX_IRQ_CAN_MSI;
		udev->max_msi = n;
	}
	n = pci_msix_vec_count(pdev);
	if (n > 0) {
		udev->irq_caps |= UIOX_IRQ_CAN_MSIX;
		udev->max_msix = n;
	}
}

/*
 * What uiox promises at bind, whatever firmware or the previous driver
 * left: no bus mastering, INTx disabled until a handler is installed, the
 * default 32-bit DMA mask.
 *
 * INTx disable belongs to uiox alone while bound: the PCI core's MSI code
 * sets and clears it as MSI comes and goes unless the device carries
 * PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG, so uiox sets that flag until remove()
 * (irq.c keeps the bit as a device that really has the bug needs it).
 */
static void uiox_pci_quiesce(struct uiox_device *udev)
{
	struct pci_dev *pdev = udev->pdev;

	udev->msi_intx_quirk = pdev->dev_flags &
			       PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG;
	pdev->dev_flags |= PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG;
	mutex_lock(&udev->irq_lock);
	uiox_pci_bus_master(udev, false);
	uiox_pci_intx_disable(udev, true);
	mutex_unlock(&udev->irq_lock);
	if (dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32)))
		pci_info(pdev, "no 32-bit DMA mask\n");
}

static long uiox_ioctl_bus_master(struct uiox_file *uf, void __user *uarg)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_bus_master req;
	bool unsafe = false;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_bus_master, enable),
			       uarg);
	if (ret)
		return ret;
	if (req.enable > 1)
		return -EINVAL;
	if (!udev->pdev)
		return -ENOTTY;

	mutex_lock(&udev->irq_lock);
	if (uiox_gone(udev))
		ret = -ENODEV;
	else if (req.enable)
		ret = uiox_dma_permit(udev, &unsafe);
	if (!ret)
		uiox_pci_bus_master(udev, req.enable);
	if (!ret && unsafe)
		uf->unsafe_master = true;	/* off again when it closes */
	mutex_unlock(&udev->irq_lock);
	return ret;
}

/*
 * Reset the function through the PCI core, so that this reset, like the
 * core's own (sysfs "reset", pci_reset_bus()), passes through
 * uiox_pci_reset_prepare() and uiox_pci_reset_done().  Trylocks, as in
 * pci_try_reset_function(), so that a busy device is EAGAIN, never a wait:
 * the device lock is held e.g. by each of the core's resets from before
 * reset_prepare to after reset_done, by remove(), by a bind or unbind and
 * by error recovery; under it the device is still ours when it is reset.
 * The upstream bridge is locked first, as pci_reset_function() does, for
 * a reset that falls back to a secondary bus reset.  Both pci_devs stay
 * valid after remove() (parent_ref, bridge_ref).  (A reset through sysfs
 * sets block_cfg_access with none of our locks: see the note in uiox.h.)
 */
static long uiox_ioctl_reset(struct uiox_device *udev, void __user *uarg)
{
	struct pci_dev *bridge = NULL, *pdev = udev->pdev;
	struct uiox_reset req;
	bool locked;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_reset, flags), uarg);
	if (ret)
		return ret;
	if (req.flags)
		return -EINVAL;
	if (!pdev)
		return -ENOTTY;
	if (uiox_gone(udev))	/* and again under the lock: exact there */
		return -ENODEV;

	if (udev->bridge_ref) {
		bridge = to_pci_dev(udev->bridge_ref);
		if (!pci_dev_trylock(bridge))
			return -EAGAIN;
	}
	ret = -EAGAIN;
	if (!device_trylock(&pdev->dev))
		goto out_bridge;
	ret = -ENODEV;
	if (uiox_gone(udev))
		goto out_unlock;
	/*
	 * block_cfg_access shares a word of bitfields with msi_enabled and
	 * is_busmaster, which uiox changes under irq_lock: set and clear it
	 * under irq_lock too, or one write can undo the other.
	 */
	mutex_lock(&udev->irq_lock);
	locked = pci_cfg_access_trylock(pdev);
	mutex_unlock(&udev->irq_lock);
	ret = -EAGAIN;
	if (!locked)
		goto out_unlock;
	ret = pci_reset_function_locked(pdev);
	mutex_lock(&udev->irq_lock);
	pci_cfg_access_unlock(pdev);
	mutex_unlock(&udev->irq_lock);
out_unlock:
	device_unlock(&pdev->dev);
out_bridge:
	if (bridge)
		pci_dev_unlock(bridge);
	return ret;
}

/* A file opened read-only may read ports, not write them (EBADF). */
static long uiox_ioctl_port_io(struct uiox_device *udev,
			       void __user *uarg, bool writable)
{
	struct uiox_port_io req;
	const struct uiox_region *r;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_port_io, __reserved),
			       uarg);
	if (ret)
		return ret;
	if (req.flags & ~UIOX_PORT_WRITE || req.__reserved ||
	    req.index >= udev->num_regions)
		return -EINVAL;
	if (req.width != 1 && req.width != 2 && req.width != 4)
		return -EINVAL;
	if (req.flags & UIOX_PORT_WRITE && !writable)
		return -EBADF;
	if (req.flags & UIOX_PORT_WRITE && req.width < 4 &&
	    req.value >> (8 * req.width))
		return -EINVAL;
	r = &udev->regions[array_index_nospec(req.index, udev->num_regions)];
	if (!(r->flags & UIOX_REGION_IO) || req.offset % req.width ||
	    req.offset >= r->size || req.width > r->size - req.offset)
		return -EINVAL;

	down_read(&udev->memory_lock);
	if (udev->gone) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (req.flags & UIOX_PORT_WRITE) {
		if (req.width == 1)
			iowrite8(req.value, r->port + req.offset);
		else if (req.width == 2)
			iowrite16(req.value, r->port + req.offset);
		else
			iowrite32(req.value, r->port + req.offset);
	} else {
		if (req.width == 1)
			req.value = ioread8(r->port + req.offset);
		else if (req.width == 2)
			req.value = ioread16(r->port + req.offset);
		else
			req.value = ioread32(r->port + req.offset);
	}
out_unlock:
	up_read(&udev->memory_lock);
	return ret ? ret : uiox_copy_arg_out(uarg, &req, sizeof(req));
}

/* uiox_device.bus_ioctl: what only a PCI function does. */
static long uiox_pci_ioctl(struct uiox_file *uf, unsigned int cmd,
			   void __user *uarg, bool writable)
{
	switch (cmd) {
	case UIOX_SET_BUS_MASTER:
		return writable ? uiox_ioctl_bus_master(uf, uarg) : -EBADF;
	case UIOX_RESET:
		return writable ? uiox_ioctl_reset(uf->udev, uarg) : -EBADF;
	case UIOX_PORT_IO:
		return uiox_ioctl_port_io(uf->udev, uarg, writable);
	default:
		return -ENOTTY;
	}
}

/*
 * Around a reset of the function by the PCI core (UIOX_RESET, sysfs
 * "reset", pci_reset_bus(); not the link resets of error recovery): every
 * mapping is zapped and faults wait on memory_lock until the device is
 * back, so no access reaches it while it is in reset with memory decoding
 * off.  The core saves and restores the command register meanwhile:
 * irq_lock keeps every other writer out and the handler keeps off it;
 * afterwards INTx disable is made to match the current vectors again.
 * Called with the device lock held; both locks stay held from prepare to
 * done (a bus reset holds those of each device on the bus: every device
 * has lock classes of its own).
 */
static void uiox_pci_reset_prepare(struct pci_dev *pdev)
{
	struct uiox_device *udev = pci_get_drvdata(pdev);

	mutex_lock(&udev->irq_lock);
	down_write(&udev->memory_lock);
	uiox_revoke_mappings(udev);
	uiox_irq_reset_prepare(udev);
}

static void uiox_pci_reset_done(struct pci_dev *pdev)
{
	struct uiox_device *udev = pci_get_drvdata(pdev);

	uiox_irq_reset_done(udev);
	up_write(&udev->memory_lock);
	mutex_unlock(&udev->irq_lock);
}

/*
 * An error the PCI core found (AER, DPC) below the device's port: every
 * waiter returns EIO once, so the driver in userspace learns of it.  After
 * a non-fatal error the device carries on.  After a fatal one the core
 * resets the link, which loses the device's configuration; putting it back
 * is the business of the device's driver, in userspace (as with vfio-pci,
 * uiox votes CAN_RECOVER so that the other devices below the port recover).
 */
static pci_ers_result_t uiox_pci_error_detected(struct pci_dev *pdev,
						pci_channel_state_t state)
{
	struct uiox_device *udev = pci_get_drvdata(pdev);

	uiox_irq_report_error(udev);
	if (state == pci_channel_io_perm_failure)
		return PCI_ERS_RESULT_DISCONNECT;
	return PCI_ERS_RESULT_CAN_RECOVER;
}

static const struct pci_error_handlers uiox_pci_err_handler = {
	.error_detected = uiox_pci_error_detected,
	.reset_prepare = uiox_pci_reset_prepare,
	.reset_done = uiox_pci_reset_done,
};

/* Give the PCI core back its own handling of INTx disable around MSI. */
static void uiox_pci_unquiesce(struct uiox_device *udev)
{
	if (!udev->msi_intx_quirk)
		udev->pdev->dev_flags &= ~PCI_DEV_FLAGS_MSI_INTX_DISABLE_BUG;
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
	udev->pdev = pdev;
	if (pci_upstream_bridge(pdev))
		udev->bridge_ref = get_device(&pci_upstream_bridge(pdev)->dev);
	udev->bus_ioctl = uiox_pci_ioctl;

	ret = pci_enable_device(pdev);
	if (ret)
		goto err_enable;
	uiox_pci_quiesce(udev);	/* enabling cleared INTx disable */

	ret = pci_request_regions(pdev, KBUILD_MODNAME);
	if (ret)
		goto err_regions;

	udev->info.flags = UIOX_DEVICE_PCI;
	udev->info.vendor = pdev->vendor;
	udev->info.device = pdev->device;
	udev->info.subsystem_vendor = pdev->subsystem_vendor;
	udev->info.subsystem_device = pdev->subsystem_device;
	udev->info.class_code = pdev->class;
	uiox_pci_irq_caps(udev, pdev);
	uiox_pci_fill_regions(udev, pdev);
	uiox_irq_probe(udev);

	pci_set_drvdata(pdev, udev);
	/* listed before userspace can turn bus mastering on */
	mutex_lock(&uiox_pci_devices_lock);
	list_add(&udev->pci_node, &uiox_pci_devices);
	mutex_unlock(&uiox_pci_devices_lock);
	ret = uiox_device_add(udev);
	if (ret)
		goto err_add;
	return 0;

err_add:
	mutex_lock(&uiox_pci_devices_lock);
	list_del(&udev->pci_node);
	mutex_unlock(&uiox_pci_devices_lock);
	pci_set_drvdata(pdev, NULL);
	uiox_irq_remove(udev);
	uiox_pci_free_regions(udev, pdev);
	pci_release_regions(pdev);
err_regions:
	uiox_pci_unquiesce(udev);
	pci_disable_device(pdev);
err_enable:
	uiox_device_put(udev);
	return ret;
}

static void uiox_pci_remove(struct pci_dev *pdev)
{
	struct uiox_device *udev = pci_get_drvdata(pdev);

	uiox_device_remove(udev);	/* bus mastering off */
	mutex_lock(&uiox_pci_devices_lock);
	list_del(&udev->pci_node);
	mutex_unlock(&uiox_pci_devices_lock);
	pci_set_drvdata(pdev, NULL);
	uiox_pci_free_regions(udev, pdev);
	uiox_pci_unquiesce(udev);
	pci_release_regions(pdev);
	pci_disable_device(pdev);
	uiox_device_put(udev);
}

static struct pci_driver uiox_pci_driver = {
	.name = KBUILD_MODNAME,
	.id_table = NULL,
	.probe = uiox_pci_probe,
	.remove = uiox_pci_remove,
	.err_handler = &uiox_pci_err_handler,
};

/*
 * A driver is binding to some PCI device: before its probe runs, each of
 * our devices in that device's IOMMU group learns of it (the group may no
 * longer confine our DMA).  A notifier, not a refusal: the driver core
 * lets no one veto a bind.  Only PCI devices: x86 IOMMU groups hold
 * nothing else.
 */
static int uiox_pci_bus_notify(struct notifier_block *nb, unsigned long action,
			       void *data)
{
	struct device *dev = data;
	struct uiox_device *udev;

	if (action != BUS_NOTIFY_BIND_DRIVER)
		return NOTIFY_DONE;
	mutex_lock(&uiox_pci_devices_lock);
	list_for_each_entry(udev, &uiox_pci_devices, pci_node)
		uiox_dma_neighbour_binding(udev, dev);
	mutex_unlock(&uiox_pci_devices_lock);
	return NOTIFY_OK;
}

static struct notifier_block uiox_pci_nb = {
	.notifier_call = uiox_pci_bus_notify,
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

	ret = bus_register_notifier(&pci_bus_type, &uiox_pci_nb);
	if (ret)
		return ret;
	ret = pci_register_driver(&uiox_pci_driver);
	if (ret)
		goto err_register;
	uiox_pci_add_ids();
	return 0;

err_register:
	bus_unregister_notifier(&pci_bus_type, &uiox_pci_nb);
	return ret;
}

void uiox_pci_exit(void)
{
	pci_unregister_driver(&uiox_pci_driver);
	bus_unregister_notifier(&pci_bus_type, &uiox_pci_nb);
}
