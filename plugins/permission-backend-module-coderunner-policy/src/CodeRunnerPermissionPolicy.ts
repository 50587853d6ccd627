import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** The CodeRunner permissions a viewer holds on every component. */
const VIEWER_PERMISSIONS = new Set([
  'coderunner.deployment.read',
  'coderunner.logs.read',
  'coderunner.config.read',
]);

/**
 * Permissions only a component's owners hold, operators included only where they own it: a shell
 * in a running instance reads whatever the app can (its secrets too), so a platform role does
 * not bring it on every component.
 */
const OWNER_ONLY_PERMISSIONS = new Set(['coderunner.instance.exec']);

const CONFIG_KEY = 'coderunner.permissionPolicy';

/**
 * Roles for CodeRunner, mapped from catalog membership in app-config
 * (`coderunner.permissionPolicy`):
 *
 * - operators (members of the listed groups) may do everything except open a terminal in an
 *   instance (`coderunner.instance.exec`), which stays with the component's owners;
 * - viewers (every signed-in user unless `viewers` is set) may read deployments, logs and
 *   config names;
 * - owners of a component may do everything else with it: deploy, change config and scaling,
 *   reveal secrets. That is a conditional decision on the catalog's `isEntityOwner` rule, which
 *   the catalog evaluates for the entity the request names.
 *
 * Everybody else is denied every `coderunner.*` permission, including ones added later (fail
 * closed). Every permission of other plugins is allowed, as the allow-all policy did, so the
 * portal stays usable; a portal that restricts those uses a policy of its own that delegates
 * `coderunner.*` permissions to this one.
 *
 * @public
 */
export class CodeRunnerPermissionPolicy implements PermissionPolicy {
  static fromConfig(config: Config): CodeRunnerPermissionPolicy {
    const policy = config.getOptionalConfig(CONFIG_KEY);
    const refs = (key: string) => {
      const values = policy?.getOptionalStringArray(key);
      return (
        values &&
        new Set(
          values.map(value => normalizeRef(value, `${CONFIG_KEY}.${key}`)),
        )
      );
    };
    return new CodeRunnerPermissionPolicy(
      refs('operators') ?? new Set(),
      refs('viewers'),
    );
  }

  private constructor(
    private readonly operators: ReadonlySet<string>,
    /** Undefined: every signed-in user is a viewer. */
    private readonly viewers: ReadonlySet<string> | undefined,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('coderunner.')) {
      return { result: AuthorizeResult.ALLOW };
    }
    // Service principals never reach a policy (the permissions service allows them); without a
    // user there is nobody to grant anything to.
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const claims = user.info.ownershipEntityRefs;
    const member = (role: ReadonlySet<string>) =>
      claims.some(ref => role.has(ref.toLocaleLowerCase('en-US')));
    if (
      member(this.operators) &&
      !OWNER_ONLY_PERMISSIONS.has(permission.name)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      VIEWER_PERMISSIONS.has(permission.name) &&
      (this.viewers === undefined || member(this.viewers))
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)) {
      return { result: AuthorizeResult.DENY };
    }
    return createCatalogConditionalDecision(
      permission,
      catalogConditions.isEntityOwner({ claims }),
    );
  }
}

function normalizeRef(value: string, key: string): string {
  try {
    return stringifyEntityRef(parseEntityRef(value)).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `${key} holds '${value}', which is not an entity ref; write it as kind:namespace/name, e.g. group:default/platform`,
    );
  }
}
