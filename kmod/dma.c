// SPDX-License-Identifier: GPL-2.0
/*
 * uiox DMA memory.  The kernel allocates each buffer with the DMA API, so
 * the device reaches it at an address the kernel chose (and, behind an
 * IOMMU, reaches nothing else); userspace maps it and programs the device.
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
#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "uiox.h"

static unsigned int dma_limit_mb = 256;
module_param(dma_limit_mb, uint, 0644);
MODULE_PARM_DESC(dma_limit_mb, "Most DMA memory userspace may hold per device, in MiB (default 256)");

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

/* Free one buffer; the device is still bound. */
static void uiox_dma_buf_free(struct uiox_device *udev,
			      struct uiox_dma_buf *buf)
{
	lockdep_assert_held_write(&udev->memory_lock);
	xa_erase(&udev->dma_bufs, buf->id);
	unmap_mapping_range(udev->inode->i_mapping, uiox_dma_offset(buf->id),
			    buf->size, 1);
	dma_free_pages(&udev->pdev->dev, buf->size, buf->page, buf->iova,
		       DMA_BIDIRECTIONAL);
	buf->page = NULL;
	udev->dma_bytes -= buf->size;
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

/* Allocate a buffer for @uf and enter it in the table. */
static int uiox_dma_buf_alloc(struct uiox_file *uf, struct uiox_dma_buf *buf)
{
	struct uiox_device *udev = uf->udev;
	u64 limit = (u64)READ_ONCE(dma_limit_mb) << 20;
	int ret;

	lockdep_assert_held_write(&udev->memory_lock);
	if (udev->gone)
		return -ENODEV;
	if (!dev_is_dma_coherent(&udev->pdev->dev))
		return -EOPNOTSUPP;	/* userspace cannot sync caches */
	if (buf->size > limit || udev->dma_bytes > limit - buf->size)
		return -ENOSPC;
	ret = xa_alloc(&udev->dma_bufs, &buf->id, buf,
		       XA_LIMIT(0, UIOX_DMA_MAX_BUFS - 1), GFP_KERNEL);
	if (ret)
		return ret == -EBUSY ? -ENOSPC : ret;
	buf->page = dma_alloc_pages(&udev->pdev->dev, buf->size, &buf->iova,
				    DMA_BIDIRECTIONAL,
				    GFP_KERNEL | __GFP_NOWARN);
	if (!buf->page) {
		xa_erase(&udev->dma_bufs, buf->id);
		return -ENOMEM;
	}
	/*
	 * dma_alloc_pages() fails with NULL, never with an error handle, but
	 * DMA-API debugging in 6.1 wants every handle checked.
	 */
	WARN_ON_ONCE(dma_mapping_error(&udev->pdev->dev, buf->iova));
	udev->dma_bytes += buf->size;
	return 0;
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
	if (req.flags || !req.size || req.size > UIOX_DMA_MAX_SIZE)
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

	down_write(&udev->memory_lock);
	ret = uiox_dma_buf_alloc(uf, buf);
	if (!ret)
		kref_get(&buf->ref);	/* for the copy-out below */
	up_write(&udev->memory_lock);
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

long uiox_ioctl_dma_free(struct uiox_device *udev, void __user *uarg)
{
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
	else if (!buf)
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
			uiox_pci_command_set(udev, PCI_COMMAND_MASTER, false);
		stopped = true;
		uiox_dma_buf_free(udev, buf);
	}
	if (!owner && !stopped)
		uiox_pci_command_set(udev, PCI_COMMAND_MASTER, false);
	up_write(&udev->memory_lock);
	mutex_unlock(&udev->irq_lock);
}

/**
 * uiox_dma_file_release() - free the buffers a closing file still holds
 * @uf:	the file
 */
void uiox_dma_file_release(struct uiox_file *uf)
{
	uiox_dma_free_owned(uf->udev, uf);
}

/**
 * uiox_dma_remove() - free every buffer of a device being removed
 * @udev:	the device, gone
 *
 * Also gives the device back the default 32-bit DMA mask.
 */
void uiox_dma_remove(struct uiox_device *udev)
{
	uiox_dma_free_owned(udev, NULL);
	dma_set_mask_and_coherent(&udev->pdev->dev, DMA_BIT_MASK(32));
}
