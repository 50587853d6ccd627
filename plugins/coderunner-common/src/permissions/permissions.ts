import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * See the deployments of a catalog entity: their status, releases and instances.
 *
 * @public
 */
export const coderunnerDeploymentReadPermission = createPermission({
  name: 'coderunner.deployment.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Deploy, roll back, stop, restart and delete the deployments of a catalog entity.
 *
 * @public
 */
export const coderunnerDeployPermission = createPermission({
  name: 'coderunner.deployment.deploy',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the build and runtime logs of a catalog entity's deployments.
 *
 * @public
 */
export const coderunnerLogsReadPermission = createPermission({
  name: 'coderunner.logs.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read configuration variable names and non-secret values; secret values stay hidden.
 *
 * @public
 */
export const coderunnerConfigReadPermission = createPermission({
  name: 'coderunner.config.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Add, change, delete and roll back configuration variables and secrets.
 *
 * @public
 */
export const coderunnerConfigWritePermission = createPermission({
  name: 'coderunner.config.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Reveal the plaintext value of a secret. Every use is audited.
 *
 * @public
 */
export const coderunnerSecretRevealPermission = createPermission({
  name: 'coderunner.secret.reveal',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Change a deployment's scaling policy or override its instance count.
 *
 * @public
 */
export const coderunnerScalingWritePermission = createPermission({
  name: 'coderunner.scaling.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Set, change and remove the monthly budgets of a catalog entity (or, checked on the group
 * entity, of every entity a group owns).
 *
 * @public
 */
export const coderunnerBudgetWritePermission = createPermission({
  name: 'coderunner.budget.write',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Open a terminal (a shell) in a running instance of a catalog entity's deployments. Every
 * session's start and end is audited; what is typed and shown is not.
 *
 * @public
 */
export const coderunnerInstanceExecPermission = createPermission({
  name: 'coderunner.instance.exec',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every CodeRunner permission, for registration with the permission framework.
 *
 * @public
 */
export const coderunnerPermissions = [
  coderunnerDeploymentReadPermission,
  coderunnerDeployPermission,
  coderunnerLogsReadPermission,
  coderunnerConfigReadPermission,
  coderunnerConfigWritePermission,
  coderunnerSecretRevealPermission,
  coderunnerScalingWritePermission,
  coderunnerBudgetWritePermission,
  coderunnerInstanceExecPermission,
];
