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

// A backend with the notifications plugin and an SMTP round trip per test, on a busy machine.
jest.setTimeout(60_000);

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
    /** The first mail that `matches`, once it arrived (now or later). */
    mail: async (matches: (mail: Mail) => boolean = () => true) => {
      for (;;) {
        const found = mails.find(matches);
        if (found) return found;
        await new Promise<void>(resolve => waiters.push(resolve));
      }
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

/** The text/html part of a raw MIME mail, quoted-printable decoded. */
function htmlPart(raw: string): string {
  const start = raw.search(/Content-Type: text\/html/i);
  expect(start).toBeGreaterThanOrEqual(0);
  // Soft line breaks first: a continued line may start with '--'.
  const part = raw.slice(start).replace(/=\r?\n/g, '');
  const body = part.slice(part.search(/\r?\n\r?\n/)).split(/\r?\n--/)[0];
  const bytes = body.replace(/=([0-9A-F]{2})/g, (_, hex) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return Buffer.from(bytes, 'latin1').toString('utf8');
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

  /** The notifications backend with the email module sending to `smtp`, and the channel. */
  async function startNotifications() {
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
    return { server, channel: channelRef.current! };
  }

  it("reaches the owners' notifications and mailboxes, and nobody else's", async () => {
    const { server, channel } = await startNotifications();
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

    await smtp.mail();
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

  it("keeps an app's output and people's text out of the mail's markup", async () => {
    const { server, channel } = await startNotifications();
    // What a crash loop's description quotes: the app's last output, which may hold what a
    // visitor sent it.
    const hostile =
      'Last output: <a href="https://evil.example/login">Sign in again</a> ' +
      '<img src=x onerror=alert(1)><!-- <script>steal()</script> -->';
    await channel.deliver({
      type: 'opened',
      alert: {
        ...alert,
        id: 'injected',
        title: 'Crash loop <b>now</b>',
        description: `An instance keeps exiting: ${hostile}`,
      },
    });
    // The earlier test's mails may still be arriving: this alert's is the one with its words.
    const html = htmlPart(
      (await smtp.mail(m => htmlPart(m.body).includes('evil.example'))).body,
    );
    // The only link in the mail is CodeRunner's own, to the Logs tab.
    expect(html.match(/<a\b[^>]*>/g)).toEqual([
      '<a href="http://localhost:3000/catalog/default/component/shop/logs">',
    ]);
    expect(html).not.toMatch(/<(img|script|b>|!--)/);
    // The words are all still there to read.
    expect(html).toContain('Sign in again');
    expect(html).toContain('\u2039a href="https://evil.example/login">');
    const inbox = await request(server)
      .get('/api/notifications/notifications')
      .set('authorization', mockCredentials.user.header(ALICE));
    const notification = inbox.body.notifications.find((n: any) =>
      n.payload.description.includes('evil.example'),
    );
    expect(notification.payload.title).toBe(
      'Crash loop \u2039b>now\u2039/b> (component:default/shop)',
    );
    expect(notification.payload.description).not.toContain('<');
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
