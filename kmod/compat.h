/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where kernel versions differ.
 *
 * Kbuild compiles every snippet in compat/probes/ against the target kernel
 * and writes compat-probed.h with UIOX_HAVE_<SNIPPET> for each one that
 * builds.  Code elsewhere uses only the helpers below, never version checks.
 */
#ifndef UIOX_COMPAT_H
#define UIOX_COMPAT_H

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/irqdomain.h>
#include <linux/mm.h>

#include "compat-probed.h"

/* class->devnode() got a const device in 6.2. */
#ifdef UIOX_HAVE_CLASS_DEVNODE_CONST
#define UIOX_DEVNODE_DEV const struct device
#else
#define UIOX_DEVNODE_DEV struct device
#endif

/* vma->vm_flags became read-only in 6.3. */
static inline void uiox_vm_flags_mod(struct vm_area_struct *vma,
				     vm_flags_t set, vm_flags_t clear)
{
#ifdef UIOX_HAVE_VM_FLAGS_SET
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * platform_driver.remove() returns void since 6.11 (int before): declare it
 * as returning uiox_platform_remove_t and end it with
 * "return UIOX_PLATFORM_REMOVE_DONE;".
 */
#ifdef UIOX_HAVE_PLATFORM_REMOVE_VOID
#define uiox_platform_remove_t		void
#define UIOX_PLATFORM_REMOVE_DONE
#else
#define uiox_platform_remove_t		int
#define UIOX_PLATFORM_REMOVE_DONE	0
#endif

/*
 * Is MSI isolated for this device - can a write by the device aim an
 * interrupt only where the kernel let it (interrupt remapping)?  6.3 asks
 * the IOMMU group; before, the IRQ domains and the IOMMU, per device.
 */
static inline bool uiox_msi_isolated(struct device *dev)
{
#ifdef UIOX_HAVE_IOMMU_GROUP_HAS_ISOLATED_MSI
	struct iommu_group *group = iommu_group_get(dev);
	bool isolated = group && iommu_group_has_isolated_msi(group);

	iommu_group_put(group);
	return isolated;
#else
	return irq_domain_check_msi_remap() ||
	       device_iommu_capable(dev, IOMMU_CAP_INTR_REMAP);
#endif
}

#endif /* UIOX_COMPAT_H */
