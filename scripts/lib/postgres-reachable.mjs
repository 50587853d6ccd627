// Exits 0 when the PostgreSQL server at the given URL accepts a connection within 3 seconds.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Client } = require('pg');

const client = new Client({
  connectionString: process.argv[2],
  database: 'postgres',
  connectionTimeoutMillis: 3000,
});
try {
  await client.connect();
  await client.query('select 1');
  await client.end();
  process.exit(0);
} catch {
  process.exit(1);
}
