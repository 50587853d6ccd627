// ******************************************************************
// * GENERATED from openapi.yaml by scripts/generate-openapi.ts.    *
// * Do not edit by hand: change openapi.yaml and run the script.     *
// ******************************************************************
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "coderunner",
    "version": "1",
    "description": "The CodeRunner backend's REST API: deploy catalog components to AgentSphere sandboxes, roll back, restart, stop and delete them, read their releases, instances and log history, and manage their configuration and secrets. Every entity route checks a CodeRunner resource permission on the catalog entity. Requests to every route here are validated against this spec: a bad parameter or body answers 400 naming it. Changes, previews, exports and stream connections are rate limited per user across all replicas: answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`, and over a limit 429 with `Retry-After`. Background: docs/deployments.md, docs/logs.md (including the WebSocket protocol of /stream) and docs/config.md.",
    "license": {
      "name": "Apache-2.0"
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "GetHealth",
        "description": "Readiness: checks the database (select 1), AgentSphere (circuit breaker and last call), the log pipeline, the reconciler (ticks, lease renewals) and the metrics poller, each within 1 s, and says which sandbox runtime the plugin uses. No credentials needed; the details name no host, URL or secret.",
        "security": [],
        "responses": {
          "200": {
            "description": "Every component is ok.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "503": {
            "description": "At least one component is failing; `message` names them.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          }
        }
      }
    },
    "/manifest/schema.json": {
      "get": {
        "operationId": "GetManifestJsonSchema",
        "description": "The JSON Schema (draft 2020-12) of coderunner.yaml, for editors: point a `# yaml-language-server: $schema=` comment at this URL. No credentials needed.",
        "security": [],
        "responses": {
          "200": {
            "description": "The schema.",
            "content": {
              "application/schema+json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/deployments": {
      "get": {
        "operationId": "ListAllDeployments",
        "description": "A page of the deployments the caller may read (coderunner.deployment.read), ordered by entity ref and then environment. Page on with `cursor` set to the answer's `nextCursor` (absent on the last page) and the same filters. A page holds `limit` deployments unless it is the last: deployments the caller may not read are left out before the page is cut. 400 names a wrong `limit`, `environment`, `status` or `q`, and a cursor this API did not give out.",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "description": "The most deployments in the page (1–200); 50 when omitted.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 200
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "description": "The `nextCursor` of the previous page, unchanged; omit it for the first page.",
            "schema": {
              "type": "string",
              "maxLength": 1000
            }
          },
          {
            "name": "environment",
            "in": "query",
            "description": "Only deployments in these environments, comma-separated (`environment=staging,production`) or repeated; each one of the configured environments.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "maxLength": 63
              }
            }
          },
          {
            "name": "status",
            "in": "query",
            "description": "Only deployments with these statuses, comma-separated or repeated.",
            "style": "form",
            "explode": false,
            "schema": {
              "type": "array",
              "items": {
                "type": "string",
                "enum": [
                  "pending",
                  "deploying",
                  "ready",
                  "degraded",
                  "failed",
                  "stopped"
                ]
              }
            }
          },
          {
            "name": "q",
            "in": "query",
            "description": "Only deployments whose entity ref (e.g. `component:default/hello-node`) contains this text, ignoring case; at most 200 characters. Empty means no text filter.",
            "allowEmptyValue": true,
            "allowReserved": true,
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of deployments.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/DeploymentPage"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/setup": {
      "get": {
        "operationId": "GetEntitySetup",
        "description": "Whether the entity's coderunner.yaml was found, where, and the environments offered.",
        "responses": {
          "200": {
            "description": "The entity's setup.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntitySetup"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments": {
      "get": {
        "operationId": "ListEntityDeployments",
        "description": "The entity's deployments, one per environment deployed so far.",
        "responses": {
          "200": {
            "$ref": "#/components/responses/DeploymentList"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/deploy": {
      "post": {
        "operationId": "Deploy",
        "description": "Creates the next release from the entity's source and coderunner.yaml and rolls it out. 400 when the environment, the instance count or the manifest is wrong (the message says what to fix); 409 when another deploy or rollback of this deployment started while this request was being prepared (sent at the same time); 429 over the rate limit. A rollout already in progress when the request arrives is superseded: its release becomes `superseded`, its instances stop, and the active release serves until this one is ready.",
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/DeployRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "$ref": "#/components/responses/DeploymentAction"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/rollback": {
      "post": {
        "operationId": "Rollback",
        "description": "Rolls out an earlier release that built successfully, superseding a rollout in progress as Deploy does. 409 when the release retention task pruned its artifact (`artifactPrunedAt`) or another deploy or rollback started at the same time; 429 over the rate limit.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RollbackRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "$ref": "#/components/responses/DeploymentAction"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/restart": {
      "post": {
        "operationId": "Restart",
        "description": "A rolling restart, with no downtime; the active release again as a new release.",
        "responses": {
          "202": {
            "$ref": "#/components/responses/DeploymentAction"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/stop": {
      "post": {
        "operationId": "Stop",
        "description": "Drains and stops every instance; releases are kept.",
        "responses": {
          "202": {
            "$ref": "#/components/responses/DeploymentAction"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/start": {
      "post": {
        "operationId": "Start",
        "description": "Runs a stopped deployment's active release again.",
        "responses": {
          "202": {
            "$ref": "#/components/responses/DeploymentAction"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}": {
      "delete": {
        "operationId": "DeleteDeployment",
        "description": "Drains every instance, then removes the deployment, its releases and logs.",
        "responses": {
          "202": {
            "$ref": "#/components/responses/DeploymentAction"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/releases": {
      "get": {
        "operationId": "ListReleases",
        "description": "The deployment's releases, newest first.",
        "responses": {
          "200": {
            "description": "Releases.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Release"
                      }
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs": {
      "get": {
        "operationId": "ReadDeploymentLogs",
        "description": "A page of the deployment's stored build and runtime output, oldest first, after a cursor (coderunner.logs.read). Page on with `after` set to the answer's `lastSeq`. With `level` or `q` a page looks at no more than 20,000 sequence numbers, so `lastSeq` can advance with few or no items: keep paging until `lastSeq` reaches the newest line. 404 when the entity has no deployment in the environment.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/LogAfter"
          },
          {
            "$ref": "#/components/parameters/LogLimit"
          },
          {
            "$ref": "#/components/parameters/LogStream"
          },
          {
            "$ref": "#/components/parameters/LogLevel"
          },
          {
            "$ref": "#/components/parameters/LogText"
          },
          {
            "$ref": "#/components/parameters/LogSince"
          },
          {
            "$ref": "#/components/parameters/LogUntil"
          },
          {
            "$ref": "#/components/parameters/LogReleaseId"
          },
          {
            "$ref": "#/components/parameters/LogInstanceId"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of log lines.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LogPage"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs/search": {
      "get": {
        "operationId": "SearchDeploymentLogs",
        "description": "The sequence numbers of every stored line that contains `q` (ignoring case, taken literally) and passes the filters, over the whole history, oldest first (coderunner.logs.read). Read a match with its context from the log history (e.g. `after=<seq - 101>&limit=201`). When `next` is set there may be more: pass it as `after`. 404 when the entity has no deployment in the environment.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "q",
            "in": "query",
            "required": true,
            "description": "The text to find; 1 to 200 characters.",
            "allowReserved": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200
            }
          },
          {
            "$ref": "#/components/parameters/LogAfter"
          },
          {
            "name": "limit",
            "in": "query",
            "description": "The most matches in the answer (1–10000); 1000 when omitted.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 10000
            }
          },
          {
            "$ref": "#/components/parameters/LogStream"
          },
          {
            "$ref": "#/components/parameters/LogLevel"
          },
          {
            "$ref": "#/components/parameters/LogSince"
          },
          {
            "$ref": "#/components/parameters/LogUntil"
          },
          {
            "$ref": "#/components/parameters/LogReleaseId"
          },
          {
            "$ref": "#/components/parameters/LogInstanceId"
          }
        ],
        "responses": {
          "200": {
            "description": "The matches' sequence numbers.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/LogSearchPage"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/logs/download": {
      "get": {
        "operationId": "DownloadDeploymentLogs",
        "description": "Every stored line that matches the filters (the same as for the log history, without `limit`), as a file to save: at most 1,000,000 lines, streamed page by page; narrow the time range for more (coderunner.logs.read). 429 over the export rate limit.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "format",
            "in": "query",
            "description": "`text`: one line of output per line (a .log file); `ndjson`: one LogLine JSON object per line, with its sequence number, stream, level and time.",
            "schema": {
              "type": "string",
              "enum": [
                "text",
                "ndjson"
              ],
              "default": "text"
            }
          },
          {
            "$ref": "#/components/parameters/LogAfter"
          },
          {
            "$ref": "#/components/parameters/LogStream"
          },
          {
            "$ref": "#/components/parameters/LogLevel"
          },
          {
            "$ref": "#/components/parameters/LogText"
          },
          {
            "$ref": "#/components/parameters/LogSince"
          },
          {
            "$ref": "#/components/parameters/LogUntil"
          },
          {
            "$ref": "#/components/parameters/LogReleaseId"
          },
          {
            "$ref": "#/components/parameters/LogInstanceId"
          }
        ],
        "responses": {
          "200": {
            "description": "The lines, as an attachment named `<name>-<environment>-logs.log` or `.ndjson`.",
            "headers": {
              "Content-Disposition": {
                "description": "attachment; filename=\"<name>-<environment>-logs.log\" (or .ndjson)",
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "text/plain": {
                "schema": {
                  "type": "string"
                }
              },
              "application/x-ndjson": {
                "schema": {
                  "type": "string",
                  "description": "One LogLine object (see the LogLine schema) per line."
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/metrics": {
      "get": {
        "operationId": "ReadDeploymentMetrics",
        "description": "One metric of the deployment over a window that ends now, a point per step (coderunner.deployment.read). Counters (requests, server_errors, connection_errors) are rates per second, 0 in a step without any; error_ratio is server errors per request in steps with requests; the others are averages with the smallest and largest sample of the step, left out where nothing was measured. A window longer than the raw retention (24 h by default) is read from 1-minute rollups, so its step is a multiple of 60. 404 when the entity has no deployment in the environment.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "metric",
            "in": "query",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/MetricName"
            }
          },
          {
            "name": "window",
            "in": "query",
            "description": "How far back from now: a number and a unit, m, h or d (`15m`, `6h`, `7d`); `1h` when omitted; at most the rollup retention (15 days by default).",
            "schema": {
              "type": "string",
              "pattern": "^[1-9][0-9]{0,3}[mhd]$"
            }
          },
          {
            "name": "step",
            "in": "query",
            "description": "Seconds per point; by default the window divided by 120, at least 10 (rounded up to a minute for rollups). At most 11,000 points.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 86400
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The series.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/MetricSeries"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/alerts": {
      "get": {
        "operationId": "ListOpenAlerts",
        "description": "The open alerts of the entities the caller may read (coderunner.deployment.read on each), newest first.",
        "parameters": [
          {
            "$ref": "#/components/parameters/AlertLimit"
          }
        ],
        "responses": {
          "200": {
            "description": "Open alerts.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertList"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/alerts": {
      "get": {
        "operationId": "ListEntityAlerts",
        "description": "The entity's alerts, open and resolved (the history), newest first (coderunner.deployment.read).",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "status",
            "in": "query",
            "description": "Only open or only resolved alerts; both when omitted.",
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "resolved"
              ]
            }
          },
          {
            "$ref": "#/components/parameters/AlertLimit"
          }
        ],
        "responses": {
          "200": {
            "description": "Alerts.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AlertList"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling": {
      "get": {
        "operationId": "GetScalingStatus",
        "description": "The environment's scaling state: whether autoscaling applies, pause and hold, current, ready and desired instances, the effective policy with its sources, and the newest decision (coderunner.deployment.read). 404 when the environment was never deployed. See docs/autoscaling.md.",
        "responses": {
          "200": {
            "description": "The scaling status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/policy": {
      "put": {
        "operationId": "SaveScalingPolicy",
        "description": "Saves a policy override as a new version; each value given replaces the manifest's (coderunner.scaling.write). A 400 names the field to fix; 429 over the rate limit. Audited. The controller applies it on its next tick; no rebuild, no new release.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ScalingPolicyUpdateRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      },
      "delete": {
        "operationId": "ClearScalingPolicy",
        "description": "Saves an empty override version: the policy is the manifest's again (coderunner.scaling.write). Audited; 429 over the rate limit.",
        "responses": {
          "200": {
            "description": "The new status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/policy/versions": {
      "get": {
        "operationId": "ListScalingPolicyVersions",
        "description": "The newest 100 policy override versions, newest first (coderunner.deployment.read).",
        "responses": {
          "200": {
            "description": "Versions.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingPolicyVersionList"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scale": {
      "post": {
        "operationId": "HoldScale",
        "description": "Holds the instance count at `instances` until released or until `expiresAt` (coderunner.scaling.write). Takes effect at once: no rebuild, no new release. While the hold lasts the autoscaler keeps that count and says so; at expiry control returns to the policy. A 400 names the field to fix; 429 over the rate limit. Audited.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ScaleRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      },
      "delete": {
        "operationId": "ReleaseScaleHold",
        "description": "Releases the hold: control returns to the policy on the next tick (coderunner.scaling.write). Audited; 429 over the rate limit.",
        "responses": {
          "200": {
            "description": "The new status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/pause": {
      "post": {
        "operationId": "PauseScaling",
        "description": "Pauses autoscaling of the environment: the count stays where it is until resumed (coderunner.scaling.write). Audited; 429 over the rate limit.",
        "requestBody": {
          "required": false,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ScalingPauseRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The new status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/resume": {
      "post": {
        "operationId": "ResumeScaling",
        "description": "Resumes autoscaling of a paused environment (coderunner.scaling.write). Audited; 429 over the rate limit.",
        "responses": {
          "200": {
            "description": "The new status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/deployments/{environment}/scaling/decisions": {
      "get": {
        "operationId": "ListScalingDecisions",
        "description": "Stored scaling decisions, newest first, with their explanation and inputs (coderunner.deployment.read).",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "description": "The most decisions to return (1–500); 100 when omitted.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 500
            }
          },
          {
            "name": "before",
            "in": "query",
            "description": "Only decisions made before this time (ISO 8601), to page back.",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "changedOnly",
            "in": "query",
            "description": "`true` for only the decisions that changed the count or that a person or an event made (holds, releases, pause, resume, policy changes, wakes), leaving out the autoscaler's holds at an unchanged count.",
            "schema": {
              "type": "boolean"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Decisions.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScalingDecisionList"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/cost": {
      "get": {
        "operationId": "GetEntityCost",
        "description": "The entity's cost for a month (coderunner.deployment.read): exact sums of every instance's and build's sandbox time times its size's price, per environment and per UTC day, a forecast to the end of the month from the recent run rate, and the budgets that cover it. An owner's budget is left out unless the caller may read every entity it sums. 400 for a month that is malformed or has not started.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/CostMonth"
          }
        ],
        "responses": {
          "200": {
            "description": "The month's cost.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EntityCost"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/cost/advice": {
      "get": {
        "operationId": "GetRightSizingAdvice",
        "description": "Right-sizing advice per environment from measured CPU and memory (5-minute averages over the last days) against each size's capacity (coderunner.deployment.read). Never applied automatically. Environments without enough data, or already at the right size, are left out.",
        "responses": {
          "200": {
            "description": "Advice, with the data it rests on.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/RightSizingAdvice"
                      }
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/cost/budget": {
      "put": {
        "operationId": "PutEntityBudget",
        "description": "Sets the monthly budget of the entity in one environment, or in all when `environment` is left out (coderunner.budget.write), replacing the one it had. 400 names the field; 409 when app-config sets that budget; 429 over the rate limit. Audited with the field names.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/BudgetRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The budget and the month so far.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BudgetStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      },
      "delete": {
        "operationId": "DeleteEntityBudget",
        "description": "Removes the entity's budget for one environment, or its all-environments budget when `environment` is left out (coderunner.budget.write). 400 names a bad environment; 404 when there is none; 409 when app-config sets it; 429 over the rate limit. Audited. Answers 204 with no body.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "query",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Removed."
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/cost/summary": {
      "get": {
        "operationId": "GetCostSummary",
        "description": "Spend for a month by owner, by environment, by owner and environment, and per entity, counting only the entities the caller may read (coderunner.deployment.read on each).",
        "parameters": [
          {
            "$ref": "#/components/parameters/CostMonth"
          }
        ],
        "responses": {
          "200": {
            "description": "The summary.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CostSummary"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/cost/owner-budget": {
      "put": {
        "operationId": "PutOwnerBudget",
        "description": "Sets the monthly budget of everything a group owns (coderunner.budget.write on the group entity: operators under the shipped policy), replacing the one it had. 400 names the field; 409 when app-config sets it; 429 over the rate limit. Audited with the field names.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/OwnerBudgetRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The budget and the month so far.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/BudgetStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      },
      "delete": {
        "operationId": "DeleteOwnerBudget",
        "description": "Removes a group's budget (coderunner.budget.write on the group entity). 400 when `ownerRef` is missing or not an entity ref; 404 when there is none; 409 when app-config sets it; 429 over the rate limit. Audited. Answers 204 with no body.",
        "parameters": [
          {
            "name": "ownerRef",
            "in": "query",
            "required": true,
            "description": "The group, e.g. group:default/team-a.",
            "allowReserved": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Removed."
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/stream": {
      "get": {
        "operationId": "OpenStream",
        "description": "The WebSocket that carries live log lines and deployment status; the messages are in docs/logs.md and the StreamClientMessage and StreamServerMessage types of @coderunner/plugin-coderunner-common. Browsers cannot set headers on a WebSocket, so the Backstage token travels as a second subprotocol: `new WebSocket('wss://<backend>/api/coderunner/stream', ['coderunner.v1', token])`. The route itself needs no credentials; the upgrade authenticates the token. A plain GET without an upgrade answers 503 with retry-after 1: connect again with a WebSocket.",
        "security": [],
        "parameters": [
          {
            "name": "Sec-WebSocket-Protocol",
            "in": "header",
            "required": false,
            "description": "For the upgrade: `coderunner.v1, <Backstage token>`. Without both, the upgrade answers 401.",
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "101": {
            "description": "Switching protocols: the socket is open with the subprotocol coderunner.v1. Send JSON text messages such as {\"type\": \"subscribe\", \"id\": \"a\", \"topic\": \"logs\", \"entityRef\": \"component:default/my-app\", \"environment\": \"development\"}."
          },
          "401": {
            "description": "The upgrade offered no coderunner.v1 subprotocol or no valid token; no body."
          },
          "503": {
            "description": "A plain GET, or an upgrade that arrived before the socket was ready.",
            "headers": {
              "Retry-After": {
                "description": "Seconds to wait before connecting again (1).",
                "schema": {
                  "type": "integer"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        }
      }
    },
    "/terminal": {
      "get": {
        "operationId": "OpenTerminal",
        "description": "The instance terminal: a WebSocket joined to a login shell on a pseudo-terminal in a starting or ready instance's sandbox (coderunner.instance.exec on the entity; user tokens only). The token travels as a second subprotocol: `new WebSocket(url, ['coderunner.terminal.v1', token])`; a browser Origin must be the app's or the backend's. Every check happens before the upgrade, so a refusal is one of the statuses below. A plain GET with an Authorization header runs the same checks (all but the origin and the rate limit) and answers 204 or the error, which is how a browser learns why an upgrade was refused. Frames, close codes and limits: docs/terminal.md. Each session is audited (instance-terminal), never its input or output.",
        "parameters": [
          {
            "name": "entity",
            "in": "query",
            "required": true,
            "description": "The entity ref, e.g. component:default/my-app.",
            "allowReserved": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "instance",
            "in": "query",
            "required": true,
            "description": "An instance id of that deployment.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "cols",
            "in": "query",
            "required": false,
            "description": "Columns at the start, 2 to 500 (80).",
            "schema": {
              "type": "integer"
            }
          },
          {
            "name": "rows",
            "in": "query",
            "required": false,
            "description": "Rows at the start, 1 to 200 (24).",
            "schema": {
              "type": "integer"
            }
          }
        ],
        "responses": {
          "101": {
            "description": "Switching protocols with the subprotocol coderunner.terminal.v1."
          },
          "204": {
            "description": "A plain GET whose checks passed; an upgrade would open."
          },
          "400": {
            "description": "A query parameter is missing or out of bounds, or the environment is unknown.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "No coderunner.instance.exec on the entity, a service token, or a foreign Origin.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "404": {
            "description": "No such entity, deployment, or instance in that deployment.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The instance is not starting or ready.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "Over the connection rate limit or coderunner.terminal.maxSessionsPerUser.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/config/templates": {
      "get": {
        "operationId": "ListConfigTemplates",
        "description": "The configuration templates: variables that apps of common kinds need. Any signed-in user or service may read them.",
        "responses": {
          "200": {
            "description": "Templates.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/ConfigTemplate"
                      }
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/config/encryption": {
      "get": {
        "operationId": "GetConfigEncryptionStatus",
        "description": "The encryption keys of stored values, how many values each wraps, and the state of the key rotation task (docs/config.md). Any signed-in user or service may read it.",
        "responses": {
          "200": {
            "description": "Encryption status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigEncryptionStatus"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/config": {
      "get": {
        "operationId": "GetConfig",
        "description": "Every variable of the entity by scope, at the newest version or an earlier one (coderunner.config.read). Secret values never appear; a secret shows a fingerprint. 404 for a version that does not exist.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "version",
            "in": "query",
            "description": "A config version from 0 (nothing set) to the newest; the newest when omitted.",
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The configuration.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigSnapshot"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/changes": {
      "post": {
        "operationId": "ChangeConfig",
        "description": "Saves a change set as a new version (coderunner.config.write; with `apply` also coderunner.deployment.deploy). Every change is checked before anything is saved; a 400 lists all problems. 409 when `expectedVersion` is no longer the newest; 429 over the rate limit. Audited with variable names, never values.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ConfigChangeRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "$ref": "#/components/responses/ConfigSaved"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/rollback": {
      "post": {
        "operationId": "RollbackConfig",
        "description": "Makes an earlier version current again, as a new version (coderunner.config.write; with `apply` also coderunner.deployment.deploy). 400 when the version is not an earlier one or equals the current configuration; 429 over the rate limit.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ConfigRollbackRequest"
              }
            }
          }
        },
        "responses": {
          "202": {
            "$ref": "#/components/responses/ConfigSaved"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/apply/{environment}": {
      "post": {
        "operationId": "ApplyConfig",
        "description": "Rolls the environment's deployment onto the newest config version with a new release (coderunner.config.write and coderunner.deployment.deploy). 429 over the rate limit.",
        "responses": {
          "202": {
            "description": "Accepted; the reconciler rolls the new release out.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "environment",
                    "releaseNumber"
                  ],
                  "properties": {
                    "environment": {
                      "type": "string"
                    },
                    "releaseNumber": {
                      "type": "integer",
                      "description": "The release created to apply the configuration."
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "environment",
            "in": "path",
            "required": true,
            "description": "One of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/versions": {
      "get": {
        "operationId": "ListConfigVersions",
        "description": "The newest 100 config versions, newest first (coderunner.config.read).",
        "responses": {
          "200": {
            "description": "Versions.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/ConfigVersion"
                      }
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/diff": {
      "get": {
        "operationId": "DiffConfig",
        "description": "What changed between two versions (coderunner.config.read); secrets only ever show as changed, without values. 400 for a version above the newest.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "from",
            "in": "query",
            "required": true,
            "description": "The older version, from 0.",
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          },
          {
            "name": "to",
            "in": "query",
            "required": true,
            "description": "The newer version, up to the newest.",
            "schema": {
              "type": "integer",
              "minimum": 0
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The differences.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigDiff"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/import/preview": {
      "post": {
        "operationId": "PreviewConfigImport",
        "description": "What importing .env, JSON or YAML text into one scope would change, ready to send as a change set, and the lines that could not be used (coderunner.config.write). Nothing is saved. 429 over the preview rate limit.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ConfigImportRequest"
              }
            }
          }
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/ConfigPreview"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/templates/{templateId}/preview": {
      "post": {
        "operationId": "PreviewConfigTemplate",
        "description": "The template's variables that the scope does not have yet, as a change set; required variables without a default are listed as problems to fill in (coderunner.config.write). Nothing is saved. 404 for an unknown template; 429 over the preview rate limit.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "scope"
                ],
                "properties": {
                  "scope": {
                    "$ref": "#/components/schemas/ConfigScope"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "$ref": "#/components/responses/ConfigPreview"
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "templateId",
            "in": "path",
            "required": true,
            "description": "The id of a template from GET /config/templates, e.g. nodejs.",
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/audit": {
      "get": {
        "operationId": "ListConfigAudit",
        "description": "Who changed, rolled back, applied, exported or revealed configuration, newest first (coderunner.config.read). Entries name variables, never values.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "query",
            "description": "Only entries that name this variable.",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "limit",
            "in": "query",
            "description": "The most entries to return (1–1000); 100 when omitted.",
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Audit entries.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/ConfigAuditEntry"
                      }
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/export": {
      "get": {
        "operationId": "ExportConfig",
        "description": "The current variables of one scope as .env, JSON or YAML text (coderunner.config.read). Secret values are left out and named in `omittedSecrets` unless `includeSecrets` is true, which also needs coderunner.secret.reveal (403 otherwise) and is audited. 429 over the export rate limit.",
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "scope",
            "in": "query",
            "required": true,
            "description": "`shared` or one of the environments in coderunner.environments.",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "format",
            "in": "query",
            "description": "The text format; env when omitted.",
            "schema": {
              "$ref": "#/components/schemas/ConfigFormat"
            }
          },
          {
            "name": "includeSecrets",
            "in": "query",
            "description": "`true` to include secret values; `false` when omitted.",
            "schema": {
              "type": "boolean"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The export.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConfigExport"
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    },
    "/entities/{kind}/{namespace}/{name}/config/reveal": {
      "post": {
        "operationId": "RevealConfigSecret",
        "description": "The value of one variable, secret or not (coderunner.config.read and coderunner.secret.reveal). Audited with severity high; 404 when the variable is not set in the scope; 429 over the rate limit.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "scope",
                  "name"
                ],
                "properties": {
                  "scope": {
                    "$ref": "#/components/schemas/ConfigScope"
                  },
                  "name": {
                    "type": "string",
                    "description": "The variable's name."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The value.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "value"
                  ],
                  "properties": {
                    "value": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          },
          "default": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        },
        "parameters": [
          {
            "name": "kind",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "namespace",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "name",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ]
      }
    }
  },
  "components": {
    "parameters": {
      "CostMonth": {
        "name": "month",
        "in": "query",
        "description": "A UTC month, YYYY-MM; the current month when omitted.",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"
        }
      },
      "AlertLimit": {
        "name": "limit",
        "in": "query",
        "description": "At most this many alerts (100 when omitted).",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 500
        }
      },
      "LogAfter": {
        "name": "after",
        "in": "query",
        "description": "The cursor: only lines with a higher sequence number. 0 (the start) when omitted; pass the `lastSeq` of the previous page.",
        "schema": {
          "type": "integer",
          "minimum": 0
        }
      },
      "LogLimit": {
        "name": "limit",
        "in": "query",
        "description": "The most lines in the page (1–5000); 500 when omitted.",
        "schema": {
          "type": "integer",
          "minimum": 1,
          "maximum": 5000
        }
      },
      "LogStream": {
        "name": "stream",
        "in": "query",
        "description": "Only lines of these streams, comma-separated (`stream=stdout,stderr`) or repeated (`stream=stdout&stream=stderr`): build, stdout, stderr or system.",
        "style": "form",
        "explode": false,
        "schema": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/LogStream"
          }
        }
      },
      "LogLevel": {
        "name": "level",
        "in": "query",
        "description": "Only lines with these detected levels, comma-separated (`level=warn,error`) or repeated: trace, debug, info, warn, error or fatal. Lines without a recognisable level never match.",
        "style": "form",
        "explode": false,
        "schema": {
          "type": "array",
          "items": {
            "$ref": "#/components/schemas/LogLevel"
          }
        }
      },
      "LogText": {
        "name": "q",
        "in": "query",
        "description": "Only lines containing this text, ignoring case; at most 200 characters. Empty means no text filter.",
        "allowEmptyValue": true,
        "allowReserved": true,
        "schema": {
          "type": "string",
          "maxLength": 200
        }
      },
      "LogSince": {
        "name": "since",
        "in": "query",
        "description": "Only lines written at or after this time, ISO 8601 with a time zone, e.g. 2026-12-01T10:00:00Z.",
        "allowReserved": true,
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "LogUntil": {
        "name": "until",
        "in": "query",
        "description": "Only lines written before this time (ISO 8601 with a time zone); must be after `since`.",
        "allowReserved": true,
        "schema": {
          "type": "string",
          "format": "date-time"
        }
      },
      "LogReleaseId": {
        "name": "releaseId",
        "in": "query",
        "description": "Only lines of this release (its `id`, not its number), e.g. its build output.",
        "schema": {
          "type": "string"
        }
      },
      "LogInstanceId": {
        "name": "instanceId",
        "in": "query",
        "description": "Only lines of this instance (its `id`).",
        "schema": {
          "type": "string"
        }
      }
    },
    "responses": {
      "ErrorResponse": {
        "description": "A Backstage error body; the message says what to fix.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      },
      "DeploymentList": {
        "description": "Deployments.",
        "content": {
          "application/json": {
            "schema": {
              "type": "object",
              "required": [
                "items"
              ],
              "properties": {
                "items": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/Deployment"
                  }
                }
              }
            }
          }
        }
      },
      "DeploymentAction": {
        "description": "Accepted; the reconciler does the work. Watch the deployment's status.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/DeploymentActionResponse"
            }
          }
        }
      },
      "ConfigSaved": {
        "description": "Saved as a new version; the deployments it applies to roll out in the background.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ConfigSaveResponse"
            }
          }
        }
      },
      "ConfigPreview": {
        "description": "What would change; send `changes` to POST .../config/changes to save it.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/ConfigPreview"
            }
          }
        }
      }
    },
    "schemas": {
      "BudgetRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "amount"
        ],
        "properties": {
          "environment": {
            "type": "string",
            "description": "Left out, the budget covers every environment."
          },
          "amount": {
            "type": "number",
            "minimum": 0,
            "description": "Monthly amount, more than 0, at most two decimals."
          },
          "thresholds": {
            "type": "array",
            "minItems": 1,
            "maxItems": 10,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 2
            },
            "description": "Ascending fractions of the amount; 0.75, 0.9, 1 by default."
          },
          "hardCap": {
            "type": "boolean",
            "description": "When true the autoscaler never runs more instances than the rest of the budget pays for."
          }
        }
      },
      "OwnerBudgetRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "ownerRef",
          "amount"
        ],
        "properties": {
          "ownerRef": {
            "type": "string",
            "description": "The group, e.g. group:default/team-a."
          },
          "amount": {
            "type": "number",
            "minimum": 0
          },
          "thresholds": {
            "type": "array",
            "minItems": 1,
            "maxItems": 10,
            "items": {
              "type": "number",
              "minimum": 0,
              "maximum": 2
            }
          },
          "hardCap": {
            "type": "boolean"
          }
        }
      },
      "BudgetScope": {
        "description": "What a budget covers: one entity (in one environment, or all of them), or every entity a group owns (catalog `spec.owner`).",
        "oneOf": [
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "entityRef"
            ],
            "properties": {
              "entityRef": {
                "type": "string"
              },
              "environment": {
                "type": "string",
                "description": "Left out, the budget covers every environment."
              }
            }
          },
          {
            "type": "object",
            "additionalProperties": false,
            "required": [
              "ownerRef"
            ],
            "properties": {
              "ownerRef": {
                "type": "string"
              }
            }
          }
        ]
      },
      "BudgetStatus": {
        "type": "object",
        "required": [
          "budgetId",
          "scope",
          "period",
          "amount",
          "spent",
          "forecast",
          "currency",
          "thresholds",
          "hardCap",
          "source"
        ],
        "properties": {
          "budgetId": {
            "type": "string"
          },
          "scope": {
            "$ref": "#/components/schemas/BudgetScope"
          },
          "period": {
            "type": "string",
            "description": "The month, `YYYY-MM` (UTC)."
          },
          "amount": {
            "type": "number"
          },
          "spent": {
            "type": "number",
            "description": "Spent this month so far, instances and builds."
          },
          "forecast": {
            "type": "number",
            "description": "Spent plus the recent run rate until the end of the month."
          },
          "currency": {
            "type": "string"
          },
          "thresholds": {
            "type": "array",
            "items": {
              "type": "number"
            },
            "description": "Fractions of `amount` that warn, ascending, e.g. 0.75, 0.9, 1."
          },
          "forecastExceedsOn": {
            "type": "string",
            "description": "The day (`YYYY-MM-DD`) the forecast reaches `amount`, when that is later this month."
          },
          "hardCap": {
            "type": "boolean",
            "description": "When true the autoscaler never runs more instances than the rest of the budget pays for."
          },
          "source": {
            "type": "string",
            "enum": [
              "ui",
              "config"
            ],
            "description": "`config` budgets come from app-config and cannot be changed in the UI."
          },
          "capMaxInstances": {
            "type": "integer",
            "description": "With a hard cap: the most instances the rest of the month's budget allows."
          }
        }
      },
      "EntityCost": {
        "type": "object",
        "required": [
          "entityRef",
          "period",
          "currency",
          "asOf",
          "spent",
          "builds",
          "forecast",
          "environments",
          "daily",
          "budgets"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "ownerRef": {
            "type": "string"
          },
          "period": {
            "type": "string"
          },
          "currency": {
            "type": "string"
          },
          "asOf": {
            "type": "string",
            "format": "date-time",
            "description": "The moment the figures are for (now, or the end of a past month)."
          },
          "spent": {
            "type": "number"
          },
          "builds": {
            "type": "number"
          },
          "forecast": {
            "type": "number"
          },
          "environments": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "environment",
                "spent",
                "builds",
                "forecast",
                "instanceSeconds",
                "runningInstances",
                "currentHourly"
              ],
              "properties": {
                "environment": {
                  "type": "string"
                },
                "spent": {
                  "type": "number",
                  "description": "Instances and builds."
                },
                "builds": {
                  "type": "number",
                  "description": "Builds alone (also in `spent`)."
                },
                "forecast": {
                  "type": "number"
                },
                "instanceSeconds": {
                  "type": "integer",
                  "description": "Instance-seconds this month (builds not counted)."
                },
                "runningInstances": {
                  "type": "integer",
                  "description": "Instances running now."
                },
                "currentHourly": {
                  "type": "number",
                  "description": "Cost of one hour at the current instance count and sizes."
                }
              }
            }
          },
          "daily": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "date",
                "instances",
                "builds"
              ],
              "properties": {
                "date": {
                  "type": "string",
                  "description": "`YYYY-MM-DD` (UTC)."
                },
                "instances": {
                  "type": "number"
                },
                "builds": {
                  "type": "number"
                }
              }
            }
          },
          "budgets": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BudgetStatus"
            }
          }
        }
      },
      "RightSizingAdvice": {
        "type": "object",
        "required": [
          "environment",
          "currentSize",
          "suggestedSize",
          "monthlySaving",
          "currency",
          "expectedCpuP95Percent",
          "expectedMemoryP95Percent",
          "summary",
          "evidence"
        ],
        "properties": {
          "environment": {
            "type": "string"
          },
          "currentSize": {
            "type": "string"
          },
          "suggestedSize": {
            "type": "string"
          },
          "monthlySaving": {
            "type": "number",
            "description": "Saving per 30-day month at the current instance count (negative: it costs more)."
          },
          "currency": {
            "type": "string"
          },
          "expectedCpuP95Percent": {
            "type": "number",
            "description": "Expected p95 CPU on the suggested size, percent."
          },
          "expectedMemoryP95Percent": {
            "type": "number",
            "description": "Expected p95 memory on the suggested size, percent."
          },
          "summary": {
            "type": "string",
            "description": "One readable sentence, e.g. \"p95 CPU 9% of a medium for 7 days: …\"."
          },
          "evidence": {
            "type": "object",
            "required": [
              "days",
              "samples",
              "cpuP50Percent",
              "cpuP95Percent",
              "memoryP95MiB",
              "memoryCapacityMiB",
              "vcpus"
            ],
            "properties": {
              "days": {
                "type": "integer"
              },
              "samples": {
                "type": "integer",
                "description": "Number of 5-minute averages the percentiles rest on."
              },
              "cpuP50Percent": {
                "type": "number"
              },
              "cpuP95Percent": {
                "type": "number"
              },
              "memoryP95MiB": {
                "type": "number"
              },
              "memoryCapacityMiB": {
                "type": "number",
                "description": "Memory of the current size, MiB."
              },
              "vcpus": {
                "type": "number"
              }
            }
          }
        }
      },
      "CostGroup": {
        "type": "object",
        "required": [
          "key",
          "spent",
          "forecast"
        ],
        "properties": {
          "key": {
            "type": "string"
          },
          "spent": {
            "type": "number"
          },
          "forecast": {
            "type": "number"
          }
        }
      },
      "CostSummary": {
        "type": "object",
        "required": [
          "period",
          "currency",
          "asOf",
          "spent",
          "forecast",
          "byOwner",
          "byEnvironment",
          "byOwnerAndEnvironment",
          "entities",
          "ownerBudgets"
        ],
        "properties": {
          "period": {
            "type": "string"
          },
          "currency": {
            "type": "string"
          },
          "asOf": {
            "type": "string",
            "format": "date-time"
          },
          "spent": {
            "type": "number"
          },
          "forecast": {
            "type": "number"
          },
          "byOwner": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CostGroup"
            }
          },
          "byEnvironment": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/CostGroup"
            }
          },
          "byOwnerAndEnvironment": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "ownerRef",
                "environment",
                "spent"
              ],
              "properties": {
                "ownerRef": {
                  "type": "string"
                },
                "environment": {
                  "type": "string"
                },
                "spent": {
                  "type": "number"
                }
              }
            },
            "description": "Per owner and environment, for a stacked chart."
          },
          "entities": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "entityRef",
                "spent"
              ],
              "properties": {
                "entityRef": {
                  "type": "string"
                },
                "ownerRef": {
                  "type": "string"
                },
                "spent": {
                  "type": "number"
                }
              }
            },
            "description": "Entities with any spend this month, costliest first."
          },
          "ownerBudgets": {
            "description": "This month's group budgets whose whole spend the caller may read (of a group that spent nothing, only for a caller with coderunner.budget.write on it), by group ref; none for a past month.",
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/BudgetStatus"
            }
          }
        }
      },
      "Alert": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "key",
          "ruleId",
          "entityRef",
          "severity",
          "title",
          "description",
          "link",
          "status",
          "openedAt",
          "lastSeenAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "key": {
            "type": "string",
            "description": "The deduplication key."
          },
          "ruleId": {
            "type": "string",
            "description": "The rule that raised it, e.g. crash-loop."
          },
          "entityRef": {
            "type": "string",
            "description": "The catalog entity it is about (a component, or an owner group for a team budget)."
          },
          "environment": {
            "type": "string"
          },
          "severity": {
            "type": "string",
            "enum": [
              "info",
              "warning",
              "critical"
            ]
          },
          "title": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "link": {
            "type": "string",
            "description": "A path in the portal."
          },
          "status": {
            "type": "string",
            "enum": [
              "open",
              "resolved"
            ]
          },
          "openedAt": {
            "type": "string",
            "format": "date-time"
          },
          "lastSeenAt": {
            "type": "string",
            "format": "date-time",
            "description": "The last evaluation that still saw the condition."
          },
          "resolvedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "AlertList": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Alert"
            }
          }
        }
      },
      "Error": {
        "type": "object",
        "description": "Backstage's error body: `error` says what went wrong, `response` repeats the status, as `ResponseError` of @backstage/errors reads it.",
        "required": [
          "error",
          "response"
        ],
        "properties": {
          "error": {
            "type": "object",
            "required": [
              "name",
              "message"
            ],
            "properties": {
              "name": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            }
          },
          "response": {
            "type": "object",
            "required": [
              "statusCode"
            ],
            "properties": {
              "statusCode": {
                "type": "integer"
              }
            }
          }
        }
      },
      "EntitySetup": {
        "type": "object",
        "required": [
          "entityRef",
          "manifestPath",
          "manifestFound",
          "environments"
        ],
        "properties": {
          "entityRef": {
            "type": "string",
            "description": "The entity ref, e.g. `component:default/hello-node`."
          },
          "manifestPath": {
            "type": "string",
            "description": "Where the manifest was looked for, e.g. `coderunner.yaml`."
          },
          "manifestFound": {
            "type": "boolean",
            "description": "Whether a manifest was found in the component's source."
          },
          "problem": {
            "type": "string",
            "description": "Why the manifest could not be read, when it could not; says what to fix."
          },
          "environments": {
            "type": "array",
            "items": {
              "type": "string"
            },
            "description": "The deployment environments this portal offers."
          }
        }
      },
      "DeploymentPage": {
        "type": "object",
        "description": "A page of the global deployments list (GET /deployments), in entity ref and then environment order.",
        "required": [
          "items",
          "environments"
        ],
        "properties": {
          "items": {
            "type": "array",
            "description": "Up to the query's `limit` deployments, fewer only on the last page.",
            "items": {
              "$ref": "#/components/schemas/Deployment"
            }
          },
          "nextCursor": {
            "type": "string",
            "description": "Pass it as `cursor` for the next page; absent on the last page."
          },
          "environments": {
            "type": "array",
            "description": "The configured environments, in promotion order (what `environment` takes).",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "DeploymentActionResponse": {
        "type": "object",
        "description": "The answer to deploy, rollback, stop, start, restart and delete: the deployment after the change, and the release a deploy or rollback created.",
        "required": [
          "deployment"
        ],
        "properties": {
          "deployment": {
            "$ref": "#/components/schemas/Deployment"
          },
          "release": {
            "$ref": "#/components/schemas/Release"
          }
        }
      },
      "DeployRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "instances": {
            "type": "integer",
            "description": "How many instances to run (1–100); the manifest's count when omitted."
          }
        }
      },
      "RollbackRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "releaseNumber"
        ],
        "properties": {
          "releaseNumber": {
            "type": "integer",
            "description": "The number of an earlier release that built successfully."
          }
        }
      },
      "Release": {
        "type": "object",
        "required": [
          "id",
          "deploymentId",
          "number",
          "status",
          "createdBy",
          "createdAt",
          "runCommand"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "deploymentId": {
            "type": "string"
          },
          "number": {
            "type": "integer"
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "building",
              "built",
              "failed",
              "superseded"
            ],
            "description": "The build's state; `superseded` when a later deploy, rollback or config apply replaced its rollout before it went live."
          },
          "sourceRevision": {
            "type": "string"
          },
          "sourceSummary": {
            "type": "string"
          },
          "configVersion": {
            "type": "integer"
          },
          "failureReason": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "builtAt": {
            "type": "string",
            "format": "date-time"
          },
          "artifactPrunedAt": {
            "type": "string",
            "format": "date-time",
            "description": "When the release retention task deleted its source and artifact; it can no longer be rolled back to."
          },
          "runCommand": {
            "type": "string",
            "description": "The command the instances run, from the manifest, for display."
          }
        }
      },
      "Health": {
        "type": "object",
        "required": [
          "status",
          "components"
        ],
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok",
              "failing"
            ]
          },
          "message": {
            "type": "string"
          },
          "components": {
            "type": "object",
            "description": "By name (database, agentsphere, logPipeline, reconciler, metricsPoller).",
            "additionalProperties": {
              "type": "object",
              "required": [
                "status",
                "detail"
              ],
              "properties": {
                "status": {
                  "type": "string",
                  "enum": [
                    "ok",
                    "failing"
                  ]
                },
                "detail": {
                  "type": "string"
                }
              }
            }
          },
          "runtime": {
            "type": "string",
            "description": "Which sandbox runtime the backend uses, e.g. `agentsphere` or `agentsphere-emulator`."
          }
        }
      },
      "Instance": {
        "type": "object",
        "required": [
          "id",
          "deploymentId",
          "releaseId",
          "state",
          "restarts",
          "createdAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "deploymentId": {
            "type": "string"
          },
          "releaseId": {
            "type": "string"
          },
          "releaseNumber": {
            "type": "integer"
          },
          "state": {
            "type": "string",
            "enum": [
              "provisioning",
              "starting",
              "ready",
              "unhealthy",
              "crashed",
              "draining",
              "stopped"
            ]
          },
          "sandboxId": {
            "type": "string"
          },
          "restarts": {
            "type": "integer"
          },
          "lastExitCode": {
            "type": "integer"
          },
          "reason": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "readyAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Deployment": {
        "type": "object",
        "required": [
          "id",
          "entityRef",
          "environment",
          "status",
          "desiredState",
          "desiredInstances",
          "instances",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "entityRef": {
            "type": "string"
          },
          "environment": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "pending",
              "deploying",
              "ready",
              "degraded",
              "failed",
              "stopped"
            ]
          },
          "statusReason": {
            "type": "string"
          },
          "desiredState": {
            "type": "string",
            "enum": [
              "running",
              "stopped",
              "deleted"
            ]
          },
          "desiredInstances": {
            "type": "integer"
          },
          "url": {
            "type": "string",
            "description": "The stable URL of the deployment on the gateway, when it serves HTTP."
          },
          "activeRelease": {
            "$ref": "#/components/schemas/Release"
          },
          "targetRelease": {
            "$ref": "#/components/schemas/Release"
          },
          "pendingConfigVersion": {
            "type": "integer",
            "description": "The newest config version when the running (or rolling out) release pins an older one: configuration was saved without applying it."
          },
          "instances": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Instance"
            }
          },
          "deployedBy": {
            "type": "string"
          },
          "deployedAt": {
            "type": "string",
            "format": "date-time"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "LogStream": {
        "type": "string",
        "description": "Where a line came from: `build` (building a release), `stdout` and `stderr` (an instance's output), `system` (CodeRunner's own messages about the deployment).",
        "enum": [
          "build",
          "stdout",
          "stderr",
          "system"
        ]
      },
      "LogLevel": {
        "type": "string",
        "description": "The severity detected from the line (`ERROR`, `level=warn`, JSON \"level\").",
        "enum": [
          "trace",
          "debug",
          "info",
          "warn",
          "error",
          "fatal"
        ]
      },
      "LogLine": {
        "type": "object",
        "required": [
          "seq",
          "stream",
          "line",
          "createdAt"
        ],
        "properties": {
          "seq": {
            "type": "integer",
            "description": "Orders the lines of a deployment, with no gaps."
          },
          "stream": {
            "$ref": "#/components/schemas/LogStream"
          },
          "line": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "releaseId": {
            "type": "string"
          },
          "instanceId": {
            "type": "string"
          },
          "level": {
            "$ref": "#/components/schemas/LogLevel"
          }
        }
      },
      "MetricName": {
        "type": "string",
        "description": "A series the metrics API keeps per deployment (docs/monitoring.md).",
        "enum": [
          "requests",
          "server_errors",
          "connection_errors",
          "error_ratio",
          "latency_p50_ms",
          "latency_p95_ms",
          "latency_p99_ms",
          "cpu_percent",
          "memory_mib",
          "instances_ready"
        ]
      },
      "MetricSeries": {
        "type": "object",
        "required": [
          "metric",
          "from",
          "to",
          "stepSeconds",
          "points"
        ],
        "properties": {
          "metric": {
            "$ref": "#/components/schemas/MetricName"
          },
          "from": {
            "type": "string",
            "format": "date-time"
          },
          "to": {
            "type": "string",
            "format": "date-time"
          },
          "stepSeconds": {
            "type": "integer"
          },
          "points": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "at",
                "value"
              ],
              "properties": {
                "at": {
                  "type": "string",
                  "format": "date-time",
                  "description": "The start of the step."
                },
                "value": {
                  "type": "number"
                },
                "min": {
                  "type": "number",
                  "description": "The smallest sample in the step (averages only)."
                },
                "max": {
                  "type": "number",
                  "description": "The largest sample in the step (averages only)."
                }
              }
            }
          }
        }
      },
      "LogPage": {
        "type": "object",
        "required": [
          "items",
          "lastSeq"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/LogLine"
            }
          },
          "lastSeq": {
            "type": "integer",
            "description": "The cursor to pass as `after` for the next page."
          }
        }
      },
      "LogSearchPage": {
        "type": "object",
        "required": [
          "seqs"
        ],
        "properties": {
          "seqs": {
            "type": "array",
            "items": {
              "type": "integer"
            },
            "description": "Sequence numbers of the matching lines, oldest first."
          },
          "next": {
            "type": "integer",
            "description": "Set when there may be more matches; pass it as `after`."
          }
        }
      },
      "ConfigScope": {
        "type": "string",
        "description": "`shared` (every environment) or one of the environments in coderunner.environments."
      },
      "ConfigFormat": {
        "type": "string",
        "description": "`env` (.env lines), `json` or `yaml` (NAME: value, or NAME: {value, secret}).",
        "enum": [
          "env",
          "json",
          "yaml"
        ]
      },
      "ConfigVariable": {
        "type": "object",
        "required": [
          "name",
          "secret",
          "updatedBy",
          "updatedAt",
          "version"
        ],
        "properties": {
          "name": {
            "type": "string"
          },
          "secret": {
            "type": "boolean"
          },
          "value": {
            "type": "string",
            "description": "The value of a plain variable; never present for a secret."
          },
          "fingerprint": {
            "type": "string",
            "description": "For secrets, a short keyed hash that changes when the value does."
          },
          "updatedBy": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string",
            "format": "date-time"
          },
          "version": {
            "type": "integer",
            "description": "The config version that set this value."
          }
        }
      },
      "ConfigSnapshot": {
        "type": "object",
        "required": [
          "entityRef",
          "version",
          "scopes",
          "overrideOrder"
        ],
        "properties": {
          "entityRef": {
            "type": "string"
          },
          "version": {
            "type": "integer",
            "description": "The version shown; 0 when nothing was ever set."
          },
          "scopes": {
            "type": "object",
            "description": "The variables of each scope, `shared` and every environment.",
            "additionalProperties": {
              "type": "array",
              "items": {
                "$ref": "#/components/schemas/ConfigVariable"
              }
            }
          },
          "overrideOrder": {
            "type": "array",
            "description": "Where an instance's environment comes from, lowest precedence first.",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "ConfigChange": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "scope",
          "name"
        ],
        "description": "Sets a variable (`value`, and `secret` to choose whether it is a secret) or deletes it (`delete: true`).",
        "properties": {
          "scope": {
            "$ref": "#/components/schemas/ConfigScope"
          },
          "name": {
            "type": "string",
            "description": "Letters, digits and underscores, not starting with a digit, at most 128 characters; PORT and names starting with CODERUNNER_ are reserved."
          },
          "value": {
            "type": "string",
            "description": "The value to set, at most 32 KiB of UTF-8, no NUL characters."
          },
          "secret": {
            "type": "boolean",
            "description": "Store as a secret; when omitted, an existing variable keeps its kind and a new one is plain."
          },
          "delete": {
            "type": "boolean",
            "enum": [
              true
            ],
            "description": "Delete the variable instead of setting it."
          }
        }
      },
      "ConfigChangeRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "changes"
        ],
        "properties": {
          "changes": {
            "type": "array",
            "minItems": 1,
            "description": "The changes, saved together as one version; a variable may appear once.",
            "items": {
              "$ref": "#/components/schemas/ConfigChange"
            }
          },
          "message": {
            "type": "string",
            "description": "Why, for the version history."
          },
          "apply": {
            "type": "boolean",
            "description": "Roll the running deployments the change affects onto the new version right away."
          },
          "expectedVersion": {
            "type": "integer",
            "minimum": 0,
            "description": "Refuse (409) when the newest version is no longer this one, because someone else saved."
          }
        }
      },
      "ConfigRollbackRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "version"
        ],
        "properties": {
          "version": {
            "type": "integer",
            "minimum": 0,
            "description": "The earlier version to make current again."
          },
          "message": {
            "type": "string",
            "description": "Why, for the version history; \"Roll back to version N\" when omitted."
          },
          "apply": {
            "type": "boolean",
            "description": "Roll the affected running deployments onto the new version right away."
          }
        }
      },
      "ConfigVersion": {
        "type": "object",
        "required": [
          "version",
          "author",
          "createdAt",
          "scopes",
          "changes"
        ],
        "properties": {
          "version": {
            "type": "integer"
          },
          "author": {
            "type": "string"
          },
          "message": {
            "type": "string"
          },
          "createdAt": {
            "type": "string",
            "format": "date-time"
          },
          "scopes": {
            "type": "array",
            "description": "The scopes the change set touched.",
            "items": {
              "type": "string"
            }
          },
          "changes": {
            "type": "array",
            "description": "What changed, by name, never with values.",
            "items": {
              "type": "object",
              "required": [
                "scope",
                "name",
                "change"
              ],
              "properties": {
                "scope": {
                  "type": "string"
                },
                "name": {
                  "type": "string"
                },
                "change": {
                  "type": "string",
                  "enum": [
                    "added",
                    "removed",
                    "changed"
                  ]
                }
              }
            }
          },
          "rollbackOf": {
            "type": "integer",
            "description": "Set when this version rolled back to an earlier one."
          }
        }
      },
      "ConfigSaveResponse": {
        "type": "object",
        "required": [
          "version",
          "applied",
          "pending"
        ],
        "properties": {
          "version": {
            "$ref": "#/components/schemas/ConfigVersion"
          },
          "applied": {
            "type": "array",
            "description": "The releases created to apply the version, one per running deployment it affects.",
            "items": {
              "type": "object",
              "required": [
                "environment",
                "releaseNumber"
              ],
              "properties": {
                "environment": {
                  "type": "string"
                },
                "releaseNumber": {
                  "type": "integer"
                }
              }
            }
          },
          "pending": {
            "type": "array",
            "description": "Environments with a deployment that will pick the version up on its next release.",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "ConfigDiffEntry": {
        "type": "object",
        "required": [
          "scope",
          "name",
          "change",
          "secret"
        ],
        "properties": {
          "scope": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "change": {
            "type": "string",
            "enum": [
              "added",
              "removed",
              "changed"
            ]
          },
          "secret": {
            "type": "boolean"
          },
          "before": {
            "type": "string",
            "description": "The old value; plain variables only."
          },
          "after": {
            "type": "string",
            "description": "The new value; plain variables only."
          }
        }
      },
      "ConfigDiff": {
        "type": "object",
        "required": [
          "from",
          "to",
          "entries"
        ],
        "properties": {
          "from": {
            "type": "integer"
          },
          "to": {
            "type": "integer"
          },
          "entries": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ConfigDiffEntry"
            }
          }
        }
      },
      "ConfigImportRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "scope",
          "format",
          "content"
        ],
        "properties": {
          "scope": {
            "$ref": "#/components/schemas/ConfigScope"
          },
          "format": {
            "$ref": "#/components/schemas/ConfigFormat"
          },
          "content": {
            "type": "string",
            "description": "The text to import, at most `coderunner.config.importMaxBytes` bytes in UTF-8 (256 KiB by default); a larger one is a 400 naming the limit."
          },
          "secret": {
            "type": "boolean",
            "description": "Mark every imported variable as secret."
          },
          "mode": {
            "type": "string",
            "enum": [
              "merge",
              "replace"
            ],
            "description": "`merge` (when omitted) sets the variables the content names; `replace` also deletes the scope's variables that it does not name."
          }
        }
      },
      "ConfigPreview": {
        "type": "object",
        "required": [
          "changes",
          "entries",
          "unchanged",
          "problems"
        ],
        "properties": {
          "changes": {
            "type": "array",
            "description": "The change set to send to POST .../config/changes.",
            "items": {
              "$ref": "#/components/schemas/ConfigChange"
            }
          },
          "entries": {
            "type": "array",
            "description": "The same changes as a diff, without secret values.",
            "items": {
              "$ref": "#/components/schemas/ConfigDiffEntry"
            }
          },
          "unchanged": {
            "type": "array",
            "description": "Names whose value is already the same.",
            "items": {
              "type": "string"
            }
          },
          "problems": {
            "type": "array",
            "description": "Lines that could not be used, by their 1-based number.",
            "items": {
              "type": "object",
              "required": [
                "line",
                "message"
              ],
              "properties": {
                "line": {
                  "type": "integer"
                },
                "message": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "ConfigTemplate": {
        "type": "object",
        "required": [
          "id",
          "title",
          "description",
          "variables"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "variables": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "name",
                "description",
                "secret",
                "required"
              ],
              "properties": {
                "name": {
                  "type": "string"
                },
                "description": {
                  "type": "string"
                },
                "value": {
                  "type": "string",
                  "description": "A default value; required variables without one must be filled in."
                },
                "secret": {
                  "type": "boolean"
                },
                "required": {
                  "type": "boolean"
                }
              }
            }
          }
        }
      },
      "ConfigExport": {
        "type": "object",
        "required": [
          "format",
          "content",
          "omittedSecrets"
        ],
        "properties": {
          "format": {
            "$ref": "#/components/schemas/ConfigFormat"
          },
          "content": {
            "type": "string"
          },
          "omittedSecrets": {
            "type": "array",
            "description": "The names of the secrets left out of `content`.",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "ConfigAuditEntry": {
        "type": "object",
        "required": [
          "id",
          "action",
          "actor",
          "at",
          "scopes",
          "names"
        ],
        "properties": {
          "id": {
            "type": "integer"
          },
          "action": {
            "type": "string",
            "enum": [
              "change",
              "rollback",
              "reveal",
              "export",
              "apply"
            ]
          },
          "actor": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "version": {
            "type": "integer"
          },
          "scopes": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "names": {
            "type": "array",
            "description": "The variables concerned, never their values.",
            "items": {
              "type": "string"
            }
          }
        }
      },
      "ConfigEncryptionStatus": {
        "type": "object",
        "required": [
          "activeKeyId",
          "developmentKey",
          "keys",
          "totalValues",
          "valuesOnActiveKey",
          "rotation"
        ],
        "properties": {
          "activeKeyId": {
            "type": "string"
          },
          "developmentKey": {
            "type": "boolean",
            "description": "True when no keys are configured and a generated development key is in use."
          },
          "keys": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "id",
                "active",
                "values"
              ],
              "properties": {
                "id": {
                  "type": "string"
                },
                "active": {
                  "type": "boolean"
                },
                "values": {
                  "type": "integer",
                  "description": "How many stored values this key wraps."
                }
              }
            }
          },
          "totalValues": {
            "type": "integer"
          },
          "valuesOnActiveKey": {
            "type": "integer"
          },
          "rotation": {
            "type": "object",
            "required": [
              "running"
            ],
            "properties": {
              "running": {
                "type": "boolean"
              },
              "lastRunAt": {
                "type": "string",
                "format": "date-time"
              },
              "lastError": {
                "type": "string"
              }
            }
          }
        }
      },
      "ScalingTargets": {
        "type": "object",
        "additionalProperties": false,
        "description": "Targets per metric; units are in the names.",
        "properties": {
          "cpuPercent": {
            "type": "number",
            "description": "Average CPU of ready instances, percent (1–100)."
          },
          "memoryPercent": {
            "type": "number",
            "description": "Average memory of ready instances, percent (1–100)."
          },
          "p95LatencyMs": {
            "type": "number",
            "description": "p95 latency at the gateway, milliseconds."
          },
          "errorRate": {
            "type": "number",
            "description": "Share of failed requests, a fraction (0.01 is 1%)."
          },
          "requestsPerSecondPerInstance": {
            "type": "number",
            "description": "Requests per second per instance."
          }
        }
      },
      "ScalingPolicyUpdateRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "template": {
            "type": "string",
            "description": "A template name as the manifest writes it (web-app, api, worker, ml-inference, development, cost-saver)."
          },
          "minInstances": {
            "type": "integer"
          },
          "maxInstances": {
            "type": "integer"
          },
          "targets": {
            "$ref": "#/components/schemas/ScalingTargets"
          }
        }
      },
      "ScaleRequest": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "instances",
          "reason"
        ],
        "properties": {
          "instances": {
            "type": "integer",
            "description": "The count to hold (0–100)."
          },
          "reason": {
            "type": "string",
            "maxLength": 500,
            "description": "Why (one line); shown in the decision history and the audit."
          },
          "expiresAt": {
            "type": "string",
            "format": "date-time",
            "description": "When control returns to the policy; without it the hold lasts until released."
          }
        }
      },
      "ScalingPolicyOverride": {
        "type": "object",
        "required": [
          "version",
          "by",
          "at",
          "values"
        ],
        "properties": {
          "version": {
            "type": "integer"
          },
          "by": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "values": {
            "type": "object",
            "properties": {
              "template": {
                "type": "string",
                "description": "A template name as the manifest writes it (`web-app`, `api`, …)."
              },
              "minInstances": {
                "type": "integer"
              },
              "maxInstances": {
                "type": "integer"
              },
              "targets": {
                "$ref": "#/components/schemas/ScalingTargets"
              }
            },
            "description": "Values a saved override sets, each replacing the manifest's (or the template's); empty when this version cleared the override (back to the manifest)."
          }
        }
      },
      "EffectiveScalingPolicy": {
        "type": "object",
        "required": [
          "minInstances",
          "maxInstances",
          "targets",
          "windows",
          "sources"
        ],
        "properties": {
          "template": {
            "type": "string",
            "description": "Template name as the manifest writes it; absent when neither manifest nor override names one."
          },
          "minInstances": {
            "type": "integer"
          },
          "maxInstances": {
            "type": "integer"
          },
          "targets": {
            "$ref": "#/components/schemas/ScalingTargets"
          },
          "windows": {
            "type": "object",
            "required": [
              "scaleUpStabilizationSeconds",
              "scaleDownStabilizationSeconds",
              "scaleUpCooldownSeconds",
              "scaleDownCooldownSeconds",
              "metricsMaxAgeSeconds"
            ],
            "properties": {
              "scaleUpStabilizationSeconds": {
                "type": "number",
                "description": "Seconds of evidence looked back over before scaling up (0: the newest sample decides)."
              },
              "scaleDownStabilizationSeconds": {
                "type": "number",
                "description": "Seconds of quiet needed before capacity is removed."
              },
              "scaleUpCooldownSeconds": {
                "type": "number",
                "description": "Quiet time after a scale-up before the next scale-up."
              },
              "scaleDownCooldownSeconds": {
                "type": "number",
                "description": "Quiet time after any change before the next scale-down."
              },
              "metricsMaxAgeSeconds": {
                "type": "number",
                "description": "Samples older than this count as missing: the count is never lowered on them."
              },
              "scaleToZeroIdleSeconds": {
                "type": "number",
                "description": "Idle seconds after which the deployment scales to zero; absent when the policy never does."
              }
            },
            "description": "The time windows of the policy, in seconds."
          },
          "budgetMaxInstances": {
            "type": "integer",
            "description": "The most instances the remaining budget allows, when a budget applies."
          },
          "sources": {
            "type": "object",
            "required": [
              "manifest"
            ],
            "properties": {
              "manifest": {
                "type": "object",
                "required": [
                  "minInstances",
                  "maxInstances"
                ],
                "properties": {
                  "template": {
                    "type": "string"
                  },
                  "minInstances": {
                    "type": "integer"
                  },
                  "maxInstances": {
                    "type": "integer"
                  }
                }
              },
              "override": {
                "$ref": "#/components/schemas/ScalingPolicyOverride"
              }
            }
          }
        }
      },
      "ScalingPauseRequest": {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "reason": {
            "type": "string",
            "maxLength": 500,
            "description": "Why, shown in the decision history and the audit."
          }
        }
      },
      "ScalingPolicyVersionList": {
        "type": "object",
        "description": "The saved policy override versions, newest first.",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ScalingPolicyOverride"
            }
          }
        }
      },
      "ScalingDecisionList": {
        "type": "object",
        "description": "Stored scaling decisions, newest first.",
        "required": [
          "items"
        ],
        "properties": {
          "items": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ScalingDecisionRecord"
            }
          }
        }
      },
      "ScalingDecisionRecord": {
        "type": "object",
        "required": [
          "id",
          "at",
          "from",
          "to",
          "direction",
          "cause",
          "explanation",
          "inputs"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "from": {
            "type": "integer"
          },
          "to": {
            "type": "integer"
          },
          "direction": {
            "type": "string",
            "enum": [
              "up",
              "down",
              "none"
            ]
          },
          "cause": {
            "type": "string",
            "enum": [
              "autoscaler",
              "manual",
              "hold-expired",
              "paused",
              "resumed",
              "policy",
              "wake"
            ],
            "description": "Why the decision was recorded."
          },
          "explanation": {
            "type": "string",
            "description": "A sentence a person can read, e.g. \"2 → 4: p95 latency 480 ms over the 200 ms target\"."
          },
          "inputs": {
            "type": "object",
            "required": [
              "metrics",
              "targets"
            ],
            "properties": {
              "metrics": {
                "type": "object",
                "additionalProperties": {
                  "type": "number",
                  "nullable": true
                },
                "description": "The newest value of each metric the decision read; null when missing."
              },
              "targets": {
                "type": "object",
                "additionalProperties": {
                  "type": "number"
                }
              },
              "stale": {
                "type": "boolean",
                "description": "True when the newest sample was older than the policy's `metricsMaxAgeSeconds`, or absent."
              }
            }
          },
          "by": {
            "type": "string",
            "description": "The user, for decisions a person made."
          }
        }
      },
      "ScalingStatus": {
        "type": "object",
        "required": [
          "environment",
          "autoscaling",
          "currentInstances",
          "readyInstances",
          "desiredInstances",
          "policy"
        ],
        "properties": {
          "environment": {
            "type": "string"
          },
          "autoscaling": {
            "type": "boolean",
            "description": "True when the active release's manifest names a scaling template (or an override does)."
          },
          "paused": {
            "type": "object",
            "required": [
              "by",
              "at"
            ],
            "properties": {
              "by": {
                "type": "string"
              },
              "at": {
                "type": "string",
                "format": "date-time"
              },
              "reason": {
                "type": "string"
              }
            }
          },
          "hold": {
            "type": "object",
            "required": [
              "instances",
              "reason",
              "by",
              "at"
            ],
            "properties": {
              "instances": {
                "type": "integer"
              },
              "reason": {
                "type": "string"
              },
              "expiresAt": {
                "type": "string",
                "format": "date-time"
              },
              "by": {
                "type": "string"
              },
              "at": {
                "type": "string",
                "format": "date-time"
              }
            }
          },
          "currentInstances": {
            "type": "integer",
            "description": "Instances not stopped."
          },
          "readyInstances": {
            "type": "integer"
          },
          "desiredInstances": {
            "type": "integer"
          },
          "policy": {
            "$ref": "#/components/schemas/EffectiveScalingPolicy"
          },
          "lastDecision": {
            "$ref": "#/components/schemas/ScalingDecisionRecord"
          }
        }
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
