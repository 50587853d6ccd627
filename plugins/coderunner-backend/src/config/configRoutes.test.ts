import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { coderunnerPlugin } from '../plugin';

const SECRET = 'ghp_route_test_secret_value';
const base = '/api/coderunner/entities/component/default/hello-node/config';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'hello-node', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/platform', lifecycle: 'experimental' },
};

describe('Config API permissions', () => {
  let server: any;
  let allowed = new Set<string>();
  const auditor = mockServices.auditor.mock();
  const as = (...names: string[]) => {
    allowed = new Set(names.map(n => `coderunner.${n}`));
  };

  beforeAll(async () => {
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result: allowed.has(r.permission.name) ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        })) as any,
    });
    ({ server } = await startTestBackend({
      features: [
        coderunnerPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        permissions.factory,
        auditor.factory,
        mockServices.rootConfig.factory({
          data: { coderunner: { environments: ['dev', 'prod'], gateway: { enabled: false } } },
        }),
      ],
    }));
    as('config.read', 'config.write');
    const seeded = await request(server)
      .post(`${base}/changes`)
      .send({ changes: [{ scope: 'prod', name: 'API_TOKEN', value: SECRET, secret: true }, { scope: 'shared', name: 'GREETING', value: 'hi' }] });
    if (seeded.status !== 202) {
      throw new Error(`Could not seed the configuration: ${seeded.text}`);
    }
  });

  const cases: [string, string[], number, () => request.Test][] = [
    ['read config', [], 403, () => request(server).get(base)],
    ['read config', ['config.read'], 200, () => request(server).get(base)],
    ['save', ['config.read'], 403, () => request(server).post(`${base}/changes`).send({ changes: [{ scope: 'dev', name: 'A', value: '1' }] })],
    ['save', ['config.write'], 202, () => request(server).post(`${base}/changes`).send({ changes: [{ scope: 'dev', name: 'B', value: '1' }] })],
    ['save and apply', ['config.write'], 403, () => request(server).post(`${base}/changes`).send({ apply: true, changes: [{ scope: 'dev', name: 'C', value: '1' }] })],
    ['save and apply', ['config.write', 'deployment.deploy'], 202, () => request(server).post(`${base}/changes`).send({ apply: true, changes: [{ scope: 'dev', name: 'D', value: '1' }] })],
    ['roll back', ['config.read'], 403, () => request(server).post(`${base}/rollback`).send({ version: 1 })],
    ['reveal', ['config.read', 'config.write'], 403, () => request(server).post(`${base}/reveal`).send({ scope: 'prod', name: 'API_TOKEN' })],
    ['reveal', ['config.read', 'secret.reveal'], 200, () => request(server).post(`${base}/reveal`).send({ scope: 'prod', name: 'API_TOKEN' })],
    ['export with secrets', ['config.read'], 403, () => request(server).get(`${base}/export?scope=prod&format=env&includeSecrets=true`)],
    ['export with secrets', ['config.read', 'secret.reveal'], 200, () => request(server).get(`${base}/export?scope=prod&format=env&includeSecrets=true`)],
    ['export without secrets', ['config.read'], 200, () => request(server).get(`${base}/export?scope=prod&format=env`)],
    ['history', [], 403, () => request(server).get(`${base}/audit`)],
    ['history', ['config.read'], 200, () => request(server).get(`${base}/audit`)],
    ['versions', ['config.read'], 200, () => request(server).get(`${base}/versions`)],
    ['import preview', ['config.read'], 403, () => request(server).post(`${base}/import/preview`).send({ scope: 'dev', format: 'env', content: 'A=1' })],
    ['import preview', ['config.write'], 200, () => request(server).post(`${base}/import/preview`).send({ scope: 'dev', format: 'env', content: 'A=1' })],
  ];

  it.each(cases)('%s with %j answers %p', async (_what, permissions, status, send) => {
    as(...permissions);
    const response = await send();
    expect(response.status).toBe(status);
    const mayShowSecret = permissions.includes('secret.reveal') && status === 200;
    expect(mayShowSecret || !response.text.includes(SECRET)).toBe(true);
  });

  it('reveals and exports secret values only to those who may, and audits it without the value', async () => {
    as('config.read', 'secret.reveal');
    const revealed = await request(server).post(`${base}/reveal`).send({ scope: 'prod', name: 'API_TOKEN' });
    expect(revealed.body).toEqual({ value: SECRET });
    const exported = await request(server).get(`${base}/export?scope=prod&format=env`);
    expect(exported.body).toEqual({ format: 'env', content: '', omittedSecrets: ['API_TOKEN'] });
    const events = auditor.createEvent.mock.calls.map(([options]) => options);
    expect(events.map(e => e.eventId)).toEqual(expect.arrayContaining(['config-change', 'config-reveal', 'config-export-secrets']));
    expect(JSON.stringify(events.map(e => e.meta))).not.toContain(SECRET);
    const history = await request(server).get(`${base}/audit?name=API_TOKEN`);
    expect(history.body.items.map((e: any) => e.action)).toEqual(expect.arrayContaining(['reveal', 'change']));
  });

  it('explains bad input with 400 and what to fix', async () => {
    as('config.write');
    const response = await request(server)
      .post(`${base}/changes`)
      .send({ changes: [{ scope: 'dev', name: 'PORT', value: '1' }] });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('PORT is reserved');
  });
});
