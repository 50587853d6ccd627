import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { CodeRunnerManifest } from '@coderunner/plugin-coderunner-common';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import { Knex } from 'knex';
import {
  DeploymentRecord,
  DeploymentStore,
  LeaseFence,
  LeaseLostError,
  ReleaseRecord,
} from '../deployments/DeploymentStore';
import { UsageLedger } from '../cost/UsageLedger';
import { LogWriter } from '../logs/LogWriter';
import {
  APP_DIR,
  APP_DIR_IN_SHELL,
  DEPLOYMENT_ID_KEY,
  RELEASE_ID_KEY,
  ROLE_KEY,
  SANDBOX_OWNER,
  SANDBOX_OWNER_KEY,
} from './sandboxMetadata';

/** The largest built artifact CodeRunner keeps, before base64. */
const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

/**
 * Builds a release once, in a throwaway sandbox: unpacks the source snapshot, runs the
 * manifest's install and build commands with their output kept as build log lines, and keeps
 * the result as the release's artifact, which every instance then starts from.
 *
 * @internal
 */
export class ReleaseBuilder {
  constructor(
    private readonly runtime: SandboxRuntime,
    private readonly store: DeploymentStore,
    /** Where the usage ledger records the build sandbox's time. */
    private readonly knex: Knex,
    private readonly logger: LoggerService,
    /** True once this backend is shutting down: an interrupted build is not a failed one. */
    private readonly isStopped: () => boolean = () => false,
  ) {}

  /** Every write carries `fence`: once another replica took the lease, the build stops. */
  async build(
    deployment: DeploymentRecord,
    release: ReleaseRecord,
    log: LogWriter,
    fence: LeaseFence,
  ): Promise<void> {
    const manifest = JSON.parse(release.manifest) as CodeRunnerManifest;
    const source = { stream: 'build' as const, releaseId: release.id };
    await this.store.setReleaseStatus(release.id, 'building', undefined, fence);
    log.line(`Building release ${release.number}`, source);
    let sandboxId: string | undefined;
    let buildUsage: string | undefined;
    try {
      const sandbox = await this.runtime.createSandbox({
        template: manifest.runtime.template,
        envs: manifest.env,
        metadata: {
          [SANDBOX_OWNER_KEY]: SANDBOX_OWNER,
          [DEPLOYMENT_ID_KEY]: deployment.id,
          [RELEASE_ID_KEY]: release.id,
          [ROLE_KEY]: 'build',
        },
        lifetimeSeconds: 1800,
      });
      sandboxId = sandbox.sandboxId;
      buildUsage = await UsageLedger.openBuild(this.knex, {
        deploymentId: deployment.id,
        manifest: release.manifest,
        at: new Date(),
      });
      const archive = await this.store.getReleaseFile(release.id, 'source');
      if (!archive) {
        throw new Error('the source snapshot of this release is missing');
      }
      await this.runtime.uploadFiles(sandboxId, [
        { path: 'source.tgz', content: archive },
      ]);
      await this.mustSucceed(
        sandboxId,
        `mkdir -p ${APP_DIR_IN_SHELL} && tar xzf source.tgz -C ${APP_DIR_IN_SHELL} && rm source.tgz`,
        'unpacking the source',
      );
      for (const command of [manifest.build.install, manifest.build.command]) {
        if (!command) {
          continue;
        }
        log.line(`$ ${command}`, source);
        const handle = await this.runtime.startProcess(sandboxId, command, {
          cwd: APP_DIR,
          onOutput: output => log.write(output.data, source),
        });
        const exit = await handle.wait();
        log.end(source);
        if (exit.exitCode !== 0) {
          throw new Error(`\`${command}\` exited with code ${exit.exitCode}`);
        }
      }
      const packed = await this.runtime.runCommand(
        sandboxId,
        `tar czf - -C ${APP_DIR_IN_SHELL} . | base64 -w0`,
        { timeoutMs: 300_000 },
      );
      if (packed.exitCode !== 0) {
        throw new Error(
          `packing the build output failed: ${packed.stderr.trim()}`,
        );
      }
      const artifact = Buffer.from(packed.stdout, 'base64');
      if (artifact.length > MAX_ARTIFACT_BYTES) {
        throw new Error(
          `the build output is ${Math.round(
            artifact.length / 1048576,
          )} MiB compressed; the limit is ${MAX_ARTIFACT_BYTES / 1048576} MiB`,
        );
      }
      await this.store.saveReleaseFile(release.id, 'artifact', artifact, fence);
      await this.store.setReleaseStatus(release.id, 'built', undefined, fence);
      log.line(
        `Release ${release.number} built (${Math.ceil(
          artifact.length / 1024,
        )} KiB)`,
        source,
      );
    } catch (error) {
      if (error instanceof LeaseLostError) throw error; // the new holder builds it
      if (this.isStopped()) {
        // Interrupted by a shutdown: the release stays `building`, and whichever replica
        // reconciles the deployment next builds it again.
        return;
      }
      const reason = `Build of release ${release.number} failed: ${
        isError(error) ? error.message : String(error)
      }`;
      log.line(reason, source);
      await this.store.setReleaseStatus(release.id, 'failed', reason, fence);
      this.logger.warn(reason, { deploymentId: deployment.id });
    } finally {
      await log.flush();
      if (sandboxId) {
        await this.runtime.killSandbox(sandboxId).catch(() => false);
      }
      if (buildUsage) {
        await UsageLedger.close(this.knex, buildUsage, new Date());
      }
    }
  }

  private async mustSucceed(sandboxId: string, command: string, what: string) {
    const result = await this.runtime.runCommand(sandboxId, command);
    if (result.exitCode !== 0) {
      throw new Error(
        `${what} failed: ${(result.stderr || result.stdout).trim()}`,
      );
    }
  }
}
