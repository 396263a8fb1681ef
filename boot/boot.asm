; boot/boot.asm: from the boot loader's 32-bit protected mode into kmain.
;
; GRUB (or QEMU -kernel) enters _start in 32-bit protected mode with paging
; off, EAX = multiboot magic and EBX = physical address of the multiboot
; information.  The image carries two headers: multiboot 1 (QEMU -kernel)
; and multiboot 2 (GRUB's `multiboot2`, the only way to get the firmware's
; memory map, framebuffer and ACPI RSDP under UEFI); kmain tells them apart
; by the magic in EAX.  We check for long mode (and say so on COM1 and the screen if
; it is missing), build page tables that map the first 4 GiB three times --
; identity (for the switch itself), the direct map at DMAP_BASE and the
; kernel window at KERNBASE -- enable PAE, long mode and NX, load a 64-bit
; GDT and jump to the higher half, which calls kmain(magic, mbi).

%define KERNBASE	0xffffffff80000000
%define MB_MAGIC	0x1badb002
%define MB_FLAGS	0x00000003	; page-aligned modules, memory map
%define PTE_P		0x001
%define PTE_W		0x002
%define PTE_PS		0x080
%define BOOT_STACK	16384

%define MB2_MAGIC	0xe85250d6
%define MB2_TAG_OPTIONAL 1

section .multiboot
align 4
	dd MB_MAGIC
	dd MB_FLAGS
	dd -(MB_MAGIC + MB_FLAGS)

; Multiboot 2: a header of tags, each 8-byte aligned.
align 8
mb2_header:
	dd	MB2_MAGIC
	dd	0			; architecture: i386 protected mode
	dd	mb2_header_end - mb2_header
	dd	-(MB2_MAGIC + (mb2_header_end - mb2_header))
	; Information request: command line, modules, memory map,
	; framebuffer, ACPI 1.0 and 2.0 RSDP copies.
	align	8
mb2_info_req:
	dw	1, MB2_TAG_OPTIONAL
	dd	mb2_info_req_end - mb2_info_req
	dd	1, 3, 6, 8, 14, 15
mb2_info_req_end:
	; Console flags: EGA text is fine (bit 1), so BIOS GRUB with
	; gfxpayload=text leaves VGA text mode alone.
	align	8
	dw	4, MB2_TAG_OPTIONAL
	dd	12
	dd	2
	; A framebuffer, any mode (0 = no preference): UEFI has no text mode.
	align	8
	dw	5, MB2_TAG_OPTIONAL
	dd	20
	dd	0, 0, 0
	align	8
	dw	0, 0			; end tag
	dd	8
mb2_header_end:

section .boot.text progbits alloc exec nowrite
bits 32
global _start
_start:
	cli
	cld
	mov	esp, boot_stack_top - KERNBASE
	mov	[boot_magic], eax	; kmain's first argument
	mov	[boot_mbi], ebx		; second: multiboot info (physical)

	; Long mode needs CPUID leaf 0x80000001 with the LM bit (29).
	mov	eax, 0x80000000
	cpuid
	cmp	eax, 0x80000001
	jb	.no_long_mode
	mov	eax, 0x80000001
	cpuid
	test	edx, 1 << 29
	jz	.no_long_mode
	mov	ebp, edx		; keep: bit 20 = NX

	; Four page directories map 0-4 GiB with 2 MiB pages.
	mov	edi, boot_pd - KERNBASE
	mov	eax, PTE_P | PTE_W | PTE_PS
	xor	edx, edx
	mov	ecx, 4 * 512
.fill_pd:
	mov	[edi], eax
	mov	[edi + 4], edx
	add	eax, 0x200000
	adc	edx, 0
	add	edi, 8
	loop	.fill_pd

	; boot_pdpt_low[0..3] -> the four directories (identity and DMAP).
	mov	edi, boot_pdpt_low - KERNBASE
	mov	eax, boot_pd - KERNBASE + (PTE_P | PTE_W)
	mov	ecx, 4
.fill_pdpt:
	mov	[edi], eax
	add	eax, 4096
	add	edi, 8
	loop	.fill_pdpt

	; boot_pdpt_high[510] -> first directory: KERNBASE maps 0-1 GiB.
	mov	eax, boot_pd - KERNBASE + (PTE_P | PTE_W)
	mov	[boot_pdpt_high - KERNBASE + 510 * 8], eax

	; PML4: [0] identity, [256] direct map, [511] kernel.
	mov	eax, boot_pdpt_low - KERNBASE + (PTE_P | PTE_W)
	mov	[boot_pml4 - KERNBASE], eax
	mov	[boot_pml4 - KERNBASE + 256 * 8], eax
	mov	eax, boot_pdpt_high - KERNBASE + (PTE_P | PTE_W)
	mov	[boot_pml4 - KERNBASE + 511 * 8], eax

	; PAE on, CR3, then EFER.LME (and NXE when the CPU has NX).
	mov	eax, cr4
	or	eax, 1 << 5
	mov	cr4, eax
	mov	eax, boot_pml4 - KERNBASE
	mov	cr3, eax
	mov	ecx, 0xc0000080
	rdmsr
	or	eax, 1 << 8
	test	ebp, 1 << 20
	jz	.no_nx
	or	eax, 1 << 11
.no_nx:
	wrmsr
	; Paging on, write protection honoured in ring 0.
	mov	eax, cr0
	or	eax, (1 << 31) | (1 << 16)
	mov	cr0, eax

	lgdt	[boot_gdt_ptr]
	jmp	0x08:.long_mode

.no_long_mode:
	mov	esi, no_lm_msg
	mov	edi, 0xb8000
.putc:
	lodsb
	test	al, al
	jz	.halt
	mov	ah, 0x4f
	mov	[edi], ax
	add	edi, 2
	mov	bl, al
	mov	dx, 0x3fd		; COM1 line status: wait for THR empty
.wait:
	in	al, dx
	test	al, 0x20
	jz	.wait
	mov	al, bl
	mov	dx, 0x3f8
	out	dx, al
	jmp	.putc
.halt:
	cli
	hlt
	jmp	.halt

bits 64
.long_mode:
	mov	ax, 0x10
	mov	ds, ax
	mov	es, ax
	mov	ss, ax
	xor	ax, ax
	mov	fs, ax
	mov	gs, ax
	mov	edi, [boot_magic]
	mov	esi, [boot_mbi]
	mov	rax, higher_half
	jmp	rax

section .boot.data progbits alloc noexec write
align 16
boot_gdt:
	dq	0
	dq	0x00af9a000000ffff	; 0x08: 64-bit ring 0 code
	dq	0x00cf92000000ffff	; 0x10: ring 0 data
boot_gdt_end:
boot_gdt_ptr:
	dw	boot_gdt_end - boot_gdt - 1
	dd	boot_gdt
boot_magic:
	dd	0
boot_mbi:
	dd	0
no_lm_msg:
	db	"Mica: this CPU has no 64-bit long mode; halting.", 13, 10, 0

section .text.entry
bits 64
extern kmain
higher_half:
	mov	rsp, boot_stack_top
	xor	ebp, ebp		; terminates backtraces
	; rdi = magic, rsi = multiboot info (zero-extended by the 32-bit movs)
	call	kmain
.hang:
	cli
	hlt
	jmp	.hang

section .bss nobits alloc noexec write
align 4096
global boot_pml4
boot_pml4:	resb 4096
boot_pdpt_low:	resb 4096
boot_pdpt_high:	resb 4096
boot_pd:	resb 4 * 4096
global boot_stack, boot_stack_top
boot_stack:	resb BOOT_STACK
boot_stack_top:
