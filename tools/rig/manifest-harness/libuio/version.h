/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Not libuio's version header, which the Makefile generates from VERSION:
 * what tools/rig/manifest finds in its place, so that it runs on a tree
 * nothing has been built in.  The test names need nothing from it.
 */
