// SPDX-License-Identifier: GPL-2.0
/*
 * uiox mmap: regions are mapped page by page at fault time, never up front,
 * so that every page userspace can reach was inserted under memory_lock and
 * one unmap_mapping_range() on the device's address_space takes them all
 * back.  A fault after that finds the device gone and raises SIGBUS.
 */
#include <linux/mm.h>

#include "uiox.h"

/* mmap offsets in pages: region index above this shift, page below it */
#define UIOX_PGOFF_SHIFT	(UIOX_REGION_SHIFT - PAGE_SHIFT)
#define UIOX_PGOFF_MASK		((1UL << UIOX_PGOFF_SHIFT) - 1)

static vm_fault_t uiox_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct uiox_device *udev = vma->vm_private_data;
	unsigned long index = vmf->pgoff >> UIOX_PGOFF_SHIFT;
	u64 off = (u64)(vmf->pgoff & UIOX_PGOFF_MASK) << PAGE_SHIFT;
	const struct uiox_region *r;
	vm_fault_t ret = VM_FAULT_SIGBUS;

	down_read(&udev->memory_lock);
	if (udev->gone || index >= udev->num_regions)
		goto out_unlock;
	r = &udev->regions[index];
	if (off >= r->size)
		goto out_unlock;
	ret = vmf_insert_pfn(vma, vmf->address, PHYS_PFN(r->start + off));
out_unlock:
	up_read(&udev->memory_lock);
	return ret;
}

static const struct vm_operations_struct uiox_vm_ops = {
	.fault = uiox_vm_fault,
};

/**
 * uiox_mmap() - set up a shared, uncached, non-executable region mapping
 * @filp:	an open device file
 * @vma:	the new mapping; vm_pgoff encodes UIOX_REGION_OFFSET(index) + off
 *
 * Return: 0; -EINVAL for MAP_PRIVATE, an unknown or unmappable region, or
 * a range not inside the region; -EPERM for PROT_EXEC; -ENODEV once the
 * device is gone.
 */
int uiox_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct uiox_device *udev = filp->private_data;
	unsigned long index = vma->vm_pgoff >> UIOX_PGOFF_SHIFT;
	u64 off = (u64)(vma->vm_pgoff & UIOX_PGOFF_MASK) << PAGE_SHIFT;
	u64 len = vma->vm_end - vma->vm_start;
	const struct uiox_region *r;
	int ret = 0;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (vma->vm_flags & VM_EXEC)
		return -EPERM;

	down_read(&udev->memory_lock);
	if (udev->gone) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (index >= udev->num_regions) {
		ret = -EINVAL;
		goto out_unlock;
	}
	r = &udev->regions[index];
	if (!(r->flags & UIOX_REGION_MMAP) || off >= r->size ||
	    len > r->size - off) {
		ret = -EINVAL;
		goto out_unlock;
	}

	vma->vm_private_data = udev;
	vma->vm_ops = &uiox_vm_ops;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	uiox_vm_flags_mod(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP,
			  VM_MAYEXEC);
out_unlock:
	up_read(&udev->memory_lock);
	return ret;
}

/**
 * uiox_revoke_mappings() - zap every user mapping of the device
 * @udev:	the device; caller holds memory_lock for writing
 *
 * Later accesses fault into uiox_vm_fault(), which decides what they get.
 */
void uiox_revoke_mappings(struct uiox_device *udev)
{
	lockdep_assert_held_write(&udev->memory_lock);
	unmap_mapping_range(udev->inode->i_mapping, 0, 0, true);
}
