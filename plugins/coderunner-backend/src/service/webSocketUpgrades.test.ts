import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import signalsPlugin from '@backstage/plugin-signals-backend';
import express from 'express';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { WebSocket, WebSocketServer } from 'ws';
import { upgradeListener } from './webSocketUpgrades';

// Starts a backend: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(60_000);

/** A plugin that listens for the upgrades of its own paths, as the stream and terminal do. */
const upgradesPlugin = createBackendPlugin({
  pluginId: 'upgrades',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        const sockets = new WebSocketServer({ noServer: true });
        const router = express.Router();
        router.use(
          upgradeListener('/socket', (req, socket, head) =>
            sockets.handleUpgrade(req, socket, head, ws =>
              ws.send(`ours: ${req.url}`),
            ),
          ),
        );
        router.get('/ping', (_req, res) => {
          res.json({ ok: true });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/ping', allow: 'unauthenticated' });
      },
    });
  },
});

/** How a WebSocket handshake ends: open (and its first message), or the HTTP answer instead. */
function connect(url: string) {
  return new Promise<{ opened: boolean; status?: number; message?: string }>(
    resolve => {
      const ws = new WebSocket(url);
      ws.once('unexpected-response', (_req, res) =>
        resolve({ opened: false, status: res.statusCode }),
      );
      ws.once('open', () => {
        if (!url.includes('/api/upgrades/')) {
          ws.close();
          resolve({ opened: true });
        }
      });
      ws.once('message', data => {
        ws.close();
        resolve({ opened: true, message: String(data) });
      });
      ws.once('error', () => undefined);
    },
  );
}

describe('upgradeListener', () => {
  it("leaves the signals plugin's WebSocket working when the plugin's router is reached first", async () => {
    const backend = await startTestBackend({
      features: [
        upgradesPlugin,
        signalsPlugin,
        mockServices.rootConfig.factory({
          data: { backend: { baseUrl: 'http://localhost' } },
        }),
      ],
    });
    try {
      // The plugin's router first: its upgrade listener is hooked before signals has one.
      expect(
        (await request(backend.server).get('/api/upgrades/ping')).status,
      ).toBe(200);
      const { port } = backend.server.address() as AddressInfo;
      const base = `ws://localhost:${port}/api`;

      // Another plugin's path that nobody upgrades, while only this plugin listens: its plain
      // HTTP answer, as with no listener.
      expect(await connect(`${base}/nobody/socket`)).toEqual({
        opened: false,
        status: 404,
      });
      // Signals hooks its listener on the first upgrade its router sees; it must see one. (A
      // socket with no token is a signals socket too, for broadcasts only.)
      expect(await connect(`${base}/signals`)).toEqual({ opened: true });
      // And again, now that signals listens itself.
      expect(await connect(`${base}/signals`)).toEqual({ opened: true });
      // The plugin's own paths stay its own.
      expect(await connect(`${base}/upgrades/socket`)).toEqual({
        opened: true,
        message: 'ours: /api/upgrades/socket',
      });
      // Another path of the plugin's is refused at once, not left hanging.
      expect(await connect(`${base}/upgrades/nothing`)).toEqual({
        opened: false,
        status: 404,
      });
    } finally {
      await backend.stop();
    }
  });
});
