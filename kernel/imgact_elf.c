/*
 * imgact_elf.c: load a static ELF64 executable into an address space
 * (FreeBSD imgact_elf.c, static executables only).
 *
 * The headers were validated by elf_parse (lib/elf.c).  Each PT_LOAD is
 * mapped at its address (plus a base of ET_DYN_LOAD_ADDR for a static
 * PIE) privately from the file's page cache when its pages line up with
 * the file's (elf_map_segment), else as anonymous zero-fill memory into
 * which the file bytes are copied a page at a time through copyout; either
 * way the new address space must be the current one (kern_exec.c arranges
 * it).  Bytes between p_filesz and p_memsz are zero: the .bss.  Two
 * segments that share a page (allowed by the linkers' layouts) get the
 * page once, with both protections.
 */
#include <imgact.h>
#include <kernel.h>
#include <kmem.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_map.h>
#include <vm_object.h>
#include <vnode.h>
#include <vnode_pager.h>

static vm_prot_t
elf_prot(uint32_t flags)
{
	vm_prot_t prot = VM_PROT_NONE;

	if (flags & PF_R)
		prot |= VM_PROT_READ;
	if (flags & PF_W)
		prot |= VM_PROT_WRITE;
	if (flags & PF_X)
		prot |= VM_PROT_EXECUTE;
	return (prot);
}

/* Copy file bytes [off, off+len) to user address va, a page at a time. */
static int
elf_copy_segment(struct exec_file *ef, uint64_t off, uint64_t va,
    uint64_t len, char *page)
{
	ssize_t n;
	size_t chunk;
	int error;

	while (len > 0) {
		chunk = MIN(len, PAGE_SIZE - (va & PAGE_MASK));
		n = exec_file_read(ef, off, page, chunk);
		if (n < 0)
			return ((int)n);
		if ((size_t)n != chunk)
			return (-ENOEXEC);	/* file shrank under us */
		if ((error = copyout(page, (void *)va, chunk)) != 0)
			return (error);
		off += chunk;
		va += chunk;
		len -= chunk;
	}
	return (0);
}

/*
 * Map a segment's file bytes straight from the file's page cache,
 * privately (copy-on-write), as Linux and FreeBSD do: nothing is copied at
 * exec, and every process running the program shares the pages it does
 * not write.  Possible when the segment starts on a page of its own and
 * its file offset and address agree modulo the page size.  The rest of
 * the last file page past p_filesz is zeroed when it is .bss (that page
 * becomes a private copy); the pages beyond are anonymous.  The mapping
 * is writable until elf_load sets the final protections.  1 if done, 0 to
 * copy the segment instead, or a negative errno.
 */
static int
elf_map_segment(struct exec_file *ef, vm_map_t map, const Elf64_Phdr *ph,
    uint64_t base, uint64_t *mapped_end, char *page)
{
	uint64_t va = base + ph->p_vaddr, start = trunc_page(va);
	uint64_t fend = round_page(va + ph->p_filesz);
	uint64_t end = round_page(va + ph->p_memsz), a;
	vm_object_t obj;
	int error;

	if (ef->ef_vp == NULL || ef->ef_vp->v_type != VREG ||
	    ph->p_filesz == 0 || start < *mapped_end ||
	    (ph->p_offset & PAGE_MASK) != (va & PAGE_MASK) ||
	    ph->p_offset + ph->p_filesz > ef->ef_size)
		return (0);
	if ((obj = vnode_pager_object(ef->ef_vp)) == NULL)
		return (0);
	vm_object_reference(obj);
	a = start;
	error = vm_map_object(map, obj, trunc_page(ph->p_offset), &a,
	    fend - start, VM_PROT_ALL, VM_PROT_ALL, VMFS_FIXED);
	if (error != 0) {
		vm_object_deallocate(obj);
		return (error);
	}
	*mapped_end = fend;
	if (end > fend) {
		a = fend;
		error = vm_map_anon(map, &a, end - fend, VM_PROT_ALL,
		    VM_PROT_ALL, VMFS_FIXED);
		if (error != 0)
			return (error);
		*mapped_end = end;
	}
	if (ph->p_memsz > ph->p_filesz && fend > va + ph->p_filesz) {
		memset(page, 0, PAGE_SIZE);
		error = copyout(page, (void *)(va + ph->p_filesz),
		    fend - (va + ph->p_filesz));
		if (error != 0)
			return (error);
	}
	return (1);
}

/*
 * Give each PT_LOAD its final protection, once every segment is in place.
 * A page two segments share gets both protections.
 */
static void
elf_protect(vm_map_t map, const void *hdr, struct image_params *imgp)
{
	struct elf_info *ei = &imgp->ei;
	const Elf64_Phdr *ph;
	uint64_t prev_end = 0, start, end;
	vm_prot_t prev_prot = 0;

	for (int i = 0; i < ei->phnum; i++) {
		ph = elf_phdr(hdr, ei, i);
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		start = trunc_page(imgp->base + ph->p_vaddr);
		end = round_page(imgp->base + ph->p_vaddr + ph->p_memsz);
		if (start < prev_end) {
			vm_map_protect(map, start, start + PAGE_SIZE,
			    prev_prot | elf_prot(ph->p_flags), false);
			start += PAGE_SIZE;
		}
		if (start < end)
			vm_map_protect(map, start, end, elf_prot(ph->p_flags),
			    false);
		prev_end = end;
		prev_prot = elf_prot(ph->p_flags);
	}
}

int
elf_load(struct exec_file *ef, const void *hdr, size_t hdrlen,
    struct image_params *imgp)
{
	vm_map_t map = vmspace_map(imgp->vm);
	const Elf64_Phdr *ph;
	struct elf_info *ei = &imgp->ei;
	uint64_t mapped_end = 0, start, end, va;
	char *page;
	int error = 0;

	imgp->base = ei->type == ET_DYN ? ET_DYN_LOAD_ADDR - ei->lo : 0;
	page = kmalloc(PAGE_SIZE, M_WAITOK);
	if (page == NULL)
		return (-ENOMEM);
	for (int i = 0; i < ei->phnum; i++) {
		ph = elf_phdr(hdr, ei, i);
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		error = elf_map_segment(ef, map, ph, imgp->base, &mapped_end,
		    page);
		if (error < 0)
			goto out;
		if (error > 0) {
			error = 0;
			continue;
		}
		start = trunc_page(imgp->base + ph->p_vaddr);
		end = round_page(imgp->base + ph->p_vaddr + ph->p_memsz);
		if (start < mapped_end)
			start = mapped_end;	/* shares a page */
		if (start < end) {
			va = start;
			/* Writable while we fill it; final protection after. */
			error = vm_map_anon(map, &va, end - start,
			    VM_PROT_ALL, VM_PROT_ALL, VMFS_FIXED);
			if (error != 0)
				goto out;
			mapped_end = end;
		}
		error = elf_copy_segment(ef, ph->p_offset,
		    imgp->base + ph->p_vaddr, ph->p_filesz, page);
		if (error != 0)
			goto out;
	}
	elf_protect(map, hdr, imgp);
	imgp->entry = imgp->base + ei->entry;
	imgp->phdr = ei->phdr_vaddr != 0 ? imgp->base + ei->phdr_vaddr : 0;
	imgp->brk = round_page(imgp->base + ei->brk);
out:
	kfree(page);
	return (error);
}
