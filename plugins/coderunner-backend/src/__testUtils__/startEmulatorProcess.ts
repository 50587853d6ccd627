import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { IsolationMode } from '@coderunner/agentsphere-emulator';

/** What emulatorProcess.ts says when its emulator is ready. */
export type EmulatorInfo = {
  url: string;
  domain: string;
  apiKey: string;
  isolation: IsolationMode;
};

/**
 * Starts emulatorProcess.ts: one emulator in a process of its own, which every replica of a
 * test reaches and which does not wait on the event loop of the process that started it (the
 * benches' load clients). `stop()` ends it with its sandboxes.
 */
export async function startEmulatorProcess() {
  const child = fork(path.join(__dirname, 'emulatorProcess.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<EmulatorInfo>((resolve, reject) => {
    child.on('message', (m: any) => m?.type === 'ready' && resolve(m));
    child.once('exit', code =>
      reject(new Error(`the emulator process exited with ${code}`)),
    );
  });
  return {
    ...info,
    /** Deletes a sandbox, as when the machine under it fails: its app is gone at once. */
    async killSandbox(sandboxId: string) {
      // The SDK's id is `<sandboxID>-<clientID>`; the control plane names it by the first part.
      const id = sandboxId.split('-')[0];
      const { hostname, port } = new URL(info.url);
      // Node's http, since fetch does not send a Host header of its own choosing.
      const status = await new Promise<number | undefined>((resolve, reject) =>
        http
          .request(
            {
              host: hostname,
              port,
              method: 'DELETE',
              path: `/sandboxes/${id}`,
              headers: { host: `api.${info.domain}`, 'x-api-key': info.apiKey },
            },
            res => resolve(res.resume().statusCode),
          )
          .on('error', reject)
          .end(),
      );
      if (status !== 204) {
        throw new Error(`deleting sandbox ${sandboxId} answered ${status}`);
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
