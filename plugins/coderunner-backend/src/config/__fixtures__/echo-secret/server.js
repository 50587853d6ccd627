// Prints its API_TOKEN, as careless apps do, so the tests can check that logs redact it.
const http = require('node:http');

console.log(`token is ${process.env.API_TOKEN}`);
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ set: process.env.API_TOKEN !== undefined }));
  })
  .listen(Number(process.env.PORT || 3000));
