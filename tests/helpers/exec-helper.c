// SPDX-License-Identifier: MIT
/*
 * The program tests/secure-exec.c execs: packed setuid root as
 * /helpers/exec-setuid and as an ordinary program as /helpers/exec-plain
 * (tools/vm/mkinitramfs.sh). It is not a test program: the VM runs every
 * program of tests/bin, and none of tests/helpers/bin.
 *
 * Usage: exec-helper MODE READY_FD HOLD_FD
 *   MODE "wait"  report without ever calling libmx (a setuid program that
 *                knows nothing of mx), then wait
 *   MODE "mx"    report what libmx gives it (its process, its job, the
 *                startup handles of its environment), then wait
 *   MODE "exit"  report without libmx and exit at once
 * The report (struct exec_report) goes to READY_FD in one write; waiting
 * is reading HOLD_FD until end of file. The exit status is 0, or 2 for a
 * bad command line and 3 when the report cannot be written.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <mx.h>

#include "exec-helper.h"

static uint64_t koid_of(mx_handle_t h)
{
	mx_info_handle_basic_t b;

	if (mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL,
			       NULL) != MX_OK)
		return 0;
	return b.koid;
}

int main(int argc, char **argv)
{
	struct exec_report r;
	int ready, hold;
	char c;

	if (argc != 4)
		return 2;
	ready = atoi(argv[2]);
	hold = atoi(argv[3]);
	memset(&r, 0, sizeof(r));
	r.magic = EXEC_REPORT_MAGIC;
	r.uid = getuid();
	r.euid = geteuid();
	r.secure = getauxval(AT_SECURE) != 0;
	r.pid = getpid();
	if (!strcmp(argv[1], "mx")) {
		r.self_koid = koid_of(mx_process_self());
		r.job_koid = koid_of(mx_job_default());
		r.startup_self = mx_get_startup_handle(PA_PROC_SELF);
		r.startup_user0 = mx_get_startup_handle(PA_USER0);
		r.user0_valid = r.startup_user0 != MX_HANDLE_INVALID &&
				mx_object_get_info(r.startup_user0,
						   MX_INFO_HANDLE_VALID, NULL,
						   0, NULL, NULL) == MX_OK;
	} else if (strcmp(argv[1], "wait") && strcmp(argv[1], "exit")) {
		return 2;
	}
	if (write(ready, &r, sizeof(r)) != (ssize_t)sizeof(r))
		return 3;
	if (!strcmp(argv[1], "exit"))
		return 0;
	while (read(hold, &c, 1) > 0)
		;
	return 0;
}
