/*
 * vm_check.c: the consistency checker of address spaces, run after fuzz
 * and stress runs (/dev/kstat's vm_check line) and by a ktest.
 *
 * For one vm_map it checks what every map operation must preserve: the
 * entries are page aligned, non-empty, inside [min_offset, max_offset),
 * in address order without overlap; nentries and size agree with them;
 * the tree finds each entry by its start.  Then it walks the pmap: every
 * user translation lies inside an entry, allows no more than the entry's
 * protection, carries the U bit at every level, and their number is the
 * pmap's resident count.  A problem is printed on the console and counted;
 * the checker never changes anything.
 */
#include <kernel.h>
#include <proc.h>
#include <vm_map.h>

struct vm_check_arg {
	vm_map_t map;
	pid_t pid;
	uint64_t nptes;
	int bad;
};

static void
vm_check_report(struct vm_check_arg *ca, const char *what, vaddr_t va)
{
	if (ca->bad++ < 8)
		printk(KERN_ERR "vm_check: pid %d: %s at %#lx\n", ca->pid,
		    what, (unsigned long)va);
}

static void
vm_check_pte(void *arg, vaddr_t va, paddr_t pa, vm_prot_t prot, bool user)
{
	struct vm_check_arg *ca = arg;
	vm_map_entry_t e;

	ca->nptes++;
	if (!user)
		vm_check_report(ca, "translation without the U bit", va);
	if (!vm_map_lookup_entry(ca->map, va, &e)) {
		vm_check_report(ca, "translation outside every entry", va);
		return;
	}
	if ((prot & ~e->protection) & (VM_PROT_WRITE | VM_PROT_EXECUTE))
		vm_check_report(ca, "translation allows more than its entry",
		    va);
}

int
vm_map_check(vm_map_t map, pid_t pid)
{
	struct vm_check_arg ca = { map, pid, 0, 0 };
	vm_map_entry_t e, found;
	vaddr_t prev = map->min_offset;
	vm_size_t size = 0;
	int n = 0;

	vm_map_lock(map);
	for (e = vm_map_first_entry(map); e != NULL;
	    e = vm_map_next_entry(map, e)) {
		n++;
		size += e->end - e->start;
		if ((e->start & PAGE_MASK) || (e->end & PAGE_MASK) ||
		    e->start >= e->end)
			vm_check_report(&ca, "entry misaligned or empty",
			    e->start);
		if (e->start < prev || e->end > map->max_offset)
			vm_check_report(&ca, "entry overlaps or out of range",
			    e->start);
		if (!vm_map_lookup_entry(map, e->start, &found) || found != e)
			vm_check_report(&ca, "tree lookup misses entry",
			    e->start);
		if (e->wired_count < 0)
			vm_check_report(&ca, "negative wire count", e->start);
		prev = e->end;
		if (n > map->nentries + 1)
			break;		/* a cycle: do not loop forever */
	}
	if (n != map->nentries)
		vm_check_report(&ca, "nentries differs from the list", n);
	if (size != map->size)
		vm_check_report(&ca, "size differs from the entries", size);
	if (map->pmap != NULL) {
		ca.bad += pmap_walk(map->pmap, vm_check_pte, &ca);
		if (ca.nptes != pmap_resident_count(map->pmap))
			vm_check_report(&ca, "resident count differs",
			    ca.nptes);
	}
	vm_map_unlock(map);
	return (ca.bad);
}

int
vm_check_all(void)
{
	struct proc *p;
	int bad = 0;

	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list)
		if (p->p_vmspace != NULL)
			bad += vm_map_check(&p->p_vmspace->vm_map, p->p_pid);
	spin_unlock(&proc_lock);
	return (bad);
}
