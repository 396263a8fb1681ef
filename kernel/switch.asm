; switch.asm: cpu_switch, the kernel-stack switch between two threads,
; and fork_trampoline, where every new thread starts.
;
; A switched-out thread's state is its kernel stack: cpu_switch pushes the
; callee-saved registers (the C ABI lets the caller assume only those
; survive a call), stores rsp through `oldrsp`, loads the new thread's rsp
; and pops that thread's registers.  Its `ret` returns into the new
; thread's own call of cpu_switch -- or, for a thread that never ran, into
; fork_trampoline, whose frame thread_init_frame (kernel/sched.c) built.
; The machine-dependent rest of a switch (TSS rsp0, FS base, CR3) is done
; in C by sched.c before calling here.

bits 64
section .text

global cpu_switch
global fork_trampoline
extern fork_exit

; void cpu_switch(uint64_t *oldrsp, uint64_t newrsp)
cpu_switch:
	push	rbp
	push	rbx
	push	r12
	push	r13
	push	r14
	push	r15
	mov	[rdi], rsp
	mov	rsp, rsi
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbx
	pop	rbp
	ret

; The first return of a new thread: r12 = function, rbx = argument.
fork_trampoline:
	mov	rdi, r12
	mov	rsi, rbx
	xor	rbp, rbp		; end of the backtrace
	call	fork_exit		; never returns
	ud2
