/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mx: Magenta handles, channels and tasks for Linux -- the ioctl ABI of
 * /dev/mx.
 *
 * Applications use libmx (<mx.h>), not this header. Rules of this ABI:
 *  - one ioctl per mx call, numbered in sequence and never reused;
 *  - fixed-width fields only, user addresses as __u64, explicit padding that
 *    must be zero, every struct a multiple of 8 bytes;
 *  - deadlines are absolute CLOCK_MONOTONIC nanoseconds;
 *  - the ioctl returns 0 for MX_OK, a positive number N for the mx status -N
 *    (MX_ERR_INVALID_ARGS is returned as 10), and -1 with errno set only for
 *    faults of the ioctl itself (ENOTTY for an unknown command);
 *  - out parameters are user addresses that the module writes, so a bad
 *    pointer is reported as MX_ERR_INVALID_ARGS in the call's check order.
 */
#ifndef _UAPI_LINUX_MX_H
#define _UAPI_LINUX_MX_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* Bumped on any incompatible change; libmx refuses a module that differs. */
#define MX_ABI_VERSION		4

#define MX_IOC_MAGIC		0xB6

/*
 * The Magenta constants below are part of the ABI: the module returns and
 * checks these values. Names and values are Magenta's (2017-06).
 */

/* Status codes (mx_status_t) */
#define MX_OK			0
#define MX_ERR_INTERNAL		(-1)
#define MX_ERR_NOT_SUPPORTED	(-2)
#define MX_ERR_NO_RESOURCES	(-3)
#define MX_ERR_NO_MEMORY	(-4)
#define MX_ERR_CALL_FAILED	(-5)
#define MX_ERR_INTERRUPTED_RETRY (-6)
#define MX_ERR_INVALID_ARGS	(-10)
#define MX_ERR_BAD_HANDLE	(-11)
#define MX_ERR_WRONG_TYPE	(-12)
#define MX_ERR_BAD_SYSCALL	(-13)
#define MX_ERR_OUT_OF_RANGE	(-14)
#define MX_ERR_BUFFER_TOO_SMALL	(-15)
#define MX_ERR_BAD_STATE	(-20)
#define MX_ERR_TIMED_OUT	(-21)
#define MX_ERR_SHOULD_WAIT	(-22)
#define MX_ERR_CANCELED		(-23)
#define MX_ERR_PEER_CLOSED	(-24)
#define MX_ERR_NOT_FOUND	(-25)
#define MX_ERR_ALREADY_EXISTS	(-26)
#define MX_ERR_ALREADY_BOUND	(-27)
#define MX_ERR_UNAVAILABLE	(-28)
#define MX_ERR_ACCESS_DENIED	(-30)
#define MX_ERR_IO		(-40)
#define MX_ERR_IO_REFUSED	(-41)
#define MX_ERR_IO_DATA_INTEGRITY (-42)
#define MX_ERR_IO_DATA_LOSS	(-43)
#define MX_ERR_IO_NOT_PRESENT	(-44)
#define MX_ERR_IO_OVERRUN	(-45)
#define MX_ERR_IO_MISSED_DEADLINE (-46)
#define MX_ERR_BAD_PATH		(-50)
#define MX_ERR_NOT_DIR		(-51)
#define MX_ERR_NOT_FILE		(-52)
#define MX_ERR_FILE_BIG		(-53)
#define MX_ERR_NO_SPACE		(-54)
#define MX_ERR_STOP		(-60)
#define MX_ERR_NEXT		(-61)

#define MX_HANDLE_INVALID	0
#define MX_TIME_INFINITE	(~0ULL)
#define MX_KOID_INVALID		0ULL
#define MX_KOID_KERNEL		1ULL
#define MX_MAX_NAME_LEN		32

/* Rights (mx_rights_t) */
#define MX_RIGHT_NONE		0x00000000u
#define MX_RIGHT_DUPLICATE	0x00000001u
#define MX_RIGHT_TRANSFER	0x00000002u
#define MX_RIGHT_READ		0x00000004u
#define MX_RIGHT_WRITE		0x00000008u
#define MX_RIGHT_EXECUTE	0x00000010u
#define MX_RIGHT_MAP		0x00000020u
#define MX_RIGHT_GET_PROPERTY	0x00000040u
#define MX_RIGHT_SET_PROPERTY	0x00000080u
#define MX_RIGHT_ENUMERATE	0x00000100u
#define MX_RIGHT_DESTROY	0x00000200u
#define MX_RIGHT_SET_POLICY	0x00000400u
#define MX_RIGHT_GET_POLICY	0x00000800u
#define MX_RIGHT_SAME_RIGHTS	0x80000000u

/* Default rights of new handles, per object type */
#define MX_DEFAULT_CHANNEL_RIGHTS	0x0000000Eu
#define MX_DEFAULT_EVENT_RIGHTS		0x0000000Fu
#define MX_DEFAULT_EVENTPAIR_RIGHTS	0x0000000Fu
#define MX_DEFAULT_PORT_RIGHTS		0x0000000Fu
#define MX_DEFAULT_PROCESS_RIGHTS	0x000003CFu
#define MX_DEFAULT_THREAD_RIGHTS	0x000002CFu
#define MX_DEFAULT_JOB_RIGHTS		0x00000FCFu
#define MX_DEFAULT_VMO_RIGHTS		0x000000FFu

/* Signals (mx_signals_t) */
#define MX_SIGNAL_NONE		0x00000000u
#define MX_OBJECT_SIGNAL_0	0x00000001u
#define MX_OBJECT_SIGNAL_1	0x00000002u
#define MX_OBJECT_SIGNAL_2	0x00000004u
#define MX_OBJECT_SIGNAL_3	0x00000008u
#define MX_OBJECT_SIGNAL_4	0x00000010u
#define MX_OBJECT_SIGNAL_5	0x00000020u
#define MX_SIGNAL_LAST_HANDLE	0x00400000u
#define MX_SIGNAL_HANDLE_CLOSED	0x00800000u
#define MX_USER_SIGNAL_0	0x01000000u
#define MX_USER_SIGNAL_1	0x02000000u
#define MX_USER_SIGNAL_2	0x04000000u
#define MX_USER_SIGNAL_3	0x08000000u
#define MX_USER_SIGNAL_4	0x10000000u
#define MX_USER_SIGNAL_5	0x20000000u
#define MX_USER_SIGNAL_6	0x40000000u
#define MX_USER_SIGNAL_7	0x80000000u
#define MX_USER_SIGNAL_ALL	0xff000000u

#define MX_EVENT_SIGNALED	MX_OBJECT_SIGNAL_3
#define MX_EVENT_SIGNAL_MASK	(MX_USER_SIGNAL_ALL | MX_EVENT_SIGNALED)
#define MX_EPAIR_SIGNALED	MX_OBJECT_SIGNAL_3
#define MX_EPAIR_PEER_CLOSED	MX_OBJECT_SIGNAL_2
#define MX_EPAIR_SIGNAL_MASK	(MX_USER_SIGNAL_ALL | MX_EPAIR_SIGNALED | \
				 MX_EPAIR_PEER_CLOSED)
#define MX_CHANNEL_READABLE	MX_OBJECT_SIGNAL_0
#define MX_CHANNEL_WRITABLE	MX_OBJECT_SIGNAL_1
#define MX_CHANNEL_PEER_CLOSED	MX_OBJECT_SIGNAL_2
#define MX_TASK_TERMINATED	MX_OBJECT_SIGNAL_3
#define MX_PROCESS_TERMINATED	MX_TASK_TERMINATED
#define MX_THREAD_TERMINATED	MX_TASK_TERMINATED
#define MX_THREAD_SUSPENDED	MX_OBJECT_SIGNAL_5
#define MX_JOB_NO_PROCESSES	MX_OBJECT_SIGNAL_3
#define MX_JOB_NO_JOBS		MX_OBJECT_SIGNAL_4
#define MX_PORT_READABLE	MX_OBJECT_SIGNAL_0
#define MX_SOCKET_READABLE	MX_OBJECT_SIGNAL_0
#define MX_SOCKET_WRITABLE	MX_OBJECT_SIGNAL_1
#define MX_SOCKET_PEER_CLOSED	MX_OBJECT_SIGNAL_2
#define MX_FIFO_READABLE	MX_OBJECT_SIGNAL_0
#define MX_FIFO_WRITABLE	MX_OBJECT_SIGNAL_1
#define MX_FIFO_PEER_CLOSED	MX_OBJECT_SIGNAL_2
#define MX_TIMER_SIGNALED	MX_OBJECT_SIGNAL_3

/* Object types (mx_obj_type_t) */
#define MX_OBJ_TYPE_NONE	0
#define MX_OBJ_TYPE_PROCESS	1
#define MX_OBJ_TYPE_THREAD	2
#define MX_OBJ_TYPE_VMO		3
#define MX_OBJ_TYPE_CHANNEL	4
#define MX_OBJ_TYPE_EVENT	5
#define MX_OBJ_TYPE_IOPORT	6
#define MX_OBJ_TYPE_INTERRUPT	9
#define MX_OBJ_TYPE_IOMAP	10
#define MX_OBJ_TYPE_PCI_DEVICE	11
#define MX_OBJ_TYPE_LOG		12
#define MX_OBJ_TYPE_SOCKET	14
#define MX_OBJ_TYPE_RESOURCE	15
#define MX_OBJ_TYPE_EVENT_PAIR	16
#define MX_OBJ_TYPE_JOB		17
#define MX_OBJ_TYPE_VMAR	18
#define MX_OBJ_TYPE_FIFO	19
#define MX_OBJ_TYPE_IOPORT2	20
#define MX_OBJ_TYPE_HYPERVISOR	21
#define MX_OBJ_TYPE_GUEST	22
#define MX_OBJ_TYPE_TIMER	23
#define MX_OBJ_TYPE_PORT	MX_OBJ_TYPE_IOPORT2
#define MX_OBJ_TYPE_LAST	24

#define MX_OBJ_PROP_NONE	0
#define MX_OBJ_PROP_WAITABLE	1

/* mx_object_get_info topics */
#define MX_INFO_NONE		0
#define MX_INFO_HANDLE_VALID	1
#define MX_INFO_HANDLE_BASIC	2
#define MX_INFO_PROCESS		3
#define MX_INFO_PROCESS_THREADS	4
#define MX_INFO_VMAR		7
#define MX_INFO_JOB_CHILDREN	8
#define MX_INFO_JOB_PROCESSES	9
#define MX_INFO_THREAD		10
#define MX_INFO_PROCESS_MAPS	13
#define MX_INFO_PROCESS_VMOS	14
#define MX_INFO_THREAD_STATS	15
/* Beyond Magenta: a process's handles, as struct mx_debug_handle records */
#define MX_INFO_HANDLE_TABLE	256

/* Properties */
#define MX_PROP_NUM_STATE_KINDS	2
#define MX_PROP_NAME		3

/* Clocks */
#define MX_CLOCK_MONOTONIC	0
#define MX_CLOCK_UTC		1
#define MX_CLOCK_THREAD		2

/* Channel limits and options */
#define MX_CHANNEL_MAX_MSG_BYTES	65536u
#define MX_CHANNEL_MAX_MSG_HANDLES	64u
#define MX_CHANNEL_READ_MAY_DISCARD	1u

/* VMOs: mx_vmo_op_range() operations, clone options, cache policies */
#define MX_VMO_OP_COMMIT		1u
#define MX_VMO_OP_DECOMMIT		2u
#define MX_VMO_OP_LOCK			3u
#define MX_VMO_OP_UNLOCK		4u
#define MX_VMO_OP_LOOKUP		5u
#define MX_VMO_OP_CACHE_SYNC		6u
#define MX_VMO_OP_CACHE_INVALIDATE	7u
#define MX_VMO_OP_CACHE_CLEAN		8u
#define MX_VMO_OP_CACHE_CLEAN_INVALIDATE 9u
#define MX_VMO_CLONE_COPY_ON_WRITE	1u
#define MX_CACHE_POLICY_CACHED		0u
#define MX_CACHE_POLICY_UNCACHED	1u
#define MX_CACHE_POLICY_UNCACHED_DEVICE	2u
#define MX_CACHE_POLICY_WRITE_COMBINING	3u
#define MX_CACHE_POLICY_MASK		3u
/* VMARs: flags of mx_vmar_allocate(), mx_vmar_map() and mx_vmar_protect() */
#define MX_VM_FLAG_PERM_READ		0x001u
#define MX_VM_FLAG_PERM_WRITE		0x002u
#define MX_VM_FLAG_PERM_EXECUTE		0x004u
#define MX_VM_FLAG_COMPACT		0x008u
#define MX_VM_FLAG_SPECIFIC		0x010u
#define MX_VM_FLAG_SPECIFIC_OVERWRITE	0x020u
#define MX_VM_FLAG_CAN_MAP_SPECIFIC	0x040u
#define MX_VM_FLAG_CAN_MAP_READ		0x080u
#define MX_VM_FLAG_CAN_MAP_WRITE	0x100u
#define MX_VM_FLAG_CAN_MAP_EXECUTE	0x200u
#define MX_VM_FLAG_MAP_RANGE		0x400u

/* The largest size of a VMO: UINT64_MAX rounded down to a 4 KiB page */
#define MX_VMO_MAX_SIZE			0xFFFFFFFFFFFFF000ull

/* Most items one mx_object_wait_many may wait on */
#define MX_WAIT_MANY_MAX_ITEMS	1024u

/* mx_wait_item_t: 12 bytes, as Magenta */
struct mx_wait_item {
	__s32 handle;
	__u32 waitfor;
	__u32 pending;
};

/* Ports (v2 only) and asynchronous waits */
#define MX_PORT_OPT_V2			1u
#define MX_WAIT_ASYNC_ONCE		0u
#define MX_WAIT_ASYNC_REPEATING		1u
#define MX_PKT_TYPE_USER		0u
#define MX_PKT_TYPE_SIGNAL_ONE		1u
#define MX_PKT_TYPE_SIGNAL_REP		2u

/* mx_packet_user_t: 32 bytes of payload */
union mx_packet_user {
	__u64 u64[4];
	__u32 u32[8];
	__u16 u16[16];
	__u8 c8[32];
};

/* mx_packet_signal_t */
struct mx_packet_signal {
	__u32 trigger;
	__u32 observed;
	__u64 count;
};

/* mx_port_packet_t: 48 bytes, as Magenta */
struct mx_port_packet {
	__u64 key;
	__u32 type;
	__s32 status;

	/* Anonymous, as Magenta; __extension__ keeps -pedantic C99 quiet. */
	__extension__ union {
		union mx_packet_user user;
		struct mx_packet_signal signal;
	};
};

/* mx_info_handle_basic_t: 32 bytes, as Magenta (tail padding named) */
struct mx_info_handle_basic {
	__u64 koid;
	__u32 rights;
	__u32 type;
	__u64 related_koid;
	__u32 props;
	__u32 reserved;
};

/* mx_info_process_t: 8 bytes, as Magenta (bools as bytes) */
struct mx_info_process {
	__s32 return_code;
	__u8 started;
	__u8 exited;
	__u8 debugger_attached;
	__u8 reserved;
};

/* mx_info_vmo_t flags */
#define MX_INFO_VMO_TYPE_PHYSICAL	0u
#define MX_INFO_VMO_TYPE_PAGED		(1u << 0)
#define MX_INFO_VMO_IS_COW_CLONE	(1u << 2)
#define MX_INFO_VMO_VIA_HANDLE		(1u << 3)
#define MX_INFO_VMO_VIA_MAPPING		(1u << 4)

/* mx_info_vmo_t: 104 bytes, as Magenta (padding named) */
struct mx_info_vmo {
	__u64 koid;
	char name[MX_MAX_NAME_LEN];
	__u64 size_bytes;
	__u64 parent_koid;
	__u64 num_children;
	__u64 num_mappings;
	__u64 share_count;
	__u32 flags;
	__u32 pad0;
	__u64 committed_bytes;
	__u32 handle_rights;
	__u32 pad1;
};

/* mx_info_maps_t types */
#define MX_INFO_MAPS_TYPE_NONE		0u
#define MX_INFO_MAPS_TYPE_ASPACE	1u
#define MX_INFO_MAPS_TYPE_VMAR		2u
#define MX_INFO_MAPS_TYPE_MAPPING	3u

/* mx_info_maps_mapping_t: 24 bytes */
struct mx_info_maps_mapping {
	__u32 mmu_flags;
	__u32 pad0;
	__u64 vmo_koid;
	__u64 committed_pages;
};

/* What an mx_info_maps_t record says of its kind (MX_INFO_MAPS_TYPE_*) */
union mx_info_maps_u {
	struct mx_info_maps_mapping mapping;
	__u8 raw[24];
};

/* mx_info_maps_t: 88 bytes, one per MX_INFO_PROCESS_MAPS record */
struct mx_info_maps {
	char name[MX_MAX_NAME_LEN];
	__u64 base;
	__u64 size;
	__u64 depth;
	__u32 type;
	__u32 pad0;
	union mx_info_maps_u u;
};

/* mx_info_thread_stats_t: 8 bytes */
struct mx_info_thread_stats {
	__u64 total_runtime;
};

/* mx_info_thread_t: 8 bytes */
struct mx_info_thread {
	__u32 state;
	__u32 wait_exception_port_type;
};

#define MX_THREAD_STATE_NEW		0
#define MX_THREAD_STATE_RUNNING		1
#define MX_THREAD_STATE_SUSPENDED	2
#define MX_THREAD_STATE_BLOCKED		3
#define MX_THREAD_STATE_DYING		4
#define MX_THREAD_STATE_DEAD		5

/**
 * struct mx_ioc_version - MX_IOC_VERSION
 * @abi_version: out: MX_ABI_VERSION of the module
 * @max_handles: out: the per-process handle limit in force
 */
struct mx_ioc_version {
	__u32 abi_version;
	__u32 max_handles;
};

/* mx_handle_duplicate, mx_handle_replace */
struct mx_ioc_handle_dup {
	__s32 handle;
	__u32 rights;
	__u64 out;		/* mx_handle_t * */
};

/* mx_event_create, mx_eventpair_create, mx_channel_create */
struct mx_ioc_create {
	__u32 options;
	__u32 pad;
	__u64 out0;		/* mx_handle_t * */
	__u64 out1;		/* mx_handle_t *, unused for events */
};

/* mx_object_signal, mx_object_signal_peer */
struct mx_ioc_signal {
	__s32 handle;
	__u32 clear_mask;
	__u32 set_mask;
	__u32 pad;
};

/* mx_object_wait_one */
struct mx_ioc_wait_one {
	__s32 handle;
	__u32 signals;
	__u64 deadline;
	__u64 observed;		/* mx_signals_t *, may be 0 */
};

/* mx_object_wait_many */
struct mx_ioc_wait_many {
	__u64 items;		/* mx_wait_item_t * */
	__u32 count;
	__u32 pad;
	__u64 deadline;
};

/*
 * mx_object_get_info. @actual and @avail point to size_t: 8 bytes for a
 * 64-bit caller, 4 bytes for a 32-bit (compat) caller.
 */
struct mx_ioc_get_info {
	__s32 handle;
	__u32 topic;
	__u64 buffer;
	__u64 buffer_size;
	__u64 actual;
	__u64 avail;
};

/* mx_object_get_property, mx_object_set_property */
struct mx_ioc_property {
	__s32 handle;
	__u32 property;
	__u64 value;
	__u64 size;
};

/**
 * struct mx_ioc_self - MX_IOC_PROCESS_SELF
 * @process: out: the handle the calling process holds to itself
 * @job: out: the handle the calling process holds to its job
 *
 * The first call of a thread group attaches it to mx (an ambient process)
 * and installs both handles; later calls return the same values.
 */
struct mx_ioc_self {
	__s32 process;
	__s32 job;
};

/* mx_channel_write */
struct mx_ioc_channel_write {
	__s32 handle;
	__u32 options;
	__u64 bytes;
	__u64 handles;		/* const mx_handle_t * */
	__u32 num_bytes;
	__u32 num_handles;
};

/* mx_channel_read */
struct mx_ioc_channel_read {
	__s32 handle;
	__u32 options;
	__u64 bytes;
	__u64 handles;		/* mx_handle_t * */
	__u32 num_bytes;
	__u32 num_handles;
	__u64 actual_bytes;	/* __u32 *, may be 0 */
	__u64 actual_handles;	/* __u32 *, may be 0 */
};

/**
 * struct mx_ioc_call_args - mx_channel_call_args_t as a 64-bit caller lays
 *	it out (a 32-bit caller's has 32-bit pointers)
 * @wr_bytes: const void *: the request's bytes
 * @wr_handles: const mx_handle_t *: the handles it sends
 * @rd_bytes: void *: room for the reply's bytes
 * @rd_handles: mx_handle_t *: room for its handles
 * @wr_num_bytes: size of the request
 * @wr_num_handles: handles it sends
 * @rd_num_bytes: room in @rd_bytes
 * @rd_num_handles: room in @rd_handles, in handles
 */
struct mx_ioc_call_args {
	__u64 wr_bytes;
	__u64 wr_handles;
	__u64 rd_bytes;
	__u64 rd_handles;
	__u32 wr_num_bytes;
	__u32 wr_num_handles;
	__u32 rd_num_bytes;
	__u32 rd_num_handles;
};

/**
 * struct mx_ioc_channel_call - MX_IOC_CHANNEL_CALL: mx_channel_call
 * @handle: the channel endpoint
 * @options: must be 0
 * @deadline: absolute CLOCK_MONOTONIC deadline for the reply
 * @args: const mx_channel_call_args_t *
 * @actual_bytes: out: __u32 *, the reply's size
 * @actual_handles: out: __u32 *, its handle count
 * @read_status: out: mx_status_t *, may be 0: why the call failed after
 *	the request was sent (MX_ERR_CALL_FAILED)
 *
 * A signal handler that interrupts the call does not end it: the ioctl
 * restarted with the same arguments from the same place goes on waiting
 * for the reply and does not send the request again.
 */
struct mx_ioc_channel_call {
	__s32 handle;
	__u32 options;
	__u64 deadline;
	__u64 args;
	__u64 actual_bytes;
	__u64 actual_handles;
	__u64 read_status;
};

/**
 * struct mx_ioc_handle_fd - MX_IOC_HANDLE_TO_FD, MX_IOC_HANDLE_FROM_FD
 * @handle: to_fd: the handle to move into a new fd
 * @fd_in: from_fd: the fd to take the handle from
 * @flags: to_fd: 0 or O_CLOEXEC; from_fd: 0
 * @pad: must be 0
 * @fd: out: to_fd: int * for the new fd; from_fd: mx_handle_t * for the
 *	handle
 */
struct mx_ioc_handle_fd {
	__s32 handle;
	__s32 fd_in;
	__u32 flags;
	__u32 pad;
	__u64 fd;
};

/**
 * struct mx_ioc_port_queue - MX_IOC_PORT_QUEUE
 * @handle: the port
 * @pad: must be 0
 * @packet: const mx_port_packet_t *
 * @size: must be 0 (v2 ports)
 */
struct mx_ioc_port_queue {
	__s32 handle;
	__u32 pad;
	__u64 packet;
	__u64 size;
};

/**
 * struct mx_ioc_port_wait - MX_IOC_PORT_WAIT
 * @handle: the port
 * @pad: must be 0
 * @deadline: absolute CLOCK_MONOTONIC deadline
 * @packet: mx_port_packet_t * to fill
 * @size: must be 0 (v2 ports)
 */
struct mx_ioc_port_wait {
	__s32 handle;
	__u32 pad;
	__u64 deadline;
	__u64 packet;
	__u64 size;
};

/**
 * struct mx_ioc_wait_async - MX_IOC_OBJECT_WAIT_ASYNC
 * @handle: the object to watch
 * @port: the port that receives the packets
 * @key: copied into every packet
 * @signals: the trigger
 * @options: MX_WAIT_ASYNC_ONCE or (any other value) _REPEATING
 */
struct mx_ioc_wait_async {
	__s32 handle;
	__s32 port;
	__u64 key;
	__u32 signals;
	__u32 options;
};

/**
 * struct mx_ioc_port_cancel - MX_IOC_PORT_CANCEL
 * @port: the port
 * @source: the handle the registrations were made through
 * @key: their key
 */
struct mx_ioc_port_cancel {
	__s32 port;
	__s32 source;
	__u64 key;
};

/**
 * struct mx_ioc_waitfd - MX_IOC_WAITFD_CREATE
 * @handle: a waitable object, or a port
 * @signals: the signals that make the fd readable (MX_PORT_READABLE for
 *	a port)
 * @flags: 0, O_CLOEXEC, O_NONBLOCK
 * @pad: must be 0
 * @fd: out: int * for the new fd
 */
struct mx_ioc_waitfd {
	__s32 handle;
	__u32 signals;
	__u32 flags;
	__u32 pad;
	__u64 fd;
};

/*
 * Debugger access to another process's handles (beyond Magenta).
 *
 * The target is named either by a process handle (@process; MX_RIGHT_ENUMERATE
 * to list, MX_RIGHT_ENUMERATE | MX_RIGHT_DESTROY to copy), or, with @process
 * MX_HANDLE_INVALID, by @pid (a thread group in the caller's pid namespace)
 * for a caller with CAP_SYS_PTRACE in the target's user namespace.
 */

/* struct mx_debug_handle.flags */
#define MX_DEBUG_HANDLE_IN_TRANSIT	1u

/**
 * struct mx_debug_handle - one handle of a listed process
 * @value: the handle's value in the target's table; for a handle in
 *	transit, the value of the target's handle to the channel endpoint
 *	in whose queue it waits
 * @flags: 0 for a handle in the table, MX_DEBUG_HANDLE_IN_TRANSIT for one
 *	inside a message queued at an endpoint the target holds
 * @koid: the object's koid
 * @related_koid: as MX_INFO_HANDLE_BASIC (a channel's peer, ...), or 0
 * @type: MX_OBJ_TYPE_*
 * @rights: the handle's rights
 * @queued_msgs: in the table: messages queued at a channel endpoint (0 for
 *	other types); in transit: the position of its message in the queue
 *	(0 for the front)
 * @queued_handles: in the table: handles in transit in those messages; in
 *	transit: 0
 */
struct mx_debug_handle {
	__s32 value;
	__u32 flags;
	__u64 koid;
	__u64 related_koid;
	__u32 type;
	__u32 rights;
	__u32 queued_msgs;
	__u32 queued_handles;
};

/**
 * struct mx_debug_process - the listed process itself
 * @koid: its koid
 * @pid: its thread group id in the caller's pid namespace (0 if none)
 * @handles: handles in its table
 * @in_transit: handles in messages queued at endpoints it holds
 * @dead: 1 once it has exited (its table is then empty)
 * @name: MX_PROP_NAME
 */
struct mx_debug_process {
	__u64 koid;
	__s32 pid;
	__u32 handles;
	__u32 in_transit;
	__u32 dead;
	char name[MX_MAX_NAME_LEN];
};

/**
 * struct mx_ioc_debug_list - MX_IOC_DEBUG_LIST_HANDLES
 * @process: a process handle, or MX_HANDLE_INVALID to use @pid
 * @pid: with @process MX_HANDLE_INVALID: the target's pid
 * @options: must be 0
 * @count: room in @buffer, in records
 * @buffer: struct mx_debug_handle[@count]: the table, then what is in transit
 * @info: struct mx_debug_process *, may be 0
 * @actual: __u32 *, may be 0: records written
 * @avail: __u32 *, may be 0: records there were
 */
struct mx_ioc_debug_list {
	__s32 process;
	__s32 pid;
	__u32 options;
	__u32 count;
	__u64 buffer;
	__u64 info;
	__u64 actual;
	__u64 avail;
};

/**
 * struct mx_ioc_debug_copy - MX_IOC_DEBUG_COPY_HANDLE
 * @process: a process handle, or MX_HANDLE_INVALID to use @pid
 * @pid: with @process MX_HANDLE_INVALID: the target's pid
 * @handle: a handle value in the target's table
 * @rights: the copy's rights: MX_RIGHT_SAME_RIGHTS or a subset of @handle's
 * @options: must be 0
 * @pad: must be 0
 * @out: mx_handle_t *: the copy's value in the caller's table
 */
struct mx_ioc_debug_copy {
	__s32 process;
	__s32 pid;
	__s32 handle;
	__u32 rights;
	__u32 options;
	__u32 pad;
	__u64 out;
};

/**
 * struct mx_ioc_thread_self - MX_IOC_THREAD_SELF
 * @thread: out: the handle the calling process holds to the calling thread
 * @pad: must be 0
 *
 * The first call of a thread makes its thread object (an "ambient" thread,
 * unless mx_thread_start() made it) and the handle; later calls return the
 * same value. The module closes that handle when the thread ends.
 */
struct mx_ioc_thread_self {
	__s32 thread;
	__u32 pad;
};

/**
 * struct mx_ioc_task_create - MX_IOC_PROCESS_CREATE, MX_IOC_THREAD_CREATE
 * @parent: the job (process_create) or the process (thread_create)
 * @options: must be 0
 * @name: const char *, @name_len bytes (cut to MX_MAX_NAME_LEN - 1)
 * @name_len: length of @name
 * @pad: must be 0
 * @out: mx_handle_t * for the new process or thread
 * @out_vmar: process_create: mx_handle_t * for the new process's root
 *	VMAR, or 0 for none; thread_create: must be 0
 */
struct mx_ioc_task_create {
	__s32 parent;
	__u32 options;
	__u64 name;
	__u32 name_len;
	__u32 pad;
	__u64 out;
	__u64 out_vmar;
};

/*
 * mx_thread_start() is two calls: the starting thread claims the thread
 * (@flags MX_THREAD_START_CLAIM: checked, it reads as started from then
 * on) and creates a Linux thread, which then binds itself to the thread
 * object by the same handle value (MX_THREAD_START_CLAIMED; the handle
 * need not exist any more). If no Linux thread can be made the claim is
 * given back (MX_THREAD_START_ABORT). @flags 0 only checks, and
 * MX_THREAD_START_BIND binds the calling thread to a thread not claimed.
 */
#define MX_THREAD_START_BIND	1u
#define MX_THREAD_START_CLAIM	4u
#define MX_THREAD_START_CLAIMED	8u
#define MX_THREAD_START_ABORT	16u

struct mx_ioc_thread_start {
	__s32 thread;
	__u32 flags;
};

/*
 * mx_process_start() and the launcher, in three steps (the module's
 * start.c): MX_IOC_PROCESS_START arms the start in the calling thread
 * (checks, takes @arg1, or with MX_PROCESS_START_LAUNCH @handles, out of
 * the caller's table and writes their values in the new process's table
 * to @out; a failure after the state check still consumes them, as in
 * Magenta); the next fork() of that thread takes the arm; the child's
 * first mx call, MX_IOC_PROCESS_CLAIM (no argument), binds the process
 * and its first thread to the child and places the handles. If fork()
 * fails, MX_IOC_PROCESS_START with MX_PROCESS_START_ABORT alone (every
 * other field 0) undoes the arm. An arm of a thread that exits or execs
 * first is undone; a child that exits before its claim ends the process.
 */
#define MX_PROCESS_START_LAUNCH	1u
#define MX_PROCESS_START_ABORT	2u
#define MX_LAUNCH_MAX_HANDLES	64u

/**
 * struct mx_ioc_process_start - MX_IOC_PROCESS_START
 * @process: the process, created by mx_process_create()
 * @thread: a thread created in @process
 * @arg1: mx_process_start's arg1; 0 with MX_PROCESS_START_LAUNCH
 * @reserved: 0
 * @handles: MX_PROCESS_START_LAUNCH: const mx_handle_t *, each needs
 *	MX_RIGHT_TRANSFER; else 0
 * @num_handles: how many, at most MX_LAUNCH_MAX_HANDLES
 * @flags: 0, MX_PROCESS_START_LAUNCH or MX_PROCESS_START_ABORT
 * @out: mx_handle_t * receiving the values in the new process's table,
 *	@arg1's first (if any), then @handles' in order
 */
struct mx_ioc_process_start {
	__s32 process;
	__s32 thread;
	__s32 arg1;
	__u32 reserved;
	__u64 handles;
	__u32 num_handles;
	__u32 flags;
	__u64 out;
};

/* mx_job_create */
struct mx_ioc_job_create {
	__s32 parent;
	__u32 options;
	__u64 out;		/* mx_handle_t * */
};

/* mx_vmo_create */
struct mx_ioc_vmo_create {
	__u64 size;
	__u32 options;
	__u32 pad;
	__u64 out;		/* mx_handle_t * */
};

/* mx_vmo_read, mx_vmo_write */
struct mx_ioc_vmo_rw {
	__s32 handle;
	__u32 pad;
	__u64 data;		/* void *: the buffer read into or written from */
	__u64 offset;
	__u64 len;
	__u64 actual;		/* size_t * */
};

/*
 * mx_vmo_get_size, mx_vmo_set_size: @size is the new size (set) or the
 * address of a __u64 the size is written to (get)
 */
struct mx_ioc_vmo_size {
	__s32 handle;
	__u32 pad;
	__u64 size;
};

/* mx_vmo_op_range */
struct mx_ioc_vmo_op_range {
	__s32 handle;
	__u32 op;
	__u64 offset;
	__u64 size;
	__u64 buffer;		/* void * */
	__u64 buffer_size;
};

/* mx_vmo_set_cache_policy */
struct mx_ioc_vmo_cache_policy {
	__s32 handle;
	__u32 cache_policy;
};

/* mx_vmo_clone */
struct mx_ioc_vmo_clone {
	__s32 handle;
	__u32 options;
	__u64 offset;
	__u64 size;
	__u64 out;		/* mx_handle_t * */
};

/* MX_INFO_VMAR: the range of a VMAR */
struct mx_info_vmar {
	__u64 base;
	__u64 len;
};

/* mx_vmar_root_self */
struct mx_ioc_vmar_root {
	__u64 out;		/* mx_handle_t * */
};

/* mx_vmar_allocate */
struct mx_ioc_vmar_allocate {
	__s32 parent;
	__u32 flags;
	__u64 offset;
	__u64 size;
	__u64 child_vmar;	/* mx_handle_t * */
	__u64 child_addr;	/* uintptr_t * */
};

/* mx_vmar_map */
struct mx_ioc_vmar_map {
	__s32 vmar;
	__s32 vmo;
	__u64 vmar_offset;
	__u64 vmo_offset;
	__u64 len;
	__u32 flags;
	__u32 pad;
	__u64 mapped_addr;	/* uintptr_t * */
};

/* mx_vmar_unmap (@flags must be 0), mx_vmar_protect (@flags the new ones) */
struct mx_ioc_vmar_range {
	__s32 vmar;
	__u32 flags;
	__u64 addr;
	__u64 len;
};

/*
 * mx_task_kill() on a thread (and closing the last handle of a started
 * thread) ends that thread alone: Linux has no way to kill one thread from
 * outside, so the module forces this signal on it and libmx's handler
 * makes the thread exit. libmx installs the handler on its first call.
 */
#define MX_THREAD_KILL_SIGNAL	64

/* Sockets: mx_socket_create() options, mx_socket_write() options */
#define MX_SOCKET_STREAM	0u
#define MX_SOCKET_DATAGRAM	1u
#define MX_SOCKET_HALF_CLOSE	1u

/* Fifos: the most elements, and bytes, of one endpoint's ring */
#define MX_FIFO_MAX_ELEMS	4096u
#define MX_FIFO_MAX_BYTES	4096u

/* Timers: the earliest deadline and the shortest period */
#define MX_TIMER_MIN_DEADLINE	1000ull
#define MX_TIMER_MIN_PERIOD	50000ull

/* mx_cprng_draw() and mx_cprng_add_entropy(): the most bytes per call */
#define MX_CPRNG_DRAW_MAX_LEN		256u
#define MX_CPRNG_ADD_ENTROPY_MAX_LEN	256u

/* mx_cache_flush() options */
#define MX_CACHE_FLUSH_INSN	1u
#define MX_CACHE_FLUSH_DATA	2u

/* ---- argument structs: sockets (socket.c, sys_socket.c) ---- */

/*
 * mx_socket_write, mx_socket_read: @size bytes at @buffer; the count
 * written or read goes to @actual (a size_t *) unless it is 0.
 * mx_socket_create takes struct mx_ioc_create.
 */
struct mx_ioc_socket_rw {
	__s32 handle;
	__u32 options;
	__u64 buffer;
	__u64 size;
	__u64 actual;
};

/* ---- argument structs: fifos (fifo.c) ---- */
#define MX_DEFAULT_FIFO_RIGHTS		0x0000000Fu

/* mx_fifo_create */
struct mx_ioc_fifo_create {
	__u32 elem_count;
	__u32 elem_size;
	__u32 options;		/* ignored, as Magenta */
	__u32 pad;
	__u64 out0;		/* mx_handle_t * */
	__u64 out1;		/* mx_handle_t * */
};

/* mx_fifo_write, mx_fifo_read */
struct mx_ioc_fifo_rw {
	__s32 handle;
	__u32 pad;
	__u64 data;		/* the elements */
	__u64 len;		/* bytes */
	__u64 actual;		/* uint32_t *: elements moved (mandatory) */
};

/* ---- argument structs: timers (timer.c) ---- */
#define MX_DEFAULT_TIMER_RIGHTS		0x0000000Fu

/* mx_timer_create */
struct mx_ioc_timer_create {
	__u32 options;
	__u32 clock_id;
	__u64 out;		/* mx_handle_t * */
};

/* mx_timer_start */
struct mx_ioc_timer_start {
	__s32 handle;
	__u32 pad;
	__u64 deadline;		/* absolute, MX_CLOCK_MONOTONIC ns */
	__u64 period;		/* ns, 0: one-shot */
	__u64 slack;		/* ns the timer may fire late */
};

/* ---- argument structs: cookies, the CPRNG, the system ---- */

/*
 * mx_object_set_cookie() / mx_object_get_cookie(): @cookie is the value
 * for a set, the address of the value for a get.
 */
struct mx_ioc_cookie {
	__s32 handle;
	__s32 scope;
	__u64 cookie;
};

/* mx_cprng_draw() / mx_cprng_add_entropy() (@actual 0 for the latter) */
struct mx_ioc_cprng {
	__u64 buffer;
	__u64 len;
	__u64 actual;	/* address of a size_t */
};

/* MX_IOC_TICKS_INFO: the TSC's rate when user mode may use it, else 0 */
struct mx_ioc_ticks_info {
	__u64 tsc_hz;
};

/**
 * struct mx_ioc_get_child - mx_object_get_child()
 * @handle: the parent (a job or a process), or MX_HANDLE_INVALID
 * @rights: the rights wanted, or MX_RIGHT_SAME_RIGHTS
 * @koid: the child's koid
 * @out: mx_handle_t * for the new handle
 */
struct mx_ioc_get_child {
	__s32 handle;
	__u32 rights;
	__u64 koid;
	__u64 out;
};

/**
 * struct mx_ioc_process_memory - mx_process_read_memory() and
 *	mx_process_write_memory()
 * @process: the process
 * @pad: must be 0
 * @vaddr: the address in it
 * @buffer: the caller's buffer
 * @len: how many bytes
 * @actual: size_t * for how many were copied
 */
struct mx_ioc_process_memory {
	__s32 process;
	__u32 pad;
	__u64 vaddr;
	__u64 buffer;
	__u64 len;
	__u64 actual;
};

/* mx_task_resume() options */
#define MX_RESUME_EXCEPTION	1u
#define MX_RESUME_TRY_NEXT	2u
#define MX_RESUME_NOT_HANDLED	MX_RESUME_TRY_NEXT

/**
 * struct mx_ioc_task_resume - mx_task_resume()
 * @handle: the thread
 * @options: 0, or MX_RESUME_EXCEPTION (| MX_RESUME_TRY_NEXT)
 */
struct mx_ioc_task_resume {
	__s32 handle;
	__u32 options;
};

/* The commands, in the order of their numbers (34 to 39 are unused). */
#define MX_IOC_VERSION		_IOR(MX_IOC_MAGIC, 0, struct mx_ioc_version)
/* the argument is the handle value itself */
#define MX_IOC_HANDLE_CLOSE	_IO(MX_IOC_MAGIC, 1)
#define MX_IOC_HANDLE_DUPLICATE	_IOW(MX_IOC_MAGIC, 2, struct mx_ioc_handle_dup)
#define MX_IOC_HANDLE_REPLACE	_IOW(MX_IOC_MAGIC, 3, struct mx_ioc_handle_dup)
#define MX_IOC_EVENT_CREATE	_IOW(MX_IOC_MAGIC, 4, struct mx_ioc_create)
#define MX_IOC_EVENTPAIR_CREATE	_IOW(MX_IOC_MAGIC, 5, struct mx_ioc_create)
#define MX_IOC_OBJECT_SIGNAL	_IOW(MX_IOC_MAGIC, 6, struct mx_ioc_signal)
#define MX_IOC_OBJECT_SIGNAL_PEER _IOW(MX_IOC_MAGIC, 7, struct mx_ioc_signal)
#define MX_IOC_OBJECT_WAIT_ONE	_IOW(MX_IOC_MAGIC, 8, struct mx_ioc_wait_one)
#define MX_IOC_OBJECT_WAIT_MANY	_IOW(MX_IOC_MAGIC, 9, struct mx_ioc_wait_many)
#define MX_IOC_OBJECT_GET_INFO	_IOW(MX_IOC_MAGIC, 10, struct mx_ioc_get_info)
#define MX_IOC_OBJECT_GET_PROPERTY _IOW(MX_IOC_MAGIC, 11, struct mx_ioc_property)
#define MX_IOC_OBJECT_SET_PROPERTY _IOW(MX_IOC_MAGIC, 12, struct mx_ioc_property)
#define MX_IOC_PROCESS_SELF	_IOR(MX_IOC_MAGIC, 13, struct mx_ioc_self)
#define MX_IOC_CHANNEL_CREATE	_IOW(MX_IOC_MAGIC, 14, struct mx_ioc_create)
#define MX_IOC_CHANNEL_WRITE	_IOW(MX_IOC_MAGIC, 15, struct mx_ioc_channel_write)
#define MX_IOC_CHANNEL_READ	_IOW(MX_IOC_MAGIC, 16, struct mx_ioc_channel_read)
#define MX_IOC_HANDLE_TO_FD	_IOW(MX_IOC_MAGIC, 17, struct mx_ioc_handle_fd)
#define MX_IOC_HANDLE_FROM_FD	_IOW(MX_IOC_MAGIC, 18, struct mx_ioc_handle_fd)
#define MX_IOC_CHANNEL_CALL	_IOW(MX_IOC_MAGIC, 19, struct mx_ioc_channel_call)
#define MX_IOC_THREAD_SELF	_IOR(MX_IOC_MAGIC, 20, struct mx_ioc_thread_self)
#define MX_IOC_THREAD_CREATE	_IOW(MX_IOC_MAGIC, 21, struct mx_ioc_task_create)
#define MX_IOC_THREAD_START	_IOW(MX_IOC_MAGIC, 22, struct mx_ioc_thread_start)
/* the argument is the handle value itself */
#define MX_IOC_TASK_KILL	_IO(MX_IOC_MAGIC, 23)
#define MX_IOC_PROCESS_CREATE	_IOW(MX_IOC_MAGIC, 24, struct mx_ioc_task_create)
#define MX_IOC_PROCESS_START	_IOW(MX_IOC_MAGIC, 25, struct mx_ioc_process_start)
/* the argument is the return code (an int) */
#define MX_IOC_PROCESS_EXIT	_IO(MX_IOC_MAGIC, 26)
#define MX_IOC_JOB_CREATE	_IOW(MX_IOC_MAGIC, 27, struct mx_ioc_job_create)
#define MX_IOC_PROCESS_CLAIM	_IO(MX_IOC_MAGIC, 28)
#define MX_IOC_OBJECT_GET_CHILD	_IOW(MX_IOC_MAGIC, 29, struct mx_ioc_get_child)
#define MX_IOC_PROCESS_READ_MEMORY _IOW(MX_IOC_MAGIC, 30, struct mx_ioc_process_memory)
#define MX_IOC_PROCESS_WRITE_MEMORY _IOW(MX_IOC_MAGIC, 31, struct mx_ioc_process_memory)
/* the argument is the handle value itself */
#define MX_IOC_TASK_SUSPEND	_IO(MX_IOC_MAGIC, 32)
#define MX_IOC_TASK_RESUME	_IOW(MX_IOC_MAGIC, 33, struct mx_ioc_task_resume)
#define MX_IOC_PORT_CREATE	_IOW(MX_IOC_MAGIC, 40, struct mx_ioc_create)
#define MX_IOC_PORT_QUEUE	_IOW(MX_IOC_MAGIC, 41, struct mx_ioc_port_queue)
#define MX_IOC_PORT_WAIT	_IOW(MX_IOC_MAGIC, 42, struct mx_ioc_port_wait)
#define MX_IOC_PORT_CANCEL	_IOW(MX_IOC_MAGIC, 43, struct mx_ioc_port_cancel)
#define MX_IOC_OBJECT_WAIT_ASYNC _IOW(MX_IOC_MAGIC, 44, struct mx_ioc_wait_async)
#define MX_IOC_WAITFD_CREATE	_IOW(MX_IOC_MAGIC, 45, struct mx_ioc_waitfd)
#define MX_IOC_DEBUG_LIST_HANDLES _IOW(MX_IOC_MAGIC, 46, struct mx_ioc_debug_list)
#define MX_IOC_DEBUG_COPY_HANDLE _IOW(MX_IOC_MAGIC, 47, struct mx_ioc_debug_copy)
#define MX_IOC_VMO_CREATE	_IOW(MX_IOC_MAGIC, 48, struct mx_ioc_vmo_create)
#define MX_IOC_VMO_READ		_IOW(MX_IOC_MAGIC, 49, struct mx_ioc_vmo_rw)
#define MX_IOC_VMO_WRITE	_IOW(MX_IOC_MAGIC, 50, struct mx_ioc_vmo_rw)
#define MX_IOC_VMO_GET_SIZE	_IOW(MX_IOC_MAGIC, 51, struct mx_ioc_vmo_size)
#define MX_IOC_VMO_SET_SIZE	_IOW(MX_IOC_MAGIC, 52, struct mx_ioc_vmo_size)
#define MX_IOC_VMO_OP_RANGE	_IOW(MX_IOC_MAGIC, 53, struct mx_ioc_vmo_op_range)
#define MX_IOC_VMO_SET_CACHE_POLICY _IOW(MX_IOC_MAGIC, 54, struct mx_ioc_vmo_cache_policy)
#define MX_IOC_VMO_CLONE	_IOW(MX_IOC_MAGIC, 55, struct mx_ioc_vmo_clone)
#define MX_IOC_VMAR_ROOT_SELF	_IOW(MX_IOC_MAGIC, 56, struct mx_ioc_vmar_root)
#define MX_IOC_VMAR_ALLOCATE	_IOW(MX_IOC_MAGIC, 57, struct mx_ioc_vmar_allocate)
#define MX_IOC_VMAR_MAP		_IOW(MX_IOC_MAGIC, 58, struct mx_ioc_vmar_map)
#define MX_IOC_VMAR_UNMAP	_IOW(MX_IOC_MAGIC, 59, struct mx_ioc_vmar_range)
#define MX_IOC_VMAR_PROTECT	_IOW(MX_IOC_MAGIC, 60, struct mx_ioc_vmar_range)
/* the argument is the handle value itself */
#define MX_IOC_VMAR_DESTROY	_IO(MX_IOC_MAGIC, 61)
/* sockets: 62 to 64 */
#define MX_IOC_SOCKET_CREATE	_IOW(MX_IOC_MAGIC, 62, struct mx_ioc_create)
#define MX_IOC_SOCKET_WRITE	_IOW(MX_IOC_MAGIC, 63, struct mx_ioc_socket_rw)
#define MX_IOC_SOCKET_READ	_IOW(MX_IOC_MAGIC, 64, struct mx_ioc_socket_rw)

/* fifos: 65 to 67 */
#define MX_IOC_FIFO_CREATE	_IOW(MX_IOC_MAGIC, 65, struct mx_ioc_fifo_create)
#define MX_IOC_FIFO_WRITE	_IOW(MX_IOC_MAGIC, 66, struct mx_ioc_fifo_rw)
#define MX_IOC_FIFO_READ	_IOW(MX_IOC_MAGIC, 67, struct mx_ioc_fifo_rw)

/* timers: 68 to 70 */
#define MX_IOC_TIMER_CREATE	_IOW(MX_IOC_MAGIC, 68, struct mx_ioc_timer_create)
#define MX_IOC_TIMER_START	_IOW(MX_IOC_MAGIC, 69, struct mx_ioc_timer_start)
/* the argument is the handle value itself */
#define MX_IOC_TIMER_CANCEL	_IO(MX_IOC_MAGIC, 70)

/* cookies: 74 and 75; the CPRNG: 76 and 77; the system: 78 and 79 */
#define MX_IOC_OBJECT_SET_COOKIE _IOW(MX_IOC_MAGIC, 74, struct mx_ioc_cookie)
#define MX_IOC_OBJECT_GET_COOKIE _IOW(MX_IOC_MAGIC, 75, struct mx_ioc_cookie)
#define MX_IOC_CPRNG_DRAW	_IOW(MX_IOC_MAGIC, 76, struct mx_ioc_cprng)
#define MX_IOC_CPRNG_ADD_ENTROPY _IOW(MX_IOC_MAGIC, 77, struct mx_ioc_cprng)
#define MX_IOC_TICKS_INFO	_IOR(MX_IOC_MAGIC, 78, struct mx_ioc_ticks_info)


#endif /* _UAPI_LINUX_MX_H */
