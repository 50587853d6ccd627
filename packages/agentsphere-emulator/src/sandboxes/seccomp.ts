/**
 * A classic-BPF seccomp program for bubblewrap's `--seccomp FD`: it refuses the system calls
 * that reach the kernel's most exposed surfaces (mounts, namespaces, kernel modules, keyrings,
 * BPF, ptrace, …) with EPERM and lets everything else through, much like Docker's default
 * profile does. x86-64 only: elsewhere there is no filter and {@link seccompProgram} says so.
 */

// struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
const BPF_LD_W_ABS = 0x20;
const BPF_JEQ_K = 0x15;
const BPF_JGE_K = 0x35;
const BPF_JSET_K = 0x45;
const BPF_RET_K = 0x06;

// struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const OFFSET_ARG0_LOW = 16;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const EPERM = 1;
const ENOSYS = 38;

/** x86-64 numbers of the refused calls (asm/unistd_64.h). */
const REFUSED_X86_64: Record<string, number> = {
  syslog: 103,
  ptrace: 101,
  uselib: 134,
  vhangup: 153,
  pivot_root: 155,
  adjtimex: 159,
  chroot: 161,
  acct: 163,
  settimeofday: 164,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  iopl: 172,
  ioperm: 173,
  init_module: 175,
  delete_module: 176,
  quotactl: 179,
  nfsservctl: 180,
  lookup_dcookie: 212,
  clock_settime: 227,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  unshare: 272,
  perf_event_open: 298,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  clock_adjtime: 305,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  mount_setattr: 442,
  quotactl_fd: 443,
};
const CLONE_X86_64 = 56;
const CLONE3_X86_64 = 435;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET. */
const CLONE_NAMESPACE_FLAGS = 0x7e020000;

/** The names of the refused system calls, for the docs and the log. */
export const REFUSED_SYSCALLS = Object.keys(REFUSED_X86_64).sort();

interface Instruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

const load = (offset: number): Instruction => ({
  code: BPF_LD_W_ABS,
  jt: 0,
  jf: 0,
  k: offset,
});
const ret = (value: number): Instruction => ({
  code: BPF_RET_K,
  jt: 0,
  jf: 0,
  k: value,
});

/**
 * The filter as bubblewrap reads it (an array of `struct sock_filter` in host byte order), or
 * undefined on an architecture it has no system call table for.
 */
export function seccompProgram(
  arch: string = process.arch,
): Buffer | undefined {
  if (arch !== 'x64') {
    return undefined;
  }
  const refused = Object.values(REFUSED_X86_64);
  // Layout: checks, then the shared verdicts at the end; jumps count instructions to skip.
  const checks: Instruction[] = [];
  const verdictTargets: Array<'deny' | 'enosys' | undefined> = [];
  const jumpTo = (code: number, k: number, target: 'deny' | 'enosys') => {
    checks.push({ code, jt: 0, jf: 0, k });
    verdictTargets.push(target);
  };
  const plain = (instruction: Instruction) => {
    checks.push(instruction);
    verdictTargets.push(undefined);
  };

  plain(load(OFFSET_ARCH));
  // Any other ABI (i386 via int 0x80) is killed: its numbers differ.
  plain({ code: BPF_JEQ_K, jt: 1, jf: 0, k: AUDIT_ARCH_X86_64 });
  plain(ret(SECCOMP_RET_KILL_PROCESS));
  plain(load(OFFSET_NR));
  // x32 system calls have their own numbering: refuse them all.
  jumpTo(BPF_JGE_K, X32_SYSCALL_BIT, 'deny');
  for (const nr of refused) {
    jumpTo(BPF_JEQ_K, nr, 'deny');
  }
  // clone3 passes its flags in memory a filter cannot read; ENOSYS makes libc fall back to clone.
  jumpTo(BPF_JEQ_K, CLONE3_X86_64, 'enosys');
  // clone with any namespace flag is refused (a new user namespace would bring capabilities back).
  plain({ code: BPF_JEQ_K, jt: 0, jf: 2, k: CLONE_X86_64 });
  plain(load(OFFSET_ARG0_LOW));
  jumpTo(BPF_JSET_K, CLONE_NAMESPACE_FLAGS, 'deny');
  plain(ret(SECCOMP_RET_ALLOW));

  const denyIndex = checks.length;
  const enosysIndex = denyIndex + 1;
  const program = checks.map((instruction, index) => {
    const target = verdictTargets[index];
    if (!target) {
      return instruction;
    }
    const to = target === 'deny' ? denyIndex : enosysIndex;
    return { ...instruction, jt: to - index - 1, jf: 0 };
  });
  program.push(ret(SECCOMP_RET_ERRNO | EPERM), ret(SECCOMP_RET_ERRNO | ENOSYS));

  const bytes = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    if (instruction.jt > 255) {
      throw new Error('seccomp program too long for an 8-bit jump');
    }
    bytes.writeUInt16LE(instruction.code, index * 8);
    bytes.writeUInt8(instruction.jt, index * 8 + 2);
    bytes.writeUInt8(instruction.jf, index * 8 + 3);
    bytes.writeUInt32LE(instruction.k, index * 8 + 4);
  });
  return bytes;
}
