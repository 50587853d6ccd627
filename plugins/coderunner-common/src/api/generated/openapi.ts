// GENERATED from plugins/coderunner-backend/src/schema/openapi.yaml by openapi-typescript.
// Do not edit by hand: change openapi.yaml and run `yarn generate:openapi` in plugins/coderunner-backend.
/* eslint-disable */
/**
 * The `paths` of the CodeRunner REST API, generated from its OpenAPI spec.
 *
 * @public
 */
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: checks the database (select 1), AgentSphere (circuit breaker and last call), the log pipeline, the reconciler (ticks, lease renewals) and the metrics poller, each within 1 s, and says which sandbox runtime the plugin uses. No credentials needed; the details name no host, URL or secret. */
        get: operations["GetHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/manifest/schema.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema (draft 2020-12) of coderunner.yaml, for editors: point a `# yaml-language-server: $schema=` comment at this URL. No credentials needed. */
        get: operations["GetManifestJsonSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of the deployments the caller may read (coderunner.deployment.read), ordered by entity ref and then environment. Page on with `cursor` set to the answer's `nextCursor` (absent on the last page) and the same filters. A page holds `limit` deployments unless it is the last: deployments the caller may not read are left out before the page is cut. 400 names a wrong `limit`, `environment`, `status` or `q`, and a cursor this API did not give out. */
        get: operations["ListAllDeployments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/setup": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** Whether the entity's coderunner.yaml was found, where, and the environments offered. */
        get: operations["GetEntitySetup"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** The entity's deployments, one per environment deployed so far. */
        get: operations["ListEntityDeployments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/deploy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Creates the next release from the entity's source and coderunner.yaml and rolls it out. 400 when the environment, the instance count or the manifest is wrong (the message says what to fix); 409 when another deploy or rollback of this deployment started while this request was being prepared (sent at the same time); 429 over the rate limit. A rollout already in progress when the request arrives is superseded: its release becomes `superseded`, its instances stop, and the active release serves until this one is ready. */
        post: operations["Deploy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rolls out an earlier release that built successfully, superseding a rollout in progress as Deploy does. 409 when the release retention task pruned its artifact (`artifactPrunedAt`) or another deploy or rollback started at the same time; 429 over the rate limit. */
        post: operations["Rollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/restart": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A rolling restart, with no downtime; the active release again as a new release. */
        post: operations["Restart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Drains and stops every instance; releases are kept. */
        post: operations["Stop"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/start": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Runs a stopped deployment's active release again. */
        post: operations["Start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Drains every instance, then removes the deployment, its releases and logs. */
        delete: operations["DeleteDeployment"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/releases": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** The deployment's releases, newest first. */
        get: operations["ListReleases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** A page of the deployment's stored build and runtime output, oldest first, after a cursor (coderunner.logs.read). Page on with `after` set to the answer's `lastSeq`. With `level` or `q` a page looks at no more than 20,000 sequence numbers, so `lastSeq` can advance with few or no items: keep paging until `lastSeq` reaches the newest line. 404 when the entity has no deployment in the environment. */
        get: operations["ReadDeploymentLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs/search": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** The sequence numbers of every stored line that contains `q` (ignoring case, taken literally) and passes the filters, over the whole history, oldest first (coderunner.logs.read). Read a match with its context from the log history (e.g. `after=<seq - 101>&limit=201`). When `next` is set there may be more: pass it as `after`. 404 when the entity has no deployment in the environment. */
        get: operations["SearchDeploymentLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs/download": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** Every stored line that matches the filters (the same as for the log history, without `limit`), as a file to save: at most 1,000,000 lines, streamed page by page; narrow the time range for more (coderunner.logs.read). 429 over the export rate limit. */
        get: operations["DownloadDeploymentLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** One metric of the deployment over a window that ends now, a point per step (coderunner.deployment.read). Counters (requests, server_errors, connection_errors) are rates per second, 0 in a step without any; error_ratio is server errors per request in steps with requests; the others are averages with the smallest and largest sample of the step, left out where nothing was measured. A window longer than the raw retention (24 h by default) is read from 1-minute rollups, so its step is a multiple of 60. 404 when the entity has no deployment in the environment. */
        get: operations["ReadDeploymentMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The open alerts of the entities the caller may read (coderunner.deployment.read on each), newest first. */
        get: operations["ListOpenAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** The entity's alerts, open and resolved (the history), newest first (coderunner.deployment.read). */
        get: operations["ListEntityAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** The environment's scaling state: whether autoscaling applies, pause and hold, current, ready and desired instances, the effective policy with its sources, and the newest decision (coderunner.deployment.read). 404 when the environment was never deployed. See docs/autoscaling.md. */
        get: operations["GetScalingStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/policy": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        /** Saves a policy override as a new version; each value given replaces the manifest's (coderunner.scaling.write). A 400 names the field to fix; 429 over the rate limit. Audited. The controller applies it on its next tick; no rebuild, no new release. */
        put: operations["SaveScalingPolicy"];
        post?: never;
        /** Saves an empty override version: the policy is the manifest's again (coderunner.scaling.write). Audited; 429 over the rate limit. */
        delete: operations["ClearScalingPolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/policy/versions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** The newest 100 policy override versions, newest first (coderunner.deployment.read). */
        get: operations["ListScalingPolicyVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scale": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Holds the instance count at `instances` until released or until `expiresAt` (coderunner.scaling.write). Takes effect at once: no rebuild, no new release. While the hold lasts the autoscaler keeps that count and says so; at expiry control returns to the policy. A 400 names the field to fix; 429 over the rate limit. Audited. */
        post: operations["HoldScale"];
        /** Releases the hold: control returns to the policy on the next tick (coderunner.scaling.write). Audited; 429 over the rate limit. */
        delete: operations["ReleaseScaleHold"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/pause": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pauses autoscaling of the environment: the count stays where it is until resumed (coderunner.scaling.write). Audited; 429 over the rate limit. */
        post: operations["PauseScaling"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/resume": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resumes autoscaling of a paused environment (coderunner.scaling.write). Audited; 429 over the rate limit. */
        post: operations["ResumeScaling"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        /** Stored scaling decisions, newest first, with their explanation and inputs (coderunner.deployment.read). */
        get: operations["ListScalingDecisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/cost": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** The entity's cost for a month (coderunner.deployment.read): exact sums of every instance's and build's sandbox time times its size's price, per environment and per UTC day, a forecast to the end of the month from the recent run rate, and the budgets that cover it. An owner's budget is left out unless the caller may read every entity it sums. 400 for a month that is malformed or has not started. */
        get: operations["GetEntityCost"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/cost/advice": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** Right-sizing advice per environment from measured CPU and memory (5-minute averages over the last days) against each size's capacity (coderunner.deployment.read). Never applied automatically. Environments without enough data, or already at the right size, are left out. */
        get: operations["GetRightSizingAdvice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/cost/budget": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        get?: never;
        /** Sets the monthly budget of the entity in one environment, or in all when `environment` is left out (coderunner.budget.write), replacing the one it had. 400 names the field; 409 when app-config sets that budget; 429 over the rate limit. Audited with the field names. */
        put: operations["PutEntityBudget"];
        post?: never;
        /** Removes the entity's budget for one environment, or its all-environments budget when `environment` is left out (coderunner.budget.write). 400 names a bad environment; 404 when there is none; 409 when app-config sets it; 429 over the rate limit. Audited. Answers 204 with no body. */
        delete: operations["DeleteEntityBudget"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cost/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Spend for a month by owner, by environment, by owner and environment, and per entity, counting only the entities the caller may read (coderunner.deployment.read on each). */
        get: operations["GetCostSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cost/owner-budget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Sets the monthly budget of everything a group owns (coderunner.budget.write on the group entity: operators under the shipped policy), replacing the one it had. 400 names the field; 409 when app-config sets it; 429 over the rate limit. Audited with the field names. */
        put: operations["PutOwnerBudget"];
        post?: never;
        /** Removes a group's budget (coderunner.budget.write on the group entity). 400 when `ownerRef` is missing or not an entity ref; 404 when there is none; 409 when app-config sets it; 429 over the rate limit. Audited. Answers 204 with no body. */
        delete: operations["DeleteOwnerBudget"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The WebSocket that carries live log lines and deployment status; the messages are in docs/logs.md and the StreamClientMessage and StreamServerMessage types of \@coderunner/plugin-coderunner-common. Browsers cannot set headers on a WebSocket, so the Backstage token travels as a second subprotocol: `new WebSocket('wss://<backend>/api/coderunner/stream', ['coderunner.v1', token])`. The route itself needs no credentials; the upgrade authenticates the token. A plain GET without an upgrade answers 503 with retry-after 1: connect again with a WebSocket. */
        get: operations["OpenStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/terminal": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The instance terminal: a WebSocket joined to a login shell on a pseudo-terminal in a starting or ready instance's sandbox (coderunner.instance.exec on the entity; user tokens only). The token travels as a second subprotocol: `new WebSocket(url, ['coderunner.terminal.v1', token])`; a browser Origin must be the app's or the backend's. Every check happens before the upgrade, so a refusal is one of the statuses below. A plain GET with an Authorization header runs the same checks (all but the origin and the rate limit) and answers 204 or the error, which is how a browser learns why an upgrade was refused. Frames, close codes and limits: docs/terminal.md. Each session is audited (instance-terminal), never its input or output. */
        get: operations["OpenTerminal"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/config/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The configuration templates: variables that apps of common kinds need. Any signed-in user or service may read them. */
        get: operations["ListConfigTemplates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/config/encryption": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The encryption keys of stored values, how many values each wraps, and the state of the key rotation task (docs/config.md). Any signed-in user or service may read it. */
        get: operations["GetConfigEncryptionStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** Every variable of the entity by scope, at the newest version or an earlier one (coderunner.config.read). Secret values never appear; a secret shows a fingerprint. 404 for a version that does not exist. */
        get: operations["GetConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/changes": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Saves a change set as a new version (coderunner.config.write; with `apply` also coderunner.deployment.deploy). Every change is checked before anything is saved; a 400 lists all problems. 409 when `expectedVersion` is no longer the newest; 429 over the rate limit. Audited with variable names, never values. */
        post: operations["ChangeConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Makes an earlier version current again, as a new version (coderunner.config.write; with `apply` also coderunner.deployment.deploy). 400 when the version is not an earlier one or equals the current configuration; 429 over the rate limit. */
        post: operations["RollbackConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/apply/{environment}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rolls the environment's deployment onto the newest config version with a new release (coderunner.config.write and coderunner.deployment.deploy). 429 over the rate limit. */
        post: operations["ApplyConfig"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/versions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** The newest 100 config versions, newest first (coderunner.config.read). */
        get: operations["ListConfigVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/diff": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** What changed between two versions (coderunner.config.read); secrets only ever show as changed, without values. 400 for a version above the newest. */
        get: operations["DiffConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/import/preview": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What importing .env, JSON or YAML text into one scope would change, ready to send as a change set, and the lines that could not be used (coderunner.config.write). Nothing is saved. 429 over the preview rate limit. */
        post: operations["PreviewConfigImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/templates/{templateId}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** The id of a template from GET /config/templates, e.g. nodejs. */
                templateId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The template's variables that the scope does not have yet, as a change set; required variables without a default are listed as problems to fill in (coderunner.config.write). Nothing is saved. 404 for an unknown template; 429 over the preview rate limit. */
        post: operations["PreviewConfigTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/audit": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** Who changed, rolled back, applied, exported or revealed configuration, newest first (coderunner.config.read). Entries name variables, never values. */
        get: operations["ListConfigAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/export": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        /** The current variables of one scope as .env, JSON or YAML text (coderunner.config.read). Secret values are left out and named in `omittedSecrets` unless `includeSecrets` is true, which also needs coderunner.secret.reveal (403 otherwise) and is audited. 429 over the export rate limit. */
        get: operations["ExportConfig"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/entities/{kind}/{namespace}/{name}/config/reveal": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The value of one variable, secret or not (coderunner.config.read and coderunner.secret.reveal). Audited with severity high; 404 when the variable is not set in the scope; 429 over the rate limit. */
        post: operations["RevealConfigSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
/**
 * The `components` of the CodeRunner REST API, generated from its OpenAPI spec.
 *
 * @public
 */
export interface components {
    schemas: {
        BudgetRequest: {
            /** Left out, the budget covers every environment. */
            environment?: string;
            /** Monthly amount, more than 0, at most two decimals. */
            amount: number;
            /** Ascending fractions of the amount; 0.75, 0.9, 1 by default. */
            thresholds?: number[];
            /** When true the autoscaler never runs more instances than the rest of the budget pays for. */
            hardCap?: boolean;
        };
        OwnerBudgetRequest: {
            /** The group, e.g. group:default/team-a. */
            ownerRef: string;
            amount: number;
            thresholds?: number[];
            hardCap?: boolean;
        };
        /** What a budget covers: one entity (in one environment, or all of them), or every entity a group owns (catalog `spec.owner`). */
        BudgetScope: {
            entityRef: string;
            /** Left out, the budget covers every environment. */
            environment?: string;
        } | {
            ownerRef: string;
        };
        BudgetStatus: {
            budgetId: string;
            scope: components["schemas"]["BudgetScope"];
            /** The month, `YYYY-MM` (UTC). */
            period: string;
            amount: number;
            /** Spent this month so far, instances and builds. */
            spent: number;
            /** Spent plus the recent run rate until the end of the month. */
            forecast: number;
            currency: string;
            /** Fractions of `amount` that warn, ascending, e.g. 0.75, 0.9, 1. */
            thresholds: number[];
            /** The day (`YYYY-MM-DD`) the forecast reaches `amount`, when that is later this month. */
            forecastExceedsOn?: string;
            /** When true the autoscaler never runs more instances than the rest of the budget pays for. */
            hardCap: boolean;
            /**
             * `config` budgets come from app-config and cannot be changed in the UI.
             */
            source: "ui" | "config";
            /** With a hard cap: the most instances the rest of the month's budget allows. */
            capMaxInstances?: number;
        };
        EntityCost: {
            entityRef: string;
            ownerRef?: string;
            period: string;
            currency: string;
            /**
             * Format: date-time
             * The moment the figures are for (now, or the end of a past month).
             */
            asOf: string;
            spent: number;
            builds: number;
            forecast: number;
            environments: {
                environment: string;
                /** Instances and builds. */
                spent: number;
                /** Builds alone (also in `spent`). */
                builds: number;
                forecast: number;
                /** Instance-seconds this month (builds not counted). */
                instanceSeconds: number;
                /** Instances running now. */
                runningInstances: number;
                /** Cost of one hour at the current instance count and sizes. */
                currentHourly: number;
            }[];
            daily: {
                /** `YYYY-MM-DD` (UTC). */
                date: string;
                instances: number;
                builds: number;
            }[];
            budgets: components["schemas"]["BudgetStatus"][];
        };
        RightSizingAdvice: {
            environment: string;
            currentSize: string;
            suggestedSize: string;
            /** Saving per 30-day month at the current instance count (negative: it costs more). */
            monthlySaving: number;
            currency: string;
            /** Expected p95 CPU on the suggested size, percent. */
            expectedCpuP95Percent: number;
            /** Expected p95 memory on the suggested size, percent. */
            expectedMemoryP95Percent: number;
            /** One readable sentence, e.g. "p95 CPU 9% of a medium for 7 days: …". */
            summary: string;
            evidence: {
                days: number;
                /** Number of 5-minute averages the percentiles rest on. */
                samples: number;
                cpuP50Percent: number;
                cpuP95Percent: number;
                memoryP95MiB: number;
                /** Memory of the current size, MiB. */
                memoryCapacityMiB: number;
                vcpus: number;
            };
        };
        CostGroup: {
            key: string;
            spent: number;
            forecast: number;
        };
        CostSummary: {
            period: string;
            currency: string;
            /** Format: date-time */
            asOf: string;
            spent: number;
            forecast: number;
            byOwner: components["schemas"]["CostGroup"][];
            byEnvironment: components["schemas"]["CostGroup"][];
            /** Per owner and environment, for a stacked chart. */
            byOwnerAndEnvironment: {
                ownerRef: string;
                environment: string;
                spent: number;
            }[];
            /** Entities with any spend this month, costliest first. */
            entities: {
                entityRef: string;
                ownerRef?: string;
                spent: number;
            }[];
            /** This month's group budgets whose whole spend the caller may read (of a group that spent nothing, only for a caller with coderunner.budget.write on it), by group ref; none for a past month. */
            ownerBudgets: components["schemas"]["BudgetStatus"][];
        };
        Alert: {
            id: string;
            /** The deduplication key. */
            key: string;
            /** The rule that raised it, e.g. crash-loop. */
            ruleId: string;
            /** The catalog entity it is about (a component, or an owner group for a team budget). */
            entityRef: string;
            environment?: string;
            /***/
            severity: "info" | "warning" | "critical";
            title: string;
            description: string;
            /** A path in the portal. */
            link: string;
            /***/
            status: "open" | "resolved";
            /** Format: date-time */
            openedAt: string;
            /**
             * Format: date-time
             * The last evaluation that still saw the condition.
             */
            lastSeenAt: string;
            /** Format: date-time */
            resolvedAt?: string;
        };
        AlertList: {
            items: components["schemas"]["Alert"][];
        };
        /** Backstage's error body: `error` says what went wrong, `response` repeats the status, as `ResponseError` of \@backstage/errors reads it. */
        Error: {
            error: {
                name: string;
                message: string;
            };
            response: {
                statusCode: number;
            };
        };
        EntitySetup: {
            /** The entity ref, e.g. `component:default/hello-node`. */
            entityRef: string;
            /** Where the manifest was looked for, e.g. `coderunner.yaml`. */
            manifestPath: string;
            /** Whether a manifest was found in the component's source. */
            manifestFound: boolean;
            /** Why the manifest could not be read, when it could not; says what to fix. */
            problem?: string;
            /** The deployment environments this portal offers. */
            environments: string[];
        };
        /** A page of the global deployments list (GET /deployments), in entity ref and then environment order. */
        DeploymentPage: {
            /** Up to the query's `limit` deployments, fewer only on the last page. */
            items: components["schemas"]["Deployment"][];
            /** Pass it as `cursor` for the next page; absent on the last page. */
            nextCursor?: string;
            /** The configured environments, in promotion order (what `environment` takes). */
            environments: string[];
        };
        /** The answer to deploy, rollback, stop, start, restart and delete: the deployment after the change, and the release a deploy or rollback created. */
        DeploymentActionResponse: {
            deployment: components["schemas"]["Deployment"];
            release?: components["schemas"]["Release"];
        };
        DeployRequest: {
            /** How many instances to run (1–100); the manifest's count when omitted. */
            instances?: number;
        };
        RollbackRequest: {
            /** The number of an earlier release that built successfully. */
            releaseNumber: number;
        };
        Release: {
            id: string;
            deploymentId: string;
            number: number;
            /**
             * The build's state; `superseded` when a later deploy, rollback or config apply replaced its rollout before it went live.
             */
            status: "pending" | "building" | "built" | "failed" | "superseded";
            sourceRevision?: string;
            sourceSummary?: string;
            configVersion?: number;
            failureReason?: string;
            createdBy: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            builtAt?: string;
            /**
             * Format: date-time
             * When the release retention task deleted its source and artifact; it can no longer be rolled back to.
             */
            artifactPrunedAt?: string;
            /** The command the instances run, from the manifest, for display. */
            runCommand: string;
        };
        Health: {
            /***/
            status: "ok" | "failing";
            message?: string;
            /** By name (database, agentsphere, logPipeline, reconciler, metricsPoller). */
            components: {
                [key: string]: {
                    /***/
                    status: "ok" | "failing";
                    detail: string;
                };
            };
            /** Which sandbox runtime the backend uses, e.g. `agentsphere` or `agentsphere-emulator`. */
            runtime?: string;
        };
        Instance: {
            id: string;
            deploymentId: string;
            releaseId: string;
            releaseNumber?: number;
            /***/
            state: "provisioning" | "starting" | "ready" | "unhealthy" | "crashed" | "draining" | "stopped";
            sandboxId?: string;
            restarts: number;
            lastExitCode?: number;
            reason?: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            readyAt?: string;
        };
        Deployment: {
            id: string;
            entityRef: string;
            environment: string;
            /***/
            status: "pending" | "deploying" | "ready" | "degraded" | "failed" | "stopped";
            statusReason?: string;
            /***/
            desiredState: "running" | "stopped" | "deleted";
            desiredInstances: number;
            /** The stable URL of the deployment on the gateway, when it serves HTTP. */
            url?: string;
            activeRelease?: components["schemas"]["Release"];
            targetRelease?: components["schemas"]["Release"];
            /** The newest config version when the running (or rolling out) release pins an older one: configuration was saved without applying it. */
            pendingConfigVersion?: number;
            instances: components["schemas"]["Instance"][];
            deployedBy?: string;
            /** Format: date-time */
            deployedAt?: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /**
         * Where a line came from: `build` (building a release), `stdout` and `stderr` (an instance's output), `system` (CodeRunner's own messages about the deployment).
         */
        LogStream: "build" | "stdout" | "stderr" | "system";
        /**
         * The severity detected from the line (`ERROR`, `level=warn`, JSON "level").
         */
        LogLevel: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
        LogLine: {
            /** Orders the lines of a deployment, with no gaps. */
            seq: number;
            stream: components["schemas"]["LogStream"];
            line: string;
            /** Format: date-time */
            createdAt: string;
            releaseId?: string;
            instanceId?: string;
            level?: components["schemas"]["LogLevel"];
        };
        /**
         * A series the metrics API keeps per deployment (docs/monitoring.md).
         */
        MetricName: "requests" | "server_errors" | "connection_errors" | "error_ratio" | "latency_p50_ms" | "latency_p95_ms" | "latency_p99_ms" | "cpu_percent" | "memory_mib" | "instances_ready";
        MetricSeries: {
            metric: components["schemas"]["MetricName"];
            /** Format: date-time */
            from: string;
            /** Format: date-time */
            to: string;
            stepSeconds: number;
            points: {
                /**
                 * Format: date-time
                 * The start of the step.
                 */
                at: string;
                value: number;
                /** The smallest sample in the step (averages only). */
                min?: number;
                /** The largest sample in the step (averages only). */
                max?: number;
            }[];
        };
        LogPage: {
            items: components["schemas"]["LogLine"][];
            /** The cursor to pass as `after` for the next page. */
            lastSeq: number;
        };
        LogSearchPage: {
            /** Sequence numbers of the matching lines, oldest first. */
            seqs: number[];
            /** Set when there may be more matches; pass it as `after`. */
            next?: number;
        };
        /** `shared` (every environment) or one of the environments in coderunner.environments. */
        ConfigScope: string;
        /**
         * `env` (.env lines), `json` or `yaml` (NAME: value, or NAME: \{value, secret\}).
         */
        ConfigFormat: "env" | "json" | "yaml";
        ConfigVariable: {
            name: string;
            secret: boolean;
            /** The value of a plain variable; never present for a secret. */
            value?: string;
            /** For secrets, a short keyed hash that changes when the value does. */
            fingerprint?: string;
            updatedBy: string;
            /** Format: date-time */
            updatedAt: string;
            /** The config version that set this value. */
            version: number;
        };
        ConfigSnapshot: {
            entityRef: string;
            /** The version shown; 0 when nothing was ever set. */
            version: number;
            /** The variables of each scope, `shared` and every environment. */
            scopes: {
                [key: string]: components["schemas"]["ConfigVariable"][];
            };
            /** Where an instance's environment comes from, lowest precedence first. */
            overrideOrder: string[];
        };
        /** Sets a variable (`value`, and `secret` to choose whether it is a secret) or deletes it (`delete: true`). */
        ConfigChange: {
            scope: components["schemas"]["ConfigScope"];
            /** Letters, digits and underscores, not starting with a digit, at most 128 characters; PORT and names starting with CODERUNNER_ are reserved. */
            name: string;
            /** The value to set, at most 32 KiB of UTF-8, no NUL characters. */
            value?: string;
            /** Store as a secret; when omitted, an existing variable keeps its kind and a new one is plain. */
            secret?: boolean;
            /**
             * Delete the variable instead of setting it.
             */
            delete?: true;
        };
        ConfigChangeRequest: {
            /** The changes, saved together as one version; a variable may appear once. */
            changes: components["schemas"]["ConfigChange"][];
            /** Why, for the version history. */
            message?: string;
            /** Roll the running deployments the change affects onto the new version right away. */
            apply?: boolean;
            /** Refuse (409) when the newest version is no longer this one, because someone else saved. */
            expectedVersion?: number;
        };
        ConfigRollbackRequest: {
            /** The earlier version to make current again. */
            version: number;
            /** Why, for the version history; "Roll back to version N" when omitted. */
            message?: string;
            /** Roll the affected running deployments onto the new version right away. */
            apply?: boolean;
        };
        ConfigVersion: {
            version: number;
            author: string;
            message?: string;
            /** Format: date-time */
            createdAt: string;
            /** The scopes the change set touched. */
            scopes: string[];
            /** What changed, by name, never with values. */
            changes: {
                scope: string;
                name: string;
                /***/
                change: "added" | "removed" | "changed";
            }[];
            /** Set when this version rolled back to an earlier one. */
            rollbackOf?: number;
        };
        ConfigSaveResponse: {
            version: components["schemas"]["ConfigVersion"];
            /** The releases created to apply the version, one per running deployment it affects. */
            applied: {
                environment: string;
                releaseNumber: number;
            }[];
            /** Environments with a deployment that will pick the version up on its next release. */
            pending: string[];
        };
        ConfigDiffEntry: {
            scope: string;
            name: string;
            /***/
            change: "added" | "removed" | "changed";
            secret: boolean;
            /** The old value; plain variables only. */
            before?: string;
            /** The new value; plain variables only. */
            after?: string;
        };
        ConfigDiff: {
            from: number;
            to: number;
            entries: components["schemas"]["ConfigDiffEntry"][];
        };
        ConfigImportRequest: {
            scope: components["schemas"]["ConfigScope"];
            format: components["schemas"]["ConfigFormat"];
            /** The text to import, at most `coderunner.config.importMaxBytes` bytes in UTF-8 (256 KiB by default); a larger one is a 400 naming the limit. */
            content: string;
            /** Mark every imported variable as secret. */
            secret?: boolean;
            /**
             * `merge` (when omitted) sets the variables the content names; `replace` also deletes the scope's variables that it does not name.
             */
            mode?: "merge" | "replace";
        };
        ConfigPreview: {
            /** The change set to send to POST .../config/changes. */
            changes: components["schemas"]["ConfigChange"][];
            /** The same changes as a diff, without secret values. */
            entries: components["schemas"]["ConfigDiffEntry"][];
            /** Names whose value is already the same. */
            unchanged: string[];
            /** Lines that could not be used, by their 1-based number. */
            problems: {
                line: number;
                message: string;
            }[];
        };
        ConfigTemplate: {
            id: string;
            title: string;
            description: string;
            variables: {
                name: string;
                description: string;
                /** A default value; required variables without one must be filled in. */
                value?: string;
                secret: boolean;
                required: boolean;
            }[];
        };
        ConfigExport: {
            format: components["schemas"]["ConfigFormat"];
            content: string;
            /** The names of the secrets left out of `content`. */
            omittedSecrets: string[];
        };
        ConfigAuditEntry: {
            id: number;
            /***/
            action: "change" | "rollback" | "reveal" | "export" | "apply";
            actor: string;
            /** Format: date-time */
            at: string;
            version?: number;
            scopes: string[];
            /** The variables concerned, never their values. */
            names: string[];
        };
        ConfigEncryptionStatus: {
            activeKeyId: string;
            /** True when no keys are configured and a generated development key is in use. */
            developmentKey: boolean;
            keys: {
                id: string;
                active: boolean;
                /** How many stored values this key wraps. */
                values: number;
            }[];
            totalValues: number;
            valuesOnActiveKey: number;
            rotation: {
                running: boolean;
                /** Format: date-time */
                lastRunAt?: string;
                lastError?: string;
            };
        };
        /** Targets per metric; units are in the names. */
        ScalingTargets: {
            /** Average CPU of ready instances, percent (1–100). */
            cpuPercent?: number;
            /** Average memory of ready instances, percent (1–100). */
            memoryPercent?: number;
            /** p95 latency at the gateway, milliseconds. */
            p95LatencyMs?: number;
            /** Share of failed requests, a fraction (0.01 is 1%). */
            errorRate?: number;
            /** Requests per second per instance. */
            requestsPerSecondPerInstance?: number;
        };
        ScalingPolicyUpdateRequest: {
            /** A template name as the manifest writes it (web-app, api, worker, ml-inference, development, cost-saver). */
            template?: string;
            minInstances?: number;
            maxInstances?: number;
            targets?: components["schemas"]["ScalingTargets"];
        };
        ScaleRequest: {
            /** The count to hold (0–100). */
            instances: number;
            /** Why (one line); shown in the decision history and the audit. */
            reason: string;
            /**
             * Format: date-time
             * When control returns to the policy; without it the hold lasts until released.
             */
            expiresAt?: string;
        };
        ScalingPolicyOverride: {
            version: number;
            by: string;
            /** Format: date-time */
            at: string;
            /** Values a saved override sets, each replacing the manifest's (or the template's); empty when this version cleared the override (back to the manifest). */
            values: {
                /** A template name as the manifest writes it (`web-app`, `api`, …). */
                template?: string;
                minInstances?: number;
                maxInstances?: number;
                targets?: components["schemas"]["ScalingTargets"];
            };
        };
        EffectiveScalingPolicy: {
            /** Template name as the manifest writes it; absent when neither manifest nor override names one. */
            template?: string;
            minInstances: number;
            maxInstances: number;
            targets: components["schemas"]["ScalingTargets"];
            /** The time windows of the policy, in seconds. */
            windows: {
                /** Seconds of evidence looked back over before scaling up (0: the newest sample decides). */
                scaleUpStabilizationSeconds: number;
                /** Seconds of quiet needed before capacity is removed. */
                scaleDownStabilizationSeconds: number;
                /** Quiet time after a scale-up before the next scale-up. */
                scaleUpCooldownSeconds: number;
                /** Quiet time after any change before the next scale-down. */
                scaleDownCooldownSeconds: number;
                /** Samples older than this count as missing: the count is never lowered on them. */
                metricsMaxAgeSeconds: number;
                /** Idle seconds after which the deployment scales to zero; absent when the policy never does. */
                scaleToZeroIdleSeconds?: number;
            };
            /** The most instances the remaining budget allows, when a budget applies. */
            budgetMaxInstances?: number;
            sources: {
                manifest: {
                    template?: string;
                    minInstances: number;
                    maxInstances: number;
                };
                override?: components["schemas"]["ScalingPolicyOverride"];
            };
        };
        ScalingPauseRequest: {
            /** Why, shown in the decision history and the audit. */
            reason?: string;
        };
        /** The saved policy override versions, newest first. */
        ScalingPolicyVersionList: {
            items: components["schemas"]["ScalingPolicyOverride"][];
        };
        /** Stored scaling decisions, newest first. */
        ScalingDecisionList: {
            items: components["schemas"]["ScalingDecisionRecord"][];
        };
        ScalingDecisionRecord: {
            id: string;
            /** Format: date-time */
            at: string;
            from: number;
            to: number;
            /***/
            direction: "up" | "down" | "none";
            /**
             * Why the decision was recorded.
             */
            cause: "autoscaler" | "manual" | "hold-expired" | "paused" | "resumed" | "policy" | "wake";
            /** A sentence a person can read, e.g. "2 → 4: p95 latency 480 ms over the 200 ms target". */
            explanation: string;
            inputs: {
                /** The newest value of each metric the decision read; null when missing. */
                metrics: {
                    [key: string]: number | null;
                };
                targets: {
                    [key: string]: number;
                };
                /** True when the newest sample was older than the policy's `metricsMaxAgeSeconds`, or absent. */
                stale?: boolean;
            };
            /** The user, for decisions a person made. */
            by?: string;
        };
        ScalingStatus: {
            environment: string;
            /** True when the active release's manifest names a scaling template (or an override does). */
            autoscaling: boolean;
            paused?: {
                by: string;
                /** Format: date-time */
                at: string;
                reason?: string;
            };
            hold?: {
                instances: number;
                reason: string;
                /** Format: date-time */
                expiresAt?: string;
                by: string;
                /** Format: date-time */
                at: string;
            };
            /** Instances not stopped. */
            currentInstances: number;
            readyInstances: number;
            desiredInstances: number;
            policy: components["schemas"]["EffectiveScalingPolicy"];
            lastDecision?: components["schemas"]["ScalingDecisionRecord"];
        };
    };
    responses: {
        /** A Backstage error body; the message says what to fix. */
        ErrorResponse: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** Deployments. */
        DeploymentList: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    items: components["schemas"]["Deployment"][];
                };
            };
        };
        /** Accepted; the reconciler does the work. Watch the deployment's status. */
        DeploymentAction: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["DeploymentActionResponse"];
            };
        };
        /** Saved as a new version; the deployments it applies to roll out in the background. */
        ConfigSaved: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ConfigSaveResponse"];
            };
        };
        /** What would change; send `changes` to POST .../config/changes to save it. */
        ConfigPreview: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ConfigPreview"];
            };
        };
    };
    parameters: {
        /** A UTC month, YYYY-MM; the current month when omitted. */
        CostMonth: string;
        /** At most this many alerts (100 when omitted). */
        AlertLimit: number;
        /** The cursor: only lines with a higher sequence number. 0 (the start) when omitted; pass the `lastSeq` of the previous page. */
        LogAfter: number;
        /** The most lines in the page (1–5000); 500 when omitted. */
        LogLimit: number;
        /** Only lines of these streams, comma-separated (`stream=stdout,stderr`) or repeated (`stream=stdout&stream=stderr`): build, stdout, stderr or system. */
        LogStream: components["schemas"]["LogStream"][];
        /** Only lines with these detected levels, comma-separated (`level=warn,error`) or repeated: trace, debug, info, warn, error or fatal. Lines without a recognisable level never match. */
        LogLevel: components["schemas"]["LogLevel"][];
        /** Only lines containing this text, ignoring case; at most 200 characters. Empty means no text filter. */
        LogText: string;
        /** Only lines written at or after this time, ISO 8601 with a time zone, e.g. 2026-12-01T10:00:00Z. */
        LogSince: string;
        /** Only lines written before this time (ISO 8601 with a time zone); must be after `since`. */
        LogUntil: string;
        /** Only lines of this release (its `id`, not its number), e.g. its build output. */
        LogReleaseId: string;
        /** Only lines of this instance (its `id`). */
        LogInstanceId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
/**
 * The `operations` of the CodeRunner REST API, generated from its OpenAPI spec.
 *
 * @public
 */
export interface operations {
    GetHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Every component is ok. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** At least one component is failing; `message` names them. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    GetManifestJsonSchema: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The schema. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/schema+json": Record<string, never>;
                };
            };
        };
    };
    ListAllDeployments: {
        parameters: {
            query?: {
                /** The most deployments in the page (1–200); 50 when omitted. */
                limit?: number;
                /** The `nextCursor` of the previous page, unchanged; omit it for the first page. */
                cursor?: string;
                /** Only deployments in these environments, comma-separated (`environment=staging,production`) or repeated; each one of the configured environments. */
                environment?: string[];
                /** Only deployments with these statuses, comma-separated or repeated. */
                status?: ("pending" | "deploying" | "ready" | "degraded" | "failed" | "stopped")[];
                /** Only deployments whose entity ref (e.g. `component:default/hello-node`) contains this text, ignoring case; at most 200 characters. Empty means no text filter. */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** A page of deployments. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentPage"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetEntitySetup: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The entity's setup. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntitySetup"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListEntityDeployments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["DeploymentList"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    Deploy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DeployRequest"];
            };
        };
        responses: {
            202: components["responses"]["DeploymentAction"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    Rollback: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackRequest"];
            };
        };
        responses: {
            202: components["responses"]["DeploymentAction"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    Restart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: components["responses"]["DeploymentAction"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    Stop: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: components["responses"]["DeploymentAction"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    Start: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: components["responses"]["DeploymentAction"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    DeleteDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: components["responses"]["DeploymentAction"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListReleases: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Releases. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Release"][];
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ReadDeploymentLogs: {
        parameters: {
            query?: {
                /** The cursor: only lines with a higher sequence number. 0 (the start) when omitted; pass the `lastSeq` of the previous page. */
                after?: components["parameters"]["LogAfter"];
                /** The most lines in the page (1–5000); 500 when omitted. */
                limit?: components["parameters"]["LogLimit"];
                /** Only lines of these streams, comma-separated (`stream=stdout,stderr`) or repeated (`stream=stdout&stream=stderr`): build, stdout, stderr or system. */
                stream?: components["parameters"]["LogStream"];
                /** Only lines with these detected levels, comma-separated (`level=warn,error`) or repeated: trace, debug, info, warn, error or fatal. Lines without a recognisable level never match. */
                level?: components["parameters"]["LogLevel"];
                /** Only lines containing this text, ignoring case; at most 200 characters. Empty means no text filter. */
                q?: components["parameters"]["LogText"];
                /** Only lines written at or after this time, ISO 8601 with a time zone, e.g. 2026-12-01T10:00:00Z. */
                since?: components["parameters"]["LogSince"];
                /** Only lines written before this time (ISO 8601 with a time zone); must be after `since`. */
                until?: components["parameters"]["LogUntil"];
                /** Only lines of this release (its `id`, not its number), e.g. its build output. */
                releaseId?: components["parameters"]["LogReleaseId"];
                /** Only lines of this instance (its `id`). */
                instanceId?: components["parameters"]["LogInstanceId"];
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** A page of log lines. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogPage"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    SearchDeploymentLogs: {
        parameters: {
            query: {
                /** The text to find; 1 to 200 characters. */
                q: string;
                /** The cursor: only lines with a higher sequence number. 0 (the start) when omitted; pass the `lastSeq` of the previous page. */
                after?: components["parameters"]["LogAfter"];
                /** The most matches in the answer (1–10000); 1000 when omitted. */
                limit?: number;
                /** Only lines of these streams, comma-separated (`stream=stdout,stderr`) or repeated (`stream=stdout&stream=stderr`): build, stdout, stderr or system. */
                stream?: components["parameters"]["LogStream"];
                /** Only lines with these detected levels, comma-separated (`level=warn,error`) or repeated: trace, debug, info, warn, error or fatal. Lines without a recognisable level never match. */
                level?: components["parameters"]["LogLevel"];
                /** Only lines written at or after this time, ISO 8601 with a time zone, e.g. 2026-12-01T10:00:00Z. */
                since?: components["parameters"]["LogSince"];
                /** Only lines written before this time (ISO 8601 with a time zone); must be after `since`. */
                until?: components["parameters"]["LogUntil"];
                /** Only lines of this release (its `id`, not its number), e.g. its build output. */
                releaseId?: components["parameters"]["LogReleaseId"];
                /** Only lines of this instance (its `id`). */
                instanceId?: components["parameters"]["LogInstanceId"];
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The matches' sequence numbers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogSearchPage"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    DownloadDeploymentLogs: {
        parameters: {
            query?: {
                /** `text`: one line of output per line (a .log file); `ndjson`: one LogLine JSON object per line, with its sequence number, stream, level and time. */
                format?: "text" | "ndjson";
                /** The cursor: only lines with a higher sequence number. 0 (the start) when omitted; pass the `lastSeq` of the previous page. */
                after?: components["parameters"]["LogAfter"];
                /** Only lines of these streams, comma-separated (`stream=stdout,stderr`) or repeated (`stream=stdout&stream=stderr`): build, stdout, stderr or system. */
                stream?: components["parameters"]["LogStream"];
                /** Only lines with these detected levels, comma-separated (`level=warn,error`) or repeated: trace, debug, info, warn, error or fatal. Lines without a recognisable level never match. */
                level?: components["parameters"]["LogLevel"];
                /** Only lines containing this text, ignoring case; at most 200 characters. Empty means no text filter. */
                q?: components["parameters"]["LogText"];
                /** Only lines written at or after this time, ISO 8601 with a time zone, e.g. 2026-12-01T10:00:00Z. */
                since?: components["parameters"]["LogSince"];
                /** Only lines written before this time (ISO 8601 with a time zone); must be after `since`. */
                until?: components["parameters"]["LogUntil"];
                /** Only lines of this release (its `id`, not its number), e.g. its build output. */
                releaseId?: components["parameters"]["LogReleaseId"];
                /** Only lines of this instance (its `id`). */
                instanceId?: components["parameters"]["LogInstanceId"];
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The lines, as an attachment named `<name>-<environment>-logs.log` or `.ndjson`. */
            200: {
                headers: {
                    /** attachment; filename="<name>-<environment>-logs.log" (or .ndjson) */
                    "Content-Disposition"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                    "application/x-ndjson": string;
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ReadDeploymentMetrics: {
        parameters: {
            query: {
                metric: components["schemas"]["MetricName"];
                /** How far back from now: a number and a unit, m, h or d (`15m`, `6h`, `7d`); `1h` when omitted; at most the rollup retention (15 days by default). */
                window?: string;
                /** Seconds per point; by default the window divided by 120, at least 10 (rounded up to a minute for rollups). At most 11,000 points. */
                step?: number;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The series. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MetricSeries"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListOpenAlerts: {
        parameters: {
            query?: {
                /** At most this many alerts (100 when omitted). */
                limit?: components["parameters"]["AlertLimit"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Open alerts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListEntityAlerts: {
        parameters: {
            query?: {
                /** Only open or only resolved alerts; both when omitted. */
                status?: "open" | "resolved";
                /** At most this many alerts (100 when omitted). */
                limit?: components["parameters"]["AlertLimit"];
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Alerts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetScalingStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The scaling status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    SaveScalingPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScalingPolicyUpdateRequest"];
            };
        };
        responses: {
            /** The new status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ClearScalingPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The new status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListScalingPolicyVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Versions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingPolicyVersionList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    HoldScale: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScaleRequest"];
            };
        };
        responses: {
            /** The new status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ReleaseScaleHold: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The new status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    PauseScaling: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ScalingPauseRequest"];
            };
        };
        responses: {
            /** The new status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ResumeScaling: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The new status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListScalingDecisions: {
        parameters: {
            query?: {
                /** The most decisions to return (1–500); 100 when omitted. */
                limit?: number;
                /** Only decisions made before this time (ISO 8601), to page back. */
                before?: string;
                /** `true` for only the decisions that changed the count or that a person or an event made (holds, releases, pause, resume, policy changes, wakes), leaving out the autoscaler's holds at an unchanged count. */
                changedOnly?: boolean;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Decisions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScalingDecisionList"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetEntityCost: {
        parameters: {
            query?: {
                /** A UTC month, YYYY-MM; the current month when omitted. */
                month?: components["parameters"]["CostMonth"];
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The month's cost. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EntityCost"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetRightSizingAdvice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Advice, with the data it rests on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RightSizingAdvice"][];
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    PutEntityBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BudgetRequest"];
            };
        };
        responses: {
            /** The budget and the month so far. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    DeleteEntityBudget: {
        parameters: {
            query?: {
                environment?: string;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetCostSummary: {
        parameters: {
            query?: {
                /** A UTC month, YYYY-MM; the current month when omitted. */
                month?: components["parameters"]["CostMonth"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CostSummary"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    PutOwnerBudget: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OwnerBudgetRequest"];
            };
        };
        responses: {
            /** The budget and the month so far. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BudgetStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    DeleteOwnerBudget: {
        parameters: {
            query: {
                /** The group, e.g. group:default/team-a. */
                ownerRef: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    OpenStream: {
        parameters: {
            query?: never;
            header?: {
                /** For the upgrade: `coderunner.v1, <Backstage token>`. Without both, the upgrade answers 401. */
                "Sec-WebSocket-Protocol"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Switching protocols: the socket is open with the subprotocol coderunner.v1. Send JSON text messages such as \{"type": "subscribe", "id": "a", "topic": "logs", "entityRef": "component:default/my-app", "environment": "development"\}. */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** The upgrade offered no coderunner.v1 subprotocol or no valid token; no body. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** A plain GET, or an upgrade that arrived before the socket was ready. */
            503: {
                headers: {
                    /** Seconds to wait before connecting again (1). */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    OpenTerminal: {
        parameters: {
            query: {
                /** The entity ref, e.g. component:default/my-app. */
                entity: string;
                environment: string;
                /** An instance id of that deployment. */
                instance: string;
                /** Columns at the start, 2 to 500 (80). */
                cols?: number;
                /** Rows at the start, 1 to 200 (24). */
                rows?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Switching protocols with the subprotocol coderunner.terminal.v1. */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** A plain GET whose checks passed; an upgrade would open. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** A query parameter is missing or out of bounds, or the environment is unknown. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** No coderunner.instance.exec on the entity, a service token, or a foreign Origin. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** No such entity, deployment, or instance in that deployment. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** The instance is not starting or ready. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** Over the connection rate limit or coderunner.terminal.maxSessionsPerUser. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListConfigTemplates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Templates. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ConfigTemplate"][];
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetConfigEncryptionStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Encryption status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigEncryptionStatus"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    GetConfig: {
        parameters: {
            query?: {
                /** A config version from 0 (nothing set) to the newest; the newest when omitted. */
                version?: number;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The configuration. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigSnapshot"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ChangeConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfigChangeRequest"];
            };
        };
        responses: {
            202: components["responses"]["ConfigSaved"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    RollbackConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfigRollbackRequest"];
            };
        };
        responses: {
            202: components["responses"]["ConfigSaved"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    ApplyConfig: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** One of the environments in coderunner.environments. */
                environment: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Accepted; the reconciler rolls the new release out. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environment: string;
                        /** The release created to apply the configuration. */
                        releaseNumber: number;
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListConfigVersions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Versions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ConfigVersion"][];
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    DiffConfig: {
        parameters: {
            query: {
                /** The older version, from 0. */
                from: number;
                /** The newer version, up to the newest. */
                to: number;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The differences. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigDiff"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    PreviewConfigImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfigImportRequest"];
            };
        };
        responses: {
            200: components["responses"]["ConfigPreview"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    PreviewConfigTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
                /** The id of a template from GET /config/templates, e.g. nodejs. */
                templateId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    scope: components["schemas"]["ConfigScope"];
                };
            };
        };
        responses: {
            200: components["responses"]["ConfigPreview"];
            default: components["responses"]["ErrorResponse"];
        };
    };
    ListConfigAudit: {
        parameters: {
            query?: {
                /** Only entries that name this variable. */
                name?: string;
                /** The most entries to return (1–1000); 100 when omitted. */
                limit?: number;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** Audit entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ConfigAuditEntry"][];
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    ExportConfig: {
        parameters: {
            query: {
                /** `shared` or one of the environments in coderunner.environments. */
                scope: string;
                /** The text format; env when omitted. */
                format?: components["schemas"]["ConfigFormat"];
                /** `true` to include secret values; `false` when omitted. */
                includeSecrets?: boolean;
            };
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** The export. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConfigExport"];
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
    RevealConfigSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                kind: string;
                namespace: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    scope: components["schemas"]["ConfigScope"];
                    /** The variable's name. */
                    name: string;
                };
            };
        };
        responses: {
            /** The value. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        value: string;
                    };
                };
            };
            default: components["responses"]["ErrorResponse"];
        };
    };
}
