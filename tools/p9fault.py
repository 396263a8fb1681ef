#!/usr/bin/env python3
"""tools/p9fault.py: a 9P2000.L server that misbehaves on request.

  tools/p9fault.py SOCKET [--log FILE]

Listens on the unix socket SOCKET (QEMU's virtserialport chardev connects
to it, with reconnect=1 so a dropped connection comes back) and serves,
one connection after another, a tiny tree: the root directory and one file
`file` holding FILE_DATA.  The Tattach aname picks the behaviour for the
rest of that connection: its last path component is the mode.

  ok          behave (the baseline, and "later mounts work")
  lerror      attach and the root's getattr succeed; every later request
              is answered Rlerror(ENOSPC), clunks included
  attacherr   Tattach itself is answered Rlerror(EACCES)
  The rest misbehave on the first Tread (walk, getattr, lopen of `file`
  work, so the guest gets as far as read(2)), then drop the connection
  unless noted:
  smallsize   a reply whose size field is 3
  bigsize     a reply whose size field is 0x7fffffff
  truncated   a header promising 200 bytes, 20 sent, then silence (kept)
  badtag      Rread with a tag nobody used, never the right one (kept)
  badtype     an Rwrite where the Rread belongs (kept)
  hugeread    an Rread with count larger than asked (kept)
  delay       no answer for 8 s, then the right one (kept)
  disconnect  close the connection without answering

This is a test tool: one connection at a time, no real files, no auth.
"""
import os
import socket
import struct
import sys
import time

FILE_DATA = b"fault-server file contents\n"
QID_ROOT = (0x80, 0, 1)
QID_FILE = (0x00, 0, 2)
ENOENT, EACCES, ENOSPC, EOPNOTSUPP = 2, 13, 28, 95
LOG = sys.stderr


def log(msg):
    LOG.write("p9fault: %s\n" % msg)
    LOG.flush()


def qid(q):
    return struct.pack("<BIQ", *q)


def msg(typ, tag, body=b""):
    return struct.pack("<IBH", 7 + len(body), typ, tag) + body


def lerror(tag, errno):
    return msg(7, tag, struct.pack("<I", errno))


def s9(b):
    return struct.pack("<H", len(b)) + b


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.mode = "ok"
        self.fids = {}          # fid -> qid
        self.root_getattr_done = False
        self.fired = False

    def recv_msg(self):
        while True:
            if len(self.buf) >= 4:
                size = struct.unpack("<I", self.buf[:4])[0]
                if size < 7:
                    return None
                if len(self.buf) >= size:
                    m, self.buf = self.buf[:size], self.buf[size:]
                    return m
            d = self.sock.recv(65536)
            if not d:
                return None
            self.buf += d

    def send(self, data):
        self.sock.sendall(data)

    def getattr_body(self, q):
        isdir = q[0] & 0x80
        mode = 0o40755 if isdir else 0o100644
        size = 0 if isdir else len(FILE_DATA)
        now = int(time.time())
        return (struct.pack("<Q", 0x7ff) + qid(q) +
                struct.pack("<IIIQQQQQ", mode, 0, 0, 1, 0, size, 4096,
                            (size + 511) // 512) +
                struct.pack("<QQQQQQQQ", now, 0, now, 0, now, 0, 0, 0) +
                struct.pack("<QQ", 0, 0))

    def misbehave(self, tag, count):
        """The first Tread under a bad mode: True to keep the connection."""
        m = self.mode
        log("misbehaving: %s" % m)
        if m == "smallsize":
            self.send(struct.pack("<IBH", 3, 117, tag))
        elif m == "bigsize":
            self.send(struct.pack("<IBH", 0x7fffffff, 117, tag) + b"x" * 64)
        elif m == "truncated":
            self.send(struct.pack("<IBH", 200, 117, tag) + b"y" * 13)
            return True
        elif m == "badtag":
            self.send(msg(117, (tag + 17) % 60 + 1 if tag != 0xffff else 3,
                          struct.pack("<I", 1) + b"z"))
            return True
        elif m == "badtype":
            self.send(msg(119, tag, struct.pack("<I", count)))
            return True
        elif m == "hugeread":
            data = FILE_DATA * 4
            self.send(msg(117, tag, struct.pack("<I", count + 1000) + data))
            return True
        elif m == "delay":
            time.sleep(8)
            data = FILE_DATA
            self.send(msg(117, tag, struct.pack("<I", len(data)) + data))
            return True
        elif m == "disconnect":
            pass
        return False

    def handle(self, m):
        size, typ, tag = struct.unpack("<IBH", m[:7])
        b = m[7:]
        if typ == 100:                              # Tversion
            msize = struct.unpack("<I", b[:4])[0]
            # A new session (a new mount): forget the last one.
            self.fids.clear()
            self.mode = "ok"
            self.root_getattr_done = False
            self.fired = False
            self.send(msg(101, tag, struct.pack("<I", min(msize, 65536)) +
                          s9(b"9P2000.L")))
            return True
        if typ == 108:                              # Tflush
            self.send(msg(109, tag))
            return True
        if self.mode == "lerror" and self.root_getattr_done:
            self.send(lerror(tag, ENOSPC))
            return True
        if typ == 104:                              # Tattach
            fid, afid = struct.unpack("<II", b[:8])
            n = struct.unpack("<H", b[8:10])[0]
            p = 10 + n
            an = struct.unpack("<H", b[p:p + 2])[0]
            aname = b[p + 2:p + 2 + an].decode(errors="replace")
            self.mode = aname.rstrip("/").split("/")[-1] or "ok"
            log("attach %r: mode %s" % (aname, self.mode))
            if self.mode == "attacherr":
                self.send(lerror(tag, EACCES))
                return True
            self.fids[fid] = QID_ROOT
            self.send(msg(105, tag, qid(QID_ROOT)))
            return True
        if typ == 110:                              # Twalk
            fid, newfid, nw = struct.unpack("<IIH", b[:10])
            q = self.fids.get(fid)
            if q is None:
                self.send(lerror(tag, ENOENT))
                return True
            p, qids = 10, []
            for _ in range(nw):
                n = struct.unpack("<H", b[p:p + 2])[0]
                name = b[p + 2:p + 2 + n]
                p += 2 + n
                if q == QID_ROOT and name == b"file":
                    q = QID_FILE
                elif name == b"..":
                    q = QID_ROOT
                else:
                    break
                qids.append(q)
            if len(qids) < nw:
                self.send(lerror(tag, ENOENT) if not qids else
                          msg(111, tag, struct.pack("<H", len(qids)) +
                              b"".join(qid(x) for x in qids)))
                return True
            self.fids[newfid] = q
            self.send(msg(111, tag, struct.pack("<H", nw) +
                          b"".join(qid(x) for x in qids)))
            return True
        fid = struct.unpack("<I", b[:4])[0] if len(b) >= 4 else None
        q = self.fids.get(fid)
        if q is None:
            self.send(lerror(tag, ENOENT))
            return True
        if typ == 24:                               # Tgetattr
            if q == QID_ROOT:
                self.root_getattr_done = True
            self.send(msg(25, tag, self.getattr_body(q)))
        elif typ == 12:                             # Tlopen
            self.send(msg(13, tag, qid(q) + struct.pack("<I", 0)))
        elif typ == 116:                            # Tread
            off, count = struct.unpack("<QI", b[4:16])
            if self.mode not in ("ok", "lerror") and not self.fired:
                self.fired = True
                return self.misbehave(tag, count)
            data = FILE_DATA[off:off + count] if q == QID_FILE else b""
            self.send(msg(117, tag, struct.pack("<I", len(data)) + data))
        elif typ == 40:                             # Treaddir
            off = struct.unpack("<Q", b[4:12])[0]
            ents = b""
            if off == 0:
                ents = qid(QID_FILE) + struct.pack("<QB", 1, 8) + s9(b"file")
            self.send(msg(41, tag, struct.pack("<I", len(ents)) + ents))
        elif typ == 120:                            # Tclunk
            self.fids.pop(fid, None)
            self.send(msg(121, tag))
        elif typ == 8:                              # Tstatfs
            self.send(msg(9, tag, struct.pack("<IIQQQQQQI", 0x01021997,
                                              4096, 100, 50, 50, 10, 5, 1,
                                              255)))
        else:
            self.send(lerror(tag, EOPNOTSUPP))
        return True


def serve(path):
    try:
        os.unlink(path)
    except OSError:
        pass
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(path)
    ls.listen(1)
    while True:
        s, _ = ls.accept()
        log("connection")
        c = Conn(s)
        try:
            while True:
                m = c.recv_msg()
                if m is None or not c.handle(m):
                    break
        except (OSError, struct.error) as e:
            log("connection error: %s" % e)
        log("closing the connection (mode %s)" % c.mode)
        s.close()


def main():
    global LOG
    args = sys.argv[1:]
    if "--log" in args:
        i = args.index("--log")
        LOG = open(args[i + 1], "a")
        del args[i:i + 2]
    if len(args) != 1:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        sys.exit(2)
    serve(args[0])


if __name__ == "__main__":
    main()
