; kernel/syscall_entry.asm: the `syscall` instruction's way in and out.
;
; `syscall` jumps here in ring 0 with the user's rip in rcx and rflags in
; r11, interrupts masked by MSR_SFMASK -- and still on the user's stack,
; since the CPU switches nothing else.  Mica is single-CPU with no per-CPU
; area (no swapgs), so the kernel stack comes from the global
; syscall_kstack_top, which the scheduler sets on every context switch; the
; user rsp is parked in a global for the two instructions until it is
; pushed.  The code then builds the same struct trapframe a trap builds
; (tf_trapno = T_SYSCALL) and calls syscall(tf).
;
; On the way out, sysretq is used when the frame still looks like the one
; `syscall` made (syscall_can_sysret): sysret takes rip from rcx and rflags
; from r11, and faults in ring 0 on a non-canonical rip, so any frame that
; execve, sigreturn or a signal changed goes out through iretq (doreti).
;
; FreeBSD: sys/amd64/amd64/exception.S (fast_syscall).

bits 64
default rel

%include "kernel/trapframe.inc"

%define T_SYSCALL	0x80
%define GSEL_UDATA	0x23
%define GSEL_UCODE	0x2b

extern syscall, syscall_can_sysret, doreti
global Xfast_syscall, syscall_kstack_top

section .bss
align 8
syscall_kstack_top:	resq 1		; set by the scheduler
syscall_user_rsp:	resq 1		; scratch: interrupts are off

section .text
align 16
Xfast_syscall:
	mov	[syscall_user_rsp], rsp
	mov	rsp, [syscall_kstack_top]
	push	GSEL_UDATA		; tf_ss
	push	qword [syscall_user_rsp] ; tf_rsp
	push	r11			; tf_rflags
	push	GSEL_UCODE		; tf_cs
	push	rcx			; tf_rip
	push	0			; tf_err
	push	T_SYSCALL		; tf_trapno
	PUSH_TF_REGS
	mov	rdi, rsp
	xor	ebp, ebp		; backtraces end at the user boundary
	push	qword [rdi + TF_RIP]
	push	rbp
	mov	rbp, rsp
	sti
	call	syscall			; dispatch, result in tf_rax, userret
	cli
	add	rsp, 16
	mov	rdi, rsp
	call	syscall_can_sysret
	test	eax, eax
	jz	doreti			; not sysret-safe: iretq
	POP_TF_REGS
	add	rsp, 16			; trapno, err
	pop	rcx			; tf_rip
	add	rsp, 8			; tf_cs
	pop	r11			; tf_rflags
	pop	rsp			; tf_rsp: the user stack from here on
	o64 sysret
