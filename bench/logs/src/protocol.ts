/** What the parent tells a replica child process (bench/logs/src/replica.ts). */
export interface ReplicaConfig {
  name: string;
  token: string;
  emulator: { url: string; domain: string; apiKey: string };
  database:
    | {
        client: 'pg';
        connection: {
          host: string;
          port: number;
          user: string;
          password?: string;
          database: string;
        };
      }
    | { client: 'better-sqlite3'; filename: string };
}

export type ReplicaCommand =
  | {
      type: 'startProcess';
      deploymentId: string;
      sandboxId: string;
      command: string;
      cwd?: string;
      /** Through the sandbox's output buffer, as InstanceRunner starts instances. */
      captured?: boolean;
    }
  | {
      type: 'attachProcess';
      deploymentId: string;
      sandboxId: string;
      pid: number;
      /** Read the output on from the stored offsets through a follower, as InstanceRunner adopts. */
      captured?: boolean;
    }
  | {
      type: 'generate';
      deploymentId: string;
      linesPerSecond: number;
      seconds: number;
      padding: number;
    }
  /**
   * Lines made on a worker thread of the replica (lineClock.ts) and handed to the LogWriter as
   * the runtime's output callback would: the pipeline without the sandbox → emulator leg.
   */
  | {
      type: 'threadLines';
      deploymentId: string;
      rate: number;
      seconds: number;
      padding: number;
    }
  | { type: 'flush' }
  /** Time from the process writing a chunk to the replica receiving it, since the last call. */
  | { type: 'arrival' }
  | { type: 'head'; deploymentId: string }
  /** What the last takeover's follower read back from the sandbox's buffer. */
  | { type: 'recovered' }
  | { type: 'memory' }
  | { type: 'stop' };

/** What the parent tells the floor process (bench/logs/src/floor.ts). */
export type FloorCommand =
  | {
      type: 'broadcast';
      /** Lines a second, made in ticks of about 1 ms as the sandboxed emitter makes them. */
      rate: number;
      seconds: number;
      padding: number;
      /** Lines per frame (the median frame of the pipeline's run it is compared with). */
      frameSize: number;
      /**
       * Who makes and stamps the lines: this broadcasting event loop's own timer (`loop`), or a
       * worker thread on a timer of its own (`thread`), as the emitter runs apart from a replica.
       */
      clock: 'loop' | 'thread';
    }
  | { type: 'memory' }
  | { type: 'stop' };
