/*
 * kern_oom.c: what happens when user memory runs out.
 *
 * vm_page_alloc refuses pages for user memory while the free count is
 * under vm_page_reserve (mm/vm_page.c), so the kernel's own allocations
 * keep working after user space has eaten everything else.  A user page
 * fault that cannot get a page then calls oom_kill: like Linux's OOM
 * killer it picks the user process with the most resident pages (never
 * init, never a kernel thread) and sends it SIGKILL.  If the victim is
 * another process, the faulting one waits a tick and retries its fault
 * (the victim's pages come back when it exits); if it is itself, it dies.
 * System calls that need memory (mmap with MAP_POPULATE, mlock, fork)
 * answer ENOMEM or EAGAIN instead and kill nobody.
 */
#include <kernel.h>
#include <proc.h>
#include <uapi/signal.h>
#include <vm_map.h>

static int oom_lastpid;		/* proc_lock: last victim, printed once */

/* true: another process was killed (retry the fault); false: die. */
bool
oom_kill(struct proc *self)
{
	struct proc *p, *victim = NULL;
	uint64_t most = 0, n;
	bool print;

	spin_lock(&proc_lock);
	LIST_FOREACH(p, &allproc, p_list) {
		if (p->p_pid <= 1 || (p->p_flag & (P_KPROC | P_WEXIT)) ||
		    p->p_state != PRS_NORMAL || p->p_vmspace == NULL)
			continue;
		n = pmap_resident_count(&p->p_vmspace->vm_pmap);
		if (victim == NULL || n > most) {
			victim = p;
			most = n;
		}
	}
	if (victim == NULL)
		victim = self;
	print = victim->p_pid != oom_lastpid;
	oom_lastpid = victim->p_pid;
	spin_unlock(&proc_lock);
	if (print)
		printk(KERN_WARNING "oom: out of memory: killed pid %d (%.16s), "
		    "%lu pages resident\n", victim->p_pid, victim->p_comm,
		    (unsigned long)most);
	if (victim == self)
		return (false);
	psignal(victim, SIGKILL);
	return (true);
}
