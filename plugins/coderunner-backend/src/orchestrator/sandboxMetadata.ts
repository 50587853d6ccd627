/** Every sandbox CodeRunner creates carries these keys, so a restarted backend can find it. */
export const SANDBOX_OWNER_KEY = 'coderunner.owner';
export const SANDBOX_OWNER = 'coderunner';
export const DEPLOYMENT_ID_KEY = 'coderunner.deploymentId';
export const INSTANCE_ID_KEY = 'coderunner.instanceId';
export const RELEASE_ID_KEY = 'coderunner.releaseId';
export const ROLE_KEY = 'coderunner.role';

/** Where a release's files live inside a sandbox (as a working directory). */
export const APP_DIR = '/home/user/app';

/**
 * The same directory in command text. `$HOME` is /home/user on AgentSphere and the sandbox's
 * own home on an unisolated emulator, where the literal /home/user is the host's.
 */
export const APP_DIR_IN_SHELL = '"$HOME/app"';
