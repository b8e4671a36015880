// SPDX-License-Identifier: GPL-2.0
/*
 * uiox module init and exit: the core first, then the bus glue that binds
 * devices to it (and the other way round on the way out).
 */
#include <linux/module.h>

#include "uiox.h"

static int __init uiox_init(void)
{
	int ret;

	ret = uiox_core_init();
	if (ret)
		return ret;

	ret = uiox_pci_init();
	if (ret)
		goto err_pci;

	ret = uiox_platform_init();
	if (ret)
		goto err_platform;

	return 0;

err_platform:
	uiox_pci_exit();
err_pci:
	uiox_core_exit();
	return ret;
}

static void __exit uiox_exit(void)
{
	uiox_platform_exit();
	uiox_pci_exit();
	uiox_core_exit();
}

module_init(uiox_init);
module_exit(uiox_exit);

MODULE_DESCRIPTION("uiox: userspace I/O stub with revocable mappings");
MODULE_LICENSE("GPL");
MODULE_VERSION(UIOX_VERSION);
