// SPDX-License-Identifier: GPL-2.0
/*
 * uiox DMA memory.  The kernel allocates each buffer and maps it with the
 * DMA API, so the device reaches it at an address the kernel chose (and,
 * behind an IOMMU, reaches nothing else); userspace maps it and programs
 * the device.
 *
 * As with regions, pages are inserted at fault time, under memory_lock,
 * so freeing a buffer is: take it out of the table, zap its offset range,
 * give the memory back.  A VMA keeps the buffer's struct (not its memory)
 * alive, so that a later fault finds it freed and raises SIGBUS, even if
 * the id has been given to a new buffer since.
 *
 * A buffer belongs to the file that allocated it.  When that file closes
 * with buffers left, bus mastering goes off before they are freed: without
 * an IOMMU nothing else stops a running device from writing into memory
 * the kernel has taken back.  remove() frees every buffer the same way.
 */
#include <linux/capability.h>
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "uiox.h"

static unsigned int dma_limit_mb = 256;
module_param(dma_limit_mb, uint, 0644);
MODULE_PARM_DESC(dma_limit_mb, "Most DMA memory userspace may hold per device, in MiB (default 256)");

static bool allow_unsafe_dma;
module_param(allow_unsafe_dma, bool, 0644);
MODULE_PARM_DESC(allow_unsafe_dma, "Let CAP_SYS_RAWIO callers turn on bus mastering and DMA for a device no IOMMU confines (taints the kernel; default off)");

/*
 * The privilege model.  Bus mastering lets a device write memory, so it
 * and everything built on it (DMA buffers) need one of:
 *   - the device's DMA translated by an IOMMU (a paging domain, not
 *     identity), its IOMMU group viable (every other device in it unbound,
 *     bound to uiox, or bound to a driver that does no DMA through the
 *     kernel: driver_managed_dma, as pcieport and pci-stub), and its MSI
 *     isolated (interrupt remapping: else a DMA write raises any
 *     interrupt);
 *   - CAP_SYS_RAWIO and the module parameter allow_unsafe_dma, which
 *     taints the kernel and says so once per device.
 * uiox_dma_access() gives the verdict and its reason.
 */
enum uiox_dma_verdict { UIOX_DMA_IOMMU, UIOX_DMA_UNSAFE, UIOX_DMA_DENIED };

static int uiox_group_member_viable(struct device *dev, void *data)
{
	struct device_driver *drv = READ_ONCE(dev->driver);

	if (dev == data || !drv || drv->owner == THIS_MODULE)
		return 0;
	if (dev_is_pci(dev) && to_pci_driver(drv)->driver_managed_dma)
		return 0;
	return -EBUSY;
}

static const char *uiox_domain_name(const struct iommu_domain *domain)
{
	switch (domain->type) {
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	default:
		return "unknown";
	}
}

/*
 * How the device's DMA is confined, in @why (for sysfs and dmesg), and
 * whether the caller may turn it on (@caller: check the caller's
 * capability; else report what root would get).
 */
static enum uiox_dma_verdict uiox_dma_access(struct uiox_device *udev,
					     bool caller, char *why,
					     size_t len)
{
	struct device *dev = &udev->pdev->dev;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	struct iommu_group *group;
	int viable = -ENODEV;
	bool translated;

	group = iommu_group_get(dev);
	if (group) {
		viable = iommu_group_for_each_dev(group, dev,
						  uiox_group_member_viable);
		iommu_group_put(group);
	}
	translated = domain && (domain->type & __IOMMU_DOMAIN_PAGING);
	if (translated && !viable && uiox_msi_isolated(dev)) {
		scnprintf(why, len, "iommu %s", uiox_domain_name(domain));
		return UIOX_DMA_IOMMU;
	}
	if (!domain)
		scnprintf(why, len, "no IOMMU");
	else if (!translated)
		scnprintf(why, len, "IOMMU domain %s does not translate",
			  uiox_domain_name(domain));
	else if (viable)
		scnprintf(why, len, "IOMMU group shared with a device that has a kernel driver");
	else	/* a DMA write could aim an interrupt anywhere */
		scnprintf(why, len, "MSI not isolated (no interrupt remapping)");
	if (!READ_ONCE(allow_unsafe_dma)) {
		strlcat(why, ", allow_unsafe_dma off", len);
		return UIOX_DMA_DENIED;
	}
	if (caller && !capable(CAP_SYS_RAWIO)) {
		strlcat(why, ", caller lacks CAP_SYS_RAWIO", len);
		return UIOX_DMA_DENIED;
	}
	strlcat(why, ", allow_unsafe_dma", len);
	return UIOX_DMA_UNSAFE;
}

/**
 * uiox_dma_permit() - may the caller let the device master the bus?
 * @udev:	a PCI device, not gone; caller holds irq_lock or memory_lock
 *		(so that remove() cannot free the PCI device meanwhile)
 * @unsafe:	set when permitted only by allow_unsafe_dma
 *
 * Return: 0, or -EPERM (with one line in the kernel log saying why).  The
 * first unsafe permission for a device taints the kernel and says so.
 */
int uiox_dma_permit(struct uiox_device *udev, bool *unsafe)
{
	char why[128];

	*unsafe = false;
	switch (uiox_dma_access(udev, true, why, sizeof(why))) {
	case UIOX_DMA_IOMMU:
		return 0;
	case UIOX_DMA_UNSAFE:
		*unsafe = true;
		if (!xchg(&udev->unsafe_dma_noted, true)) {
			dev_warn(&udev->dev, "DMA not confined by an IOMMU (%s): the device can reach all memory; tainting the kernel\n",
				 why);
			add_taint(TAINT_USER, LOCKDEP_STILL_OK);
		}
		return 0;
	default:
		dev_notice_ratelimited(&udev->dev, "bus mastering and DMA refused: %s\n",
				       why);
		return -EPERM;
	}
}

/**
 * uiox_dma_neighbour_binding() - a driver is binding to another device
 * @udev:	a PCI device, bound (the bus glue lists it from before its node
 *		appears until remove() has turned bus mastering off)
 * @other:	the device; its driver is set and about to probe
 *
 * A driver that does DMA through the kernel, binding to a device in
 * @udev's IOMMU group, is about to share the domain that confines @udev's
 * DMA: the group is no longer viable.  Bus mastering goes off before that
 * driver's probe runs (the kernel log says so); turning it on again asks
 * for permission again, as does every DMA allocation.
 */
void uiox_dma_neighbour_binding(struct uiox_device *udev,
				struct device *other)
{
	struct pci_dev *pdev = udev->pdev;
	struct iommu_group *ours, *theirs;
	u16 cmd = 0;

	if (!uiox_group_member_viable(other, &pdev->dev))
		return;
	ours = iommu_group_get(&pdev->dev);
	theirs = iommu_group_get(other);
	if (ours && ours == theirs) {
		mutex_lock(&udev->irq_lock);
		pci_read_config_word(pdev, PCI_COMMAND, &cmd);
		if (cmd & PCI_COMMAND_MASTER) {
			uiox_pci_bus_master(udev, false);
			dev_warn(&udev->dev, "bus mastering off: %s, in the same IOMMU group, is binding to %s\n",
				 dev_name(other), other->driver->name);
		}
		mutex_unlock(&udev->irq_lock);
	}
	iommu_group_put(theirs);
	iommu_group_put(ours);
}

/**
 * uiox_dma_describe() - the DMA verdict for sysfs
 * @udev:	the device
 * @buf:	sysfs buffer
 *
 * Return: bytes written: "iommu <domain type>", "unsafe: <why>",
 * "denied: <why>", or "none" for a device that is not PCI.
 */
ssize_t uiox_dma_describe(struct uiox_device *udev, char *buf)
{
	static const char * const verdicts[] = {
		[UIOX_DMA_IOMMU] = "", [UIOX_DMA_UNSAFE] = "unsafe: ",
		[UIOX_DMA_DENIED] = "denied: ",
	};
	enum uiox_dma_verdict v;
	char why[128];

	if (!udev->pdev)
		return sysfs_emit(buf, "none\n");
	down_read(&udev->memory_lock);
	if (udev->gone) {
		up_read(&udev->memory_lock);
		return sysfs_emit(buf, "none\n");
	}
	v = uiox_dma_access(udev, false, why, sizeof(why));
	up_read(&udev->memory_lock);
	return sysfs_emit(buf, "%s%s\n", verdicts[v], why);
}

static void uiox_dma_buf_release(struct kref *ref)
{
	kfree(container_of(ref, struct uiox_dma_buf, ref));
}

static void uiox_dma_buf_put(struct uiox_dma_buf *buf)
{
	kref_put(&buf->ref, uiox_dma_buf_release);
}

static u64 uiox_dma_offset(u32 id)
{
	return UIOX_REGION_OFFSET(UIOX_DMA_FIRST_INDEX + id);
}

/*
 * A buffer's memory.  Behind a translating IOMMU (whatever the verdict)
 * it is pages of our own, mapped with dma_map_page(): Debian's default is
 * lazy IOTLB invalidation (DMA-FQ), where an unmap leaves the device's
 * cached translations in place for a while, so the pages are given back
 * only after the IOTLB is flushed - dma_free_pages() would give them back
 * first.  Otherwise the DMA API picks the pages, below the DMA mask.
 */
static int uiox_dma_pages_alloc(struct device *dev, struct uiox_dma_buf *buf,
				bool translated)
{
	buf->mapped = translated;
	if (!translated) {
		buf->page = dma_alloc_pages(dev, buf->size, &buf->iova,
					    DMA_BIDIRECTIONAL,
					    GFP_KERNEL | __GFP_NOWARN);
		/*
		 * It fails with NULL, never with an error handle, but DMA-API
		 * debugging in 6.1 wants every handle checked.
		 */
		WARN_ON_ONCE(buf->page && dma_mapping_error(dev, buf->iova));
		return buf->page ? 0 : -ENOMEM;
	}
	buf->page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
				get_order(buf->size));
	if (!buf->page)
		return -ENOMEM;
	buf->iova = dma_map_page(dev, buf->page, 0, buf->size,
				 DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, buf->iova)) {
		__free_pages(buf->page, get_order(buf->size));
		buf->page = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void uiox_dma_pages_free(struct device *dev, struct uiox_dma_buf *buf)
{
	struct iommu_domain *domain;

	if (!buf->mapped) {
		dma_free_pages(dev, buf->size, buf->page, buf->iova,
			       DMA_BIDIRECTIONAL);
	} else {
		dma_unmap_page(dev, buf->iova, buf->size, DMA_BIDIRECTIONAL);
		domain = iommu_get_domain_for_dev(dev);
		if (domain)
			iommu_flush_iotlb_all(domain);
		__free_pages(buf->page, get_order(buf->size));
	}
	buf->page = NULL;
}

/* Free one buffer; the device is still bound. */
static void uiox_dma_buf_free(struct uiox_device *udev,
			      struct uiox_dma_buf *buf)
{
	lockdep_assert_held_write(&udev->memory_lock);
	xa_erase(&udev->dma_bufs, buf->id);
	unmap_mapping_range(udev->inode->i_mapping, uiox_dma_offset(buf->id),
			    buf->size, 1);
	uiox_dma_pages_free(&udev->pdev->dev, buf);
	atomic64_sub(buf->size, &udev->dma_bytes);
	uiox_dma_buf_put(buf);
}

static void uiox_dma_vm_open(struct vm_area_struct *vma)
{
	struct uiox_dma_buf *buf = vma->vm_private_data;

	kref_get(&buf->ref);
}

static void uiox_dma_vm_close(struct vm_area_struct *vma)
{
	uiox_dma_buf_put(vma->vm_private_data);
}

static vm_fault_t uiox_dma_vm_fault(struct vm_fault *vmf)
{
	struct uiox_dma_buf *buf = vmf->vma->vm_private_data;
	struct uiox_device *udev = buf->udev;
	u64 off = uiox_pgoff_offset(vmf->pgoff);
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&udev->memory_lock);
	if (buf->page && off < buf->size)
		ret = vmf_insert_pfn(vmf->vma, vmf->address,
				     page_to_pfn(buf->page) + PHYS_PFN(off));
	up_read(&udev->memory_lock);
	return ret;
}

static const struct vm_operations_struct uiox_dma_vm_ops = {
	.open = uiox_dma_vm_open,
	.close = uiox_dma_vm_close,
	.fault = uiox_dma_vm_fault,
};

/**
 * uiox_dma_mmap() - set up a mapping of a DMA buffer, for uiox_mmap()
 * @udev:	the device, not gone; memory_lock held for writing
 * @vma:	the new shared, non-executable mapping
 * @id:		buffer id taken from the offset
 *
 * Return: 0, or -EINVAL for an unknown buffer, the write-combining bit, or
 * a range not inside the buffer.
 */
int uiox_dma_mmap(struct uiox_device *udev, struct vm_area_struct *vma,
		  unsigned long id)
{
	u64 off = uiox_pgoff_offset(vma->vm_pgoff);
	u64 len = vma->vm_end - vma->vm_start;
	struct uiox_dma_buf *buf;

	lockdep_assert_held_write(&udev->memory_lock);
	if (vma->vm_pgoff & UIOX_PGOFF_WC)
		return -EINVAL;
	buf = xa_load(&udev->dma_bufs, id);
	if (!buf || off >= buf->size || len > buf->size - off)
		return -EINVAL;

	kref_get(&buf->ref);
	vma->vm_private_data = buf;
	vma->vm_ops = &uiox_dma_vm_ops;
	uiox_vm_flags_mod(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
			  VM_MAYEXEC);
	return 0;
}

long uiox_ioctl_dma_mask(struct uiox_device *udev, void __user *uarg)
{
	struct uiox_dma_mask req;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_dma_mask, bits), uarg);
	if (ret)
		return ret;
	if (!req.bits || req.bits > 64)
		return -EINVAL;
	if (!udev->pdev)
		return -ENOTTY;

	down_write(&udev->memory_lock);
	if (udev->gone)
		ret = -ENODEV;
	else
		ret = dma_set_mask_and_coherent(&udev->pdev->dev,
						DMA_BIT_MASK(req.bits));
	up_write(&udev->memory_lock);
	return ret;
}

/*
 * Allocate @buf's memory and enter it in the table, with memory_lock held
 * shared only: the allocation may reclaim, and faults on the device's
 * mappings go on meanwhile (remove() waits for it to finish).  The table
 * and the byte count have locks of their own against other allocations;
 * everything that takes buffers out holds memory_lock for writing.
 */
static int uiox_dma_buf_alloc(struct uiox_device *udev,
			      struct uiox_dma_buf *buf)
{
	struct device *dev = &udev->pdev->dev;
	u64 limit = (u64)READ_ONCE(dma_limit_mb) << 20;
	struct iommu_domain *domain;
	bool unsafe;
	int ret;

	lockdep_assert_held_read(&udev->memory_lock);
	if (udev->gone)
		return -ENODEV;
	ret = uiox_dma_permit(udev, &unsafe);
	if (ret)
		return ret;
	if (!dev_is_dma_coherent(dev))
		return -EOPNOTSUPP;	/* userspace cannot sync caches */
	if (atomic64_add_return(buf->size, &udev->dma_bytes) > limit) {
		ret = -ENOSPC;
		goto err_count;
	}
	domain = iommu_get_domain_for_dev(dev);
	ret = uiox_dma_pages_alloc(dev, buf, domain &&
				   (domain->type & __IOMMU_DOMAIN_PAGING));
	if (ret)
		goto err_count;
	ret = xa_alloc(&udev->dma_bufs, &buf->id, buf,
		       XA_LIMIT(0, UIOX_DMA_MAX_BUFS - 1), GFP_KERNEL);
	if (ret) {
		ret = ret == -EBUSY ? -ENOSPC : ret;
		goto err_free;
	}
	return 0;

err_free:
	uiox_dma_pages_free(dev, buf);
err_count:
	atomic64_sub(buf->size, &udev->dma_bytes);
	return ret;
}

long uiox_ioctl_dma_alloc(struct uiox_file *uf, void __user *uarg)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_dma_alloc req;
	struct uiox_dma_buf *buf;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_dma_alloc, __reserved),
			       uarg);
	if (ret)
		return ret;
	if (req.flags || req.__reserved || !req.size ||
	    req.size > UIOX_DMA_MAX_SIZE)
		return -EINVAL;
	if (!udev->pdev)
		return -ENOTTY;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kref_init(&buf->ref);
	buf->udev = udev;
	buf->owner = uf;
	buf->size = PAGE_ALIGN(req.size);

	down_read(&udev->memory_lock);
	ret = uiox_dma_buf_alloc(udev, buf);
	if (!ret)
		kref_get(&buf->ref);	/* for the copy-out below */
	up_read(&udev->memory_lock);
	if (ret)
		goto err_alloc;

	req.size = buf->size;
	req.iova = buf->iova;
	req.offset = uiox_dma_offset(buf->id);
	req.id = buf->id;
	req.__reserved = 0;
	/* Not under memory_lock: the copy may fault on a uiox mapping. */
	ret = uiox_copy_arg_out(uarg, &req, sizeof(req));
	if (ret) {
		down_write(&udev->memory_lock);
		if (buf->page)
			uiox_dma_buf_free(udev, buf);
		up_write(&udev->memory_lock);
	}
err_alloc:
	uiox_dma_buf_put(buf);
	return ret;
}

/*
 * Another file's buffer is not the caller's to free: its owner may have
 * the device using it.
 */
long uiox_ioctl_dma_free(struct uiox_file *uf, void __user *uarg)
{
	struct uiox_device *udev = uf->udev;
	struct uiox_dma_free req;
	struct uiox_dma_buf *buf;
	int ret;

	ret = uiox_copy_arg_in(&req, sizeof(req),
			       offsetofend(struct uiox_dma_free, id), uarg);
	if (ret)
		return ret;
	if (!udev->pdev)
		return -ENOTTY;

	down_write(&udev->memory_lock);
	buf = xa_load(&udev->dma_bufs, req.id);
	if (udev->gone)
		ret = -ENODEV;
	else if (!buf || buf->owner != uf)
		ret = -ENOENT;
	else
		uiox_dma_buf_free(udev, buf);
	up_write(&udev->memory_lock);
	return ret;
}

/*
 * Free @owner's buffers, or every buffer when @owner is NULL.  Bus
 * mastering goes off before the first: the device may still be running
 * with their addresses.  When freeing every buffer (remove()), it goes off
 * whether there are buffers or not.
 */
static void uiox_dma_free_owned(struct uiox_device *udev,
				struct uiox_file *owner)
{
	struct uiox_dma_buf *buf;
	bool stopped = false;
	unsigned long id;

	mutex_lock(&udev->irq_lock);	/* for the command register */
	down_write(&udev->memory_lock);
	xa_for_each(&udev->dma_bufs, id, buf) {
		if (owner && buf->owner != owner)
			continue;
		if (!stopped)
			uiox_pci_bus_master(udev, false);
		stopped = true;
		uiox_dma_buf_free(udev, buf);
	}
	if (!owner && !stopped)
		uiox_pci_bus_master(udev, false);
	up_write(&udev->memory_lock);
	mutex_unlock(&udev->irq_lock);
}

/**
 * uiox_dma_file_release() - free the buffers a closing file still holds
 * @uf:	the file
 *
 * Bus mastering that the file turned on only by allow_unsafe_dma goes off
 * with it too: the permission was the caller's, not the next opener's.
 */
void uiox_dma_file_release(struct uiox_file *uf)
{
	struct uiox_device *udev = uf->udev;

	uiox_dma_free_owned(udev, uf);
	if (!uf->unsafe_master)
		return;
	mutex_lock(&udev->irq_lock);
	if (!uiox_gone(udev))
		uiox_pci_bus_master(udev, false);
	mutex_unlock(&udev->irq_lock);
}

/**
 * uiox_dma_remove() - free every buffer of a device being removed
 * @udev:	the device, gone (a PCI device: else nothing to do)
 *
 * Also gives the device back the default 32-bit DMA mask.
 */
void uiox_dma_remove(struct uiox_device *udev)
{
	if (!udev->pdev)
		return;		/* a platform device has no DMA buffers */
	uiox_dma_free_owned(udev, NULL);
	dma_set_mask_and_coherent(&udev->pdev->dev, DMA_BIT_MASK(32));
}
