import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import notificationsModuleEmail from '@backstage/plugin-notifications-backend-module-email';
import { notificationService } from '@backstage/plugin-notifications-node';
import { Alert } from '@coderunner/plugin-coderunner-common';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { NotificationsChannel } from './NotificationsChannel';

const SHOP = 'component:default/shop';
const ALICE = 'user:default/alice';
const MALLORY = 'user:default/mallory';

/** The catalog: team-a owns the shop and has Alice; Mallory is in another team. */
const entities = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', namespace: 'default' },
    spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'x' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-a', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: ALICE }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-b', namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: [{ type: 'hasMember', targetRef: MALLORY }],
  },
  ...[
    ['alice', 'alice@example.com', 'team-a'],
    ['mallory', 'mallory@example.com', 'team-b'],
  ].map(([name, email, team]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email }, memberOf: [team] },
    relations: [{ type: 'memberOf', targetRef: `group:default/${team}` }],
  })),
];

interface Mail {
  to: string[];
  body: string;
}

/** A local SMTP server (the maintained `smtp-server` package) that keeps what it receives. */
async function startSmtpServer() {
  const mails: Mail[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', chunk => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map(r => r.address),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        waiters.splice(0).forEach(wake => wake());
        callback();
      });
    },
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    /** Resolves once a mail arrived (now or later). */
    nextMail: () =>
      mails.length > 0
        ? Promise.resolve()
        : new Promise<void>(resolve => waiters.push(resolve)),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

const alert: Alert = {
  id: 'a1b2c3',
  key: `crash-loop:${SHOP}:production`,
  ruleId: 'crash-loop',
  entityRef: SHOP,
  environment: 'production',
  severity: 'critical',
  title: 'Crash loop in production',
  description: 'An instance of component:default/shop keeps exiting',
  link: '/catalog/default/component/shop/logs',
  status: 'open',
  openedAt: new Date(0).toISOString(),
  lastSeenAt: new Date(0).toISOString(),
};

describe('alert delivery through the notifications backend', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  it("reaches the owners' notifications and mailboxes, and nobody else's", async () => {
    const channelRef: { current?: NotificationsChannel } = {};
    // The channel as the CodeRunner plugin creates it, with the plugin's notification service.
    const coderunnerProbe = createBackendPlugin({
      pluginId: 'coderunner',
      register(env) {
        env.registerInit({
          deps: {
            notifications: notificationService,
            catalog: catalogServiceRef,
            auth: coreServices.auth,
          },
          async init({ notifications, catalog, auth }) {
            channelRef.current = new NotificationsChannel(
              notifications,
              catalog,
              auth,
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        coderunnerProbe,
        notificationsPlugin,
        notificationsModuleEmail,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            notifications: {
              processors: {
                email: {
                  transportConfig: {
                    transport: 'smtp',
                    hostname: '127.0.0.1',
                    port: smtp.port,
                    secure: false,
                    requireTls: false,
                  },
                  sender: 'coderunner@example.com',
                },
              },
            },
          },
        }),
      ],
    });
    const channel = channelRef.current!;
    await channel.deliver({ type: 'opened', alert });

    const inbox = (user: string) =>
      request(server)
        .get('/api/notifications/notifications')
        .set('authorization', mockCredentials.user.header(user));
    const alices = await inbox(ALICE);
    expect(alices.status).toBe(200);
    expect(alices.body.notifications).toEqual([
      expect.objectContaining({
        user: ALICE,
        origin: 'plugin:coderunner',
        payload: expect.objectContaining({
          title: 'Crash loop in production (component:default/shop)',
          severity: 'critical',
          link: '/catalog/default/component/shop/logs',
          topic: 'coderunner-alerts',
        }),
      }),
    ]);
    const mallorys = await inbox(MALLORY);
    expect(mallorys.status).toBe(200);
    expect(mallorys.body.notifications).toEqual([]);

    await smtp.nextMail();
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual(['alice@example.com']);
    expect(smtp.mails[0].body).toContain('Crash loop in production');

    // Resolving sends a second, low-severity notification to the same owners.
    await channel.deliver({
      type: 'resolved',
      alert: {
        ...alert,
        status: 'resolved',
        resolvedAt: new Date(1000).toISOString(),
      },
    });
    const after = await inbox(ALICE);
    expect(
      after.body.notifications.map((n: any) => [
        n.payload.title,
        n.payload.severity,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['Resolved: Crash loop in production (component:default/shop)', 'low'],
        ['Crash loop in production (component:default/shop)', 'critical'],
      ]),
    );
    expect((await inbox(MALLORY)).body.notifications).toEqual([]);
  });

  it('tells nobody about an entity the catalog does not hold', async () => {
    const sent: unknown[] = [];
    const channel = new NotificationsChannel(
      { send: async options => void sent.push(options) },
      catalogServiceMock({ entities }),
      mockServices.auth(),
    );
    await channel.deliver({
      type: 'opened',
      alert: { ...alert, entityRef: 'component:default/unknown' },
    });
    expect(sent).toEqual([]);
  });
});
