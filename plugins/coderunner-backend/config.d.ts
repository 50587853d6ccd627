export interface Config {
  /** Configuration for the CodeRunner backend plugin. */
  coderunner?: {
    /**
     * The deployment environments offered for every component, in promotion order.
     * Defaults to development, staging and production.
     * @visibility frontend
     */
    environments?: string[];
    /** Where CodeRunner runs components. Without an apiKey the dev backend uses the local emulator. */
    agentsphere?: {
      /**
       * AgentSphere API key. Unset: the dev backend starts the local emulator; elsewhere every call fails.
       * @visibility secret
       */
      apiKey?: string;
      /** AgentSphere domain; `agentsphere.run` by default. */
      domain?: string;
      /** Template for sandboxes whose manifest names none; `base` by default. */
      defaultTemplate?: string;
      /** A sandbox's lifetime at creation and at each extension, in seconds; 300 by default. */
      sandboxLifetimeSeconds?: number;
      /** How often the lifetimes of wanted sandboxes are extended, in seconds; 60 by default. */
      keepAliveIntervalSeconds?: number;
      /** Deadline for each attempt of each AgentSphere call, in milliseconds; 30000 by default. */
      requestTimeoutMs?: number;
      /** Deadline for a command run to completion, in milliseconds; 60000 by default. */
      commandTimeoutMs?: number;
      /** Retries of calls that fail with 429, 5xx, network errors or timeouts. */
      retry?: {
        /** Attempts per call, the first included; 4 by default. */
        maxAttempts?: number;
        /** Delay before the first retry in milliseconds, doubling with jitter; 1000 by default. */
        initialDelayMs?: number;
        /** Longest delay between attempts in milliseconds; 8000 by default. */
        maxDelayMs?: number;
      };
      /** Stops calling AgentSphere for a while after many failures in a row. */
      circuitBreaker?: {
        /** Consecutive failed attempts that open the circuit; 5 by default. */
        failureThreshold?: number;
        /** Milliseconds before a trial call is let through; 30000 by default. */
        resetAfterMs?: number;
      };
    };
    /** The alert engine (docs/alerts.md). */
    alerts?: {
      /** Evaluate alert rules; true by default. */
      enabled?: boolean;
      /** Seconds between two evaluations, 5 to 3600; 15 by default. */
      intervalSeconds?: number;
      /** Days resolved alerts are kept, at least 1; 90 by default. */
      historyDays?: number;
      objectives?: {
        /** Availability objective, a fraction between 0 and 1; 0.995 by default. */
        availability?: number;
        /** p95 latency objective in milliseconds; 500 by default. */
        latencyP95Ms?: number;
        /** Fewest requests in a window before the objectives are judged; 20 by default. */
        minRequests?: number;
      };
    };
    /** Cost accounting and budgets (docs/cost.md). */
    cost?: {
      /** ISO 4217 code the prices and budgets are in; `USD` by default. */
      currency?: string;
      /** Per-second prices; a size costs vCPUs × vcpuSecond + memory GiB × gibSecond. */
      prices?: {
        /** Price of one vCPU for one second; 0.000014 by default. At most 9 decimals. */
        vcpuSecond?: number;
        /** Price of one GiB of memory for one second; 0.0000045 by default. */
        gibSecond?: number;
        /** Per-second price of a whole instance of a size (`small`, `medium`, `large`, `xlarge`), replacing the sum. */
        sizes?: { [size: string]: number };
      };
      /** Fractions of a budget that warn, ascending; [0.75, 0.9, 1] by default. */
      thresholds?: number[];
      /** Hours of recent spend whose rate the forecast extends to the end of the month; 24 by default. */
      forecastWindowHours?: number;
      /** Budgets kept in app-config; the UI shows them and cannot change them. */
      budgets?: Array<{
        /** A component (exactly one of entityRef and ownerRef). */
        entityRef?: string;
        /** Only this environment of the component; all environments when omitted. */
        environment?: string;
        /** A group: the budget covers every entity it owns (catalog spec.owner). */
        ownerRef?: string;
        /** Monthly amount in the currency, at most two decimals. */
        amount: number;
        thresholds?: number[];
        /** When true the autoscaler never runs more instances than the rest of the month's budget pays for. */
        hardCap?: boolean;
      }>;
      /** Right-sizing advice from measured CPU and memory. */
      rightSizing?: {
        /** Days of measurements looked at; 7 by default (at most the metrics rollup retention). */
        days?: number;
        /** Fewest 5-minute averages that give advice; 288 (a day) by default. */
        minSamples?: number;
      };
    };
    /** The gateway that serves every deployment on a stable URL of its own origin. */
    gateway?: {
      /** Set to false to run no gateway (deployments then have no URL). */
      enabled?: boolean;
      /** The port the gateway listens on; 7080 by default. */
      port?: number;
      /** Network interface to listen on; all by default. */
      listenHost?: string;
      /**
       * Apps are served at `<name>.<environment>.<baseDomain>`; `localhost` by default, which
       * browsers resolve to this machine. In production use a wildcard DNS name.
       * @visibility frontend
       */
      baseDomain?: string;
      /** The scheme in deployment URLs; `http` by default. */
      publicScheme?: string;
      /** The port in deployment URLs when a load balancer in front listens elsewhere. */
      publicPort?: number;
      /**
       * How long a request to a deployment scaled to zero waits for an instance to start before
       * the gateway answers 503 with a page saying the app is starting; 1 to 600 seconds, 30 by
       * default.
       */
      wakeTimeoutSeconds?: number;
      /**
       * How long an instance may take to start answering a request (its response headers) before
       * the gateway answers 504; such a request is not retried. More than 0 seconds, 30 by default.
       */
      answerTimeoutSeconds?: number;
      /**
       * Requests that may wait for deployments to wake at once, across all of them; a further
       * one is answered 503 at once. 0 or more; 256 by default.
       */
      maxHeldRequests?: number;
    };
    /** The Prometheus endpoint at /api/coderunner/metrics (docs/monitoring.md). */
    metrics?: {
      /**
       * Who may scrape: `backstage` (a Backstage service credential, such as a static token
       * from backend.auth.externalAccess; user tokens are refused), `token` (the bearer token
       * below) or `unauthenticated` (only on a private network). `token` when a token is set,
       * `backstage` otherwise.
       */
      auth?: 'backstage' | 'token' | 'unauthenticated';
      /**
       * The bearer token Prometheus sends, at least 16 characters.
       * @visibility secret
       */
      token?: string;
      /** How long the time-series store keeps data (docs/monitoring.md). */
      retention?: {
        /** Raw samples, in hours: 24 by default. */
        rawHours?: number;
        /** 1-minute rollups, in days: 15 by default. */
        rollupDays?: number;
      };
      /** How often each replica writes what its gateway counted; 15 s by default (5–300). */
      flushIntervalSeconds?: number;
      /** How often sandboxes' CPU and memory are read (one replica); 15 s by default (5–300). */
      sandboxPollIntervalSeconds?: number;
      gateway?: {
        /**
         * `false` stops the gateway counting requests: no `coderunner_gateway_*` series, no
         * request, latency or error figures in the portal. `true` by default.
         */
        enabled?: boolean;
      };
    };
    /** The live WebSocket at /api/coderunner/stream (docs/logs.md). */
    /** Live autoscaling (docs/autoscaling.md, "Live autoscaling"). */
    scaling?: {
      /**
       * Seconds between two scaling decisions (one replica decides, for every deployment),
       * 1 to 15. Defaults to the metrics sample period (`metrics.sandboxPollIntervalSeconds`),
       * at most 15.
       */
      tickSeconds?: number;
    };
    stream?: {
      /**
       * Open sockets per user (or service) on one backend replica; a further one is closed at
       * once with code 4429. 10 by default.
       */
      maxSocketsPerUser?: number;
    };
    /** The instance terminal at /api/coderunner/terminal (docs/terminal.md). */
    terminal?: {
      /** Seconds without input after which a session closes (code 4408); 900 by default. */
      idleTimeoutSeconds?: number;
      /** Seconds after which a session closes whatever happens (code 4410); 3600 by default. */
      maxSessionSeconds?: number;
      /** Open terminal sessions per user on one backend replica (more answer 429); 5 by default. */
      maxSessionsPerUser?: number;
    };
    /** The Deployments API (docs/deployments.md). */
    deployments?: {
      /**
       * Bytes of deployment views each replica keeps in memory for the Deployments API's
       * lists, so a list read again needs one query while its deployments are unchanged. A
       * whole number from 0 (no cache) to 1073741824 (1 GiB); 16777216 (16 MiB) by default.
       */
      viewCacheBytes?: number;
    };
    /** Releases of each deployment. */
    releases?: {
      /**
       * Releases per deployment whose source snapshot and built artifact are kept; older
       * releases keep their row and history but lose their files (a scheduled task prunes
       * them), except the active release, the rollback target and any release an instance
       * still runs. Rolling back to a pruned release answers 409. 10 by default.
       */
      keepArtifacts?: number;
      /** Minutes between prunes; 60 by default. */
      retentionIntervalMinutes?: number;
    };
    /** Build and runtime logs. */
    logs?: {
      /**
       * Bytes of each output stream (stdout and stderr) an instance's sandbox keeps, in four
       * rotated files, for a replica that takes the instance over to read back; what rotation
       * drops before any replica stored it becomes a gap marker. A whole number from 4096
       * (4 KiB) to 1073741824 (1 GiB); 8388608 (8 MiB) by default. Applies to instances started
       * after a change.
       */
      sandboxBufferBytes?: number;
      /**
       * Bytes of stored lines each replica keeps in memory for the log history API, so a page
       * read again (a Logs tab opened by several people, paging back and forth) needs only the
       * page's sequence numbers from the database. Up to a quarter of it keeps whole pages made
       * of kept lines, as their answers' bytes. A whole number from 0 (no cache) to
       * 1073741824 (1 GiB); 33554432 (32 MiB) by default.
       */
      lineCacheBytes?: number;
      /** How long lines are kept; the oldest go first. A scheduled task deletes them. */
      retention?: {
        /** Lines kept per deployment at most; 100000 by default. */
        maxLinesPerDeployment?: number;
        /** Days a line is kept at most; 14 by default. */
        maxAgeDays?: number;
        /** Minutes between clean-ups; 10 by default. */
        intervalMinutes?: number;
      };
    };
    /** Reuse of the catalog's and the permission framework's answers (docs/security.md). */
    accessCache?: {
      /**
       * Seconds for which a user's read of an entity (the catalog's entity and the policy's
       * ALLOW for reading its deployments, logs or config) is reused by this replica, 0 to 60;
       * 2 by default, 0 asks the catalog and the permission backend on every read. Refusals,
       * services and every change, secret reveal and terminal are always asked afresh, so a
       * revoked read permission takes effect within this time and a granted one at once.
       */
      readSeconds?: number;
    };
    /**
     * Requests per user (or service) per minute, counted in the database so every replica
     * shares them. Over a limit: 429 with `Retry-After`; every counted answer carries
     * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.
     */
    rateLimit?: {
      /** Deploys, rollbacks, restarts, stops, deletes and config changes; 60 by default. */
      mutationsPerMinute?: number;
      /** Config import and template previews; 30 by default. */
      previewsPerMinute?: number;
      /** Config exports and log downloads; 20 by default. */
      exportsPerMinute?: number;
      /** New connections to the live stream (/stream); 30 by default. */
      streamConnectsPerMinute?: number;
    };
    /** Configuration and secrets of deployed components (docs/config.md). */
    config?: {
      /**
       * The largest import (`.env`, JSON or YAML text) a preview accepts, in UTF-8 bytes;
       * 262144 (256 KiB) by default. Larger imports get a 400 that names this key.
       */
      importMaxBytes?: number;
      /**
       * Key-encryption keys for stored variables (AES-256-GCM). New values use the active key
       * (the one marked active, else the last); older keys stay listed until the rotation task
       * has moved their values. Without keys a generated development key is used, with a warning;
       * with `NODE_ENV=production` the backend refuses to start without keys.
       * @visibility secret
       */
      encryptionKeys?: Array<{
        /** A stable id stored next to each value, e.g. `2026-01`. */
        id: string;
        /** 32 random bytes in base64, e.g. from `openssl rand -base64 32`. */
        secret: string;
        /** Marks the key that encrypts new values. */
        active?: boolean;
      }>;
    };
    /** Where component source comes from. */
    source?: {
      /**
       * The only folders on the backend's machine that entities with a `dir:` or `file:`
       * source location may deploy from (after resolving `..` and symlinks); relative to the
       * backend's working directory. By default the repo's `examples` folder and
       * `coderunner.scaffolder.localComponentsDir`. Anything else is refused.
       */
      localRoots?: string[];
    };
    /**
     * The local AgentSphere emulator the dev backend starts when no apiKey is set, or uses when
     * `url` says where one already runs.
     */
    emulator?: {
      /**
       * The plain HTTP address of an emulator already running (for example
       * `http://127.0.0.1:7070`): the backend starts none and uses that one, so several backend
       * replicas share one emulator as they would share AgentSphere. Needs `apiKey`; `port`,
       * `isolation` and `allowInternetAccess` then do not apply.
       */
      url?: string;
      /**
       * The domain the emulator serves, under the reserved `.test` domain; `agentsphere.test` by
       * default (the emulator's own default).
       */
      domain?: string;
      /** Port of the emulator's plain HTTP listener; 7070 by default. */
      port?: number;
      /**
       * How sandboxes are isolated. `auto` (the default) and `bubblewrap` need a working
       * bubblewrap and refuse to start without one; `none` runs apps as plain host processes
       * (logged as a warning at start): only for trusted code on a machine that runs nothing else.
       */
      isolation?: 'auto' | 'bubblewrap' | 'none';
      /**
       * Whether sandboxes reach the internet (through slirp4netns, as AgentSphere's do by
       * default), never the host's own services or other sandboxes; true by default. With true
       * the emulator refuses to start where slirp4netns is not installed.
       */
      allowInternetAccess?: boolean;
      /**
       * The key the emulator requires in `X-API-KEY`; a random one per start by default. With
       * `url`, the key that emulator was started with.
       * @visibility secret
       */
      apiKey?: string;
    };
    /** Where apps run, beyond the AgentSphere settings. */
    runtime?: {
      /**
       * With `NODE_ENV=production` the backend refuses to start on the local emulator (which
       * runs apps on the portal's own host) unless this is true. False by default.
       */
      allowEmulatorInProduction?: boolean;
    };
  };
}
