/*
 * The AgentSphere emulator in a process of its own, so that forwarding sandbox output does not
 * wait for the load clients of the parent process.
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
