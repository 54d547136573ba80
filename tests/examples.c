// SPDX-License-Identifier: MIT
/*
 * The example programs run and do what they say: each is run from
 * /examples (as installed in the test VM) and must exit 0 with its
 * closing line.
 */
#include "mxtest.h"

#include <sys/wait.h>

/* Run @path, capturing its output; return its wait status. */
static int run(const char *path, char *out, size_t size)
{
	int fds[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(pipe(fds), 0);
	pid = mxt_fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (len + 1 < size &&
	       (n = read(fds[0], out + len, size - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	return status;
}

TEST(epoll_server_serves_a_channel_and_tcp_in_one_loop)
{
	static char out[8192];
	int status = run("/examples/mx-epoll-server", out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("exit status 0x%x, output:\n%s", status, out);
	ASSERT_TRUE(strstr(out, "channel client got \"echo: ping 2\"") != NULL);
	ASSERT_TRUE(strstr(out, "tcp client got \"echo: hello over tcp\"") !=
		    NULL);
	ASSERT_TRUE(strstr(out, "served 3 channel requests and 1 tcp request")
		    != NULL);
}

TEST(demo_runs)
{
	static char out[8192];
	int status = run("/examples/mx-demo", out, sizeof(out));
	const char *line;

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("exit status 0x%x, output:\n%s", status, out);
	/*
	 * mxls showed the event in transit in the parent's channel, on a
	 * row of its own below the channel's (ASCII tree: no UTF-8 locale).
	 */
	line = strstr(out, "`-msg 0");
	if (!strstr(out, "1 msg, 1 handle") || !line ||
	    !strstr(out, "mx-demo ") ||
	    !memmem(line, strcspn(line, "\n"), " event ", 7))
		FAIL("no mxls listing in the output:\n%s", out);
}

TEST(launcher_runs_a_worker_with_startup_handles)
{
	static char out[8192];
	int status = run("/examples/mx-launcher", out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("exit status 0x%x, output:\n%s", status, out);
	ASSERT_TRUE(strstr(out, "launcher: got \"mx-worker: request 3 (hello "
			   "from the environment)\"") != NULL);
	ASSERT_TRUE(strstr(out, "launcher: worker exited with 3") != NULL);
	ASSERT_TRUE(strstr(out, "reaped the worker (exit status 3)") != NULL);
}

TEST(worker_alone_has_no_startup_handles)
{
	static char out[8192];
	int status = run("/examples/mx-worker", out, sizeof(out));

	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 125);
	ASSERT_TRUE(strstr(out, "no startup handles") != NULL);
}

/*
 * A program built outside the tree against an installed libmx with
 * pkg-config (tests/install/, built by tools/vm/host-check.sh --consumer).
 */
TEST(program_built_with_pkg_config_runs)
{
	static char out[4096];
	int status = run("/examples/mx-pkgconfig", out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("exit status 0x%x, output:\n%s", status, out);
	ASSERT_TRUE(strstr(out, "mx-pkgconfig: ok") != NULL);
}

/*
 * mx-echo: a server and two clients, three programs that share only a
 * socket path; requests by mx_channel_call, all clients on one port.
 */
TEST(echo_server_answers_two_client_programs)
{
	static char out[8192];
	int status = run("/examples/mx-echo", out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("exit status 0x%x, output:\n%s", status, out);
	ASSERT_TRUE(strstr(out, "sent \"hello\", got \"echo: hello\"") != NULL);
	ASSERT_TRUE(strstr(out, "sent \"world\", got \"echo: world\"") != NULL);
	ASSERT_TRUE(strstr(out, "sent \"ping\", got \"echo: ping\"") != NULL);
	ASSERT_TRUE(strstr(out, "server: client 0 hung up") != NULL);
	ASSERT_TRUE(strstr(out, "server: client 1 hung up") != NULL);
	ASSERT_TRUE(strstr(out, "server: served 3 requests from 2 clients") !=
		    NULL);
	ASSERT_TRUE(strstr(out, "mx-echo: done") != NULL);
}

/*
 * mx-tree: handles down (a "go" event) and up (eventpair sides forwarded
 * through a middle process) a tree of fork() children.
 */
TEST(process_tree_passes_handles_both_ways)
{
	static char out[8192];
	int status = run("/examples/mx-tree", out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("exit status 0x%x, output:\n%s", status, out);
	ASSERT_TRUE(strstr(out, "root: holds the 4 leaves' eventpair sides") !=
		    NULL);
	ASSERT_TRUE(strstr(out, "root: all 4 leaves answered") != NULL);
	ASSERT_TRUE(strstr(out, "root: all 4 leaves are gone") != NULL);
	ASSERT_TRUE(strstr(out, "mx-tree: done") != NULL);
}
