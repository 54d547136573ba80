// SPDX-License-Identifier: MIT
/*
 * Runner self-test: a program that dies of SIGSEGV outside any case, before
 * its summary line. The runner must report it as killed by SIGSEGV.
 */
#include <signal.h>
#include <stdio.h>

int main(void)
{
	printf("ok - selftest_before_the_crash\n");
	fflush(stdout);
	raise(SIGSEGV);
	return 0;
}
