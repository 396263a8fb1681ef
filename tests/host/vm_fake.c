/*
 * vm_fake.c: see vm_fake.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel.h>
#include <kmem.h>
#include <pmap.h>
#include <proc.h>
#include <spinlock.h>
#include <trap.h>
#include <uapi/errno.h>
#include <vm_page.h>
#include <vm_param.h>

#include "vm_fake.h"

#define NMAP 4096

static struct fake_mapping maps[NMAP];
static int nmaps;
int fake_pages_live;
int fake_pages_limit = -1;
int fake_kmem_live;
int fake_pmap_remove_calls;
vaddr_t fake_last_remove_sva, fake_last_remove_eva;

void
fake_reset(void)
{
	nmaps = 0;
	fake_pages_limit = -1;
	fake_pmap_remove_calls = 0;
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

int
printk(const char *fmt, ...)
{
	return (0);
}

void
spin_init(struct spinlock *sl, const char *name)
{
	sl->sl_locked = 0;
	sl->sl_name = name;
}

static int fake_nesting;	/* spin locks held, as intr_nesting */

void
spin_lock(struct spinlock *sl)
{
	if (sl->sl_locked)
		panic("spin_lock: %s already held", sl->sl_name);
	sl->sl_locked = 1;
	fake_nesting++;
}

void
spin_unlock(struct spinlock *sl)
{
	if (!sl->sl_locked)
		panic("spin_unlock: %s not held", sl->sl_name);
	sl->sl_locked = 0;
	fake_nesting--;
}

int
intr_nesting(void)
{
	return (fake_nesting);
}

bool
spin_owned(const struct spinlock *sl)
{
	return (sl->sl_locked != 0);
}

void *
kmalloc(size_t size, int flags)
{
	void *p = (flags & M_ZERO) ? calloc(1, size) : malloc(size);

	if (p != NULL)
		fake_kmem_live++;
	return (p);
}

void
kfree(void *p)
{
	if (p != NULL)
		fake_kmem_live--;
	free(p);
}

vm_page_t
vm_page_alloc(int flags)
{
	vm_page_t m;
	void *buf;

	if (fake_pages_limit >= 0 && fake_pages_live >= fake_pages_limit)
		return (NULL);
	m = calloc(1, sizeof(*m));
	buf = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(m);
	assert_non_null(buf);
	memset(buf, 0xa5, PAGE_SIZE);	/* garbage: the VM must zero */
	m->phys_addr = (uint64_t)buf - DMAP_BASE;
	fake_pages_live++;
	return (m);
}

void
vm_page_free(vm_page_t m)
{
	assert_null(m->object);
	/* A freed page must not be mapped anywhere. */
	for (int i = 0; i < nmaps; i++)
		assert_true(maps[i].pa != m->phys_addr);
	free(PHYS_TO_DMAP(m->phys_addr));
	free(m);
	fake_pages_live--;
}

void
pmap_zero_page(vm_page_t m)
{
	memset(PHYS_TO_DMAP(m->phys_addr), 0, PAGE_SIZE);
}

void
pmap_copy_page(vm_page_t src, vm_page_t dst)
{
	memcpy(PHYS_TO_DMAP(dst->phys_addr), PHYS_TO_DMAP(src->phys_addr),
	    PAGE_SIZE);
}

void *
fake_page_kva(paddr_t pa)
{
	return (PHYS_TO_DMAP(pa));
}

int
pmap_pinit(pmap_t pmap)
{
	memset(pmap, 0, sizeof(*pmap));
	return (0);
}

void
pmap_release(pmap_t pmap)
{
	assert_int_equal(fake_pmap_count(pmap), 0);
}

struct fake_mapping *
fake_pmap_lookup(pmap_t pmap, vaddr_t va)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].pmap == pmap && maps[i].va == va)
			return (&maps[i]);
	return (NULL);
}

int
fake_pmap_count(pmap_t pmap)
{
	int n = 0;

	for (int i = 0; i < nmaps; i++)
		n += maps[i].pmap == pmap;
	return (n);
}

int
pmap_enter(pmap_t pmap, vaddr_t va, paddr_t pa, vm_prot_t prot, int flags)
{
	struct fake_mapping *fm = fake_pmap_lookup(pmap, va);

	assert_true((va & PAGE_MASK) == 0 && va < VM_MAXUSER_ADDRESS);
	if (fm == NULL) {
		assert_true(nmaps < NMAP);
		fm = &maps[nmaps++];
	}
	fm->pmap = pmap;
	fm->va = va;
	fm->pa = pa;
	fm->prot = prot;
	return (0);
}

void
pmap_remove(pmap_t pmap, vaddr_t sva, vaddr_t eva)
{
	fake_pmap_remove_calls++;
	fake_last_remove_sva = sva;
	fake_last_remove_eva = eva;
	for (int i = 0; i < nmaps;)
		if (maps[i].pmap == pmap && maps[i].va >= sva &&
		    maps[i].va < eva)
			maps[i] = maps[--nmaps];
		else
			i++;
}

void
pmap_protect(pmap_t pmap, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	for (int i = 0; i < nmaps; i++)
		if (maps[i].pmap == pmap && maps[i].va >= sva &&
		    maps[i].va < eva)
			maps[i].prot &= prot;
}

bool
pmap_extract(pmap_t pmap, vaddr_t va, paddr_t *pa)
{
	struct fake_mapping *fm = fake_pmap_lookup(pmap, trunc_page(va));

	if (fm == NULL)
		return (false);
	*pa = fm->pa + (va & PAGE_MASK);
	return (true);
}

int
copyout(const void *kaddr, void *uaddr, size_t len)
{
	if (uaddr == NULL || (uint64_t)uaddr >= VM_MAXUSER_ADDRESS)
		return (-EFAULT);
	memcpy(uaddr, kaddr, len);
	return (0);
}

static struct proc fake_proc;
static struct thread fake_thread = { .td_proc = &fake_proc };
struct thread *curthread = &fake_thread;
