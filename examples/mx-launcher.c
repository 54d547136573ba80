// SPDX-License-Identifier: MIT
/*
 * mx-launcher: run another program as a new mx process and talk to it.
 *
 * The launcher makes a channel and an event and starts mx-worker (found
 * next to the launcher) with mx_launch(): argv and envp as for execve(),
 * and the two handles as startup handles tagged PA_USER0 and PA_USER1.
 * The worker takes them with mx_get_startup_handle(), answers the
 * launcher's requests over the channel, signals the event when done and
 * exits with the number of requests it served. The launcher learns the
 * worker's end from its process handle (MX_TASK_TERMINATED and
 * MX_INFO_PROCESS), and reaps it as the Linux child it also is.
 */
#define _GNU_SOURCE
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mx.h>

#define CHECK(expr)							\
	do {								\
		mx_status_t _s = (expr);				\
		if (_s != MX_OK) {					\
			fprintf(stderr, "%s: %s\n", #expr,		\
				mx_status_get_string(_s));		\
			exit(1);					\
		}							\
	} while (0)

#define REQUESTS	3

extern char **environ;

int main(int argc, char **argv)
{
	mx_handle_t ours, theirs, done, proc, handles[2];
	uint32_t ids[2] = { PA_USER0, PA_USER1 };
	char path[4096], self[4096], msg[128], count[8];
	char *wargv[] = { "mx-worker", count, NULL };
	mx_info_process_t info;
	mx_signals_t seen;
	uint32_t len;
	int i, status;

	(void)argc;
	/* mx-worker lives next to us. */
	snprintf(self, sizeof(self), "%s", argv[0]);
	snprintf(path, sizeof(path), "%s/mx-worker", dirname(self));
	snprintf(count, sizeof(count), "%d", REQUESTS);
	setenv("WORKER_GREETING", "hello from the environment", 1);

	CHECK(mx_channel_create(0, &ours, &theirs));
	CHECK(mx_event_create(0, &done));
	handles[0] = theirs;
	CHECK(mx_handle_duplicate(done, MX_RIGHT_WRITE | MX_RIGHT_TRANSFER,
				  &handles[1]));
	CHECK(mx_launch(mx_job_default(), "mx-worker", path, wargv, environ,
			2, handles, ids, &proc));
	printf("launcher: started %s\n", path);

	for (i = 1; i <= REQUESTS; i++) {
		len = (uint32_t)snprintf(msg, sizeof(msg), "request %d", i);
		CHECK(mx_channel_write(ours, 0, msg, len, NULL, 0));
		CHECK(mx_object_wait_one(ours, MX_CHANNEL_READABLE,
					 MX_TIME_INFINITE, NULL));
		CHECK(mx_channel_read(ours, 0, msg, NULL, sizeof(msg) - 1, 0,
				      &len, NULL));
		msg[len] = '\0';
		printf("launcher: got \"%s\"\n", msg);
	}
	CHECK(mx_object_wait_one(done, MX_EVENT_SIGNALED, MX_TIME_INFINITE,
				 &seen));
	CHECK(mx_object_wait_one(proc, MX_TASK_TERMINATED, MX_TIME_INFINITE,
				 &seen));
	CHECK(mx_object_get_info(proc, MX_INFO_PROCESS, &info, sizeof(info),
				 NULL, NULL));
	printf("launcher: worker exited with %d\n", info.return_code);
	if (wait(&status) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != REQUESTS) {
		fprintf(stderr, "launcher: bad wait status 0x%x\n", status);
		return 1;
	}
	printf("launcher: reaped the worker (exit status %d)\n",
	       WEXITSTATUS(status));
	return info.return_code == REQUESTS ? 0 : 1;
}
