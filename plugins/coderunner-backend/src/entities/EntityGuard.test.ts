import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  coderunnerConfigReadPermission,
  coderunnerDeployPermission,
  coderunnerDeploymentReadPermission,
  coderunnerSecretRevealPermission,
} from '@coderunner/plugin-coderunner-common';
import { EntityGuard } from './EntityGuard';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {},
});

/**
 * The real catalog test double, counting what it is asked, and a policy that can be changed
 * between calls: `allowed` holds the users allowed everything.
 */
function setup(options: { readCacheMs: number; conditional?: boolean }) {
  const catalog = catalogServiceMock({
    entities: [component('shop'), component('payroll'), component('web')],
  });
  const asked = { entity: 0, refs: [] as string[][], decisions: 0 };
  const getEntityByRef = catalog.getEntityByRef.bind(catalog);
  catalog.getEntityByRef = (async (ref: any, opts: any) => {
    asked.entity++;
    return getEntityByRef(ref, opts);
  }) as typeof catalog.getEntityByRef;
  const getEntitiesByRefs = catalog.getEntitiesByRefs.bind(catalog);
  catalog.getEntitiesByRefs = (async (request: any, opts: any) => {
    asked.refs.push(request.entityRefs);
    return getEntitiesByRefs(request, opts);
  }) as typeof catalog.getEntitiesByRefs;
  const allowed = new Set<string>([ALICE]);
  const userOf = (options_: { credentials: BackstageCredentials }) => {
    const principal = options_.credentials.principal as {
      userEntityRef?: string;
      subject?: string;
    };
    return principal.userEntityRef ?? principal.subject ?? '';
  };
  const permissions = {
    authorize: async (requests: any[], opts: any) => {
      asked.decisions += requests.length;
      return requests.map(() => ({
        result: allowed.has(userOf(opts))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
    authorizeConditional: async (requests: any[], opts: any) => {
      asked.decisions += requests.length;
      if (options.conditional) {
        return requests.map(() => ({
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'catalog',
          resourceType: 'catalog-entity',
          conditions: { rule: 'IS_ENTITY_OWNER', params: {} },
        }));
      }
      return requests.map(() => ({
        result: allowed.has(userOf(opts))
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      }));
    },
  };
  const guard = new EntityGuard(catalog, permissions as any, {
    readCacheMs: options.readCacheMs,
  });
  return { guard, asked, allowed, catalog };
}

const read = (
  guard: EntityGuard,
  user: string,
  permission = coderunnerDeploymentReadPermission,
  ref = 'component:default/shop',
  credentials: BackstageCredentials = mockCredentials.user(user),
) => guard.authorize({ ref, permission, credentials });

/** Deployment read on shop with the given credentials. */
const readAs = (guard: EntityGuard, credentials: BackstageCredentials) =>
  read(guard, '', undefined, undefined, credentials);

describe('EntityGuard', () => {
  it('reuses a read for the same caller: one catalog read and one decision for many asks, concurrent ones included', async () => {
    const { guard, asked } = setup({ readCacheMs: 60_000 });
    await Promise.all(Array.from({ length: 10 }, () => read(guard, ALICE)));
    await read(guard, ALICE);
    await read(
      guard,
      ALICE,
      coderunnerDeploymentReadPermission,
      'Component:default/Shop',
    );
    expect(asked).toMatchObject({ entity: 1, decisions: 1 });
    // Another read permission on the same entity: the entity is known, the decision is not.
    await read(guard, ALICE, coderunnerConfigReadPermission);
    expect(asked).toMatchObject({ entity: 1, decisions: 2 });
  });

  it("never answers one caller with another's decision", async () => {
    const { guard, asked } = setup({ readCacheMs: 60_000 });
    await read(guard, ALICE);
    await expect(read(guard, BOB)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(asked.decisions).toBe(2);
    // A new token of Alice (another sign-in) is asked afresh too.
    await readAs(guard, {
      ...mockCredentials.user(ALICE),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect(asked.decisions).toBe(3);
  });

  it('keeps nothing for a service, and keeps a user acting through a service apart', async () => {
    const { guard, asked, allowed } = setup({ readCacheMs: 60_000 });
    allowed.add('plugin:scaffolder');
    const service = mockCredentials.service('plugin:scaffolder');
    for (let i = 0; i < 2; i++) {
      await readAs(guard, service);
    }
    expect(asked).toMatchObject({ entity: 2, decisions: 2 });
    await read(guard, ALICE);
    await readAs(guard, {
      ...mockCredentials.user(ALICE),
      principal: {
        type: 'user',
        userEntityRef: ALICE,
        actor: { type: 'service', subject: 'plugin:scaffolder' },
      },
    });
    expect(asked).toMatchObject({ entity: 4, decisions: 4 });
  });

  it('keeps no refusal and no missing entity: a grant and a new entity count at once', async () => {
    const { guard, asked, allowed } = setup({ readCacheMs: 60_000 });
    await expect(read(guard, BOB)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    allowed.add(BOB);
    await expect(read(guard, BOB)).resolves.toMatchObject({
      metadata: { name: 'shop' },
    });
    await expect(
      read(guard, BOB, undefined, 'component:default/new'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      read(guard, BOB, undefined, 'component:default/new'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    // shop once (found, so kept, though Bob was refused), the missing one each time.
    expect(asked.entity).toBe(3);
  });

  it('decides every change and every secret reveal afresh', async () => {
    const { guard, asked, allowed } = setup({ readCacheMs: 60_000 });
    await read(guard, ALICE, coderunnerDeployPermission);
    await read(guard, ALICE, coderunnerSecretRevealPermission);
    expect(asked).toMatchObject({ entity: 2, decisions: 2 });
    allowed.delete(ALICE);
    await expect(
      read(guard, ALICE, coderunnerDeployPermission),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      read(guard, ALICE, coderunnerSecretRevealPermission),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('applies a revoked read once the reuse time is over', async () => {
    const { guard, allowed } = setup({ readCacheMs: 20 });
    await read(guard, ALICE);
    allowed.delete(ALICE);
    // More than the reuse time passes, however slow the machine.
    await new Promise(resolve => setTimeout(resolve, 100));
    await expect(read(guard, ALICE)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('with a reuse time of 0 asks on every read', async () => {
    const { guard, asked } = setup({ readCacheMs: 0 });
    await read(guard, ALICE);
    await read(guard, ALICE);
    expect(asked).toMatchObject({ entity: 2, decisions: 2 });
  });

  it('forgets a failed answer', async () => {
    const { guard, catalog, asked } = setup({ readCacheMs: 60_000 });
    const getEntityByRef = catalog.getEntityByRef;
    catalog.getEntityByRef = async () => {
      throw new Error('catalog unavailable');
    };
    await expect(read(guard, ALICE)).rejects.toThrow('catalog unavailable');
    catalog.getEntityByRef = getEntityByRef;
    await expect(read(guard, ALICE)).resolves.toMatchObject({
      metadata: { name: 'shop' },
    });
    expect(asked.entity).toBe(1);
  });

  describe('allowedRefs', () => {
    const refs = ['component:default/shop', 'component:default/payroll'];
    const allowedRefs = (guard: EntityGuard, list: string[], user = ALICE) =>
      guard.allowedRefs({
        refs: list,
        permission: coderunnerDeploymentReadPermission,
        credentials: mockCredentials.user(user),
      });

    it('asks the catalog only about refs it does not know yet, and the policy once', async () => {
      const { guard, asked } = setup({ readCacheMs: 60_000 });
      expect(await allowedRefs(guard, refs)).toEqual(new Set(refs));
      expect(
        await allowedRefs(guard, [
          ...refs,
          'component:default/web',
          'component:default/gone',
        ]),
      ).toEqual(new Set([...refs, 'component:default/web']));
      expect(asked.refs).toEqual([
        refs,
        ['component:default/web', 'component:default/gone'],
      ]);
      expect(asked.decisions).toBe(1);
      // Bob is asked about on his own, and refused.
      expect(await allowedRefs(guard, refs, BOB)).toEqual(new Set());
      expect(asked.refs).toHaveLength(3);
    });

    it('answers with the refs in the forms it was given, each asked about once', async () => {
      const { guard, asked } = setup({ readCacheMs: 60_000 });
      const forms = [
        'Component:default/shop',
        'component:default/shop',
        'component:shop',
        'component:default/gone',
      ];
      expect(await allowedRefs(guard, forms)).toEqual(
        new Set(forms.slice(0, 3)),
      );
      expect(asked.refs).toEqual([
        ['component:default/shop', 'component:default/gone'],
      ]);
    });

    it('resolves a conditional policy per ref, once per ref', async () => {
      const { guard, asked } = setup({
        readCacheMs: 60_000,
        conditional: true,
      });
      expect(await allowedRefs(guard, refs)).toEqual(new Set(refs));
      // The conditional answer (1) and one decision per ref (2).
      expect(asked.decisions).toBe(3);
      expect(
        await allowedRefs(guard, [...refs, 'component:default/web']),
      ).toEqual(new Set([...refs, 'component:default/web']));
      expect(asked.decisions).toBe(4);
    });
  });
});
