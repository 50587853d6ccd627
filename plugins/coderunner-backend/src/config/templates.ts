import { ConfigTemplate } from '@coderunner/plugin-coderunner-common';

/**
 * Variables that apps of common kinds need. Applying a template previews what it would add;
 * required variables without a default must be filled in before saving.
 *
 * @internal
 */
export const CONFIG_TEMPLATES: ConfigTemplate[] = [
  {
    id: 'nodejs',
    title: 'Node.js service',
    description:
      'Runtime mode, log level and memory limit for a Node.js server.',
    variables: [
      {
        name: 'NODE_ENV',
        value: 'production',
        secret: false,
        required: true,
        description:
          'Turns on the production behaviour of Express and most libraries',
      },
      {
        name: 'LOG_LEVEL',
        value: 'info',
        secret: false,
        required: false,
        description: 'How much the app logs: debug, info, warn or error',
      },
      {
        name: 'NODE_OPTIONS',
        value: '--max-old-space-size=384',
        secret: false,
        required: false,
        description:
          'Flags for node, e.g. a heap limit below the sandbox memory',
      },
    ],
  },
  {
    id: 'react-static',
    title: 'React / static site',
    description:
      'Build-time settings of a single-page app; values end up in the public bundle, so never put secrets here.',
    variables: [
      {
        name: 'NODE_ENV',
        value: 'production',
        secret: false,
        required: true,
        description: 'Builds the optimised bundle',
      },
      {
        name: 'PUBLIC_URL',
        value: '/',
        secret: false,
        required: false,
        description: 'The path the app is served under',
      },
      {
        name: 'VITE_API_BASE_URL',
        secret: false,
        required: true,
        description:
          'Where the app calls its API (Vite exposes VITE_* to the browser)',
      },
      {
        name: 'REACT_APP_API_BASE_URL',
        secret: false,
        required: false,
        description: 'The same for Create React App builds',
      },
    ],
  },
  {
    id: 'python',
    title: 'Python service',
    description:
      'Unbuffered output so logs arrive at once, and the usual web framework settings.',
    variables: [
      {
        name: 'PYTHONUNBUFFERED',
        value: '1',
        secret: false,
        required: true,
        description: 'Writes print output immediately, so it shows in the logs',
      },
      {
        name: 'PYTHONDONTWRITEBYTECODE',
        value: '1',
        secret: false,
        required: false,
        description: 'No .pyc files in the sandbox',
      },
      {
        name: 'LOG_LEVEL',
        value: 'INFO',
        secret: false,
        required: false,
        description: 'The logging level',
      },
      {
        name: 'SECRET_KEY',
        secret: true,
        required: false,
        description: 'Django/Flask signing key; a long random string',
      },
    ],
  },
  {
    id: 'postgresql',
    title: 'PostgreSQL connection',
    description:
      'A connection string plus the libpq variables most drivers read.',
    variables: [
      {
        name: 'DATABASE_URL',
        secret: true,
        required: true,
        description:
          'postgresql://user:password@host:5432/database?sslmode=require',
      },
      {
        name: 'PGHOST',
        secret: false,
        required: false,
        description: 'Database host',
      },
      {
        name: 'PGPORT',
        value: '5432',
        secret: false,
        required: false,
        description: 'Database port',
      },
      {
        name: 'PGDATABASE',
        secret: false,
        required: false,
        description: 'Database name',
      },
      {
        name: 'PGUSER',
        secret: false,
        required: false,
        description: 'Database user',
      },
      {
        name: 'PGPASSWORD',
        secret: true,
        required: false,
        description: 'Password of PGUSER',
      },
      {
        name: 'PGSSLMODE',
        value: 'require',
        secret: false,
        required: false,
        description: 'disable, require, verify-full…',
      },
    ],
  },
  {
    id: 'redis',
    title: 'Redis connection',
    description:
      'A Redis URL with credentials, and a key prefix so environments sharing a server stay apart.',
    variables: [
      {
        name: 'REDIS_URL',
        secret: true,
        required: true,
        description: 'redis://:password@host:6379/0 (rediss:// for TLS)',
      },
      {
        name: 'REDIS_KEY_PREFIX',
        secret: false,
        required: false,
        description: 'Prefix of every key, e.g. the environment name',
      },
    ],
  },
];
