; kernel/support.asm: the only instructions that touch user memory.
;
; Each routine stores the address of copy_fault in the caller's onfault
; slot (curthread->td_onfault) before the first user access and clears it
; after the last.  When a user access faults and vm_fault cannot resolve
; it, trap() resumes at copy_fault with rax = -EFAULT; the stack is still
; exactly as it was at the faulting instruction (these are leaf routines
; that push nothing), so copy_fault can simply return.  With SMAP on, the
; accesses sit between stac and clac.  The range checks are in copy.c.
;
; FreeBSD: sys/amd64/amd64/support.S (copyin, copyout, copyinstr).

bits 64
default rel

extern cpu_smap_enabled
global copy_user_bytes, copy_user_str, copy_fault

%macro STAC 0
	cmp	byte [cpu_smap_enabled], 0
	je	%%skip
	stac
%%skip:
%endmacro

%macro CLAC 0
	cmp	byte [cpu_smap_enabled], 0
	je	%%skip
	clac
%%skip:
%endmacro

section .text

; int copy_user_bytes(void *dst, const void *src, size_t len, void **onfault)
; 0, or -EFAULT through copy_fault.
copy_user_bytes:
	mov	r8, rcx			; onfault slot (rcx is the count)
	lea	rax, [copy_fault]
	mov	[r8], rax
	mov	rcx, rdx
	shr	rcx, 3			; whole quadwords first: TCG runs a rep
	STAC				; string one iteration at a time
	rep movsq
	mov	rcx, rdx
	and	rcx, 7
	rep movsb
	CLAC
	mov	qword [r8], 0
	xor	eax, eax
	ret

; long copy_user_str(char *dst, const char *src, size_t max, void **onfault)
; Copies up to and including a NUL, at most max bytes: the length copied
; with the NUL, 0 when there was no NUL within max, or -EFAULT.
copy_user_str:
	mov	r8, rcx
	lea	rax, [copy_fault]
	mov	[r8], rax
	xor	eax, eax
	STAC
.loop:
	cmp	rax, rdx
	je	.toolong
	mov	cl, [rsi + rax]
	mov	[rdi + rax], cl
	inc	rax
	test	cl, cl
	jnz	.loop
	jmp	.done
.toolong:
	xor	eax, eax
.done:
	CLAC
	mov	qword [r8], 0
	ret

; Resumed here by trap() after an unresolvable fault; rax = -EFAULT and
; r8 still holds the onfault slot.
copy_fault:
	CLAC
	mov	qword [r8], 0
	ret
