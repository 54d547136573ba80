// SPDX-License-Identifier: MIT
/*
 * Running a thread's entry point on a stack of the caller's choosing, and
 * leaving it again (x86-64).
 *
 * mx__run_on_stack() saves the callee-saved registers and its stack
 * pointer at *save, switches to the given stack (rounded down to 16 bytes),
 * and calls entry(arg1, arg2) as an ordinary function, so entry sees the
 * ABI's usual alignment. The frame marks the return address as undefined:
 * unwinders and debuggers stop there. mx__return_to() takes a saved
 * stack pointer back and returns from mx__run_on_stack(), as longjmp()
 * would, without the checks a fortified longjmp() makes about jumping
 * between stacks. mx__stack_leave() is mx_thread_exit(): it returns
 * there if the calling thread runs on such a stack, and is a plain
 * pthread_exit() otherwise. An entry point that returns ends as if it
 * had called it. mx__unmap_close_leave() is the end of
 * mx_vmar_unmap_handle_close_thread_exit() (vmar.c): once the unmap has
 * succeeded the stack may be gone, so it runs in registers only, as
 * Magenta's vDSO does. This file calls no other file of libmx.
 */
#include <pthread.h>

#include "stack.h"

#if !defined(__x86_64__)
#error "libmx's thread and process start needs x86-64"
#endif

__asm__(
	".text\n"
	".globl mx__run_on_stack\n"
	".hidden mx__run_on_stack\n"
	".type mx__run_on_stack,@function\n"
	"mx__run_on_stack:\n"
	"	.cfi_startproc\n"
	"	push %rbp\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %rbx\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r12\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r13\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r14\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r15\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	mov %rsp, (%r8)\n"
	"	mov %rsi, %rsp\n"
	"	and $-16, %rsp\n"
	"	.cfi_undefined rip\n"
	"	xor %ebp, %ebp\n"
	"	mov %rdi, %rax\n"
	"	mov %rdx, %rdi\n"
	"	mov %rcx, %rsi\n"
	"	call *%rax\n"
	"	call mx__entry_returned\n"
	"	ud2\n"
	"	.cfi_endproc\n"
	".size mx__run_on_stack, .-mx__run_on_stack\n"
	"\n"
	".globl mx__return_to\n"
	".hidden mx__return_to\n"
	".type mx__return_to,@function\n"
	"mx__return_to:\n"
	"	mov %rdi, %rsp\n"
	"	pop %r15\n"
	"	pop %r14\n"
	"	pop %r13\n"
	"	pop %r12\n"
	"	pop %rbx\n"
	"	pop %rbp\n"
	"	ret\n"
	".size mx__return_to, .-mx__return_to\n");

/*
 * mx__unmap_close_asm(fd, unmap_cmd, unmap_arg, close_cmd, handle, slot):
 * ioctl(fd, unmap_cmd, unmap_arg); if that returns anything but 0, return
 * it (the stack is still there). Else ioctl(fd, close_cmd, handle), trap
 * if that fails, and return from the mx__run_on_stack() whose saved
 * stack pointer *slot (the thread's mx__saved_sp) points to, clearing
 * it: no memory is touched between the two but *slot and the saved frame,
 * which lies on the thread's own stack.
 */
__asm__(
	".text\n"
	".type mx__unmap_close_asm,@function\n"
	"mx__unmap_close_asm:\n"
	"	.cfi_startproc\n"
	"	push %rbx\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r12\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r13\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	push %r14\n"
	"	.cfi_adjust_cfa_offset 8\n"
	"	mov %rdi, %r12\n"
	"	mov %rcx, %r13\n"
	"	mov %r8, %r14\n"
	"	mov %r9, %rbx\n"
	"	mov $16, %eax\n"	/* SYS_ioctl */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	mov %r12, %rdi\n"
	"	mov %r13, %rsi\n"
	"	mov %r14, %rdx\n"
	"	mov $16, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 2f\n"
	"	mov (%rbx), %rdi\n"
	"	movq $0, (%rbx)\n"
	"	mov (%rdi), %rdi\n"
	"	jmp mx__return_to\n"
	"2:	ud2\n"
	"1:	pop %r14\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	pop %r13\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	pop %r12\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	pop %rbx\n"
	"	.cfi_adjust_cfa_offset -8\n"
	"	ret\n"
	"	.cfi_endproc\n"
	".size mx__unmap_close_asm, .-mx__unmap_close_asm\n");

long mx__unmap_close_asm(long fd, unsigned long unmap_cmd, void *unmap_arg,
			 unsigned long close_cmd, long handle, void ***slot)
	__attribute__((visibility("hidden")));

/* Where the running thread's mx__run_on_stack() saved its stack pointer. */
__thread void **mx__saved_sp;

long mx__unmap_close_leave(int fd, unsigned long unmap_cmd, void *unmap_arg,
			   unsigned long close_cmd, int32_t handle)
{
	return mx__unmap_close_asm(fd, unmap_cmd, unmap_arg, close_cmd,
				   handle, &mx__saved_sp);
}

int mx__stack_is_ours(void)
{
	return mx__saved_sp != NULL;
}

void mx__stack_leave(void)
{
	void **saved = mx__saved_sp;

	/* A thread of mx__run_on_stack(): return into its frame. */
	if (saved) {
		mx__saved_sp = NULL;
		mx__return_to(*saved);
	}
	/* Any other thread is a pthread: let libc end it properly. */
	pthread_exit(NULL);
}

/* An entry point that returns ends its thread, as mx_thread_exit(). */
__attribute__((noreturn, used, visibility("hidden")))
void mx__entry_returned(void)
{
	mx__stack_leave();
}
