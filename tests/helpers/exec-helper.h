/* SPDX-License-Identifier: MIT */
/*
 * What tests/secure-exec.c and the program it execs (helpers/exec-helper.c)
 * share: where the program is in the VM and what it reports.
 */
#ifndef EXEC_HELPER_H
#define EXEC_HELPER_H

#include <stdint.h>

/* The same program, packed twice by tools/vm/mkinitramfs.sh. */
#define EXEC_HELPER_SETUID	"/helpers/exec-setuid"	/* root, 4755 */
#define EXEC_HELPER_PLAIN	"/helpers/exec-plain"	/* root, 0755 */

#define EXEC_REPORT_MAGIC	0x6d786578u

/*
 * Written in one write() to the ready descriptor once the program runs.
 * The mx fields are 0 (MX_HANDLE_INVALID for handles) in mode "wait",
 * which never calls libmx.
 */
struct exec_report {
	uint32_t magic;
	uint32_t uid;		/* getuid() */
	uint32_t euid;		/* geteuid() */
	uint32_t secure;	/* getauxval(AT_SECURE) */
	uint64_t self_koid;	/* of mx_process_self() */
	uint64_t job_koid;	/* of mx_job_default() */
	int32_t startup_self;	/* mx_get_startup_handle(PA_PROC_SELF) */
	int32_t startup_user0;	/* mx_get_startup_handle(PA_USER0) */
	int32_t user0_valid;	/* that value names a handle of its table */
	int32_t pid;		/* getpid() */
};

#endif /* EXEC_HELPER_H */
