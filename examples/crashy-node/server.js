// A CodeRunner example that fails on purpose: it exits at start because DATABASE_URL is not
// set, so its deployment shows a crash loop with this reason. Set DATABASE_URL in the Config
// tab to fix it.
const http = require('node:http');

if (!process.env.DATABASE_URL) {
  console.error(
    'FATAL: DATABASE_URL is not set; cannot connect to the database',
  );
  process.exit(1);
}
http
  .createServer((_req, res) => res.end('connected\n'))
  .listen(Number(process.env.PORT || 3000), () =>
    console.log('crashy-node is up'),
  );
