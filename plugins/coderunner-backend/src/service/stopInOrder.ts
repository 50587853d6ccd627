import { LoggerService } from '@backstage/backend-plugin-api';

/** How long one part may take to stop before shutdown goes on without it. */
const STOP_TIMEOUT_MS = 5000;

/**
 * Stops the plugin's parts one after another, giving each a bounded time, so a stuck part
 * never keeps the process (and its ports) alive. A part that fails or times out is logged and
 * skipped. Sandboxes keep running for adoption by the next start.
 *
 * @internal
 */
export async function stopInOrder(
  logger: LoggerService,
  parts: Array<{ what: string; stop: () => Promise<void> | void }>,
): Promise<void> {
  for (const { what, stop } of parts) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>(resolve => {
      timer = setTimeout(() => {
        logger.warn(`CodeRunner: ${what} did not stop within 5 s; going on`);
        resolve();
      }, STOP_TIMEOUT_MS);
    });
    await Promise.race([
      Promise.resolve()
        .then(stop)
        .catch(error =>
          logger.warn(`CodeRunner: stopping ${what} failed: ${error}`),
        ),
      timeout,
    ]);
    clearTimeout(timer);
  }
}
