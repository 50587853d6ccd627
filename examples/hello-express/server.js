// A CodeRunner example with real dependencies: the build installs Express from the registry
// (`npm ci` with the committed lock file), so it runs only where sandboxes reach the internet.
const express = require('express');

const app = express();
const port = Number(process.env.PORT || 3000);

app.get('/healthz', (req, res) => {
  res.json({ status: 'ok' });
});

app.get('/', (req, res) => {
  res.json({
    message: process.env.GREETING ?? 'Hello from Express',
    express: require('express/package.json').version,
  });
});

const server = app.listen(port, '0.0.0.0', () => {
  console.log(`hello-express listening on ${port}`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
