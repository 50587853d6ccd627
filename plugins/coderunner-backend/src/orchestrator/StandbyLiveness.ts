import { LoggerService } from '@backstage/backend-plugin-api';
import { CodeRunnerManifest } from '@coderunner/plugin-coderunner-common';
import { SandboxRuntime } from '@coderunner/plugin-coderunner-node';
import {
  DeploymentRecord,
  DeploymentStore,
  InstanceRecord,
  ReleaseRecord,
} from '../deployments/DeploymentStore';
import { instanceHealthUrl, watchLiveness } from './HealthProber';
import { planLaunch } from './InstanceRunner';

/**
 * Liveness probes for the ready instances of deployments whose lease holder has stopped renewing
 * (a replica that died or stalls). Without them such an instance, should it die too, would stay
 * `ready` until the lease expires and a new holder adopts it. Every replica runs these probes, at
 * the manifest's interval and failure threshold, as the holder would; a failing instance is
 * marked unhealthy (as the gateway marks one it found down, without the lease), so gateways stop
 * routing to it and the next holder replaces it. Probes stop as soon as the deployment has a
 * holder that renews its lease again, this replica included.
 *
 * @internal
 */
export class StandbyLiveness {
  /** The probes running, by instance id, with the sandbox they probe. */
  private readonly probes = new Map<
    string,
    { sandboxId: string; stop(): void }
  >();
  /** Instances (by id and sandbox) whose release has no health path to probe: asked once. */
  private readonly unprobed = new Set<string>();
  /** Releases read here, by id: a release never changes. */
  private readonly releases = new Map<string, ReleaseRecord | undefined>();
  private stopped = false;

  constructor(
    private readonly runtime: SandboxRuntime,
    private readonly store: DeploymentStore,
    private readonly logger: LoggerService,
    /** Which leases count as stale: as the reconcile loop judges them. */
    private readonly staleLease: { owner: string; staleWithinMs: number },
    /** Told about a deployment one of whose instances was marked unhealthy here. */
    private readonly onMarked: (deploymentId: string) => void,
  ) {}

  /**
   * Probes the ready instances of `unattended` (deployments whose lease holder stopped renewing),
   * and stops probing every other instance. Called on every reconcile tick.
   */
  async update(
    unattended: DeploymentRecord[],
    instancesByDeployment: Map<string, InstanceRecord[]>,
  ) {
    const wanted = new Map<
      string,
      { deployment: DeploymentRecord; instance: InstanceRecord }
    >();
    for (const deployment of unattended) {
      for (const instance of instancesByDeployment.get(deployment.id) ?? []) {
        if (instance.state === 'ready' && instance.sandboxId) {
          wanted.set(instance.id, { deployment, instance });
        }
      }
    }
    for (const [id, probe] of this.probes) {
      if (wanted.get(id)?.instance.sandboxId !== probe.sandboxId) {
        probe.stop();
        this.probes.delete(id);
      }
    }
    for (const key of this.unprobed) {
      const [id, sandboxId] = key.split('\n');
      if (wanted.get(id)?.instance.sandboxId !== sandboxId)
        this.unprobed.delete(key);
    }
    for (const [id, { deployment, instance }] of wanted) {
      if (
        !this.probes.has(id) &&
        !this.unprobed.has(`${id}\n${instance.sandboxId}`)
      )
        await this.watch(deployment, instance);
    }
  }

  /** Stops every probe for good (the replica stops). */
  stopAll() {
    this.stopped = true;
    for (const probe of this.probes.values()) probe.stop();
    this.probes.clear();
    this.unprobed.clear();
    this.releases.clear();
  }

  private async release(id: string): Promise<ReleaseRecord | undefined> {
    if (!this.releases.has(id))
      this.releases.set(id, await this.store.getRelease(id));
    return this.releases.get(id);
  }

  private async watch(deployment: DeploymentRecord, instance: InstanceRecord) {
    const sandboxId = instance.sandboxId!;
    const release = await this.release(instance.releaseId);
    if (!release) return;
    const plan = planLaunch(
      JSON.parse(release.manifest) as CodeRunnerManifest,
      {
        releaseNumber: release.number,
        environment: deployment.environment,
        instanceId: instance.id,
      },
    );
    if (this.stopped) return;
    if (!plan.port || !plan.healthPath || !plan.liveness) {
      this.unprobed.add(`${instance.id}\n${sandboxId}`);
      return;
    }
    const liveness = watchLiveness(
      {
        instanceId: instance.id,
        url: instanceHealthUrl(
          this.runtime.getPortUrl(sandboxId, plan.port),
          plan.healthPath,
        ),
        path: plan.healthPath,
        ...plan.liveness,
        // Nobody has probed it since the holder stopped, a while ago already.
        firstProbeAfterMs: 0,
      },
      reason => void this.markUnhealthy(instance, sandboxId, reason),
    );
    this.probes.set(instance.id, { sandboxId, stop: () => liveness.stop() });
  }

  private async markUnhealthy(
    instance: InstanceRecord,
    sandboxId: string,
    failure: string,
  ) {
    if (this.probes.get(instance.id)?.sandboxId !== sandboxId) return;
    this.probes.delete(instance.id);
    const reason = `${failure}. Found by a replica standing in for the one that holds the deployment's lease, which stopped renewing it`;
    const marked = await this.store
      .markInstanceUnhealthy(instance.id, reason, {
        sandboxId,
        whileLeaseStale: this.staleLease,
      })
      .catch(error => {
        this.logger.warn(
          `Could not mark instance ${instance.id} unhealthy: ${error}`,
        );
        return false;
      });
    if (marked) {
      this.logger.warn(reason);
      this.onMarked(instance.deploymentId);
    }
  }
}
