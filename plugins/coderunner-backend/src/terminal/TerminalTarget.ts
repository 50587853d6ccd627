import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  coderunnerInstanceExecPermission,
  InstanceState,
} from '@coderunner/plugin-coderunner-common';
import { EntityGuard } from '../entities/EntityGuard';
import { InstanceRecord } from '../deployments/DeploymentStore';

/** The instance states in which a sandbox runs the app and takes a terminal. */
export const TERMINAL_INSTANCE_STATES: ReadonlySet<InstanceState> = new Set([
  'starting',
  'ready',
]);

/**
 * Where a terminal session goes, as the query of `/terminal` names it.
 *
 * @internal
 */
export interface TerminalRequest {
  entityRef: string;
  environment: string;
  instanceId: string;
}

/**
 * A checked terminal target: the caller may exec on the entity, and the instance belongs to
 * the entity's deployment in that environment and runs in a sandbox.
 *
 * @internal
 */
export interface TerminalTarget extends TerminalRequest {
  entity: Entity;
  deploymentId: string;
  sandboxId: string;
}

/**
 * What the checks need from the rest of the backend.
 *
 * @internal
 */
export interface TerminalTargetContext {
  guard: EntityGuard;
  deployments: {
    get(entity: Entity, environment: string): Promise<{ id: string }>;
  };
  instances: { getInstance(id: string): Promise<InstanceRecord | undefined> };
}

/** Reads `entity`, `environment` and `instance` from a query; a 400 names a missing one. */
export function parseTerminalRequest(query: URLSearchParams): TerminalRequest {
  const read = (name: string) => {
    const value = query.get(name);
    if (!value) {
      throw new InputError(
        `The query parameter '${name}' is required: /terminal?entity=<entity ref>&environment=<environment>&instance=<instance id>`,
      );
    }
    return value;
  };
  return {
    entityRef: read('entity'),
    environment: read('environment'),
    instanceId: read('instance'),
  };
}

/**
 * Checks a terminal request for `credentials`: 403 without `coderunner.instance.exec` on the
 * entity, 404 for an unknown entity, deployment or an instance of another deployment, 409 for
 * an instance that is not running.
 *
 * @internal
 */
export async function resolveTerminalTarget(
  context: TerminalTargetContext,
  request: TerminalRequest,
  credentials: BackstageCredentials,
): Promise<TerminalTarget> {
  let entity: Entity;
  try {
    entity = await context.guard.authorize({
      ref: request.entityRef,
      permission: coderunnerInstanceExecPermission,
      credentials,
    });
  } catch (error) {
    if ((error as Error).name === 'TypeError') {
      throw new InputError(
        `The query parameter 'entity' must be an entity ref such as component:default/name, not '${request.entityRef}'`,
      );
    }
    throw error;
  }
  const deployment = await context.deployments.get(entity, request.environment);
  const instance = await context.instances.getInstance(request.instanceId);
  const entityRef = stringifyEntityRef(entity);
  if (!instance || instance.deploymentId !== deployment.id) {
    throw new NotFoundError(
      `No instance ${request.instanceId} in the ${request.environment} deployment of ${entityRef}`,
    );
  }
  if (!TERMINAL_INSTANCE_STATES.has(instance.state) || !instance.sandboxId) {
    throw new ConflictError(
      `Instance ${request.instanceId} is ${instance.state}; a terminal opens only in a starting or ready instance`,
    );
  }
  return {
    ...request,
    entityRef,
    entity,
    deploymentId: deployment.id,
    sandboxId: instance.sandboxId,
  };
}
