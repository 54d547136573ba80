// SPDX-License-Identifier: MIT
/*
 * mx_launch() and mx_get_startup_handle(): another executable started as
 * a new mx process with startup handles. The executable is this program
 * again: the environment names its role, and it plays it from a
 * constructor before the harness's main() runs.
 */
#include "mxtest.h"

#include <pthread.h>
#include <sys/wait.h>

#define ROLE_ENV	"MXTEST_LAUNCH_ROLE"

extern char **environ;

/* What a launched program reports over its PA_USER0 channel. */
struct report {
	uint64_t self_koid;
	uint64_t thread_koid;
	uint64_t thread_related;
	uint64_t job_koid;
	uint64_t user1_koid;
	int32_t ppid;
	int32_t second_take;	/* mx_get_startup_handle(PA_USER0) again */
	int32_t role_env_left;	/* the startup variable is gone */
	int32_t argc;
	char argv1[16];
};

static uint64_t koid_or_zero(mx_handle_t h, uint64_t *related)
{
	mx_info_handle_basic_t b;

	if (mx_object_get_info(h, MX_INFO_HANDLE_BASIC, &b, sizeof(b), NULL,
			       NULL) != MX_OK)
		return 0;
	if (related)
		*related = b.related_koid;
	return b.koid;
}

/* The launched side: report, wait for a word, exit with it. */
static void play_report(int argc, char **argv)
{
	mx_handle_t ch = mx_get_startup_handle(PA_USER0);
	mx_handle_t other = mx_get_startup_handle(PA_USER1);
	struct report r;
	int32_t code = 0;

	memset(&r, 0, sizeof(r));
	r.self_koid = koid_or_zero(mx_process_self(), NULL);
	r.thread_koid = koid_or_zero(mx_thread_self(), &r.thread_related);
	r.job_koid = koid_or_zero(mx_job_default(), NULL);
	r.user1_koid = koid_or_zero(other, NULL);
	r.ppid = getppid();
	r.second_take = mx_get_startup_handle(PA_USER0);
	r.role_env_left = getenv("MX_STARTUP_HANDLES") != NULL;
	r.argc = argc;
	if (argc > 1)
		snprintf(r.argv1, sizeof(r.argv1), "%s", argv[1]);
	if (mx_channel_write(ch, 0, &r, sizeof(r), NULL, 0) != MX_OK)
		_exit(120);
	mx_object_wait_one(ch, MX_CHANNEL_READABLE, MX_TIME_INFINITE, NULL);
	mx_channel_read(ch, 0, &code, NULL, sizeof(code), 0, NULL, NULL);
	mx_process_exit(code);
}

/*
 * The launched side: the launcher blocks every signal around its fork;
 * the program must start with its caller's mask (only SIGUSR2 here).
 */
static void play_mask(void)
{
	sigset_t set;

	if (sigprocmask(SIG_SETMASK, NULL, &set) != 0)
		_exit(122);
	_exit(sigismember(&set, SIGUSR2) && !sigismember(&set, SIGUSR1) &&
	      !sigismember(&set, SIGTERM) && !sigismember(&set, SIGCHLD) ?
	      6 : 123);
}

__attribute__((constructor)) static void launched(int argc, char **argv)
{
	const char *role = getenv(ROLE_ENV);

	if (!role)
		return;
	mxt_current = "launched program";
	if (!strcmp(role, "report"))
		play_report(argc, argv);
	if (!strcmp(role, "exit"))
		_exit(5);
	if (!strcmp(role, "mask"))
		play_mask();
	_exit(121);
}

static char *const report_argv[] = { "launched", "first-arg", NULL };

/* The environment of the launched program: ours plus its role. */
static char **role_env(const char *role)
{
	static char var[64];
	static char *env[256];
	int i, n = 0;

	snprintf(var, sizeof(var), "%s=%s", ROLE_ENV, role);
	for (i = 0; environ[i] && n < 254; i++)
		env[n++] = environ[i];
	env[n++] = var;
	env[n] = NULL;
	return env;
}

TEST(launch_gives_startup_handles)
{
	mx_handle_t c0 = 0, c1 = 0, ev = mxt_event(), proc = 0;
	mx_handle_t hs[2];
	uint32_t ids[2] = { PA_USER0, PA_USER1 };
	uint64_t ev_koid = mxt_basic(ev).koid;
	mx_info_process_t info;
	struct report r;
	int32_t code = 17;
	int status;

	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	hs[0] = c1;
	hs[1] = ev;
	ASSERT_OK(mx_launch(mx_job_default(), "launched", "/proc/self/exe",
			    report_argv, role_env("report"), 2, hs, ids,
			    &proc));
	/* Moved, not copied. */
	ASSERT_STATUS(mx_handle_close(c1), MX_ERR_BAD_HANDLE);
	ASSERT_STATUS(mx_handle_close(ev), MX_ERR_BAD_HANDLE);
	ASSERT_EQ(mxt_basic(proc).type, MX_OBJ_TYPE_PROCESS);

	mxt_wait_signal(c0, MX_CHANNEL_READABLE);
	ASSERT_OK(mx_channel_read(c0, 0, &r, NULL, sizeof(r), 0, NULL, NULL));
	ASSERT_EQ(r.self_koid, mxt_basic(proc).koid);
	ASSERT_NE(r.thread_koid, 0);
	ASSERT_EQ(r.thread_related, r.self_koid);
	ASSERT_EQ(r.job_koid, mxt_basic(mx_job_default()).koid);
	ASSERT_EQ(r.user1_koid, ev_koid);
	ASSERT_EQ(r.ppid, getpid());
	ASSERT_EQ(r.second_take, MX_HANDLE_INVALID);
	ASSERT_EQ(r.role_env_left, 0);
	ASSERT_EQ(r.argc, 2);
	ASSERT_EQ(strcmp(r.argv1, "first-arg"), 0);

	ASSERT_OK(mx_channel_write(c0, 0, &code, sizeof(code), NULL, 0));
	mxt_wait_signal(proc, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(proc, MX_INFO_PROCESS, &info,
				     sizeof(info), NULL, NULL));
	ASSERT_EQ(info.return_code, 17);
	/* It is our Linux child too. */
	ASSERT_TRUE(waitpid(-1, &status, 0) > 0);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 17);
	mxt_wait_signal(c0, MX_CHANNEL_PEER_CLOSED);
}

TEST(launch_name_is_the_process_name)
{
	mx_handle_t c0 = 0, c1 = 0, proc = 0;
	uint32_t id = PA_USER0;
	char name[MX_MAX_NAME_LEN];

	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_launch(mx_job_default(), "some-name", "/proc/self/exe",
			    report_argv, role_env("report"), 1, &c1, &id,
			    &proc));
	ASSERT_OK(mx_object_get_property(proc, MX_PROP_NAME, name,
					 sizeof(name)));
	ASSERT_EQ(strcmp(name, "some-name"), 0);
	ASSERT_OK(mx_task_kill(proc));
	mxt_wait_signal(proc, MX_TASK_TERMINATED);
	mxt_wait_signal(c0, MX_CHANNEL_PEER_CLOSED);
}

/* Every failure consumes the given handles and leaves no child. */
static void assert_consumed(mx_handle_t h)
{
	ASSERT_STATUS(mx_handle_close(h), MX_ERR_BAD_HANDLE);
}

static void assert_no_child(void)
{
	ASSERT_EQ(waitpid(-1, NULL, WNOHANG), -1);
	ASSERT_EQ(errno, ECHILD);
}

TEST(launch_errors)
{
	mx_handle_t proc = 0, ev, ro, j = mx_job_default(), hs[2];
	uint32_t ids[2] = { PA_USER0, PA_USER1 };
	char **env = role_env("report");

	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, NULL, "/nonexistent", report_argv, env, 1,
				&ev, ids, &proc), MX_ERR_NOT_FOUND);
	assert_consumed(ev);
	assert_no_child();

	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, NULL, "/proc", report_argv, env, 1, &ev,
				ids, &proc), MX_ERR_ACCESS_DENIED);
	assert_consumed(ev);
	assert_no_child();

	/* A handle without MX_RIGHT_TRANSFER cannot be given. */
	ev = mxt_event();
	ro = mxt_dup(ev, MX_RIGHT_READ);
	ASSERT_STATUS(mx_launch(j, NULL, "/proc/self/exe", report_argv, env, 1,
				&ro, ids, &proc), MX_ERR_ACCESS_DENIED);
	assert_consumed(ro);
	assert_no_child();

	/* The same handle twice. */
	hs[0] = hs[1] = ev;
	ASSERT_STATUS(mx_launch(j, NULL, "/proc/self/exe", report_argv, env, 2,
				hs, ids, &proc), MX_ERR_INVALID_ARGS);
	assert_consumed(ev);
	assert_no_child();

	ev = mxt_event();
	ASSERT_STATUS(mx_launch(MX_HANDLE_INVALID, NULL, "/proc/self/exe",
				report_argv, env, 1, &ev, ids, &proc),
		      MX_ERR_BAD_HANDLE);
	assert_consumed(ev);

	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, NULL, "/proc/self/exe", NULL, env, 1, &ev,
				ids, &proc), MX_ERR_INVALID_ARGS);
	assert_consumed(ev);
	ASSERT_STATUS(mx_launch(j, NULL, "/proc/self/exe", report_argv, env, 0,
				NULL, NULL, NULL), MX_ERR_INVALID_ARGS);
	ASSERT_EQ(proc, 0);
	assert_no_child();
}

/*
 * The pointers mx_launch() documents as checked: an invalid one is
 * MX_ERR_INVALID_ARGS, not a crash, and nothing is started; the handles
 * are consumed.
 */
TEST(launch_invalid_pointers)
{
	mx_handle_t ev, proc = 0, j = mx_job_default();
	mx_handle_t *ro = mxt_read_only_page();
	uint32_t id = PA_USER0;
	char **env = role_env("report");
	char *bad_argv[] = { "launched", (char *)8, NULL };

	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, NULL, "/proc/self/exe", report_argv, env, 1,
				&ev, &id, (mx_handle_t *)8),
		      MX_ERR_INVALID_ARGS);
	assert_consumed(ev);
	assert_no_child();

	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, "name", "/proc/self/exe", report_argv, env,
				1, &ev, &id, ro), MX_ERR_INVALID_ARGS);
	assert_consumed(ev);
	assert_no_child();
	ASSERT_EQ(*ro, 0);

	/* What execve(2) reads: its EFAULT is MX_ERR_INVALID_ARGS too. */
	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, "name", (char *)8, report_argv, env, 1, &ev,
				&id, &proc), MX_ERR_INVALID_ARGS);
	assert_consumed(ev);
	ev = mxt_event();
	ASSERT_STATUS(mx_launch(j, NULL, "/proc/self/exe", bad_argv, env, 1,
				&ev, &id, &proc), MX_ERR_INVALID_ARGS);
	assert_consumed(ev);
	ASSERT_EQ(proc, 0);
	assert_no_child();
}

/* The program starts with the caller's signal mask, not the launcher's. */
TEST(launch_keeps_the_callers_signal_mask)
{
	char *const argv[] = { "launched", NULL };
	char **env = role_env("mask");
	mx_info_process_t info;
	mx_handle_t proc = 0;
	sigset_t set, old;
	int status;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
	ASSERT_OK(mx_launch(mx_job_default(), NULL, "/proc/self/exe", argv,
			    env, 0, NULL, NULL, &proc));
	/* ... and the caller's own mask is as it was. */
	ASSERT_EQ(pthread_sigmask(SIG_SETMASK, &old, &set), 0);
	ASSERT_TRUE(sigismember(&set, SIGUSR2));
	ASSERT_TRUE(!sigismember(&set, SIGUSR1));
	mxt_wait_signal(proc, MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(proc, MX_INFO_PROCESS, &info,
				     sizeof(info), NULL, NULL));
	ASSERT_EQ(info.return_code, 6);
	ASSERT_OK(mx_handle_close(proc));
	ASSERT_TRUE(waitpid(-1, &status, 0) > 0);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 6);
}

/* Without startup handles a program finds none. */
TEST(no_startup_handles_without_launch)
{
	ASSERT_EQ(mx_get_startup_handle(PA_USER0), MX_HANDLE_INVALID);
	ASSERT_EQ(mx_get_startup_handle(PA_PROC_SELF), MX_HANDLE_INVALID);
}

/*
 * Launches and process starts from two threads at once. A child forked by
 * one start must not keep another start's socket open: the launcher
 * learns that the exec worked from EOF on its socket, and the blocked
 * children of the other thread live on.
 */
#define RACE_ROUNDS	12

static void entry_block(uintptr_t arg1, uintptr_t arg2)
{
	(void)arg2;
	for (;;)
		mx_object_wait_one((mx_handle_t)arg1, MX_USER_SIGNAL_0,
				   MX_TIME_INFINITE, NULL);
}

static mx_handle_t race_procs[RACE_ROUNDS];

static void *race_starter(void *arg)
{
	static char stacks[RACE_ROUNDS][16384];
	int i;

	(void)arg;
	for (i = 0; i < RACE_ROUNDS; i++) {
		mx_handle_t t = 0, c0 = 0, c1 = 0;

		if (mx_process_create(mx_job_default(), "blocker", 7, 0,
				      &race_procs[i], NULL) != MX_OK ||
		    mx_thread_create(race_procs[i], "t", 1, 0, &t) != MX_OK ||
		    mx_channel_create(0, &c0, &c1) != MX_OK ||
		    mx_process_start(race_procs[i], t, (uintptr_t)entry_block,
				     (uintptr_t)(stacks[i] + sizeof(stacks[i])),
				     c1, 0) !=
			    MX_OK)
			return (void *)1;
	}
	return NULL;
}

TEST(launch_races_process_start)
{
	char *const argv[] = { "launched", NULL };
	char **env = role_env("exit");
	mx_handle_t proc;
	pthread_t th;
	void *bad;
	int i;

	ASSERT_EQ(pthread_create(&th, NULL, race_starter, NULL), 0);
	for (i = 0; i < RACE_ROUNDS; i++) {
		proc = 0;
		ASSERT_OK(mx_launch(mx_job_default(), NULL, "/proc/self/exe",
				    argv, env, 0, NULL, NULL, &proc));
		mxt_wait_signal(proc, MX_TASK_TERMINATED);
		ASSERT_OK(mx_handle_close(proc));
	}
	ASSERT_EQ(pthread_join(th, &bad), 0);
	ASSERT_EQ((intptr_t)bad, 0);
	for (i = 0; i < RACE_ROUNDS; i++) {
		ASSERT_EQ(mxt_signals(race_procs[i]) & MX_TASK_TERMINATED, 0);
		ASSERT_OK(mx_task_kill(race_procs[i]));
		mxt_wait_signal(race_procs[i], MX_TASK_TERMINATED);
	}
}
