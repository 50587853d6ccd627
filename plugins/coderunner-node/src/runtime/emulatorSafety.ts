import { Config } from '@backstage/config';

/** The app-config key that lets a production backend run apps on the local emulator. */
const ALLOW_EMULATOR_IN_PRODUCTION =
  'coderunner.runtime.allowEmulatorInProduction';

/**
 * Throws, naming the config keys to set, when a backend with `NODE_ENV=production` is about to
 * run apps on the local AgentSphere emulator: the emulator runs them on the portal's own host
 * and is built for development and tests. An explicit
 * `coderunner.runtime.allowEmulatorInProduction: true` (for example for a demo host) allows it.
 *
 * @public
 */
export function assertEmulatorAllowed(
  config: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): void {
  if (nodeEnv !== 'production') {
    return;
  }
  if (config.getOptionalBoolean(ALLOW_EMULATOR_IN_PRODUCTION) === true) {
    return;
  }
  throw new Error(
    'CodeRunner refuses to run apps on the local AgentSphere emulator with NODE_ENV=production: ' +
      'the emulator runs them on this host and is meant for development and tests. ' +
      `Set coderunner.agentsphere.apiKey to use AgentSphere, or set ${ALLOW_EMULATOR_IN_PRODUCTION}: true ` +
      'to run the emulator anyway.',
  );
}
