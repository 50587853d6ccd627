import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * How sandboxes are separated from each other and from the host.
 *
 * - `bubblewrap`: own `/home/user`, `/tmp`, network, PID, IPC and UTS namespaces.
 * - `none`: plain host processes; sandboxes share the host's network and PIDs.
 *
 * @public
 */
export type IsolationMode = 'bubblewrap' | 'none';

/** The sandbox's directories on the host. */
export interface SandboxDirs {
  home: string;
  tmp: string;
  run: string;
}

/** The paths processes see inside an isolated sandbox. */
export const SANDBOX_HOME = '/home/user';
export const SANDBOX_TMP = '/tmp';
const SANDBOX_RUN = '/run/agentsphere';

const BWRAP = 'bwrap';

/** Whether bubblewrap is installed and can create the namespaces a sandbox needs here. */
export function bubblewrapWorks(): boolean {
  const probe = spawnSync(
    BWRAP,
    [
      '--die-with-parent',
      '--unshare-net',
      '--unshare-pid',
      ...systemBinds(),
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '/bin/true',
    ],
    { stdio: 'ignore', timeout: 10_000 },
  );
  return probe.status === 0;
}

/** Binds the host's system directories read-only; `/bin` and friends may be symlinks into `/usr`. */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/etc']) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) {
      args.push('--symlink', fs.readlinkSync(dir), dir);
    } else {
      args.push('--ro-bind', dir, dir);
    }
  }
  return args;
}

/**
 * Makes the host's Node visible inside the sandbox as `/usr/local/bin/node`,
 * which is on the PATH that `bash -l` sets up.
 */
function nodeBinds(): { args: string[]; nodeInSandbox: string } {
  const execPath = fs.realpathSync(process.execPath);
  if (execPath.startsWith('/usr/')) {
    return { args: [], nodeInSandbox: execPath };
  }
  const nodeInSandbox = '/usr/local/bin/node';
  if (path.basename(path.dirname(execPath)) === 'bin') {
    const prefix = path.dirname(path.dirname(execPath));
    return { args: ['--ro-bind', prefix, '/usr/local'], nodeInSandbox };
  }
  return {
    args: ['--tmpfs', '/usr/local', '--ro-bind', execPath, nodeInSandbox],
    nodeInSandbox,
  };
}

/** The command line that starts the sandbox's agent, isolated or not. */
export function agentCommand(
  mode: IsolationMode,
  options: { sandboxId: string; dirs: SandboxDirs; agentScript: string },
): { command: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string } {
  const { dirs } = options;
  const agentInRun = path.join(dirs.run, 'sandbox-agent.js');
  fs.copyFileSync(options.agentScript, agentInRun);
  if (mode === 'none') {
    return {
      command: process.execPath,
      args: [agentInRun, path.join(dirs.run, 'agent.sock')],
      env: { PATH: process.env.PATH, HOME: dirs.home },
      cwd: dirs.home,
    };
  }
  const node = nodeBinds();
  return {
    command: BWRAP,
    args: [
      '--die-with-parent',
      '--unshare-net',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--hostname',
      options.sandboxId,
      ...systemBinds(),
      ...node.args,
      '--proc',
      '/proc',
      '--dev',
      '/dev',
      '--bind',
      dirs.tmp,
      SANDBOX_TMP,
      '--tmpfs',
      '/home',
      '--bind',
      dirs.home,
      SANDBOX_HOME,
      '--bind',
      dirs.run,
      SANDBOX_RUN,
      '--chdir',
      SANDBOX_HOME,
      node.nodeInSandbox,
      `${SANDBOX_RUN}/sandbox-agent.js`,
      `${SANDBOX_RUN}/agent.sock`,
    ],
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: SANDBOX_HOME },
    cwd: dirs.home,
  };
}

/** The PATH processes start with inside a sandbox. */
export function sandboxPath(mode: IsolationMode): string {
  if (mode === 'bubblewrap') {
    return '/usr/local/bin:/usr/bin:/bin';
  }
  return `${path.dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
}
