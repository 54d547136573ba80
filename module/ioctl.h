/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ioctl handlers, one per mx call. Each takes the calling process and
 * the ioctl argument, and returns 0 (MX_OK), a negative MX_ERR_* status, or
 * a negative errno the dispatcher passes on (-ERESTARTNOINTR).
 */
#ifndef MX_IOCTL_H
#define MX_IOCTL_H

#include <linux/compiler_types.h>

struct mx_process;

long mx_ioc_handle_close(struct mx_process *p, unsigned long arg);
long mx_ioc_handle_duplicate(struct mx_process *p, void __user *uarg);
long mx_ioc_handle_replace(struct mx_process *p, void __user *uarg);
long mx_ioc_event_create(struct mx_process *p, void __user *uarg);
long mx_ioc_eventpair_create(struct mx_process *p, void __user *uarg);
long mx_ioc_object_signal(struct mx_process *p, void __user *uarg);
long mx_ioc_object_signal_peer(struct mx_process *p, void __user *uarg);
long mx_ioc_wait_one(struct mx_process *p, void __user *uarg);
long mx_ioc_wait_many(struct mx_process *p, void __user *uarg);
long mx_ioc_get_info(struct mx_process *p, void __user *uarg);
long mx_ioc_get_property(struct mx_process *p, void __user *uarg);
long mx_ioc_set_property(struct mx_process *p, void __user *uarg);
long mx_ioc_process_self(struct mx_process *p, void __user *uarg);
long mx_ioc_channel_create(struct mx_process *p, void __user *uarg);
long mx_ioc_channel_write(struct mx_process *p, void __user *uarg);
long mx_ioc_channel_read(struct mx_process *p, void __user *uarg);
long mx_ioc_channel_call(struct mx_process *p, void __user *uarg);
long mx_ioc_handle_to_fd(struct mx_process *p, void __user *uarg);
long mx_ioc_handle_from_fd(struct mx_process *p, void __user *uarg);
long mx_ioc_port_create(struct mx_process *p, void __user *uarg);
long mx_ioc_port_queue(struct mx_process *p, void __user *uarg);
long mx_ioc_port_wait(struct mx_process *p, void __user *uarg);
long mx_ioc_port_cancel(struct mx_process *p, void __user *uarg);
long mx_ioc_wait_async(struct mx_process *p, void __user *uarg);
long mx_ioc_waitfd_create(struct mx_process *p, void __user *uarg);
long mx_ioc_debug_list_handles(struct mx_process *p, void __user *uarg);
long mx_ioc_debug_copy_handle(struct mx_process *p, void __user *uarg);
long mx_ioc_thread_self(struct mx_process *p, void __user *uarg);
long mx_ioc_thread_create(struct mx_process *p, void __user *uarg);
long mx_ioc_thread_start(struct mx_process *p, void __user *uarg);
long mx_ioc_task_kill(struct mx_process *p, unsigned long arg);
long mx_ioc_process_create(struct mx_process *p, void __user *uarg);
long mx_ioc_process_start(struct mx_process *p, void __user *uarg);
long mx_ioc_process_claim(struct mx_process *unattached, unsigned long arg);
long mx_ioc_process_exit(struct mx_process *p, unsigned long arg);
long mx_ioc_job_create(struct mx_process *p, void __user *uarg);

long mx_ioc_vmo_create(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_read(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_write(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_get_size(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_set_size(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_op_range(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_set_cache_policy(struct mx_process *p, void __user *uarg);
long mx_ioc_vmo_clone(struct mx_process *p, void __user *uarg);

long mx_ioc_get_child(struct mx_process *p, void __user *uarg);
long mx_ioc_process_read_memory(struct mx_process *p, void __user *uarg);
long mx_ioc_process_write_memory(struct mx_process *p, void __user *uarg);
long mx_ioc_task_suspend(struct mx_process *p, unsigned long arg);
long mx_ioc_task_resume(struct mx_process *p, void __user *uarg);
long mx_ioc_vmar_root_self(struct mx_process *p, void __user *uarg);
long mx_ioc_vmar_allocate(struct mx_process *p, void __user *uarg);
long mx_ioc_vmar_map(struct mx_process *p, void __user *uarg);
long mx_ioc_vmar_unmap(struct mx_process *p, void __user *uarg);
long mx_ioc_vmar_protect(struct mx_process *p, void __user *uarg);
long mx_ioc_vmar_destroy(struct mx_process *p, unsigned long arg);

long mx_ioc_object_set_cookie(struct mx_process *p, void __user *uarg);
long mx_ioc_object_get_cookie(struct mx_process *p, void __user *uarg);
long mx_ioc_cprng_draw(struct mx_process *p, void __user *uarg);
long mx_ioc_cprng_add_entropy(struct mx_process *p, void __user *uarg);
long mx_ioc_ticks_info(struct mx_process *p, void __user *uarg);
long mx_ioc_fifo_create(struct mx_process *p, void __user *uarg);
long mx_ioc_fifo_write(struct mx_process *p, void __user *uarg);
long mx_ioc_fifo_read(struct mx_process *p, void __user *uarg);

long mx_ioc_timer_create(struct mx_process *p, void __user *uarg);
long mx_ioc_timer_start(struct mx_process *p, void __user *uarg);
long mx_ioc_timer_cancel(struct mx_process *p, unsigned long arg);
#endif /* MX_IOCTL_H */
