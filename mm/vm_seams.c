/*
 * vm_seams.c: weak stand-ins for what the machine-independent VM uses from
 * other subsystems not yet merged (the page allocator and kernel heap, the
 * pmap, copyout, curthread), so the kernel links meanwhile.  Every real
 * definition overrides its stand-in; each stand-in panics naming itself.
 * Delete this file once mm/, kernel/ trap and proc code provide them all.
 */
#include <kernel.h>
#include <kmem.h>
#include <pmap.h>
#include <proc.h>
#include <trap.h>
#include <vm_page.h>

#define SEAM(name) panic("%s: not linked in yet", name)

__attribute__((weak)) struct thread *curthread;

__attribute__((weak)) void *
kmalloc(size_t size, int flags)
{
	SEAM("kmalloc");
}

__attribute__((weak)) void
kfree(void *p)
{
	SEAM("kfree");
}

__attribute__((weak)) vm_page_t
vm_page_alloc(int flags)
{
	SEAM("vm_page_alloc");
}

__attribute__((weak)) void
vm_page_free(vm_page_t m)
{
	SEAM("vm_page_free");
}

__attribute__((weak)) int
pmap_pinit(pmap_t pmap)
{
	SEAM("pmap_pinit");
}

__attribute__((weak)) void
pmap_release(pmap_t pmap)
{
	SEAM("pmap_release");
}

__attribute__((weak)) int
pmap_enter(pmap_t pmap, vaddr_t va, paddr_t pa, vm_prot_t prot, int flags)
{
	SEAM("pmap_enter");
}

__attribute__((weak)) void
pmap_remove(pmap_t pmap, vaddr_t sva, vaddr_t eva)
{
	SEAM("pmap_remove");
}

__attribute__((weak)) void
pmap_protect(pmap_t pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	SEAM("pmap_protect");
}

__attribute__((weak)) int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	SEAM("copyout");
}
