import { resourceSizes } from './resourceSizes';
import { DocumentSchema, SchemaRule } from './schema/schemaTypes';
import {
  CodeRunnerManifest,
  MANIFEST_API_VERSION,
  manifestKinds,
  resourceSizeNames,
  manifestScalingTemplates,
} from './types';

const MAX_INSTANCES = 100;

const sizeTable = resourceSizeNames
  .map(size => {
    const spec = resourceSizes[size];
    return `${size}: ${spec.cpuCount} vCPU, ${spec.memoryMiB} MiB, $${spec.pricePerInstanceHourUsd}/h`;
  })
  .join('; ');

const command = (what: string) => ({
  type: 'string' as const,
  description: `${what} Runs with \`sh -c\` in the source root.`,
});

/** `scaling.min` <= `scaling.max`; `instances` within them, defaulting to them. */
const scalingRule: SchemaRule<CodeRunnerManifest> = {
  description:
    'scaling.min must not exceed scaling.max, and instances must lie between them. Without scaling, min and max both equal instances; without instances, a deploy starts scaling.min instances (at least 1).',
  apply(manifest, { report, isWritten }) {
    if (!isWritten('scaling')) {
      manifest.scaling = { min: manifest.instances, max: manifest.instances };
      return;
    }
    const { min, max } = manifest.scaling;
    if (min > max) {
      const maxText = isWritten('scaling.max')
        ? `${max}`
        : `${max}, the default`;
      report(
        'scaling.min',
        `must not exceed scaling.max (${maxText}), got ${min}`,
      );
      return;
    }
    if (!isWritten('instances')) {
      manifest.instances = Math.min(Math.max(min, 1), max);
    } else if (manifest.instances < min || manifest.instances > max) {
      report(
        'instances',
        `must be from scaling.min (${min}) to scaling.max (${max}), got ${manifest.instances}`,
      );
    }
  },
};

/** A service's health check must be able to run at least once before it times out. */
const healthRule: SchemaRule<CodeRunnerManifest> = {
  description:
    'run.health.intervalSeconds must not exceed run.health.timeoutSeconds.',
  apply(manifest, { report }) {
    if (manifest.kind !== 'service') {
      return;
    }
    const { intervalSeconds, timeoutSeconds } = manifest.run.health;
    if (intervalSeconds > timeoutSeconds) {
      report(
        'run.health.intervalSeconds',
        `must not exceed run.health.timeoutSeconds (${timeoutSeconds}), got ${intervalSeconds}`,
      );
    }
  },
};

/**
 * The one description of `coderunner.yaml`. The validator behind
 * `parseManifest` and the published JSON Schema are both derived from it.
 */
export const manifestSchema: DocumentSchema<CodeRunnerManifest> = {
  title: 'CodeRunner manifest (coderunner.yaml)',
  $id: 'https://coderunner.io/schemas/coderunner.schema.json',
  root: {
    type: 'object',
    description: 'How CodeRunner builds, runs and scales a component.',
    required: ['apiVersion'],
    properties: {
      apiVersion: {
        type: 'string',
        description: 'Version of this file format.',
        const: MANIFEST_API_VERSION,
      },
      kind: {
        type: 'string',
        description:
          'service: a process listening on run.port; worker: a process without a port; static: the files in static.dir served by CodeRunner.',
        enum: manifestKinds,
        default: 'service',
      },
      runtime: {
        type: 'object',
        description: 'Where the build and the instances run.',
        default: {},
        properties: {
          template: {
            type: 'string',
            description: 'AgentSphere sandbox template.',
            pattern: {
              regex: '^[A-Za-z0-9][A-Za-z0-9._:/-]*$',
              allowed: 'a template name of letters, digits and . _ : / -',
            },
            maxLength: 128,
            default: 'base',
          },
        },
      },
      build: {
        type: 'object',
        description:
          'Commands run once per release, before any instance starts: install, then command.',
        default: {},
        properties: {
          install: command('Installs dependencies, e.g. `npm ci`.'),
          command: command('Builds the app, e.g. `npm run build`.'),
        },
      },
      run: {
        type: 'object',
        description: 'How an instance starts (service and worker).',
        required: ['command'],
        properties: {
          command: command(
            'Starts the app, e.g. `node server.js`; it must keep running.',
          ),
          port: {
            type: 'integer',
            description:
              'Port the service listens on; CodeRunner also passes it in the PORT environment variable.',
            minimum: 1,
            maximum: 65535,
            default: 3000,
          },
          health: {
            type: 'object',
            description:
              'Health check: an instance is ready once GET path answers with a status below 400, and replaced once it fails failureThreshold checks in a row.',
            default: {},
            properties: {
              path: {
                type: 'string',
                description: 'Path requested on the service port.',
                pattern: { regex: '^/', allowed: "a path starting with '/'" },
                maxLength: 2048,
                default: '/',
              },
              timeoutSeconds: {
                type: 'integer',
                description:
                  'How long a new instance may take to become ready.',
                minimum: 1,
                maximum: 3600,
                default: 60,
              },
              intervalSeconds: {
                type: 'integer',
                description:
                  'Pause between two checks, while an instance starts and while it runs.',
                minimum: 1,
                maximum: 300,
                default: 2,
              },
              failureThreshold: {
                type: 'integer',
                description:
                  'A ready instance whose check fails this many times in a row is replaced.',
                minimum: 1,
                maximum: 100,
                default: 3,
              },
            },
          },
          forwardCredentials: {
            type: 'boolean',
            description:
              "Pass the visitor's Cookie and Authorization headers on to the app. Off by default, so the portal's session never reaches an app; turn it on when the app signs its users in with its own cookies or tokens.",
            default: false,
          },
        },
      },
      static: {
        type: 'object',
        description: 'What a static site serves (kind: static).',
        required: ['dir'],
        properties: {
          dir: {
            type: 'string',
            description:
              'Directory relative to the source root, usually the build output, e.g. `dist`.',
            pattern: {
              regex:
                '^(?!/)(?![A-Za-z]:)(?!.*(?:^|[/\\\\])\\.\\.(?:[/\\\\]|$)).+$',
              allowed: "a relative path inside the source, without '..'",
            },
            maxLength: 1024,
          },
          spa: {
            type: 'boolean',
            description:
              'Answer paths that match no file with index.html (single-page apps).',
            default: false,
          },
        },
      },
      resources: {
        type: 'object',
        description: 'Size of each instance.',
        default: {},
        properties: {
          size: {
            type: 'string',
            description: `Instance size. ${sizeTable}.`,
            enum: resourceSizeNames,
            default: 'small',
          },
        },
      },
      env: {
        type: 'map',
        description:
          'Non-secret environment variables for the build and the instances. Secrets belong in the Config tab.',
        default: {},
        keys: {
          pattern: {
            regex: '^[A-Za-z_][A-Za-z0-9_]*$',
            allowed: 'letters, digits and _, not starting with a digit',
          },
          reserved: {
            names: ['PORT'],
            prefixes: ['CODERUNNER_'],
            why: 'CodeRunner sets PORT and CODERUNNER_* itself; choose another name',
          },
        },
        values: {
          type: 'scalar',
          description:
            'The value, as written (numbers and booleans keep their spelling).',
        },
      },
      instances: {
        type: 'integer',
        description:
          'Instances a deploy starts. Defaults to 1, or to scaling.min when that is higher.',
        minimum: 1,
        maximum: MAX_INSTANCES,
        default: 1,
      },
      scaling: {
        type: 'object',
        description: 'Bounds and policy for the instance count.',
        properties: {
          template: {
            type: 'string',
            description:
              'Autoscaling policy to apply; without one the count only changes by hand.',
            enum: manifestScalingTemplates,
          },
          min: {
            type: 'integer',
            description: 'Fewest instances (0 allows scaling to zero).',
            minimum: 0,
            maximum: MAX_INSTANCES,
            default: 1,
          },
          max: {
            type: 'integer',
            description: 'Most instances.',
            minimum: 1,
            maximum: MAX_INSTANCES,
            default: 10,
          },
        },
      },
    },
  },
  variants: {
    property: 'kind',
    cases: {
      service: {
        required: ['run'],
        forbidden: { static: 'only a static site has static' },
      },
      worker: {
        required: ['run'],
        forbidden: {
          static: 'only a static site has static',
          'run.port': 'a worker does not listen on a port; use kind: service',
          'run.health': 'a worker has no HTTP health check; use kind: service',
          'run.forwardCredentials':
            'a worker gets no requests from the gateway; use kind: service',
        },
      },
      static: {
        required: ['static'],
        forbidden: {
          run: "CodeRunner's built-in server serves static.dir; use kind: service to run your own",
        },
      },
    },
  },
  rules: [scalingRule, healthRule],
};
