/*
 * vm_mmap.c: the memory-mapping system calls (FreeBSD vm_mmap.c; the
 * arguments, results and errors are Linux's, as in mmap(2), munmap(2),
 * mprotect(2), brk(2), madvise(2), mincore(2), msync(2), mlock(2)).
 *
 * Each handler turns the user's (address, length) into a page range with
 * the pure helpers of vm_map.c -- the place where wrap-around and bounds
 * are decided -- and then calls one map operation on the current process's
 * map.  A file mapping's object comes from vm_mmap_vnode()
 * (mm/vnode_pager.c): the file's page cache.
 */
#include <kernel.h>
#include <libkern.h>
#include <proc.h>
#include <trap.h>
#include <uapi/errno.h>
#include <uapi/mman.h>
#include <uapi/resource.h>
#include <vm_map.h>
#include <vm_mmap.h>
#include <vm_object.h>

/* Without mm/vnode_pager.c (host tests): no file can be mapped. */
__attribute__((weak)) int
vm_mmap_vnode(int fd, off_t off, int prot, int flags, vm_object_t *objp,
    vm_prot_t *maxprotp)
{
	return (-ENODEV);
}

/* The current process's soft limit on resource, or RLIM_INFINITY. */
static uint64_t
vm_rlimit(int resource)
{
	if (curthread == NULL || curthread->td_proc == NULL)
		return (RLIM_INFINITY);
	return (curthread->td_proc->p_rlimit[resource][0]);
}

/*
 * May the address space take [start, start + len), less what is mapped
 * there already (MAP_FIXED replaces it)?  start = VM_MAXUSER_ADDRESS for
 * a range yet to be placed.  RLIMIT_AS, as Linux may_expand_vm.
 */
bool
vm_map_may_grow(vm_map_t map, vaddr_t start, vm_size_t len)
{
	uint64_t lim = vm_rlimit(RLIMIT_AS);
	vm_map_entry_t e;
	vm_size_t have = 0;

	if (lim == RLIM_INFINITY)
		return (true);
	vm_map_lock(map);
	for (e = vm_map_entry_at_or_after(map, start); e != NULL &&
	    e->start < start + len; e = vm_map_next_entry(map, e))
		have += MIN(e->end, start + len) - MAX(e->start, start);
	have = map->size - have;
	vm_map_unlock(map);
	return (len <= lim && have <= lim - len);
}

static vm_prot_t
prot_to_vm(int prot)
{
	return (prot & (PROT_READ | PROT_WRITE | PROT_EXEC));
}

/*
 * Fault in [start, end) now (MAP_POPULATE); failures are left to later
 * faults, as in Linux.  Private writable memory is faulted for writing
 * (its copies made now); shared memory for reading, so that the pages of
 * a file are read in but not dirtied (Linux populate_vma_page_range).
 */
static void
vm_mmap_populate(vm_map_t map, vaddr_t start, vaddr_t end, int prot,
    bool shared)
{
	vm_prot_t type;
	vaddr_t va;

	if ((prot & PROT_WRITE) && !shared)
		type = VM_PROT_WRITE;
	else if (prot & (PROT_READ | PROT_WRITE))
		type = VM_PROT_READ;
	else
		return;
	for (va = start; va < end; va += PAGE_SIZE)
		if (vm_fault(map, va, type) != KERN_SUCCESS)
			break;
}

#define MAP_KNOWN (MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_32BIT |	\
	MAP_GROWSDOWN | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED |	\
	MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK |	\
	MAP_HUGETLB | MAP_SYNC | MAP_FIXED_NOREPLACE | MAP_UNINITIALIZED)
#define MAP_LEGACY (MAP_KNOWN & ~(MAP_SYNC | MAP_FIXED_NOREPLACE))

/*
 * mmap(addr, len, prot, flags, fd, off): the address of the new mapping.
 * EINVAL: off not page aligned; len 0; MAP_FIXED with addr not page
 *   aligned; the type (flags & MAP_TYPE) is not MAP_SHARED or MAP_PRIVATE
 *   (MAP_SHARED_VALIDATE only with a file, as in Linux); MAP_GROWSDOWN
 *   with MAP_SHARED.
 * ENOMEM: len rounds past the address space; no free range big enough;
 *   a MAP_FIXED range outside user space; RLIMIT_AS would be exceeded;
 *   out of memory; MAP_HUGETLB (no huge pages are reserved).
 * EOVERFLOW: a file mapping with off negative or off + len wrapping
 *   (the vfs adds: beyond the largest file size).
 * EPERM: MAP_FIXED below the lowest mappable address (mmap_min_addr).
 * EEXIST: MAP_FIXED_NOREPLACE and the range is in use.
 * EOPNOTSUPP: MAP_SHARED_VALIDATE with a flag Linux does not know.
 * EBADF: fd is not an open descriptor (file mappings).
 * EACCES: fd not open for reading; MAP_SHARED with PROT_WRITE and fd not
 *   open for writing (mm/vnode_pager.c, vm_mmap_vnode).
 * ENODEV: fd is not a regular file (a directory, pipe, socket, device).
 */
long
sys_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, off_t off)
{
	vm_map_t map = vm_curmap();
	vm_object_t obj = NULL;
	vm_prot_t maxprot = VM_PROT_ALL;
	vm_size_t rlen;
	vaddr_t end;
	int error, type = flags & MAP_TYPE, vflags = 0;

	if (map == NULL)
		return (-ENOMEM);
	if ((off & PAGE_MASK) != 0)
		return (-EINVAL);
	if (len == 0)
		return (-EINVAL);
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if ((flags & MAP_FIXED) == 0 && addr != 0 && addr < VM_MIN_USER)
		addr = VM_MIN_USER;	/* round_hint_to_min */
	if (!vm_round_len(len, &rlen) || rlen == 0 ||
	    rlen > VM_MAXUSER_ADDRESS - VM_MIN_USER)
		return (-ENOMEM);
	if (flags & MAP_FIXED) {
		if (addr > VM_MAXUSER_ADDRESS - rlen)
			return (-ENOMEM);
		if ((addr & PAGE_MASK) != 0)
			return (-EINVAL);
		if (addr < VM_MIN_USER)
			return (-EPERM);
	}
	if (flags & MAP_HUGETLB)
		return (-ENOMEM);
	if ((flags & MAP_ANONYMOUS) == 0) {
		switch (type) {
		case MAP_SHARED:
			flags &= MAP_LEGACY;
			/* FALLTHROUGH */
		case MAP_SHARED_VALIDATE:
			if (flags & ~MAP_KNOWN)
				return (-EOPNOTSUPP);
			vflags |= VMFS_SHARED;
			break;
		case MAP_PRIVATE:
			break;
		default:
			return (-EINVAL);
		}
		if (off < 0 || (uint64_t)off + rlen < (uint64_t)off)
			return (-EOVERFLOW);
		error = vm_mmap_vnode(fd, off, prot, flags, &obj, &maxprot);
		if (error != 0)
			return (error);
		if (obj == NULL)
			off = 0;	/* /dev/zero: anonymous memory */
		if ((prot_to_vm(prot) & ~maxprot) != 0) {
			vm_object_deallocate(obj);
			return (-EACCES);
		}
	} else {
		switch (type) {
		case MAP_SHARED:
			if (flags & MAP_GROWSDOWN)
				return (-EINVAL);
			vflags |= VMFS_SHARED;
			break;
		case MAP_PRIVATE:
			break;
		default:
			return (-EINVAL);
		}
		off = 0;
	}
	if (flags & MAP_GROWSDOWN)
		vflags |= VMFS_GROWSDOWN;
	if (flags & MAP_FIXED)
		vflags |= (flags & MAP_FIXED_NOREPLACE) ? VMFS_FIXED :
		    VMFS_FIXED | VMFS_REPLACE;
	else {
		vflags |= VMFS_HINT;
		addr = trunc_page(addr);
		if (flags & MAP_32BIT)
			vflags |= VMFS_32BIT;
	}
	if (!vm_map_may_grow(map, (flags & MAP_FIXED) ? addr :
	    VM_MAXUSER_ADDRESS, rlen))
		error = -ENOMEM;
	else
		error = vm_map_object(map, obj, off, &addr, rlen,
		    prot_to_vm(prot), maxprot, vflags);
	if (error != 0) {
		vm_object_deallocate(obj);
		return (error == -EINVAL ? -ENOMEM : error);
	}
	end = addr + rlen;
	if (flags & MAP_LOCKED)
		vm_map_wire(map, addr, end, 0);
	else if ((flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE)
		vm_mmap_populate(map, addr, end, prot,
		    (vflags & VMFS_SHARED) != 0);
	return ((long)addr);
}

/*
 * munmap(addr, len): 0; unmapping nothing is not an error.
 * EINVAL: addr not page aligned, len 0, or the range leaves user space.
 * ENOMEM: out of memory splitting a mapping.
 */
long
sys_munmap(uint64_t addr, uint64_t len)
{
	vm_map_t map = vm_curmap();
	vm_size_t rlen;

	if (map == NULL)
		return (-ENOMEM);
	if ((addr & PAGE_MASK) != 0 || addr > VM_MAXUSER_ADDRESS ||
	    len > VM_MAXUSER_ADDRESS - addr)
		return (-EINVAL);
	if (!vm_round_len(len, &rlen) || rlen == 0)
		return (-EINVAL);
	return (vm_map_remove(map, addr, addr + rlen));
}

/*
 * mprotect(addr, len, prot): 0.
 * EINVAL: addr not page aligned; unknown prot bits; PROT_GROWSUP, or
 *   PROT_GROWSDOWN on a mapping that does not grow down.
 * ENOMEM: addr + len wraps; part of the range is not mapped.
 * EACCES: prot asks for more than the mapping allows (a read-only file
 *   opened for MAP_SHARED made writable).
 */
long
sys_mprotect(uint64_t addr, uint64_t len, int prot)
{
	vm_map_t map = vm_curmap();
	vm_map_entry_t e;
	vm_size_t rlen;
	vaddr_t end;
	int grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);

	if (map == NULL)
		return (-ENOMEM);
	prot &= ~grows;
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return (-EINVAL);
	if ((addr & PAGE_MASK) != 0)
		return (-EINVAL);
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return (-EINVAL);
	if (len == 0)
		return (0);
	if (!vm_round_len(len, &rlen) || !vm_range_end(addr, rlen, &end) ||
	    end <= addr)
		return (-ENOMEM);
	if (grows == PROT_GROWSUP)
		return (-EINVAL);
	if (grows == PROT_GROWSDOWN) {
		vm_map_lock(map);
		if (!vm_map_lookup_entry(map, addr, &e)) {
			vm_map_unlock(map);
			return (-ENOMEM);
		}
		if ((e->eflags & MAP_ENTRY_GROWS_DOWN) == 0) {
			vm_map_unlock(map);
			return (-EINVAL);
		}
		addr = e->start;
		vm_map_unlock(map);
	}
	return (vm_map_protect(map, addr, end, prot_to_vm(prot), false));
}

/*
 * brk(addr): the new program break, or the unchanged one when addr is
 * below the start of the heap, the range is in use, RLIMIT_DATA or
 * RLIMIT_AS would be exceeded, or memory ran out
 * (Linux reports failure only through the returned value).  Shrinking
 * unmaps whole pages above the new break.
 */
long
sys_brk(uint64_t addr)
{
	vm_map_t map = vm_curmap();
	struct vmspace *vm;
	vaddr_t newend, oldend, ret;
	bool wire = false;

	if (map == NULL)
		return (-ENOMEM);
	vm = vm_map_to_vmspace(map);
	vm_map_lock(map);
	ret = vm->vm_brk;
	if (addr < vm->vm_daddr || addr > VM_MAXUSER_ADDRESS - PAGE_SIZE)
		goto out;
	newend = round_page(addr);
	oldend = round_page(vm->vm_brk);
	if (newend < oldend) {
		if (vm_map_delete(map, newend, oldend) != 0)
			goto out;
	} else if (newend > oldend) {
		uint64_t dlim = vm_rlimit(RLIMIT_DATA);
		uint64_t alim = vm_rlimit(RLIMIT_AS);

		/* RLIMIT_DATA bounds the heap, RLIMIT_AS everything. */
		if ((dlim != RLIM_INFINITY && newend - vm->vm_daddr > dlim) ||
		    (alim != RLIM_INFINITY && (map->size > alim ||
		    newend - oldend > alim - map->size)))
			goto out;
		/* Keep a guard page below whatever lies above the heap. */
		if (!vm_map_range_free(map, oldend, newend + PAGE_SIZE) ||
		    vm_map_insert(map, NULL, 0, oldend, newend,
		    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
		    MAP_ENTRY_COW) != 0)
			goto out;
		wire = (map->flags & MAP_WIREFUTURE) != 0;
	}
	vm->vm_brk = ret = addr;
out:
	vm_map_unlock(map);
	if (wire)
		vm_map_wire(map, oldend, newend,
		    (map->flags & MAP_WIREFUTURE_ONFAULT) ? VM_MAP_WIRE_ONFAULT :
		    0);
	return ((long)ret);
}

/*
 * madvise(addr, len, advice): 0.
 * EINVAL: addr not page aligned; len rounds past the end of memory;
 *   unknown advice; MADV_DONTNEED/FREE/REMOVE on locked memory;
 *   MADV_FREE or MADV_WIPEONFORK on memory that is not private
 *   anonymous; MADV_REMOVE on private memory.
 * ENOMEM: part of the range is not mapped (the rest is still advised).
 */
long
sys_madvise(uint64_t addr, uint64_t len, int advice)
{
	vm_map_t map = vm_curmap();
	vm_size_t rlen;
	vaddr_t end;
	bool mapped;

	if (map == NULL)
		return (-ENOMEM);
	if ((addr & PAGE_MASK) != 0)
		return (-EINVAL);
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL:
	case MADV_WILLNEED: case MADV_DONTNEED: case MADV_FREE:
	case MADV_REMOVE: case MADV_DONTFORK: case MADV_DOFORK:
	case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_COLD: case MADV_PAGEOUT:
		break;
	default:
		return (-EINVAL);
	}
	if (!vm_round_len(len, &rlen) || (len != 0 && rlen == 0) ||
	    !vm_range_end(addr, rlen, &end))
		return (-EINVAL);
	if (end == addr)
		return (0);
	switch (advice) {
	case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
	case MADV_COLD: case MADV_PAGEOUT:
		/* Nothing to merge, no huge pages, no core dumps, no swap. */
		vm_map_lock(map);
		mapped = vm_map_range_mapped(map, addr, end);
		vm_map_unlock(map);
		return (mapped ? 0 : -ENOMEM);
	}
	return (vm_map_madvise(map, addr, end, advice));
}

/*
 * mincore(addr, len, vec): 0, with one byte per page in vec, 1 when the
 * page is resident.
 * EINVAL: addr not page aligned.
 * ENOMEM: the range wraps, leaves user space or has unmapped pages.
 * EFAULT: vec is not writable user memory.
 */
long
sys_mincore(uint64_t addr, uint64_t len, unsigned char *vec)
{
	vm_map_t map = vm_curmap();
	unsigned char buf[64];
	vm_map_entry_t e;
	vm_size_t rlen;
	vaddr_t end, va;
	size_t n, i, done;
	vm_object_t obj;
	int error;

	if (map == NULL)
		return (-ENOMEM);
	if ((addr & PAGE_MASK) != 0)
		return (-EINVAL);
	if (!vm_round_len(len, &rlen) || !vm_range_end(addr, rlen, &end) ||
	    end > VM_MAXUSER_ADDRESS)
		return (-ENOMEM);
	n = rlen >> PAGE_SHIFT;
	if ((uint64_t)vec + n < (uint64_t)vec ||
	    (uint64_t)vec + n > VM_MAXUSER_ADDRESS)
		return (-EFAULT);
	for (done = 0, va = addr; done < n; done += i) {
		vm_map_lock(map);
		for (i = 0; i < sizeof(buf) && done + i < n; i++, va +=
		    PAGE_SIZE) {
			if (!vm_map_lookup_entry(map, va, &e)) {
				vm_map_unlock(map);
				return (-ENOMEM);
			}
			obj = e->object;
			buf[i] = obj != NULL && vm_object_chain_lookup(obj,
			    (e->offset + (va - e->start)) >> PAGE_SHIFT,
			    NULL) != NULL;
		}
		vm_map_unlock(map);
		if ((error = copyout(buf, vec + done, i)) != 0)
			return (error);
	}
	return (0);
}

/*
 * msync(addr, len, flags): 0.  The dirty pages of shared file mappings in
 * the range are written back through the file's pager (MS_SYNC waits for
 * it, MS_ASYNC starts it); anonymous and private memory has nowhere to
 * go.  MS_INVALIDATE has nothing more to do: mappings and read/write share
 * one page cache, so no mapping holds a stale copy.  Each object is
 * cleaned with the map unlocked (the pager may sleep), holding a
 * reference; the pager write-protects the pages it writes in every
 * process's shared mappings (this one's too), so the next store anywhere
 * dirties them again (mm/vnode_pager.c).
 * EINVAL: addr not page aligned; unknown flags; MS_SYNC with MS_ASYNC.
 * ENOMEM: the range wraps or part of it is unmapped (the mapped parts
 *   are still written back, as in Linux).
 * EBUSY: MS_INVALIDATE on locked memory.
 * EIO: the file system could not write a page back.
 */
long
sys_msync(uint64_t addr, uint64_t len, int flags)
{
	vm_map_t map = vm_curmap();
	vm_map_entry_t e;
	vm_object_t obj;
	vm_pindex_t first, last;
	vm_size_t rlen;
	vaddr_t end, va;
	int error = 0;

	if (map == NULL)
		return (-ENOMEM);
	if ((addr & PAGE_MASK) != 0)
		return (-EINVAL);
	if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC))
		return (-EINVAL);
	if ((flags & MS_ASYNC) && (flags & MS_SYNC))
		return (-EINVAL);
	if (!vm_round_len(len, &rlen) || !vm_range_end(addr, rlen, &end))
		return (-ENOMEM);
	if (end == addr)
		return (0);
	vm_map_lock(map);
	if (!vm_map_range_mapped(map, addr, end))
		error = -ENOMEM;
	if (flags & MS_INVALIDATE) {
		for (e = vm_map_entry_at_or_after(map, addr);
		    e != NULL && e->start < end;
		    e = vm_map_next_entry(map, e))
			if (e->wired_count > 0) {
				vm_map_unlock(map);
				return (-EBUSY);
			}
	}
	vm_map_unlock(map);
	for (va = addr; va < end;) {
		vm_map_lock(map);
		e = vm_map_entry_at_or_after(map, va);
		if (e == NULL || e->start >= end) {
			vm_map_unlock(map);
			break;
		}
		va = MAX(va, e->start);
		obj = NULL;
		if (e->object != NULL && e->object->type == OBJT_VNODE &&
		    (e->eflags & MAP_ENTRY_COW) == 0) {
			obj = e->object;
			vm_object_reference(obj);
			first = (e->offset + (va - e->start)) >> PAGE_SHIFT;
			last = (e->offset + (MIN(end, e->end) - e->start)) >>
			    PAGE_SHIFT;
		}
		va = MIN(end, e->end);
		vm_map_unlock(map);
		if (obj != NULL) {
			if (vm_object_page_clean(obj, first, last,
			    (flags & MS_SYNC) != 0) != 0 && error == 0)
				error = -EIO;
			vm_object_deallocate(obj);
		}
	}
	return (error);
}

/* The page range of mlock(addr, len): addr need not be aligned. */
static int
vm_mlock_range(uint64_t addr, uint64_t len, vaddr_t *start, vaddr_t *end)
{
	vm_size_t rlen;

	*start = trunc_page(addr);
	if (len > UINT64_MAX - (addr & PAGE_MASK) ||
	    !vm_round_len(len + (addr & PAGE_MASK), &rlen) ||
	    !vm_range_end(*start, rlen, end))
		return (-EINVAL);
	return (0);
}

/*
 * mlock(addr, len) and mlock2(addr, len, flags): 0; the pages stay
 * resident (and, unless MLOCK_ONFAULT, are faulted in now).
 * EINVAL: addr + len wraps; mlock2 flags other than MLOCK_ONFAULT.
 * ENOMEM: part of the range is unmapped, or memory ran out.
 */
long
sys_mlock2(uint64_t addr, uint64_t len, int flags)
{
	vm_map_t map = vm_curmap();
	vaddr_t start, end;
	int error;

	if (map == NULL)
		return (-ENOMEM);
	if (flags & ~MLOCK_ONFAULT)
		return (-EINVAL);
	if ((error = vm_mlock_range(addr, len, &start, &end)) != 0)
		return (error);
	if (start == end)
		return (0);
	return (vm_map_wire(map, start, end,
	    (flags & MLOCK_ONFAULT) ? VM_MAP_WIRE_ONFAULT : 0));
}

long
sys_mlock(uint64_t addr, uint64_t len)
{
	return (sys_mlock2(addr, len, 0));
}

/*
 * munlock(addr, len): 0.
 * EINVAL: addr + len wraps.  ENOMEM: part of the range is unmapped.
 */
long
sys_munlock(uint64_t addr, uint64_t len)
{
	vm_map_t map = vm_curmap();
	vaddr_t start, end;
	int error;

	if (map == NULL)
		return (-ENOMEM);
	if ((error = vm_mlock_range(addr, len, &start, &end)) != 0)
		return (error);
	if (start == end)
		return (0);
	return (vm_map_unwire(map, start, end));
}

/* Apply wire or unwire to every entry now in the map. */
static int
vm_map_wire_all(vm_map_t map, bool wire, int wflags)
{
	vm_map_entry_t e;
	vaddr_t start, end;
	int error;

	for (start = 0;;) {
		vm_map_lock(map);
		if (!vm_map_lookup_entry(map, start, &e))
			e = e == NULL ? vm_map_first_entry(map) :
			    vm_map_next_entry(map, e);
		if (e == NULL) {
			vm_map_unlock(map);
			return (0);
		}
		start = MAX(start, e->start);
		end = e->end;
		vm_map_unlock(map);
		error = wire ? vm_map_wire(map, start, end, wflags) :
		    vm_map_unwire(map, start, end);
		if (error != 0 && error != -ENOMEM)
			return (error);
		if (error == -ENOMEM && wire)
			return (error);
		start = end;
	}
}

/*
 * mlockall(flags): 0.  MCL_CURRENT locks what is mapped now, MCL_FUTURE
 * what will be mapped; MCL_ONFAULT defers faulting the pages in.
 * EINVAL: no flags, unknown flags, or MCL_ONFAULT alone.
 * ENOMEM: memory ran out.
 */
long
sys_mlockall(int flags)
{
	vm_map_t map = vm_curmap();
	int wflags;

	if (map == NULL)
		return (-ENOMEM);
	if (flags == 0 || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT))
	    || flags == MCL_ONFAULT)
		return (-EINVAL);
	wflags = (flags & MCL_ONFAULT) ? VM_MAP_WIRE_ONFAULT : 0;
	vm_map_lock(map);
	map->flags &= ~(MAP_WIREFUTURE | MAP_WIREFUTURE_ONFAULT);
	if (flags & MCL_FUTURE)
		map->flags |= MAP_WIREFUTURE |
		    ((flags & MCL_ONFAULT) ? MAP_WIREFUTURE_ONFAULT : 0);
	vm_map_unlock(map);
	if (flags & MCL_CURRENT)
		return (vm_map_wire_all(map, true, wflags));
	return (0);
}

/* munlockall(): 0; nothing stays locked, now or in future mappings. */
long
sys_munlockall(void)
{
	vm_map_t map = vm_curmap();

	if (map == NULL)
		return (-ENOMEM);
	vm_map_lock(map);
	map->flags &= ~(MAP_WIREFUTURE | MAP_WIREFUTURE_ONFAULT);
	vm_map_unlock(map);
	return (vm_map_wire_all(map, false, 0));
}

/*
 * minherit(addr, len, inherit), Mica system call 1002 with FreeBSD's
 * semantics: how fork passes [addr, addr + len) to the child.
 * INHERIT_SHARE shares it, INHERIT_COPY copies it (copy-on-write),
 * INHERIT_NONE leaves it out, INHERIT_ZERO gives the child zeros.
 * Unmapped parts are ignored.  EINVAL: the range wraps; unknown inherit.
 */
long
sys_minherit(uint64_t addr, uint64_t len, int inherit)
{
	vm_map_t map = vm_curmap();
	vaddr_t start, end;
	int error;

	if (map == NULL)
		return (-ENOMEM);
	if ((error = vm_mlock_range(addr, len, &start, &end)) != 0)
		return (error);
	if (inherit < INHERIT_SHARE || inherit > INHERIT_ZERO)
		return (-EINVAL);
	return (vm_map_inherit(map, start, end, inherit));
}
