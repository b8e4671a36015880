// SPDX-License-Identifier: GPL-2.0
/* Linux 6.3 asks the IOMMU group whether MSI is isolated (6.1: per device). */
#include <linux/iommu.h>

bool uiox_probe(struct iommu_group *group);
bool uiox_probe(struct iommu_group *group)
{
	return iommu_group_has_isolated_msi(group);
}
