/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * libmx: the Magenta handle API on Linux, over /dev/mx.
 *
 * Names, types, values and behaviour follow Magenta (2017-06). Every call
 * returns its status (MX_OK or a negative MX_ERR_*) and never touches
 * errno. See mx(4) and the page of each call (mx_handle_duplicate(3), ...).
 */
#ifndef MX_H
#define MX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <mx/abi.h>
#include <mx/version.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t mx_handle_t;
typedef int32_t mx_status_t;
typedef uint64_t mx_time_t;
typedef uint64_t mx_duration_t;
typedef uint32_t mx_signals_t;
typedef uint32_t mx_rights_t;
typedef uint64_t mx_koid_t;
typedef uintptr_t mx_paddr_t;
typedef uint32_t mx_txid_t;
typedef uint32_t mx_obj_type_t;
typedef uint32_t mx_obj_props_t;
typedef uint32_t mx_object_info_topic_t;

typedef struct mx_wait_item mx_wait_item_t;
typedef struct mx_info_handle_basic mx_info_handle_basic_t;
typedef struct mx_info_process mx_info_process_t;
typedef struct mx_info_thread mx_info_thread_t;
typedef struct mx_info_thread_stats mx_info_thread_stats_t;
typedef struct mx_info_vmar mx_info_vmar_t;
typedef struct mx_info_vmo mx_info_vmo_t;
typedef struct mx_info_maps_mapping mx_info_maps_mapping_t;
typedef struct mx_info_maps mx_info_maps_t;
#define MX_INFO_VMO_TYPE(flags)	((flags) & MX_INFO_VMO_TYPE_PAGED)
typedef union mx_packet_user mx_packet_user_t;
typedef struct mx_packet_signal mx_packet_signal_t;
typedef struct mx_port_packet mx_port_packet_t;
typedef struct mx_debug_handle mx_debug_handle_t;
typedef struct mx_debug_process mx_debug_process_t;

/* The arguments of mx_channel_call(): the request out, room for the reply. */
typedef struct {
	void *wr_bytes;
	mx_handle_t *wr_handles;
	void *rd_bytes;
	mx_handle_t *rd_handles;
	uint32_t wr_num_bytes;
	uint32_t wr_num_handles;
	uint32_t rd_num_bytes;
	uint32_t rd_num_handles;
} mx_channel_call_args_t;

#define MX_NSEC(n)	((mx_duration_t)(1ull * (n)))
#define MX_USEC(n)	((mx_duration_t)(1000ull * (n)))
#define MX_MSEC(n)	((mx_duration_t)(1000000ull * (n)))
#define MX_SEC(n)	((mx_duration_t)(1000000000ull * (n)))

/* Handles */
mx_status_t mx_handle_close(mx_handle_t handle);
mx_status_t mx_handle_duplicate(mx_handle_t handle, mx_rights_t rights,
				mx_handle_t *out);
mx_status_t mx_handle_replace(mx_handle_t handle, mx_rights_t rights,
			      mx_handle_t *out);

/*
 * Beyond Magenta: a handle carried by a file descriptor, to give a first
 * handle to a process that shares none with the caller (a fork() child,
 * or another program over an AF_UNIX socket with SCM_RIGHTS).
 * mx_handle_to_fd() moves the handle (it needs MX_RIGHT_TRANSFER) into a
 * new fd; flags is 0 or O_CLOEXEC. mx_handle_from_fd() moves it into the
 * caller's table, once; the fd is then empty and the caller closes it.
 */
mx_status_t mx_handle_to_fd(mx_handle_t handle, int flags, int *fd);
mx_status_t mx_handle_from_fd(int fd, mx_handle_t *out);

/* Events */
mx_status_t mx_event_create(uint32_t options, mx_handle_t *out);
mx_status_t mx_eventpair_create(uint32_t options, mx_handle_t *out0,
				mx_handle_t *out1);

/*
 * VMOs: memory objects of real Linux pages, allocated when first written
 * (docs/manual.md, "VMOs"). mx_handle_to_fd() of a VMO gives an fd that
 * read()s, write()s and mmap()s its pages; mx_handle_from_fd() of that fd
 * gives a new handle to the VMO each time, and of a memfd or tmpfs file,
 * a handle to a VMO that is that file.
 */
mx_status_t mx_vmo_create(uint64_t size, uint32_t options, mx_handle_t *out);
mx_status_t mx_vmo_read(mx_handle_t handle, void *data, uint64_t offset,
			size_t len, size_t *actual);
mx_status_t mx_vmo_write(mx_handle_t handle, const void *data,
			 uint64_t offset, size_t len, size_t *actual);
mx_status_t mx_vmo_get_size(mx_handle_t handle, uint64_t *size);
mx_status_t mx_vmo_set_size(mx_handle_t handle, uint64_t size);
mx_status_t mx_vmo_op_range(mx_handle_t handle, uint32_t op, uint64_t offset,
			    uint64_t size, void *buffer, size_t buffer_size);
mx_status_t mx_vmo_set_cache_policy(mx_handle_t handle,
				    uint32_t cache_policy);
mx_status_t mx_vmo_clone(mx_handle_t handle, uint32_t options,
			 uint64_t offset, uint64_t size, mx_handle_t *out);

/*
 * VMARs: regions of the calling process's address space, and mappings of
 * VMOs in them (docs/manual.md, "VMARs"). Only the calling process's own
 * VMARs can be acted on; a VMAR of another process gives
 * MX_ERR_NOT_SUPPORTED.
 */
mx_handle_t mx_vmar_root_self(void);
mx_status_t mx_vmar_allocate(mx_handle_t parent_vmar_handle, size_t offset,
			     size_t size, uint32_t map_flags,
			     mx_handle_t *child_vmar, uintptr_t *child_addr);
mx_status_t mx_vmar_map(mx_handle_t vmar_handle, size_t vmar_offset,
			mx_handle_t vmo_handle, uint64_t vmo_offset,
			size_t len, uint32_t map_flags, uintptr_t *mapped_addr);
mx_status_t mx_vmar_unmap(mx_handle_t vmar_handle, uintptr_t addr,
			  size_t len);
mx_status_t mx_vmar_protect(mx_handle_t vmar_handle, uintptr_t addr,
			    size_t len, uint32_t prot_flags);
mx_status_t mx_vmar_destroy(mx_handle_t vmar_handle);
mx_status_t mx_vmar_unmap_handle_close_thread_exit(mx_handle_t vmar_handle,
						   uintptr_t addr, size_t len,
						   mx_handle_t handle);

/* Sockets */
mx_status_t mx_socket_create(uint32_t options, mx_handle_t *out0,
			     mx_handle_t *out1);
mx_status_t mx_socket_write(mx_handle_t handle, uint32_t options,
			    const void *buffer, size_t size, size_t *actual);
mx_status_t mx_socket_read(mx_handle_t handle, uint32_t options,
			   void *buffer, size_t size, size_t *actual);

/* Fifos */
mx_status_t mx_fifo_create(uint32_t elem_count, uint32_t elem_size,
			   uint32_t options, mx_handle_t *out0,
			   mx_handle_t *out1);
mx_status_t mx_fifo_write(mx_handle_t handle, const void *data, size_t len,
			  uint32_t *actual);
mx_status_t mx_fifo_read(mx_handle_t handle, void *data, size_t len,
			 uint32_t *actual);

/* Timers */
mx_status_t mx_timer_create(uint32_t options, uint32_t clock_id,
			    mx_handle_t *out);
mx_status_t mx_timer_start(mx_handle_t handle, mx_time_t deadline,
			   mx_duration_t period, mx_duration_t slack);
mx_status_t mx_timer_cancel(mx_handle_t handle);

/* Futexes */
typedef int mx_futex_t;
mx_status_t mx_futex_wait(mx_futex_t *value_ptr, int current_value,
			  mx_time_t deadline);
mx_status_t mx_futex_wake(const mx_futex_t *value_ptr, uint32_t count);
mx_status_t mx_futex_requeue(mx_futex_t *wake_ptr, uint32_t wake_count,
			     int current_value, mx_futex_t *requeue_ptr,
			     uint32_t requeue_count);

/* Cookies, ticks, the CPRNG, the system */
mx_status_t mx_cache_flush(const void *addr, size_t len, uint32_t options);
mx_status_t mx_object_set_cookie(mx_handle_t handle, mx_handle_t scope,
				 uint64_t cookie);
mx_status_t mx_object_get_cookie(mx_handle_t handle, mx_handle_t scope,
				 uint64_t *cookie);
uint64_t mx_ticks_get(void);
uint64_t mx_ticks_per_second(void);
mx_status_t mx_cprng_draw(void *buffer, size_t len, size_t *actual);
mx_status_t mx_cprng_add_entropy(const void *buffer, size_t len);
uint32_t mx_system_get_num_cpus(void);
uint64_t mx_system_get_physmem(void);
mx_status_t mx_system_get_version(char *version, uint32_t version_len);


/* Channels */
mx_status_t mx_channel_create(uint32_t options, mx_handle_t *out0,
			      mx_handle_t *out1);
mx_status_t mx_channel_write(mx_handle_t handle, uint32_t options,
			     const void *bytes, uint32_t num_bytes,
			     const mx_handle_t *handles, uint32_t num_handles);
mx_status_t mx_channel_read(mx_handle_t handle, uint32_t options,
			    void *bytes, mx_handle_t *handles,
			    uint32_t num_bytes, uint32_t num_handles,
			    uint32_t *actual_bytes, uint32_t *actual_handles);
/*
 * Write a request and wait for the reply: the message that comes back on
 * the same endpoint with the same first 4 bytes (the transaction id, a
 * mx_txid_t). The reply goes to this call only; other messages queue as
 * usual. A signal handler does not end the call.
 */
mx_status_t mx_channel_call(mx_handle_t handle, uint32_t options,
			    mx_time_t deadline,
			    const mx_channel_call_args_t *args,
			    uint32_t *actual_bytes, uint32_t *actual_handles,
			    mx_status_t *read_status);

/* Objects: signals, waits, information, properties */
mx_status_t mx_object_signal(mx_handle_t handle, uint32_t clear_mask,
			     uint32_t set_mask);
mx_status_t mx_object_signal_peer(mx_handle_t handle, uint32_t clear_mask,
				  uint32_t set_mask);
mx_status_t mx_object_wait_one(mx_handle_t handle, mx_signals_t signals,
			       mx_time_t deadline, mx_signals_t *observed);
mx_status_t mx_object_wait_many(mx_wait_item_t *items, uint32_t count,
				mx_time_t deadline);
mx_status_t mx_object_get_info(mx_handle_t handle, uint32_t topic,
			       void *buffer, size_t buffer_size,
			       size_t *actual, size_t *avail);
mx_status_t mx_object_get_child(mx_handle_t handle, uint64_t koid,
				mx_rights_t rights, mx_handle_t *out);
mx_status_t mx_object_get_property(mx_handle_t handle, uint32_t property,
				   void *value, size_t size);
mx_status_t mx_object_set_property(mx_handle_t handle, uint32_t property,
				   const void *value, size_t size);

/* Ports (v2) and asynchronous waits */
mx_status_t mx_port_create(uint32_t options, mx_handle_t *out);
mx_status_t mx_port_queue(mx_handle_t handle, const void *packet,
			  size_t size);
mx_status_t mx_port_wait(mx_handle_t handle, mx_time_t deadline,
			 void *packet, size_t size);
mx_status_t mx_port_cancel(mx_handle_t handle, mx_handle_t source,
			   uint64_t key);
mx_status_t mx_object_wait_async(mx_handle_t handle, mx_handle_t port,
				 uint64_t key, mx_signals_t signals,
				 uint32_t options);

/*
 * Beyond Magenta: an fd for Linux event loops (poll, select, epoll). It is
 * readable while any of @signals is asserted on the object (level-
 * triggered); on a port, @signals must be MX_PORT_READABLE and the fd is
 * readable while a packet is queued. read() gives the current state as a
 * uint32_t and never blocks. The fd holds the object, not the handle:
 * closing the handle leaves it working. flags: O_CLOEXEC, O_NONBLOCK.
 * Needs MX_RIGHT_READ.
 */
mx_status_t mx_waitfd_create(mx_handle_t handle, mx_signals_t signals,
			     int flags, int *fd);

/*
 * Beyond Magenta: debugger access to another process's handles.
 *
 * mx_debug_list_handles() fills @buffer with up to @count records: the
 * target's handle table, then the handles in transit in the messages
 * queued at the channel endpoints it holds (flags
 * MX_DEBUG_HANDLE_IN_TRANSIT). *actual: records written; *avail: records
 * there were; @info (may be NULL): the process itself. Needs
 * MX_RIGHT_ENUMERATE on @process.
 *
 * mx_debug_copy_handle() duplicates the target's handle @handle into the
 * caller's table with @rights (MX_RIGHT_SAME_RIGHTS or a subset); the
 * source handle must have MX_RIGHT_DUPLICATE. Needs MX_RIGHT_ENUMERATE and
 * MX_RIGHT_DESTROY on @process.
 *
 * The _pid forms name the target by pid instead, for a caller with
 * CAP_SYS_PTRACE in the target's user namespace (else
 * MX_ERR_ACCESS_DENIED); MX_ERR_NOT_FOUND if no such process uses mx.
 */
mx_status_t mx_debug_list_handles(mx_handle_t process,
				  mx_debug_process_t *info,
				  mx_debug_handle_t *buffer, size_t count,
				  size_t *actual, size_t *avail);
mx_status_t mx_debug_list_handles_pid(pid_t pid, mx_debug_process_t *info,
				      mx_debug_handle_t *buffer, size_t count,
				      size_t *actual, size_t *avail);
mx_status_t mx_debug_copy_handle(mx_handle_t process, mx_handle_t handle,
				 mx_rights_t rights, mx_handle_t *out);
mx_status_t mx_debug_copy_handle_pid(pid_t pid, mx_handle_t handle,
				     mx_rights_t rights, mx_handle_t *out);

/* The calling process and thread */
mx_handle_t mx_process_self(void);
mx_handle_t mx_thread_self(void);
mx_handle_t mx_job_default(void);

/*
 * Processes, threads and jobs. A process made by mx_process_create() is
 * started by mx_process_start() as a copy-on-write fork() of the caller:
 * its first thread runs entry(arg1 in the new process, arg2) on stack, and
 * arg1 (a handle, usually the bootstrap channel) moves into its table. It
 * is a Linux child of the caller (reap it, or ignore SIGCHLD, to avoid
 * zombies). mx_thread_start() starts a thread of the calling process only
 * (a thread of another running process: MX_ERR_NOT_SUPPORTED). entry runs
 * as if called with the stack pointer at stack, rounded down to 16 bytes;
 * returning from it ends the thread. vmar_handle may be NULL; otherwise it
 * receives the new process's root VMAR, whose layout its child applies
 * before entry runs. mx_task_kill() on a thread
 * ends it by signal MX_THREAD_KILL_SIGNAL (64), whose handler libmx
 * installs: a program must leave that signal to libmx.
 */
mx_status_t mx_process_create(mx_handle_t job, const char *name,
			      uint32_t name_len, uint32_t options,
			      mx_handle_t *proc_handle, mx_handle_t *vmar_handle);
mx_status_t mx_process_start(mx_handle_t process, mx_handle_t thread,
			     uintptr_t entry, uintptr_t stack,
			     mx_handle_t arg1, uintptr_t arg2);
mx_status_t mx_process_read_memory(mx_handle_t proc, uintptr_t vaddr,
				   void *buffer, size_t len, size_t *actual);
mx_status_t mx_process_write_memory(mx_handle_t proc, uintptr_t vaddr,
				    const void *buffer, size_t len,
				    size_t *actual);
__attribute__((noreturn)) void mx_process_exit(int retcode);
mx_status_t mx_thread_create(mx_handle_t process, const char *name,
			     uint32_t name_len, uint32_t options,
			     mx_handle_t *out);
mx_status_t mx_thread_start(mx_handle_t thread, uintptr_t entry,
			    uintptr_t stack, uintptr_t arg1, uintptr_t arg2);
__attribute__((noreturn)) void mx_thread_exit(void);
mx_status_t mx_task_kill(mx_handle_t task);
mx_status_t mx_task_suspend(mx_handle_t task);
mx_status_t mx_task_resume(mx_handle_t task, uint32_t options);
mx_status_t mx_job_create(mx_handle_t parent_job, uint32_t options,
			  mx_handle_t *out);

/*
 * Startup handles (Magenta's <magenta/processargs.h> ids): a handle's id is
 * PA_HND(type, arg). mx_launch() gives every program PA_PROC_SELF,
 * PA_THREAD_SELF and PA_JOB_DEFAULT (a duplicate of job, if it can be
 * duplicated) besides the caller's; the user types are PA_USER0..2.
 */
#define PA_HND(type, arg)	(((type) & 0xffffu) | (((arg) & 0xffffu) << 16))
#define PA_HND_TYPE(id)		((id) & 0xffffu)
#define PA_HND_ARG(id)		(((id) >> 16) & 0xffffu)
#define PA_PROC_SELF		0x01u
#define PA_THREAD_SELF		0x02u
#define PA_JOB_DEFAULT		0x03u
#define PA_USER0		0xf0u
#define PA_USER1		0xf1u
#define PA_USER2		0xf2u

/*
 * Beyond Magenta: run the executable at path (argv, envp as execve()) as a
 * new mx process named name (path if NULL) in job, moving the count
 * handles into it, each tagged with ids[i]; the new program takes them
 * with mx_get_startup_handle(id). The handles are consumed, also on
 * failure. On success *proc receives a handle to the new process (a Linux
 * child of the caller). At most MX_LAUNCH_MAX_HANDLES - 3 handles.
 */
mx_status_t mx_launch(mx_handle_t job, const char *name, const char *path,
		      char *const argv[], char *const envp[], uint32_t count,
		      const mx_handle_t *handles, const uint32_t *ids,
		      mx_handle_t *proc);

/* Take the startup handle tagged id (once); MX_HANDLE_INVALID if none. */
mx_handle_t mx_get_startup_handle(uint32_t id);

/* Time */
mx_time_t mx_time_get(uint32_t clock_id);
mx_time_t mx_deadline_after(mx_duration_t nanoseconds);
mx_status_t mx_nanosleep(mx_time_t deadline);

/* Status names ("MX_ERR_BAD_HANDLE") */
const char *mx_status_get_string(mx_status_t status);

/*
 * The version of the libmx a program runs with (MX_VERSION_MAJOR and
 * MX_VERSION_MINOR are those of the headers it was built with), and
 * whether that is @major.@minor or later.
 */
int mx_version_major(void);
int mx_version_minor(void);
int mx_check_version(int major, int minor);

#ifdef __cplusplus
}
#endif

#endif /* MX_H */
