/*
 * The AgentSphere emulator alone in a child process, so that several backend replicas (each a
 * process of its own) share one runtime, as they share AgentSphere in production, and so that
 * forwarding sandbox output does not wait for the parent's own work (a bench's load clients).
 * Started by `startEmulatorProcess`; it stops with its sandboxes when the parent says so or
 * goes away.
 */
import { startEmulator } from '@coderunner/agentsphere-emulator';

async function main() {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1' });
  const stop = () => void emulator.stop().finally(() => process.exit(0));
  process.on('message', (message: { type?: string }) => {
    if (message?.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  process.send!({
    type: 'ready',
    url: emulator.url,
    domain: emulator.domain,
    apiKey: emulator.apiKey,
    isolation: emulator.isolation,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
