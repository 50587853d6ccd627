// A small HTTP service for CodeRunner's examples. Standard library only.
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const startedAt = new Date();
// The variables this service reports on. It says whether each is set, never its value.
const WATCHED = ['GREETING', 'DATABASE_URL', 'API_TOKEN', 'NODE_ENV'];

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') {
    return send(res, 200, { status: 'ok' });
  }
  if (url.pathname === '/env') {
    const set = Object.fromEntries(
      WATCHED.map(name => [name, process.env[name] !== undefined]),
    );
    return send(res, 200, { set });
  }
  if (url.pathname === '/') {
    console.log(
      `${req.method} ${url.pathname} from ${req.socket.remoteAddress}`,
    );
    return send(res, 200, {
      message: process.env.GREETING || 'Hello from CodeRunner',
      release: process.env.CODERUNNER_RELEASE || 'unknown',
      startedAt: startedAt.toISOString(),
    });
  }
  if (url.pathname === '/work') {
    // A request that costs CPU, as rendering a page does: `ms` milliseconds of busy work (0 to 50, 5 by default).
    // The autoscaling benchmark loads it.
    const asked = Number(url.searchParams.get('ms') ?? 5);
    const ms = Number.isFinite(asked) ? Math.min(50, Math.max(0, asked)) : 5;
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // busy: this is the work
    }
    return send(res, 200, { workedMs: ms });
  }
  return send(res, 404, { error: `No route for ${url.pathname}` });
});

server.listen(port, () => console.log(`hello-node listening on port ${port}`));
process.on('SIGTERM', () => {
  console.log('SIGTERM received, closing');
  server.close(() => process.exit(0));
});
