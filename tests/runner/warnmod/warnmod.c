// SPDX-License-Identifier: GPL-2.0
/* Runner self-test: a module that WARNs when loaded. The run must turn red. */
#include <linux/module.h>

static int __init mx_warnmod_init(void)
{
	WARN(1, "mx runner self-test: deliberate warning\n");
	return 0;
}

static void __exit mx_warnmod_exit(void)
{
}

module_init(mx_warnmod_init);
module_exit(mx_warnmod_exit);
MODULE_DESCRIPTION("mx test runner self-test: WARN on load");
MODULE_LICENSE("GPL");
