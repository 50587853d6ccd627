import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  CodeRunnerManifest,
  Deployment,
  DeploymentStatus,
  formatManifestErrors,
  parseManifest,
  Release,
} from '@coderunner/plugin-coderunner-common';
import { Gateway } from '../gateway/Gateway';
import { Reconciler } from '../orchestrator/Reconciler';
import {
  noReleaseConfig,
  ReleaseConfigProvider,
} from '../orchestrator/ReleaseConfigProvider';
import { EntitySourceReader } from '../source/EntitySourceReader';
import { SourceArchiver } from '../source/SourceArchiver';
import {
  toDeployment,
  toInstance,
  toRelease,
  toReleaseWith,
} from './apiMapping';
import {
  DeploymentKey,
  DeploymentRecord,
  DeploymentStore,
  InstanceRecord,
  ReleaseRecord,
  seenOf,
} from './DeploymentStore';
import {
  DEFAULT_VIEW_CACHE_BYTES,
  DeploymentViewCache,
} from './DeploymentViewCache';
import { instancesForDeploy } from './instancesForDeploy';

// Who asked, for the records: defined with the route helper; imported from here too.
export { actorOf } from '../service/EntityRoutes';

/** What a list shows of a release's manifest: its kind and run command. */
type ManifestSummary = { kind?: string; run?: { command?: string } };

/** Manifest summaries kept across requests: a release's manifest never changes. */
const MANIFEST_SUMMARIES = 10_000;

/** The most deployment rows read at once while filling a page of the global list. */
const LIST_CHUNK_MAX = 1000;

/**
 * A place in the global list's order (entity ref, then environment).
 *
 * @internal
 */
export type DeploymentPosition = { entityRef: string; environment: string };

/**
 * The global list's filters; each empty or missing one lets everything through.
 *
 * @internal
 */
export type DeploymentListFilter = {
  environments?: string[];
  statuses?: DeploymentStatus[];
  /** Text somewhere in the entity ref, ignoring case. */
  text?: string;
};

/**
 * Releases by id in their API form, each made once however many deployments and instances of
 * a list refer to it, from a manifest summary parsed once per release id (`summaries`).
 */
class ReleaseViews {
  private readonly rows: Map<string, ReleaseRecord>;
  private readonly views = new Map<
    string,
    { release: Release; kind: string | undefined }
  >();

  constructor(
    rows: ReleaseRecord[],
    private readonly summaries: Map<string, ManifestSummary>,
  ) {
    this.rows = new Map(rows.map(r => [r.id, r]));
  }

  get(id: string | null | undefined) {
    if (!id) return undefined;
    let view = this.views.get(id);
    if (!view) {
      const row = this.rows.get(id);
      if (!row) return undefined;
      let summary = this.summaries.get(id);
      if (!summary) {
        const manifest = JSON.parse(row.manifest) as ManifestSummary | null;
        summary = {
          kind: manifest?.kind,
          run: { command: manifest?.run?.command },
        };
        if (this.summaries.size >= MANIFEST_SUMMARIES) this.summaries.clear();
        this.summaries.set(id, summary);
      }
      view = { release: toReleaseWith(row, summary), kind: summary.kind };
      this.views.set(id, view);
    }
    return view;
  }
}

/**
 * Views of listed deployments, and each one's JSON text (the same as `JSON.stringify`).
 *
 * @internal
 */
export type ListedViews = { items: Deployment[]; texts: string[] };

/**
 * The operations behind the Deployments API: each checks its input, records the new desired
 * state, and wakes the reconciler, which does the work.
 *
 * @internal
 */
export class DeploymentService {
  private readonly manifestSummaries = new Map<string, ManifestSummary>();

  /** `viewCache` keeps the lists' views; `new DeploymentViewCache(0)` keeps none. */
  constructor(
    private readonly store: DeploymentStore,
    private readonly reconciler: Reconciler,
    private readonly sourceReader: EntitySourceReader,
    private readonly archiver: SourceArchiver,
    private readonly gateway: Gateway | undefined,
    readonly environments: string[],
    private readonly config: ReleaseConfigProvider = noReleaseConfig,
    private readonly viewCache = new DeploymentViewCache(
      DEFAULT_VIEW_CACHE_BYTES,
    ),
  ) {}

  assertEnvironment(environment: string) {
    if (!this.environments.includes(environment)) {
      throw new InputError(
        `Unknown environment "${environment}"; use one of ${this.environments.join(
          ', ',
        )}.`,
      );
    }
  }

  /**
   * An entity's deployments, with their JSON texts: one query while the replica keeps their
   * views, and a fixed number of queries however many there are.
   */
  async listViews(entityRef: string): Promise<ListedViews> {
    const rows = await this.store.listDeploymentsOf(entityRef);
    return this.keptViews(rows, rows);
  }

  /** An entity's deployments ({@link listViews} without the texts). */
  async list(entityRef: string): Promise<Deployment[]> {
    return (await this.listViews(entityRef)).items;
  }

  /**
   * One page of the global list: up to `limit` deployments that `allowed` keeps, after the
   * position `after`, and the position of the last one when more follow. Rows are read in
   * chunks (growing while the caller's permission leaves few) until the page is full or the
   * rows run out, so a page only comes back short at the end of the list (or by a deployment
   * whose status left the status filter while the page was read).
   */
  async listPage(options: {
    limit: number;
    after?: DeploymentPosition;
    filter: DeploymentListFilter;
    allowed: (entityRefs: string[]) => Promise<Set<string>>;
  }): Promise<ListedViews & { next?: DeploymentPosition }> {
    const { limit, filter, allowed } = options;
    const kept: DeploymentKey[] = [];
    let after = options.after;
    // One more than the page, to know whether another page follows.
    let chunk = limit + 1;
    for (;;) {
      const rows = await this.store.listDeploymentPage({
        ...filter,
        after,
        limit: chunk,
      });
      const readable = rows.length
        ? await allowed(rows.map(r => r.entityRef))
        : new Set<string>();
      for (const row of rows) {
        if (readable.has(row.entityRef)) kept.push(row);
        if (kept.length > limit) break;
      }
      if (kept.length > limit || rows.length < chunk) break;
      const last = rows[rows.length - 1];
      after = { entityRef: last.entityRef, environment: last.environment };
      chunk = Math.min(chunk * 2, LIST_CHUNK_MAX);
    }
    const page = kept.slice(0, limit);
    const last = page[page.length - 1];
    const views = await this.keptViews(page);
    // A deployment read again by id may have left the status filter since its key was read.
    const { statuses } = filter;
    const shown = statuses?.length
      ? views.items.flatMap((item, i) =>
          statuses.includes(item.status) ? [i] : [],
        )
      : undefined;
    return {
      ...(shown
        ? {
            items: shown.map(i => views.items[i]),
            texts: shown.map(i => views.texts[i]),
          }
        : views),
      next:
        kept.length > limit
          ? { entityRef: last.entityRef, environment: last.environment }
          : undefined,
    };
  }

  /**
   * The views of the deployments `keys` name, in their order, with their JSON texts. Views the
   * replica keeps for a key's view version and configuration stamp need no query. The rest
   * are made from their rows (`rows`, or read by id after the keys) and what {@link views}
   * reads after the rows, and kept; a deployment deleted since its key was read is left out.
   */
  private async keptViews(
    keys: DeploymentKey[],
    rows?: DeploymentRecord[],
  ): Promise<ListedViews> {
    const port = this.gateway?.port;
    const found = keys.map(key => this.viewCache.get(key, port));
    const missing = keys.filter((_, i) => !found[i]);
    if (missing.length > 0) {
      const wanted = new Set(missing.map(key => key.id));
      const read = rows
        ? rows.filter(row => wanted.has(row.id))
        : await this.store.getDeployments([...wanted]);
      const stamps = new Map(missing.map(key => [key.id, key.configStamp]));
      const views = await this.views(read);
      const made = new Map(
        read.map((row, i) => [
          row.id,
          this.viewCache.keep(row, stamps.get(row.id)!, port, views[i]),
        ]),
      );
      keys.forEach((key, i) => {
        found[i] ??= made.get(key.id);
      });
    }
    const items: Deployment[] = [];
    const texts: string[] = [];
    for (const view of found) {
      if (!view) continue;
      items.push(view.view);
      texts.push(view.text);
    }
    return { items, texts };
  }

  /**
   * {@link view} for many rows, with one query each for releases, instances and config; the
   * config versions are read while the instances and then the releases are.
   */
  private async views(rows: DeploymentRecord[]): Promise<Deployment[]> {
    if (rows.length === 0) return [];
    const pairs = rows.map(r => ({
      entityRef: r.entityRef,
      environment: r.environment,
    }));
    const [{ instances, releases }, versions] = await Promise.all([
      this.store.listInstancesOf(rows.map(r => r.id)).then(async found => ({
        instances: found,
        releases: await this.store.getReleases([
          ...rows.flatMap(r =>
            [r.activeReleaseId, r.targetReleaseId].filter(
              (id): id is string => !!id,
            ),
          ),
          ...found.map(i => i.releaseId),
        ]),
      })),
      this.config.currentVersions
        ? this.config.currentVersions(pairs)
        : Promise.all(
            pairs.map(
              async p =>
                [
                  `${p.entityRef} ${p.environment}`,
                  await this.config.currentVersion(p.entityRef, p.environment),
                ] as const,
            ),
          ).then(entries => new Map(entries)),
    ]);
    const byDeployment = new Map<string, InstanceRecord[]>();
    for (const instance of instances) {
      const list = byDeployment.get(instance.deploymentId) ?? [];
      list.push(instance);
      byDeployment.set(instance.deploymentId, list);
    }
    const byId = new ReleaseViews(releases, this.manifestSummaries);
    return rows.map(row =>
      this.assemble(
        row,
        byId,
        byDeployment.get(row.id) ?? [],
        versions.get(`${row.entityRef} ${row.environment}`),
      ),
    );
  }

  async get(entity: Entity, environment: string): Promise<DeploymentRecord> {
    this.assertEnvironment(environment);
    const row = await this.store.findDeployment(
      stringifyEntityRef(entity),
      environment,
    );
    if (!row) throw this.notDeployed(entity, environment);
    return row;
  }

  notDeployed(entity: Entity, environment: string): NotFoundError {
    return new NotFoundError(
      `${stringifyEntityRef(entity)} has not been deployed to ${environment}`,
    );
  }

  async deploy(
    entity: Entity,
    environment: string,
    options: { instances?: number; actor: string },
  ): Promise<{ deployment: Deployment; release: Release }> {
    this.assertEnvironment(environment);
    if (
      options.instances !== undefined &&
      (!Number.isInteger(options.instances) ||
        options.instances < 1 ||
        options.instances > 100)
    ) {
      throw new InputError('instances must be a whole number from 1 to 100');
    }
    // Before the slow part: a deploy sent at the same time as this one must still conflict.
    const seen = await this.store.rolloutSeen(
      stringifyEntityRef(entity),
      environment,
    );
    const manifest = await this.readManifest(entity);
    const snapshot = await this.archiver.snapshot(entity);
    const row = await this.store.ensureDeployment({
      entityRef: stringifyEntityRef(entity),
      environment,
      createdBy: options.actor,
    });
    const release = await this.store.createRelease({
      deploymentId: row.id,
      seen,
      manifest,
      source: snapshot.archive,
      sourceRevision: snapshot.revision,
      sourceSummary: snapshot.summary,
      configVersion: await this.config.currentVersion(
        row.entityRef,
        environment,
      ),
      desiredInstances: options.instances ?? instancesForDeploy(manifest, row),
      createdBy: options.actor,
    });
    this.reconciler.trigger(row.id);
    return {
      deployment: await this.viewById(row.id),
      release: toRelease(release),
    };
  }

  async rollback(
    entity: Entity,
    environment: string,
    releaseNumber: number,
    actor: string,
  ) {
    if (!Number.isInteger(releaseNumber) || releaseNumber < 1) {
      throw new InputError(
        'releaseNumber must be the number of an earlier release, like 3',
      );
    }
    const row = await this.get(entity, environment);
    const release = await this.store.targetRelease({
      deploymentId: row.id,
      seen: seenOf(row),
      releaseNumber,
      requestedBy: actor,
    });
    this.reconciler.trigger(row.id);
    return {
      deployment: await this.viewById(row.id),
      release: toRelease(release),
    };
  }

  /** A rolling restart: the active release again, as a new release, with no downtime. */
  async restart(entity: Entity, environment: string, actor: string) {
    return this.copyActiveRelease(entity, environment, actor);
  }

  /**
   * Applies the current config version: the active release again, pinned to that version, as
   * a new release that rolls out with no downtime.
   */
  async redeployWithConfig(entity: Entity, environment: string, actor: string) {
    const configVersion = await this.config.currentVersion(
      stringifyEntityRef(entity),
      environment,
    );
    return this.copyActiveRelease(entity, environment, actor, configVersion);
  }

  private async copyActiveRelease(
    entity: Entity,
    environment: string,
    actor: string,
    configVersion?: number,
  ) {
    const row = await this.get(entity, environment);
    if (!row.activeReleaseId) {
      throw new InputError(`Nothing runs in ${environment} yet; deploy first.`);
    }
    const seen = seenOf(row);
    const active = (await this.store.getRelease(row.activeReleaseId))!;
    const source = await this.store.getReleaseFile(active.id, 'source');
    const artifact = await this.store.getReleaseFile(active.id, 'artifact');
    const release = await this.store.createRelease({
      deploymentId: row.id,
      seen,
      manifest: JSON.parse(active.manifest),
      source: source ?? Buffer.alloc(0),
      sourceRevision: active.sourceRevision ?? undefined,
      sourceSummary:
        configVersion === undefined
          ? `Restart of release ${active.number}`
          : `Release ${active.number} with config version ${configVersion}`,
      configVersion: configVersion ?? active.configVersion ?? undefined,
      desiredInstances: row.desiredInstances,
      createdBy: actor,
    });
    if (artifact) {
      await this.store.saveReleaseFile(release.id, 'artifact', artifact);
      await this.store.setReleaseStatus(release.id, 'built');
    }
    this.reconciler.trigger(row.id);
    return {
      deployment: await this.viewById(row.id),
      release: toRelease(release),
    };
  }

  async stop(entity: Entity, environment: string) {
    const row = await this.get(entity, environment);
    await this.store.updateDeployment(row.id, {
      desiredState: 'stopped',
      targetReleaseId: undefined,
      statusReason: 'Stopping',
    });
    this.reconciler.trigger(row.id);
    return { deployment: await this.viewById(row.id) };
  }

  /** Starts a stopped deployment again on its active release. */
  async start(entity: Entity, environment: string) {
    const row = await this.get(entity, environment);
    if (!row.activeReleaseId) {
      throw new InputError(
        `Nothing was ever deployed to ${environment}; deploy first.`,
      );
    }
    await this.store.updateDeployment(row.id, {
      desiredState: 'running',
      status: 'deploying',
    });
    this.reconciler.trigger(row.id);
    return { deployment: await this.viewById(row.id) };
  }

  async delete(entity: Entity, environment: string) {
    const row = await this.get(entity, environment);
    await this.store.updateDeployment(row.id, {
      desiredState: 'deleted',
      statusReason: 'Deleting',
    });
    this.reconciler.trigger(row.id);
    return { deployment: await this.viewById(row.id) };
  }

  async releases(entity: Entity, environment: string): Promise<Release[]> {
    const row = await this.get(entity, environment);
    return (await this.store.listReleases(row.id)).map(toRelease);
  }

  private async readManifest(entity: Entity): Promise<CodeRunnerManifest> {
    const lookup = await this.sourceReader.readManifest(entity);
    if (lookup.content === undefined) {
      throw new InputError(lookup.problem ?? `No ${lookup.manifestPath} found`);
    }
    const parsed = parseManifest(lookup.content, {
      fileName: lookup.manifestPath,
    });
    if (!parsed.manifest || parsed.errors.length > 0) {
      throw new InputError(
        `${lookup.manifestPath} is not valid:\n${formatManifestErrors(
          parsed.errors,
          lookup.manifestPath,
        )}`,
      );
    }
    return parsed.manifest;
  }

  async viewById(id: string): Promise<Deployment> {
    const row = await this.store.getDeployment(id);
    if (!row) {
      throw new NotFoundError(`No deployment with id ${id}`);
    }
    return this.view(row);
  }

  async view(row: DeploymentRecord): Promise<Deployment> {
    const releases = await this.store.listReleases(row.id);
    const byId = new ReleaseViews(releases, this.manifestSummaries);
    const instances = await this.store.listInstances(row.id);
    const configVersion = await this.config.currentVersion(
      row.entityRef,
      row.environment,
    );
    return this.assemble(row, byId, instances, configVersion);
  }

  /** A deployment as the API shows it, from its row and what was loaded for it. */
  private assemble(
    row: DeploymentRecord,
    byId: ReleaseViews,
    instanceRows: InstanceRecord[],
    configVersion: number | undefined,
  ): Deployment {
    const active = byId.get(row.activeReleaseId);
    const target = byId.get(row.targetReleaseId);
    const instances = instanceRows.map(i =>
      toInstance(i, byId.get(i.releaseId)?.release.number),
    );
    const kind = (active ?? target)?.kind;
    const pinned = (target ?? active)?.release.configVersion ?? 0;
    const pendingConfigVersion =
      active && configVersion !== undefined && configVersion > pinned
        ? configVersion
        : undefined;
    return {
      ...toDeployment(row, {
        activeRelease: active?.release,
        targetRelease:
          target && target.release.id !== active?.release.id
            ? target.release
            : undefined,
        instances,
        url:
          this.gateway && kind && kind !== 'worker'
            ? this.gateway.urlFor(row)
            : undefined,
      }),
      pendingConfigVersion,
    };
  }
}
