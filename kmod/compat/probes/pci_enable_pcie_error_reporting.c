// SPDX-License-Identifier: GPL-2.0
/*
 * Until 6.3 a driver had to turn on AER error reporting for its device;
 * since, the AER core does it for every device, and 6.5 dropped the call.
 */
#include <linux/aer.h>
#include <linux/pci.h>

int uiox_probe(struct pci_dev *pdev);
int uiox_probe(struct pci_dev *pdev)
{
	return pci_enable_pcie_error_reporting(pdev);
}
