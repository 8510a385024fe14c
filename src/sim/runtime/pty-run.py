#!/usr/bin/env python3
"""Runs ARGV on a new pseudo-terminal and relays it (src/sim/runtime: TTY exec and TTY containers).

  pty-run.py [--rows R --cols C] [--input FIFO] [--log FILE] [--resize FIFO | --resize-fd N] -- ARGV...

Input comes from stdin, or from FIFO opened read-write (so it never reads EOF: a later `kubectl attach`
writes to it). Output goes to stdout, or is appended to FILE. Each line "ROWS COLS" on the resize
channel resizes the terminal (TIOCSWINSZ; the kernel sends SIGWINCH). Exits with ARGV's status, 128 + N
when a signal N ended it. The ARGV values are passed to exec unchanged, never to a shell.
"""
import argparse
import fcntl
import os
import pty
import select
import struct
import sys
import termios

EOF_CHAR = b"\x04"


def set_size(fd, rows, cols):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=24)
    parser.add_argument("--cols", type=int, default=80)
    parser.add_argument("--input")
    parser.add_argument("--log")
    parser.add_argument("--resize")
    parser.add_argument("--resize-fd", type=int)
    parser.add_argument("argv", nargs="+")
    args = parser.parse_args()

    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(args.argv[0], args.argv)
        finally:
            os._exit(127)
    set_size(master, args.rows, args.cols)

    source = os.open(args.input, os.O_RDWR) if args.input else 0
    sink = os.open(args.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600) if args.log else 1
    resize = None
    if args.resize:
        resize = os.open(args.resize, os.O_RDWR)
    elif args.resize_fd is not None:
        resize = args.resize_fd
    pending = b""
    readers = [master, source] + ([resize] if resize is not None else [])
    status = None
    while True:
        try:
            ready, _, _ = select.select(readers, [], [], 0.2 if status is not None else None)
        except InterruptedError:
            continue
        if not ready and status is not None:
            break  # the command ended and its terminal has been quiet: a leftover holds the slave open
        if master in ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                data = b""  # EIO: every slave descriptor is closed
            if not data:
                break
            os.write(sink, data)
        if source in ready:
            data = os.read(source, 65536)
            if data:
                os.write(master, data)
            else:
                os.write(master, EOF_CHAR)  # the client closed stdin: the terminal's Ctrl-D
                readers.remove(source)
        if resize is not None and resize in ready:
            data = os.read(resize, 4096)
            if not data:
                readers.remove(resize)
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                parts = line.split()
                if len(parts) == 2:
                    set_size(master, int(parts[0]), int(parts[1]))
        if status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = raw
    if status is None:
        _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    sys.exit(128 - code if code < 0 else code)


if __name__ == "__main__":
    main()
