/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Not the harness: what tools/rig/manifest puts in its place when it runs the
 * preprocessor over a test, so that each test and fixture variant,
 * however its name is built (macros, ##), leaves one marker behind.
 */
#define UIOX_MANIFEST(kind, a, b)	@uiox-manifest kind a b@

#define TEST(name)			UIOX_MANIFEST(test, global, name)
#define TEST_SIGNAL(name, sig)		UIOX_MANIFEST(test, global, name)
#define TEST_F(f, name)			UIOX_MANIFEST(test, f, name)
#define TEST_F_SIGNAL(f, name, sig)	UIOX_MANIFEST(test, f, name)
#define TEST_F_TIMEOUT(f, name, t)	UIOX_MANIFEST(test, f, name)
#define FIXTURE_VARIANT_ADD(f, v)	UIOX_MANIFEST(variant, f, v)
