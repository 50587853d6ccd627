/**
 * The small server that serves `kind: static` manifests inside their sandbox: files from the
 * configured folder, `index.html` for folders, and with `spa` the root `index.html` for
 * unknown paths. Node's standard library only.
 */
export const STATIC_SERVER_SOURCE = `
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const root = path.resolve(process.env.CODERUNNER_STATIC_DIR || '.');
const spa = process.env.CODERUNNER_STATIC_SPA === 'true';
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm' };
function resolve(urlPath) {
  const file = path.join(root, path.normalize(decodeURIComponent(urlPath)));
  if (!file.startsWith(root)) return undefined;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return resolve(path.join(urlPath, 'index.html'));
    return file;
  } catch { return spa ? path.join(root, 'index.html') : undefined; }
}
http.createServer((req, res) => {
  const file = resolve(new URL(req.url, 'http://x').pathname);
  if (!file || !fs.existsSync(file)) { res.writeHead(404); return res.end('Not found'); }
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
}).listen(Number(process.env.PORT), () => console.log('serving ' + root + ' on port ' + process.env.PORT));
`;

/** The port static sites listen on inside their sandbox. */
export const STATIC_PORT = 3000;
