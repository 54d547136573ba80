// SPDX-License-Identifier: MIT
/*
 * An exec that changes credentials (the kernel's secure exec: setuid,
 * setgid, file capabilities, an LSM transition) severs the program from
 * every handle taken before it: the old process ends (TERMINATED, return
 * code -1) and the new image starts with no mx state. An ordinary exec
 * keeps the process and its table.
 *
 * Each case attacks as uid 1000 with /helpers/exec-setuid, a setuid-root
 * program packed into the VM (tests/helpers/exec-helper.c), which execs in
 * a process the attacker started or that gave it handles: through the
 * handles kept from before the exec, nothing may reach the new image
 * (kill, thread kill, rename, listing or copying its handles), and libmx
 * in it ignores the startup handles its environment names.
 */
#include "mxtest.h"

#include <sys/stat.h>

#include "helpers/exec-helper.h"

#define USER_UID	1000
#define EXEC_WAIT	MX_SEC(20)	/* generous: the exec is done long before */

extern char **environ;

/* The programs are packed root's, exec-setuid with the setuid bit. */
static void check_helper(const char *path, mode_t mode)
{
	struct stat st;

	if (stat(path, &st))
		FAIL("%s: %s", path, strerror(errno));
	ASSERT_EQ(st.st_uid, 0);
	ASSERT_EQ(st.st_mode & 07777, mode);
}

/*
 * What the exec'ing side is to do, and the pipes to the program: it
 * reports on ready, and waits for the end of file on hold. Our ends are
 * close-on-exec.
 */
static struct {
	const char *path;
	const char *mode;
	int startup;		/* name our process in MX_STARTUP_HANDLES */
	int ready[2];
	int hold[2];
} plan;

static void plan_init(const char *path, const char *mode, int startup)
{
	check_helper(EXEC_HELPER_SETUID, 04755);
	check_helper(EXEC_HELPER_PLAIN, 0755);
	plan.path = path;
	plan.mode = mode;
	plan.startup = startup;
	ASSERT_EQ(pipe2(plan.ready, O_CLOEXEC), 0);
	ASSERT_EQ(pipe2(plan.hold, O_CLOEXEC), 0);
	ASSERT_EQ(fcntl(plan.ready[1], F_SETFD, 0), 0);
	ASSERT_EQ(fcntl(plan.hold[0], F_SETFD, 0), 0);
}

static char plan_fds[2][16];
static char *plan_argv[5];

static char *const *plan_args(void)
{
	snprintf(plan_fds[0], sizeof(plan_fds[0]), "%d", plan.ready[1]);
	snprintf(plan_fds[1], sizeof(plan_fds[1]), "%d", plan.hold[0]);
	plan_argv[0] = (char *)plan.path;
	plan_argv[1] = (char *)plan.mode;
	plan_argv[2] = plan_fds[0];
	plan_argv[3] = plan_fds[1];
	plan_argv[4] = NULL;
	return plan_argv;
}

/* In the process that execs: startup handles if planned, then exec. */
static void exec_plan(mx_handle_t self)
{
	char v[64];

	if (plan.startup) {
		snprintf(v, sizeof(v), "%x:%x,%x:%x", PA_PROC_SELF,
			 (unsigned int)self, PA_USER0, (unsigned int)self);
		setenv("MX_STARTUP_HANDLES", v, 1);
	}
	execv(plan.path, plan_args());
	_exit(91);
}

/* The program's report; a short read means it died before writing it. */
static int try_report(struct exec_report *r)
{
	ssize_t n;

	/* The program's ends are its own. */
	if (plan.ready[1] >= 0) {
		close(plan.ready[1]);
		close(plan.hold[0]);
		plan.ready[1] = -1;
	}
	do
		n = read(plan.ready[0], r, sizeof(*r));
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(*r) && r->magic == EXEC_REPORT_MAGIC;
}

static struct exec_report report(void)
{
	struct exec_report r;

	if (!try_report(&r))
		FAIL("no report from %s", plan.path);
	return r;
}

/* Let the program end: it must exit 0 by itself, no kill having hit it. */
static void finish(pid_t pid)
{
	int status;

	close(plan.hold[1]);
	status = mxt_wait_child(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		FAIL("%s ended with status 0x%x (signal %d)", plan.path,
		     status, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/*
 * The first thread of a started process: give the starter a duplicate of
 * its process and of its thread handle (handles anyone it trusts might
 * hold), and the value of its own process handle, then exec.
 */
static void entry_exec(uintptr_t arg1, uintptr_t arg2)
{
	mx_handle_t ch = (mx_handle_t)arg1, self = mx_process_self(), hs[2];

	(void)arg2;
	if (mx_handle_duplicate(self, MX_RIGHT_SAME_RIGHTS, &hs[0]) != MX_OK ||
	    mx_handle_duplicate(mx_thread_self(), MX_RIGHT_SAME_RIGHTS,
				&hs[1]) != MX_OK ||
	    mx_channel_write(ch, 0, &self, sizeof(self), hs, 2) != MX_OK)
		_exit(90);
	exec_plan(self);
}

struct victim {
	mx_handle_t proc, thread;	/* from mx_process_create, _thread_create */
	mx_handle_t proc_dup, thread_dup; /* sent by the victim before the exec */
	mx_handle_t self_value;		/* its own process handle's value */
	uint64_t koid;
};

/* Start a process that execs the plan, and take what it sends. */
static void start_victim(struct victim *v)
{
	mx_handle_t c0 = 0, c1 = 0, hs[2];
	uint32_t nb = 0, nh = 0;

	ASSERT_OK(mx_process_create(mx_job_default(), "victim", 6, 0, &v->proc,
				    NULL));
	ASSERT_OK(mx_thread_create(v->proc, "victim", 6, 0, &v->thread));
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	v->koid = mxt_basic(v->proc).koid;
	ASSERT_OK(mx_process_start(v->proc, v->thread, (uintptr_t)entry_exec,
				   mxt_stack(NULL), c1, 0));
	ASSERT_OK(mx_object_wait_one(c0, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	ASSERT_OK(mx_channel_read(c0, 0, &v->self_value, hs,
				  sizeof(v->self_value), 2, &nb, &nh));
	ASSERT_EQ(nb, sizeof(v->self_value));
	ASSERT_EQ(nh, 2);
	v->proc_dup = hs[0];
	v->thread_dup = hs[1];
	ASSERT_EQ(mxt_basic(v->proc_dup).koid, v->koid);
	ASSERT_EQ(mxt_basic(v->thread_dup).koid, mxt_basic(v->thread).koid);
	ASSERT_OK(mx_handle_close(c0));
}

static void assert_ended(mx_handle_t proc)
{
	mx_info_process_t info;
	mx_signals_t obs = 0;

	ASSERT_OK(mx_object_wait_one(proc, MX_TASK_TERMINATED,
				     mx_deadline_after(EXEC_WAIT), &obs));
	ASSERT_OK(mx_object_get_info(proc, MX_INFO_PROCESS, &info,
				     sizeof(info), NULL, NULL));
	ASSERT_EQ(info.started, 1);
	ASSERT_EQ(info.exited, 1);
	ASSERT_EQ(info.return_code, -1);
}

static void assert_comm(pid_t pid, const char *want)
{
	char comm[32];

	mxt_comm(pid, comm, sizeof(comm));
	if (strcmp(comm, want))
		FAIL("comm of %d is \"%s\", want \"%s\"", (int)pid, comm, want);
}

/*
 * A setuid program that knows nothing of mx: the process that exec'd it
 * has ended, and no handle kept from before reaches it.
 */
TEST(setuid_exec_ends_the_process)
{
	struct exec_report r;
	struct victim v;
	mx_info_thread_t ti;
	mx_handle_t out = 0;
	size_t actual = 1, avail = 1;

	mxt_become(USER_UID);
	plan_init(EXEC_HELPER_SETUID, "wait", 0);
	start_victim(&v);
	r = report();
	ASSERT_EQ(r.uid, USER_UID);
	ASSERT_EQ(r.euid, 0);
	ASSERT_EQ(r.secure, 1);

	assert_ended(v.proc);
	ASSERT_TRUE(mxt_signals(v.proc_dup) & MX_TASK_TERMINATED);
	ASSERT_TRUE(mxt_signals(v.thread) & MX_TASK_TERMINATED);
	ASSERT_TRUE(mxt_signals(v.thread_dup) & MX_TASK_TERMINATED);
	ASSERT_OK(mx_object_get_info(v.thread, MX_INFO_THREAD, &ti, sizeof(ti),
				     NULL, NULL));
	ASSERT_EQ(ti.state, MX_THREAD_STATE_DEAD);

	/* Renaming the object no longer renames the task. */
	assert_comm(r.pid, "exec-setuid");
	ASSERT_OK(mx_object_set_property(v.proc, MX_PROP_NAME, "renamed", 7));
	ASSERT_OK(mx_object_set_property(v.proc_dup, MX_PROP_NAME, "renamed",
					 7));
	ASSERT_OK(mx_object_set_property(v.thread, MX_PROP_NAME, "renamed",
					 7));
	assert_comm(r.pid, "exec-setuid");

	/* Its handles are not the new image's: listing and copying fail. */
	ASSERT_STATUS(mx_debug_list_handles(v.proc, NULL, NULL, 0, &actual,
					    &avail), MX_ERR_BAD_STATE);
	ASSERT_STATUS(mx_debug_copy_handle(v.proc, v.self_value,
					   MX_RIGHT_SAME_RIGHTS, &out),
		      MX_ERR_BAD_STATE);
	ASSERT_EQ(out, 0);

	/* Killing a dead process or thread does nothing, as in Magenta. */
	ASSERT_OK(mx_task_kill(v.thread));
	ASSERT_OK(mx_task_kill(v.thread_dup));
	ASSERT_OK(mx_task_kill(v.proc));
	ASSERT_OK(mx_task_kill(v.proc_dup));
	/* Nor does closing the last handle of the process or the thread. */
	ASSERT_OK(mx_handle_close(v.thread));
	ASSERT_OK(mx_handle_close(v.thread_dup));
	ASSERT_OK(mx_handle_close(v.proc));
	ASSERT_OK(mx_handle_close(v.proc_dup));

	finish(r.pid);
}

/*
 * A setuid program that uses mx: a fresh process (another koid, in the
 * root job of its own user, euid 0), and the startup handles that its
 * environment names are ignored.
 */
TEST(setuid_image_starts_afresh)
{
	struct exec_report r;
	struct victim v;

	mxt_become(USER_UID);
	plan_init(EXEC_HELPER_SETUID, "mx", 1);
	start_victim(&v);
	r = report();
	ASSERT_EQ(r.euid, 0);
	ASSERT_EQ(r.secure, 1);
	ASSERT_NE(r.self_koid, 0);
	ASSERT_NE(r.self_koid, v.koid);
	ASSERT_NE(r.job_koid, 0);
	ASSERT_NE(r.job_koid, mxt_basic(mx_job_default()).koid);
	ASSERT_EQ(r.startup_self, MX_HANDLE_INVALID);
	ASSERT_EQ(r.startup_user0, MX_HANDLE_INVALID);
	ASSERT_EQ(r.user0_valid, 0);
	assert_ended(v.proc);
	ASSERT_OK(mx_task_kill(v.proc));
	ASSERT_OK(mx_handle_close(v.proc));
	ASSERT_OK(mx_handle_close(v.thread));
	finish(r.pid);
}

/*
 * mx_launch() of a setuid program: the program runs, as a fresh process
 * with no startup handle; the launcher's process handle reads TERMINATED.
 */
TEST(launched_setuid_program_gets_nothing)
{
	mx_handle_t ev, proc = 0;
	uint32_t id = PA_USER0;
	struct exec_report r;

	mxt_become(USER_UID);
	plan_init(EXEC_HELPER_SETUID, "mx", 0);
	ev = mxt_event();
	ASSERT_OK(mx_launch(mx_job_default(), "launched", EXEC_HELPER_SETUID,
			    plan_args(), environ, 1, &ev, &id, &proc));
	r = report();
	ASSERT_EQ(r.euid, 0);
	ASSERT_EQ(r.secure, 1);
	ASSERT_NE(r.self_koid, 0);
	ASSERT_NE(r.self_koid, mxt_basic(proc).koid);
	ASSERT_NE(r.job_koid, mxt_basic(mx_job_default()).koid);
	ASSERT_EQ(r.startup_self, MX_HANDLE_INVALID);
	ASSERT_EQ(r.startup_user0, MX_HANDLE_INVALID);
	assert_ended(proc);
	ASSERT_OK(mx_task_kill(proc));
	assert_comm(r.pid, "exec-setuid");
	ASSERT_OK(mx_object_set_property(proc, MX_PROP_NAME, "renamed", 7));
	assert_comm(r.pid, "exec-setuid");
	ASSERT_OK(mx_handle_close(proc));
	finish(r.pid);
}

/*
 * An ambient process (a plain fork() child that used mx) that gave away a
 * handle to itself, then exec'd a setuid program.
 */
TEST(ambient_process_ends_at_a_setuid_exec)
{
	mx_handle_t c0 = 0, c1 = 0, self_dup = 0;
	size_t actual = 1, avail = 1;
	struct exec_report r;
	uint32_t nh = 0;
	int fd = -1;
	pid_t pid;

	mxt_become(USER_UID);
	plan_init(EXEC_HELPER_SETUID, "wait", 0);
	ASSERT_OK(mx_channel_create(0, &c0, &c1));
	ASSERT_OK(mx_handle_to_fd(c1, O_CLOEXEC, &fd));
	pid = mxt_fork();
	if (pid == 0) {
		mx_handle_t ch = 0, d = 0;

		if (mx_handle_from_fd(fd, &ch) != MX_OK ||
		    mx_handle_duplicate(mx_process_self(),
					MX_RIGHT_SAME_RIGHTS, &d) != MX_OK ||
		    mx_channel_write(ch, 0, NULL, 0, &d, 1) != MX_OK)
			_exit(90);
		exec_plan(MX_HANDLE_INVALID);
	}
	close(fd);
	ASSERT_OK(mx_object_wait_one(c0, MX_CHANNEL_READABLE, MX_TIME_INFINITE,
				     NULL));
	ASSERT_OK(mx_channel_read(c0, 0, NULL, &self_dup, 0, 1, NULL, &nh));
	ASSERT_EQ(nh, 1);
	r = report();
	ASSERT_EQ(r.pid, pid);
	ASSERT_EQ(r.euid, 0);
	assert_ended(self_dup);
	ASSERT_OK(mx_object_set_property(self_dup, MX_PROP_NAME, "renamed", 7));
	assert_comm(pid, "exec-setuid");
	ASSERT_STATUS(mx_debug_list_handles(self_dup, NULL, NULL, 0, &actual,
					    &avail), MX_ERR_BAD_STATE);
	ASSERT_OK(mx_task_kill(self_dup));
	ASSERT_OK(mx_handle_close(self_dup));
	finish(pid);
}

/*
 * An ordinary exec keeps the process: the same koid, the startup handles
 * of the environment, and the handles from before still act on it.
 */
TEST(ordinary_exec_keeps_the_process)
{
	struct exec_report r;
	struct victim v;
	mx_info_process_t info;

	mxt_become(USER_UID);
	plan_init(EXEC_HELPER_PLAIN, "mx", 1);
	start_victim(&v);
	r = report();
	ASSERT_EQ(r.uid, USER_UID);
	ASSERT_EQ(r.euid, USER_UID);
	ASSERT_EQ(r.secure, 0);
	ASSERT_EQ(r.self_koid, v.koid);
	ASSERT_EQ(r.startup_self, v.self_value);
	ASSERT_EQ(r.startup_user0, v.self_value);
	ASSERT_EQ(r.user0_valid, 1);
	ASSERT_EQ(mxt_signals(v.proc) & MX_TASK_TERMINATED, 0);
	ASSERT_EQ(mxt_signals(v.thread) & MX_TASK_TERMINATED, 0);
	ASSERT_OK(mx_object_set_property(v.proc, MX_PROP_NAME, "renamed", 7));
	assert_comm(r.pid, "renamed");
	finish(r.pid);
	ASSERT_OK(mx_object_wait_one(v.proc, MX_TASK_TERMINATED,
				     MX_TIME_INFINITE, NULL));
	ASSERT_OK(mx_object_get_info(v.proc, MX_INFO_PROCESS, &info,
				     sizeof(info), NULL, NULL));
	ASSERT_EQ(info.return_code, 0);
}

/*
 * Calls through the old handles race with the exec: each lands on the
 * process before it (and may kill it) or finds it ended, and the process
 * ends either way.
 */
static struct victim race_victim;
static int race_stop;

static void *race_old_handles(void *arg)
{
	mx_handle_t out;
	size_t actual, avail;

	(void)arg;
	while (!__atomic_load_n(&race_stop, __ATOMIC_ACQUIRE)) {
		mx_object_set_property(race_victim.proc_dup, MX_PROP_NAME,
				       "racer", 5);
		mx_debug_list_handles(race_victim.proc_dup, NULL, NULL, 0,
				      &actual, &avail);
		if (mx_debug_copy_handle(race_victim.proc_dup,
					 race_victim.self_value,
					 MX_RIGHT_SAME_RIGHTS, &out) == MX_OK)
			mx_handle_close(out);
		if (arg)
			mx_task_kill(race_victim.thread_dup);
	}
	return NULL;
}

TEST(exec_races_with_old_handles)
{
	struct exec_report r;
	pthread_t th;
	int i, status;
	pid_t pid;

	mxt_become(USER_UID);
	for (i = 0; i < 16; i++) {
		plan_init(EXEC_HELPER_SETUID, "exit", 0);
		start_victim(&race_victim);
		__atomic_store_n(&race_stop, 0, __ATOMIC_RELEASE);
		/* Every other round, thread kills too. */
		ASSERT_EQ(pthread_create(&th, NULL, race_old_handles,
					 (void *)(uintptr_t)(i & 1)), 0);
		if (i & 2)
			mx_task_kill(race_victim.proc_dup);
		/* Ended by the exec, or killed before it. */
		ASSERT_OK(mx_object_wait_one(race_victim.proc,
					     MX_TASK_TERMINATED,
					     mx_deadline_after(EXEC_WAIT),
					     NULL));
		__atomic_store_n(&race_stop, 1, __ATOMIC_RELEASE);
		ASSERT_EQ(pthread_join(th, NULL), 0);
		if (try_report(&r)) {
			/* It ran: it exits 0 unless killed as it exec'd. */
			pid = r.pid;
			ASSERT_EQ(waitpid(pid, &status, 0), pid);
			ASSERT_TRUE(WIFEXITED(status) || WIFSIGNALED(status));
			if (WIFEXITED(status))
				ASSERT_EQ(WEXITSTATUS(status), 0);
		} else {
			/* Killed before the exec, or its thread was. */
			ASSERT_TRUE(waitpid(-1, &status, 0) > 0);
			ASSERT_TRUE(WIFSIGNALED(status) ||
				    (WIFEXITED(status) &&
				     WEXITSTATUS(status) == 0));
		}
		close(plan.ready[0]);
		close(plan.hold[1]);
		ASSERT_OK(mx_handle_close(race_victim.proc));
		ASSERT_OK(mx_handle_close(race_victim.proc_dup));
		ASSERT_OK(mx_handle_close(race_victim.thread));
		ASSERT_OK(mx_handle_close(race_victim.thread_dup));
	}
}
