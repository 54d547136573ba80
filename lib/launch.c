// SPDX-License-Identifier: MIT
/*
 * mx_launch(): run another executable as a new mx process with startup
 * handles (startup.c has mx_get_startup_handle(), the new program's side).
 *
 * Like mx_process_start(), mx_launch() fork()s a child that binds itself
 * to a new process object; the startup handles move into the child's
 * table, which survives execve() (it belongs to the thread group). The
 * child knows their new values (the module gave them before the fork),
 * puts them in its environment as MX_STARTUP_HANDLES=<id>:<value>,...
 * (hexadecimal) and execs the program. The child is a vfork()-style clone
 * on a stack of its own: it shares the caller's memory, and the caller
 * goes on once it has exec'd or exited, so the child leaves the errno of
 * a failed exec in that memory (as posix_spawn() does).
 *
 * Pointers: proc is checked by the kernel before anything is made (a
 * pipe copies *proc out and back, so a bad pointer is an error, as the
 * module's copies make it in every call); path, argv and the strings of
 * envp are read by execve(), whose EFAULT is MX_ERR_INVALID_ARGS. name
 * (path when name is NULL), envp itself, handles and ids are read here,
 * as any C function reads its arguments.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctl.h"
#include "start.h"
#include "startup.h"

/* The stack of the launcher's child, from its clone to its exec. */
#define MX_LAUNCH_STACK	(64 * 1024)

struct mx_launch_child {
	const char *path;
	char *const *argv;
	char **envp;		/* the caller's environment plus one slot */
	unsigned int env_slot;	/* index of the slot for MX_STARTUP_VAR */
	char *var;		/* room for MX_STARTUP_VAR=... */
	const uint32_t *ids;
	const mx_handle_t *values;
	uint32_t n;
	int err;		/* set by the child if the exec failed */
};

static char *mx__put_hex(char *p, uint32_t v)
{
	char tmp[8];
	int i = 0;

	do {
		tmp[i++] = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	while (i)
		*p++ = tmp[--i];
	return p;
}

/*
 * In the child, which shares the caller's memory and signal handlers'
 * code: no handler of the caller's may run here, so the caught signals go
 * back to their default before the caller's mask is restored; then exec
 * with the values, or leave errno for the caller and exit.
 */
static void mx__launch_child(void *arg, struct mx_start_child *sc)
{
	struct mx_launch_child *c = arg;
	struct sigaction sa;
	char *p = c->var;
	uint32_t i;
	int sig;

	for (sig = 1; sig < NSIG; sig++) {
		if (sigaction(sig, NULL, &sa) != 0 ||
		    sa.sa_handler == SIG_DFL || sa.sa_handler == SIG_IGN)
			continue;
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = 0;
		sigaction(sig, &sa, NULL);
	}
	mx__start_unblock(sc);
	memcpy(p, MX_STARTUP_VAR "=", sizeof(MX_STARTUP_VAR));
	p += sizeof(MX_STARTUP_VAR);
	for (i = 0; i < c->n; i++) {
		if (i)
			*p++ = ',';
		p = mx__put_hex(p, c->ids[i]);
		*p++ = ':';
		p = mx__put_hex(p, (uint32_t)c->values[i]);
	}
	*p = '\0';
	c->envp[c->env_slot] = c->var;
	execve(c->path, c->argv, c->envp);
	c->err = errno;
	syscall(SYS_exit_group, 127);
}

static mx_status_t mx__exec_status(int err)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return MX_ERR_NOT_FOUND;
	case EACCES:
	case EPERM:
		return MX_ERR_ACCESS_DENIED;
	case ENOEXEC:
		return MX_ERR_NOT_SUPPORTED;
	case ENOMEM:
		return MX_ERR_NO_MEMORY;
	case EFAULT:
		return MX_ERR_INVALID_ARGS;
	default:
		return MX_ERR_IO;
	}
}

/*
 * Whether the kernel can read and write the @size bytes at @p: they go
 * through a pipe and back, unchanged. Return: MX_OK, MX_ERR_INVALID_ARGS,
 * or MX_ERR_NO_RESOURCES when no pipe can be made.
 */
static mx_status_t mx__check_writable(void *p, size_t size)
{
	mx_status_t s = MX_ERR_INVALID_ARGS;
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) != 0)
		return MX_ERR_NO_RESOURCES;
	/* Less than PIPE_BUF into an empty pipe: all or nothing, no wait. */
	if (write(fds[1], p, size) == (ssize_t)size &&
	    read(fds[0], p, size) == (ssize_t)size)
		s = MX_OK;
	close(fds[0]);
	close(fds[1]);
	return s;
}

static void mx__close_all(uint32_t n, const mx_handle_t *handles)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		mx_handle_close(handles[i]);
}

mx_status_t mx_launch(mx_handle_t job, const char *name, const char *path,
		      char *const argv[], char *const envp[], uint32_t count,
		      const mx_handle_t *handles, const uint32_t *ids,
		      mx_handle_t *proc_out)
{
	mx_handle_t hs[MX_LAUNCH_MAX_HANDLES];
	uint32_t hid[MX_LAUNCH_MAX_HANDLES];
	mx_handle_t values[MX_LAUNCH_MAX_HANDLES];
	struct mx_launch_child c = { .path = path, .argv = argv };
	struct mx_ioc_process_start a = {
		.flags = MX_PROCESS_START_LAUNCH,
	};
	mx_handle_t proc = MX_HANDLE_INVALID, thread = MX_HANDLE_INVALID;
	mx_handle_t dup;
	uint32_t n = 0, i, nenv = 0;
	int saved = errno;
	pid_t pid;
	mx_status_t s;
	char *stack = NULL;

	if (!path || !argv || !proc_out || (count && (!handles || !ids)) ||
	    count > MX_LAUNCH_MAX_HANDLES - 3) {
		s = MX_ERR_INVALID_ARGS;
		goto out_close_given;
	}
	/* Before anything is made: the process must not start for nothing. */
	s = mx__check_writable(proc_out, sizeof(*proc_out));
	if (s != MX_OK)
		goto out_close_given;
	if (!name)
		name = path;
	s = mx_process_create(job, name, (uint32_t)strlen(name), 0, &proc,
			      NULL);
	if (s != MX_OK)
		goto out_close_given;
	s = mx_thread_create(proc, name, (uint32_t)strlen(name), 0, &thread);
	if (s != MX_OK)
		goto out_close_given;

	for (i = 0; i < count; i++) {
		hs[n] = handles[i];
		hid[n++] = ids[i];
	}
	/* What Magenta's launcher gives every process, unless given. */
	if (mx_handle_duplicate(proc, MX_RIGHT_SAME_RIGHTS, &dup) == MX_OK) {
		hs[n] = dup;
		hid[n++] = PA_PROC_SELF;
	}
	hs[n] = thread;
	hid[n++] = PA_THREAD_SELF;
	if (mx_handle_duplicate(job, MX_RIGHT_SAME_RIGHTS, &dup) == MX_OK) {
		hs[n] = dup;
		hid[n++] = PA_JOB_DEFAULT;
	}

	/* Everything the child needs is allocated before fork(). */
	if (envp)
		while (envp[nenv])
			nenv++;
	c.envp = calloc(nenv + 2, sizeof(*c.envp));
	c.var = malloc(sizeof(MX_STARTUP_VAR) + n * 20 + 1);
	stack = malloc(MX_LAUNCH_STACK);
	if (!c.envp || !c.var || !stack) {
		s = MX_ERR_NO_MEMORY;
		goto out_close_ours;
	}
	for (i = 0; i < nenv; i++)
		if (strncmp(envp[i], MX_STARTUP_VAR "=",
			    sizeof(MX_STARTUP_VAR)) != 0)
			c.envp[c.env_slot++] = envp[i];
	c.ids = hid;
	c.values = values;
	c.n = n;

	a.process = proc;
	a.thread = thread;
	a.handles = MX_PTR(hs);
	a.num_handles = n;
	s = mx__start(&a, values, mx__launch_child, &c,
		      stack + MX_LAUNCH_STACK, &pid);
	if (s != MX_OK)
		goto out_close_ours;
	/* The handles are the child's now. */
	thread = MX_HANDLE_INVALID;
	count = 0;
	n = 0;

	/* The child has exec'd, or failed to and exited. */
	if (c.err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		s = mx__exec_status(c.err);
		goto out_free;
	}
	*proc_out = proc;
	proc = MX_HANDLE_INVALID;
	goto out_free;

out_close_ours:
	/* Ours are the ones added after the caller's. */
	for (i = count; i < n; i++)
		if (hs[i] != thread)
			mx_handle_close(hs[i]);
out_close_given:
	mx__close_all(count, handles);
out_free:
	free(stack);
	free(c.envp);
	free(c.var);
	if (thread != MX_HANDLE_INVALID)
		mx_handle_close(thread);
	if (proc != MX_HANDLE_INVALID)
		mx_handle_close(proc);
	errno = saved;
	return s;
}
