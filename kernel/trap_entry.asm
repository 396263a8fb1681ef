; kernel/trap_entry.asm: the 256 interrupt gates and the way back out.
;
; Every vector has a tiny stub that makes the stack uniform -- it pushes a
; zero where the CPU pushes no error code, then the vector number -- and
; jumps to alltraps, which pushes the general registers in the order of
; struct trapframe (include/trap.h) and calls trap(tf).  doreti pops the
; same frame and leaves with iretq; trap_return(tf) enters it with rsp
; pointing at any prepared frame (first entry to user mode, fork).
;
; Mica is single-CPU and has no per-CPU area, so there is no swapgs: the
; kernel never uses GS, and the user's FS/GS bases stay in their MSRs.
; The interrupted rbp and rip are pushed as a fake stack frame so that a
; backtrace from inside trap() walks straight into the interrupted code;
; from user mode rbp is zeroed, which ends every backtrace there.
;
; FreeBSD: sys/amd64/amd64/exception.S (alltraps, doreti).

bits 64
default rel

%include "kernel/trapframe.inc"

extern trap
extern cpu_smap_enabled
global alltraps, doreti, doreti_iret, trap_return, trap_vectors
global kt_setjmp, kt_longjmp

section .text

; The vectors for which the CPU pushes an error code itself.
%macro TRAPSTUB 1
align 16
vector_ %+ %1:
%if %1 == 8 || (%1 >= 10 && %1 <= 14) || %1 == 17 || %1 == 21 || %1 == 29 || %1 == 30
%else
	push	0
%endif
	push	%1
	jmp	alltraps
%endmacro

%assign i 0
%rep 256
	TRAPSTUB i
%assign i i + 1
%endrep

; Build the rest of the trap frame (the CPU pushed ss..rip, the stub err
; and trapno); the frame is 176 bytes, so rsp stays 16-byte aligned.
alltraps:
	PUSH_TF_REGS
	cld				; the ABI wants DF clear; the CPU leaves it
	cmp	byte [cpu_smap_enabled], 0
	je	.nosmap
	clac				; a user AC flag must not disable SMAP
.nosmap:
	mov	rdi, rsp
	test	byte [rdi + TF_CS], 3
	jz	.kernel
	xor	ebp, ebp
.kernel:
	push	qword [rdi + TF_RIP]	; fake frame: return address
	push	rbp			; and saved rbp
	mov	rbp, rsp
	call	trap
	add	rsp, 16
	; fall into doreti

; rsp points at a struct trapframe: restore it and return.
doreti:
	cli
	POP_TF_REGS
	add	rsp, 16			; trapno, err
doreti_iret:				; trap.c: a fault here is the user's
	iretq

; void trap_return(struct trapframe *tf): abandon this stack, leave via tf.
trap_return:
	mov	rsp, rdi
	jmp	doreti

; The stub addresses, read by idt.c.
section .rodata
align 8
trap_vectors:
%assign i 0
%rep 256
	dq	vector_ %+ i
%assign i i + 1
%endrep

; int kt_setjmp(struct kjmpbuf *jb) / void kt_longjmp(jb, v): for the trap
; self tests, which resume after an expected exception (kernel/trap.c).
section .text
kt_setjmp:
	mov	[rdi + 0], rbx
	mov	[rdi + 8], rbp
	mov	[rdi + 16], r12
	mov	[rdi + 24], r13
	mov	[rdi + 32], r14
	mov	[rdi + 40], r15
	lea	rax, [rsp + 8]		; rsp after our return
	mov	[rdi + 48], rax
	mov	rax, [rsp]		; our return address
	mov	[rdi + 56], rax
	xor	eax, eax
	ret

kt_longjmp:
	mov	rbx, [rdi + 0]
	mov	rbp, [rdi + 8]
	mov	r12, [rdi + 16]
	mov	r13, [rdi + 24]
	mov	r14, [rdi + 32]
	mov	r15, [rdi + 40]
	mov	rsp, [rdi + 48]
	mov	eax, esi
	jmp	[rdi + 56]
