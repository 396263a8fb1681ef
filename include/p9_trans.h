/*
 * p9_trans.h: connecting a 9P channel (struct mnt) over a transport.
 *
 * p9_vserial_connect finds a virtio-serial port by name, waits for the
 * host end, opens the guest end and negotiates Tversion; the returned
 * struct mnt is ready for p9_attach.  What a later mount(2) of type "9p"
 * calls once the vnode layer over 9P exists.
 */
#ifndef _P9_TRANS_H_
#define _P9_TRANS_H_

#include <p9.h>

#define P9_VSERIAL_PORT	"org.9p.0"

/*
 * A channel over the virtio-serial port `port`, msize negotiated from
 * `msize`.  NULL with *errp: -ENODEV (no such port within timo_ns),
 * -ENOTCONN (host end not connected), -EBUSY (another channel holds the
 * port), -ENOMEM, or mnt_version's error.  Bytes left in the port from
 * an earlier channel are dropped first; the Tversion must be answered
 * within timo_ns (if not 0).
 */
struct mnt *p9_vserial_connect(const char *port, uint32_t msize,
    uint64_t timo_ns, int *errp);
/*
 * A channel over the virtio-9p device whose mount tag is `tag` (QEMU's
 * mount_tag=).  NULL with *errp: -ENODEV, -EBUSY (already in use),
 * -ENOMEM, or mnt_version's error.
 */
struct mnt *p9_virtio_connect(const char *tag, uint32_t msize, int *errp);
/* Sleep/wakeup for a mount's waiters, once a scheduler is linked in. */
void p9_mnt_kernel_hooks(struct mnt *m);

#endif /* !_P9_TRANS_H_ */
