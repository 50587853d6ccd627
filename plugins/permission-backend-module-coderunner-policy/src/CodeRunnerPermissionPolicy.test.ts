import { ConfigReader } from '@backstage/config';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  coderunnerBudgetWritePermission,
  coderunnerConfigReadPermission,
  coderunnerConfigWritePermission,
  coderunnerDeployPermission,
  coderunnerDeploymentReadPermission,
  coderunnerInstanceExecPermission,
  coderunnerLogsReadPermission,
  coderunnerPermissions,
  coderunnerScalingWritePermission,
  coderunnerSecretRevealPermission,
} from '@coderunner/plugin-coderunner-common';
import { CodeRunnerPermissionPolicy } from './CodeRunnerPermissionPolicy';

function user(ref: string, groups: string[] = []): PolicyQueryUser {
  const credentials = mockCredentials.user(ref);
  return {
    credentials,
    token: 'unused',
    expiresInSeconds: 3600,
    identity: {
      type: 'user',
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...groups],
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
  } as PolicyQueryUser;
}

function policy(permissionPolicy?: object) {
  return CodeRunnerPermissionPolicy.fromConfig(
    new ConfigReader(
      permissionPolicy ? { coderunner: { permissionPolicy } } : {},
    ),
  );
}

const readPermissions = [
  coderunnerDeploymentReadPermission,
  coderunnerLogsReadPermission,
  coderunnerConfigReadPermission,
];
const ownerPermissions = [
  coderunnerDeployPermission,
  coderunnerConfigWritePermission,
  coderunnerScalingWritePermission,
  coderunnerSecretRevealPermission,
  // Budgets are set by the entity's owners and operators.
  coderunnerBudgetWritePermission,
  // A shell in a running instance: owners only (operators too only where they own it), never viewers.
  coderunnerInstanceExecPermission,
];

describe('CodeRunnerPermissionPolicy', () => {
  it('covers every CodeRunner permission as either a read or an owner permission', () => {
    expect(
      [...readPermissions, ...ownerPermissions].map(p => p.name).sort(),
    ).toEqual(coderunnerPermissions.map(p => p.name).sort());
  });

  it('lets every signed-in user read, and makes every change conditional on owning the entity', async () => {
    const jane = user('user:default/jane', ['group:default/team-a']);
    for (const permission of readPermissions) {
      expect(await policy().handle({ permission }, jane)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
    for (const permission of ownerPermissions) {
      expect(await policy().handle({ permission }, jane)).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          resourceType: 'catalog-entity',
          params: { claims: ['user:default/jane', 'group:default/team-a'] },
        },
      });
    }
  });

  it('lets members of an operator group do everything but open a terminal, whatever they own', async () => {
    const subject = policy({ operators: ['group:default/Platform'] });
    const operator = user('user:default/olga', ['group:default/platform']);
    for (const permission of coderunnerPermissions) {
      if (permission === coderunnerInstanceExecPermission) continue;
      expect(await subject.handle({ permission }, operator)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
    // A terminal only where the operator owns the component, like anyone else.
    expect(
      await subject.handle(
        { permission: coderunnerInstanceExecPermission },
        operator,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/olga', 'group:default/platform'] },
      },
    });
    const operatorByUserRef = policy({ operators: ['user:default/olga'] });
    expect(
      await operatorByUserRef.handle(
        { permission: coderunnerSecretRevealPermission },
        user('user:default/olga'),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('with viewers configured, lets only them read every component; others read what they own', async () => {
    const subject = policy({ viewers: ['group:default/readers'] });
    const reader = user('user:default/rita', ['group:default/readers']);
    const outsider = user('user:default/otto', ['group:default/team-b']);
    for (const permission of readPermissions) {
      expect(await subject.handle({ permission }, reader)).toEqual({
        result: AuthorizeResult.ALLOW,
      });
      expect(await subject.handle({ permission }, outsider)).toMatchObject({
        result: AuthorizeResult.CONDITIONAL,
        conditions: {
          rule: 'IS_ENTITY_OWNER',
          params: { claims: ['user:default/otto', 'group:default/team-b'] },
        },
      });
    }
  });

  it('denies CodeRunner permissions it does not know unless they can be scoped to an owned entity', async () => {
    const jane = user('user:default/jane');
    const basic = createPermission({
      name: 'coderunner.future.thing',
      attributes: {},
    });
    expect(await policy().handle({ permission: basic }, jane)).toEqual({
      result: AuthorizeResult.DENY,
    });
    const onEntity = createPermission({
      name: 'coderunner.future.entityThing',
      attributes: { action: 'update' },
      resourceType: 'catalog-entity',
    });
    expect(await policy().handle({ permission: onEntity }, jane)).toMatchObject(
      {
        result: AuthorizeResult.CONDITIONAL,
      },
    );
  });

  it('denies CodeRunner permissions to a request without a user', async () => {
    expect(
      await policy().handle({ permission: coderunnerDeploymentReadPermission }),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('leaves other plugins permissions allowed, so the rest of the portal keeps working', async () => {
    expect(
      await policy().handle(
        { permission: catalogEntityReadPermission },
        user('user:default/jane'),
      ),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('names the key and the expected form when a role holds something that is not an entity ref', () => {
    expect(() => policy({ operators: ['platform'] })).toThrow(
      "coderunner.permissionPolicy.operators holds 'platform', which is not an entity ref; write it as kind:namespace/name",
    );
  });
});
