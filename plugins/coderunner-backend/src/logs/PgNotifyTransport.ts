import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { LogHubTransport } from './LogHub';

const CHANNEL = 'coderunner_logs';
const RECONNECT_MS = 1000;

type PgConnection = {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    fn: (msg: { channel: string; payload?: string }) => void,
  ): void;
  on(event: 'error' | 'end', fn: (error?: Error) => void): void;
  removeAllListeners(): void;
};

/**
 * Carries LogHub messages between backend replicas on one PostgreSQL database: `NOTIFY` on a
 * pooled connection, `LISTEN` on a dedicated one that is reopened when it drops.
 *
 * @internal
 */
export class PgNotifyTransport implements LogHubTransport {
  private connection?: PgConnection;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly knex: Knex,
    private readonly logger: LoggerService,
  ) {}

  get connected() {
    return this.connection !== undefined;
  }

  static isSupported(knex: Knex) {
    return knex.client.config.client === 'pg';
  }

  async publish(message: string) {
    await this.knex.raw('select pg_notify(?, ?)', [CHANNEL, message]);
  }

  async start(handlers: {
    onMessage(message: string): void;
    onReconnect(): void;
  }) {
    this.stopped = false;
    await this.listen(handlers, false);
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    const connection = this.connection;
    this.connection = undefined;
    if (connection) {
      connection.removeAllListeners();
      await this.knex.client.destroyRawConnection(connection).catch(() => {});
    }
  }

  private async listen(
    handlers: { onMessage(message: string): void; onReconnect(): void },
    reconnecting: boolean,
  ) {
    try {
      const connection: PgConnection =
        await this.knex.client.acquireRawConnection();
      connection.on('notification', msg => {
        if (msg.channel === CHANNEL && msg.payload)
          handlers.onMessage(msg.payload);
      });
      const lost = (error?: Error) => {
        if (this.stopped || this.connection !== connection) return;
        this.logger.warn(
          `Lost the log notification connection, reconnecting: ${
            error ?? 'closed'
          }`,
        );
        connection.removeAllListeners();
        this.connection = undefined;
        this.knex.client.destroyRawConnection(connection).catch(() => {});
        this.retry = setTimeout(
          () => void this.listen(handlers, true),
          RECONNECT_MS,
        );
      };
      connection.on('error', lost);
      connection.on('end', lost);
      await connection.query(`LISTEN ${CHANNEL}`);
      this.connection = connection;
      if (reconnecting) handlers.onReconnect();
    } catch (error) {
      if (this.stopped) return;
      if (!reconnecting) throw error;
      this.retry = setTimeout(
        () => void this.listen(handlers, true),
        RECONNECT_MS,
      );
    }
  }
}
