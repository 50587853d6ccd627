// Healthy until asked not to be: GET /fail makes /healthz answer 503 from then on, so the
// tests can watch CodeRunner replace an instance that fails its health checks.
const http = require('node:http');

let failing = false;
http
  .createServer((req, res) => {
    if (req.url === '/fail') {
      failing = true;
    }
    const status = req.url === '/healthz' && failing ? 503 : 200;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ instance: process.env.CODERUNNER_INSTANCE_ID, failing }),
    );
  })
  .listen(Number(process.env.PORT || 3000));
