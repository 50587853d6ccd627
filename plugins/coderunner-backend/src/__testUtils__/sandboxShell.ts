import net from 'node:net';
import { CommandExitError, Sandbox } from 'agentsphere-sandbox-base';
import type { Emulator } from '@coderunner/agentsphere-emulator';

/** Runs a shell command in the sandbox; a failing command is a result, not an error. */
export async function runInSandbox(
  target: Sandbox,
  command: string,
  timeoutMs: number,
) {
  try {
    const result = await target.commands.run(command, { timeoutMs });
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  } catch (error) {
    if (error instanceof CommandExitError) {
      return {
        exitCode: error.exitCode,
        stdout: error.stdout,
        stderr: error.stderr,
      };
    }
    throw error;
  }
}

/** Asks the emulator's API for a sandbox, as a client that does not use the SDK would. */
export function postSandbox(emulator: Emulator, body: Record<string, unknown>) {
  return fetch(`https://api.${emulator.domain}/sandboxes`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': emulator.apiKey,
    },
    body: JSON.stringify(body),
  });
}

/** A TCP service on the host, like the backend or PostgreSQL, that sends each client a secret. */
export async function startHostService(address: string) {
  const server = net.createServer(socket =>
    socket.on('error', () => undefined).end('host secret\n'),
  );
  await new Promise<void>(resolve => server.listen(0, address, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

/** What a TCP service at host:port sends a client on this host. */
export function readFromHost(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    net
      .connect(port, host)
      .on('data', chunk => (data += chunk))
      .on('end', () => resolve(data))
      .on('error', reject);
  });
}
