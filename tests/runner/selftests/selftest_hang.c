// SPDX-License-Identifier: MIT
/*
 * Runner self-test: a case that never ends and that mxtest's own per-case
 * alarm cannot end either (SIGALRM is ignored), in a process that has a
 * child of its own. Only the runner's time limit can stop it; it must kill
 * both processes, report the program as timed out and go on.
 */
/* The runner is under test here, not mx: no /dev/mx needed. */
#define MXTEST_NO_DEVICE
#include "../../mxtest.h"

TEST(selftest_hanging_case)
{
	signal(SIGALRM, SIG_IGN);
	if (fork() < 0)
		FAIL("fork: %s", strerror(errno));
	for (;;)
		pause();
}
