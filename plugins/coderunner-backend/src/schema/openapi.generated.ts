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
    "description": "The CodeRunner backend's REST API: deploy catalog components to AgentSphere sandboxes, roll back, restart, stop and delete them, and read their releases and instances. Every entity route checks a CodeRunner resource permission on the catalog entity. Routes of the logs and config capabilities are documented in docs/logs.md and docs/config.md.",
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
        "description": "Whether the plugin is up, and which sandbox runtime it uses. No credentials needed.",
        "security": [],
        "responses": {
          "200": {
            "description": "Up.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "status"
                  ],
                  "properties": {
                    "status": {
                      "type": "string",
                      "enum": [
                        "ok"
                      ]
                    },
                    "runtime": {
                      "type": "string"
                    }
                  }
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
        "description": "Every deployment the caller may read (coderunner.deployment.read).",
        "responses": {
          "200": {
            "$ref": "#/components/responses/DeploymentList"
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
        "description": "Creates the next release from the entity's source and coderunner.yaml and rolls it out. 400 when the environment, the instance count or the manifest is wrong (the message says what to fix); 409 while another rollout of this deployment is in progress; 429 over the rate limit.",
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
        "description": "Rolls out an earlier release that built successfully.",
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
    }
  },
  "components": {
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
              "type": "object",
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
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": [
          "error"
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
            "type": "string"
          },
          "manifestPath": {
            "type": "string"
          },
          "manifestFound": {
            "type": "boolean"
          },
          "problem": {
            "type": "string"
          },
          "environments": {
            "type": "array",
            "items": {
              "type": "string"
            }
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
              "failed"
            ]
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
          "runCommand": {
            "type": "string"
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
            "type": "string"
          },
          "activeRelease": {
            "$ref": "#/components/schemas/Release"
          },
          "targetRelease": {
            "$ref": "#/components/schemas/Release"
          },
          "pendingConfigVersion": {
            "type": "integer"
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
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
