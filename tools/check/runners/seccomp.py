#!/usr/bin/env python3
"""The system-call filter of the sandbox (tools.check.runners.sandbox):
the calls no check ever needs fail with EPERM, compiled by libseccomp
(the library systemd, Docker and Flatpak build theirs with, on every
Debian and Ubuntu as libseccomp2) into the BPF program bubblewrap loads with
--seccomp just before the child starts. ctypes calls the library, so the
filter is the same on every line's Python, 3.6 included.

What fails, and why a learner's code never needs it:
- the file-system tree: mount, umount2, pivot_root, chroot, the new
  mount API (fsopen ...), and a namespace of its own (unshare, setns,
  clone with a namespace flag): the view the sandbox gives is the only
  one;
- other processes and the kernel: ptrace, process_vm_readv/writev,
  kexec, module loading, bpf, perf_event_open, the keyrings, reboot,
  swapon/swapoff, acct, quotactl, syslog, iopl/ioperm, userfaultfd;
- device nodes (mknod), and typing into a terminal (ioctl TIOCSTI);
- the network: socket() of every family, and io_uring (which can open
  and connect sockets without socket()). The internet families (AF_INET,
  AF_INET6) would reach other machines, AF_NETLINK and AF_PACKET the
  host's own network, and AF_UNIX the services of this machine (an
  abstract-namespace socket has no file permission to stop it, where no
  network namespace hides them); neither TensorFlow, Keras nor the
  channel to the judge opens one (the channel is a socket pair the
  checker makes and hands down: socketpair() stays allowed, and reaches
  no one else);
- clone3 answers ENOSYS (its flags sit in memory a filter cannot read),
  so the C library falls back to clone, whose flags the filter reads.

bubblewrap loads the filter (--seccomp) in the sandbox; where no sandbox
can be made, loader() loads the same program in the child, after it is
forked and before it execs, behind no_new_privs: a filter is inherited
by all a process starts and cannot be taken off."""
import ctypes
import ctypes.util
import errno

# every call here fails with EPERM
DENIED = (
    'mount', 'umount2', 'pivot_root', 'chroot', 'fsopen', 'fsconfig',
    'fsmount', 'fspick', 'move_mount', 'open_tree', 'mount_setattr',
    'unshare', 'setns', 'ptrace', 'process_vm_readv', 'process_vm_writev',
    'kexec_load', 'kexec_file_load', 'init_module', 'finit_module',
    'delete_module', 'bpf', 'perf_event_open', 'keyctl', 'add_key',
    'request_key', 'reboot', 'swapon', 'swapoff', 'acct', 'quotactl',
    'syslog', 'iopl', 'ioperm', 'userfaultfd', 'mknod', 'mknodat',
    'open_by_handle_at', 'name_to_handle_at', 'lookup_dcookie',
    'vhangup', 'socket', 'io_uring_setup', 'io_uring_enter',
    'io_uring_register')
# clone's flags that make a namespace (mount, user, PID, network, UTS,
# IPC, cgroup)
NAMESPACES = (0x00020000, 0x10000000, 0x20000000, 0x40000000, 0x04000000,
              0x08000000, 0x02000000)
TIOCSTI = 0x5412
# libseccomp's constants (seccomp.h)
ALLOW = 0x7fff0000
ERRNO = 0x00050000
MASKED_EQ = 7


class Comparison(ctypes.Structure):
    """libseccomp's struct scmp_arg_cmp: argument arg, compared by op."""
    _fields_ = [('arg', ctypes.c_uint), ('op', ctypes.c_int),
                ('datum_a', ctypes.c_uint64), ('datum_b', ctypes.c_uint64)]


_made = []


def program():
    """Returns (the filter's BPF program as bytes, '') or (None, why it
    cannot be made here). Made once a process."""
    if not _made:
        try:
            _made.append((compiled(), ''))
        except (OSError, AttributeError, RuntimeError) as error:
            _made.append((None, 'no system-call filter: libseccomp {}'
                          .format(error)))
    return _made[0]


def compiled():
    """Returns the filter compiled by libseccomp (raises OSError where the
    library is missing, RuntimeError where it refuses a rule)."""
    library = ctypes.CDLL(ctypes.util.find_library('seccomp') or
                          'libseccomp.so.2')
    library.seccomp_init.restype = ctypes.c_void_p
    library.seccomp_init.argtypes = [ctypes.c_uint32]
    library.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    library.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint,
        ctypes.c_void_p]
    library.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    library.seccomp_release.argtypes = [ctypes.c_void_p]
    context = library.seccomp_init(ALLOW)
    if not context:
        raise RuntimeError('could not start a filter')

    def rule(name, action, *comparisons):
        """Adds the rule: call name with comparisons gets action."""
        number = library.seccomp_syscall_resolve_name(name.encode())
        if number < 0:
            return  # a call this machine does not have
        array = (Comparison * len(comparisons))(*comparisons)
        if library.seccomp_rule_add_array(
                ctypes.c_void_p(context), action, number, len(comparisons),
                array if comparisons else None) != 0:
            raise RuntimeError('refused the rule on ' + name)
    try:
        for name in DENIED:
            rule(name, ERRNO | errno.EPERM)
        rule('clone3', ERRNO | errno.ENOSYS)
        for flag in NAMESPACES:
            rule('clone', ERRNO | errno.EPERM,
                 Comparison(0, MASKED_EQ, flag, flag))
        rule('ioctl', ERRNO | errno.EPERM,
             Comparison(1, MASKED_EQ, 0xffffffff, TIOCSTI))
        return exported(library, context)
    finally:
        library.seccomp_release(ctypes.c_void_p(context))


def exported(library, context):
    """Returns the BPF program of context, through a pipe."""
    import os
    import threading
    read, write = os.pipe()
    chunks = []
    reader = threading.Thread(target=lambda: chunks.append(
        os.fdopen(read, 'rb').read()))
    reader.start()
    try:
        status = library.seccomp_export_bpf(ctypes.c_void_p(context), write)
    finally:
        os.close(write)
        reader.join()
    if status != 0:
        raise RuntimeError('could not export the filter')
    return chunks[0]


# prctl's options (linux/prctl.h, linux/seccomp.h)
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2


class Program(ctypes.Structure):
    """The kernel's struct sock_fprog: a BPF program's length in
    instructions (8 bytes each) and where they are."""
    _fields_ = [('len', ctypes.c_ushort), ('filter', ctypes.c_void_p)]


def loader():
    """Returns (a function that loads the filter into the process calling
    it, '') or (None, why it cannot be loaded here). Everything is made
    before a fork, so that the forked child only calls the kernel: it
    sets no_new_privs (which lets any user load a filter) and loads
    program(); where the kernel refuses, the child raises OSError, and
    the child does not start."""
    made, why = program()
    if made is None:
        return None, why
    libc = ctypes.CDLL(None, use_errno=True)
    prctl = libc.prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p,
                      ctypes.c_ulong, ctypes.c_ulong]
    code = ctypes.create_string_buffer(made, len(made))
    held = Program(len(made) // 8, ctypes.cast(code, ctypes.c_void_p))
    where = ctypes.cast(ctypes.pointer(held), ctypes.c_void_p)

    def load():
        """In the child, before it execs: no_new_privs, then the filter."""
        if prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0 or prctl(
                PR_SET_SECCOMP, SECCOMP_MODE_FILTER, where, 0, 0) != 0:
            number = ctypes.get_errno()
            raise OSError(number, 'the system-call filter: ' +
                          errno.errorcode.get(number, str(number)))
    # what the program's memory is, kept alive as long as load
    load.kept = (code, held, where)
    return load, ''
