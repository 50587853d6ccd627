import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import { Sandbox } from 'agentsphere-sandbox-base';
import { Emulator, startEmulator } from './startEmulator';
import { EmulatorRoute, routeDomainToEmulator } from './routeDomainToEmulator';

// Starts sandboxes: far over Jest's 5 s default when the CPU is busy.
jest.setTimeout(120_000);

/** One Connect-JSON request envelope. */
function connectEnvelope(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  const head = Buffer.alloc(5);
  head.writeUInt32BE(json.length, 1);
  return Buffer.concat([head, json]);
}

/** The messages of a Connect-JSON server stream, until its end envelope. */
async function* readConnectStream(res: Response): AsyncGenerator<any> {
  let buffered = Buffer.alloc(0);
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    buffered = Buffer.concat([buffered, chunk]);
    while (
      buffered.length >= 5 &&
      buffered.length >= 5 + buffered.readUInt32BE(1)
    ) {
      const flags = buffered.readUInt8(0);
      const length = buffered.readUInt32BE(1);
      const message = JSON.parse(buffered.subarray(5, 5 + length).toString());
      buffered = buffered.subarray(5 + length);
      if (flags & 2) {
        expect(message).toEqual({});
        return;
      }
      yield message;
    }
  }
}

/**
 * The AgentSphere contract, exercised through the unmodified SDK over real
 * HTTP on 127.0.0.1 against the emulator.
 */
describe('AgentSphere contract through the SDK', () => {
  let emulator: Emulator;
  let route: EmulatorRoute;
  let opts: { domain: string; apiKey: string };

  beforeAll(async () => {
    emulator = await startEmulator();
    route = routeDomainToEmulator(emulator.domain, emulator.url);
    opts = { domain: emulator.domain, apiKey: emulator.apiKey };
  });

  afterAll(async () => {
    route.remove();
    await emulator.stop();
  });

  async function waitForPort(sandbox: Sandbox, port: number, path = '/') {
    for (;;) {
      const res = await fetch(`https://${sandbox.getHost(port)}${path}`);
      if (res.status !== 502) {
        return res;
      }
      await res.arrayBuffer();
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  it('creates a sandbox with env vars and metadata', async () => {
    const sandbox = await Sandbox.create('base', {
      ...opts,
      envs: { GREETING: 'hello', SHARED: 'sandbox' },
      metadata: { suite: 'contract', case: 'create' },
    });
    const info = await sandbox.getInfo();
    expect(info.metadata).toEqual({ suite: 'contract', case: 'create' });
    expect(info.templateId).toBe('base');

    const result = await sandbox.commands.run('echo "$GREETING $SHARED"', {
      envs: { SHARED: 'command' },
    });
    expect(result.stdout).toBe('hello command\n');
    await sandbox.kill();
  });

  it('uploads a small project tree and runs a command with its exit code and output', async () => {
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.write([
      { path: 'app/package.json', data: '{"name":"app"}' },
      { path: 'app/src/index.js', data: 'console.log("from index")' },
      { path: '/home/user/app/README.md', data: '# app' },
    ]);
    expect(await sandbox.files.read('app/src/index.js')).toBe(
      'console.log("from index")',
    );

    const ok = await sandbox.commands.run(
      'cd app && find . -type f | sort && node src/index.js && echo oops >&2',
    );
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toBe(
      './README.md\n./package.json\n./src/index.js\nfrom index\n',
    );
    expect(ok.stderr).toBe('oops\n');

    await expect(
      sandbox.commands.run('echo partial; exit 7'),
    ).rejects.toMatchObject({ exitCode: 7, stdout: 'partial\n' });
    await sandbox.kill();
  });

  it('reaches an HTTP server started in the background through its port URL, including WebSockets', async () => {
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.write(
      'server.js',
      `require('node:http').createServer((req, res) => res.end('port ' + process.env.PORT + ' ' + req.url))
        .on('upgrade', (req, socket) => {
          socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\n\\r\\n');
          socket.on('data', d => socket.write('echo:' + d));
        })
        .listen(Number(process.env.PORT));`,
    );
    const server = await sandbox.commands.run('node server.js', {
      background: true,
      timeoutMs: 0,
      envs: { PORT: '3000' },
    });
    const res = await waitForPort(sandbox, 3000, '/hello?x=1');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('port 3000 /hello?x=1');

    const upgraded = await new Promise<string>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: emulator.port,
        path: '/ws',
        headers: {
          host: sandbox.getHost(3000),
          connection: 'Upgrade',
          upgrade: 'websocket',
        },
      });
      req.on('upgrade', (_res, socket) => {
        socket.once('data', data => {
          resolve(data.toString());
          socket.destroy();
        });
        socket.write('ping');
      });
      req.on('error', reject);
      req.end();
    });
    expect(upgraded).toBe('echo:ping');

    expect(await server.kill()).toBe(true);
    await sandbox.kill();
  });

  it('streams 10,000 lines of stdout with none lost or reordered', async () => {
    const sandbox = await Sandbox.create('base', opts);
    const chunks: string[] = [];
    const result = await sandbox.commands.run(
      'for i in $(seq 1 10000); do echo "line $i"; done',
      {
        onStdout: data => {
          chunks.push(data);
        },
      },
    );
    const expected = Array.from({ length: 10000 }, (_, i) => `line ${i + 1}`);
    expect(chunks.join('').split('\n').slice(0, -1)).toEqual(expected);
    expect(result.stdout.split('\n').slice(0, -1)).toEqual(expected);
    await sandbox.kill();
  });

  it('kills a process, re-attaches to a running one and answers unknown pids', async () => {
    const sandbox = await Sandbox.create('base', opts);
    const sleeper = await sandbox.commands.run(
      'echo started; while true; do sleep 0.1; echo tick; done',
      { background: true, timeoutMs: 0 },
    );
    expect((await sandbox.commands.list()).map(p => p.pid)).toContain(
      sleeper.pid,
    );

    const reattached = await sandbox.commands.connect(sleeper.pid, {
      timeoutMs: 0,
    });
    expect(reattached.pid).toBe(sleeper.pid);

    expect(await sandbox.commands.kill(sleeper.pid)).toBe(true);
    await expect(sleeper.wait()).rejects.toMatchObject({
      exitCode: -1,
      error: 'signal: killed',
    });
    await expect(reattached.wait()).rejects.toMatchObject({ exitCode: -1 });
    expect((await sandbox.commands.list()).map(p => p.pid)).not.toContain(
      sleeper.pid,
    );

    expect(await sandbox.commands.kill(sleeper.pid)).toBe(false);
    await expect(sandbox.commands.connect(sleeper.pid)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await sandbox.kill();
  });

  it('lists sandboxes by metadata and answers unknown sandboxes', async () => {
    const tag = `run-${Date.now()}`;
    const first = await Sandbox.create('base', {
      ...opts,
      metadata: { tag, role: 'web' },
    });
    const second = await Sandbox.create('base', {
      ...opts,
      metadata: { tag, role: 'worker & more' },
    });

    const web = await Sandbox.list({
      ...opts,
      query: { metadata: { tag, role: 'web' } },
    });
    expect(web.map(s => s.sandboxId)).toEqual([first.sandboxId]);
    const worker = await Sandbox.list({
      ...opts,
      query: { metadata: { role: 'worker & more' } },
    });
    expect(worker.map(s => s.sandboxId)).toEqual([second.sandboxId]);
    const both = await Sandbox.list({ ...opts, query: { metadata: { tag } } });
    expect(both.map(s => s.sandboxId).sort()).toEqual(
      [first.sandboxId, second.sandboxId].sort(),
    );

    expect(await first.kill()).toBeUndefined();
    expect(await Sandbox.kill(first.sandboxId, opts)).toBe(false);
    // In the service's words.
    await expect(Sandbox.getInfo(first.sandboxId, opts)).rejects.toThrow(
      `404: Sandbox "${first.sandboxId}" doesn't exist or you don't have access to it`,
    );
    await second.kill();
  });

  it('kills a sandbox and everything it started when its lifetime expires', async () => {
    const sandbox = await Sandbox.create('base', { ...opts, timeoutMs: 2000 });
    await sandbox.commands.run('sleep 600', { background: true, timeoutMs: 0 });
    const died = sandbox.commands.run('while true; do sleep 0.2; done', {
      background: true,
      timeoutMs: 0,
    });
    const handle = await died;

    // The stream ends when the sandbox dies with its processes.
    await expect(handle.wait()).rejects.toBeDefined();
    await expect(sandbox.getInfo()).rejects.toThrow(/^404: /);
    expect(await sandbox.isRunning()).toBe(false);
    expect(emulator.sandboxIds()).not.toContain(sandbox.sandboxId);
  });

  it('extends a lifetime so the sandbox outlives its first end time', async () => {
    const sandbox = await Sandbox.create('base', { ...opts, timeoutMs: 2000 });
    await sandbox.setTimeout(60_000);
    const info = await sandbox.getInfo();
    expect(info.endAt.getTime() - Date.now()).toBeGreaterThan(30_000);
    await sandbox.kill();
  });

  it('keeps its connections to a sandbox port open between requests, as a reverse proxy does', async () => {
    // One connection per request would leave the sandbox's ephemeral ports in TIME_WAIT
    // faster than they free up under steady traffic, and connects would start to fail.
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.write(
      'server.js',
      `let connections = 0;
      require('node:http')
        .createServer((req, res) => res.end(String(connections)))
        .on('connection', () => connections++)
        .listen(3000);`,
    );
    await sandbox.commands.run('node server.js', {
      background: true,
      timeoutMs: 0,
    });
    await (await waitForPort(sandbox, 3000)).text();
    const counts: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`https://${sandbox.getHost(3000)}/`);
      expect(res.status).toBe(200);
      counts.push(await res.text());
    }
    // 50 requests one after another: the app saw the first connection, and no new one since.
    expect(new Set(counts.slice(1))).toEqual(new Set([counts[0]]));
    await sandbox.kill();
  });

  it('runs two sandboxes that both listen on port 3000', async () => {
    if (emulator.isolation !== 'bubblewrap') {
      throw new Error(
        'this machine has no working bubblewrap; sandboxes cannot have their own network',
      );
    }
    const sandboxes = await Promise.all([
      Sandbox.create('base', { ...opts, envs: { NAME: 'first' } }),
      Sandbox.create('base', { ...opts, envs: { NAME: 'second' } }),
    ]);
    for (const sandbox of sandboxes) {
      await sandbox.commands.run(
        `node -e "require('node:http').createServer((q, s) => s.end(process.env.NAME + ' ' + process.pid)).listen(3000)"`,
        { background: true, timeoutMs: 0 },
      );
    }
    const answers = [];
    for (const sandbox of sandboxes) {
      answers.push(await (await waitForPort(sandbox, 3000)).text());
    }
    expect(answers[0]).toMatch(/^first \d+$/);
    expect(answers[1]).toMatch(/^second \d+$/);
    await Promise.all(sandboxes.map(sandbox => sandbox.kill()));
  });

  it('rejects control-plane calls without the right API key, as the service does', async () => {
    const sandbox = await Sandbox.create('base', opts);
    for (const apiKey of ['wrong-key', '']) {
      const wrong = { domain: emulator.domain, apiKey };
      await expect(Sandbox.list(wrong)).rejects.toThrow(/^401: /);
      await expect(Sandbox.getInfo(sandbox.sandboxId, wrong)).rejects.toThrow(
        /^401: /,
      );
      await expect(Sandbox.kill(sandbox.sandboxId, wrong)).rejects.toThrow(
        /^401: /,
      );
      await expect(Sandbox.create('base', wrong)).rejects.toThrow(/^401: /);
    }
    // The SDK sends no X-API-KEY at all when it has none; the body names what is missing.
    const res = await fetch(`https://api.${emulator.domain}/sandboxes`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      code: 401,
      message: 'Missing API key: send it in the X-API-KEY header',
    });
    expect(await sandbox.isRunning()).toBe(true);
    await sandbox.kill();
  });

  it('generates an API key per start when none is given', async () => {
    const other = await startEmulator();
    try {
      expect(other.apiKey).toMatch(/^[\w-]{32}$/);
      expect(other.apiKey).not.toBe(emulator.apiKey);
    } finally {
      await other.stop();
    }
  });

  it('answers envd of a secure sandbox only with its access token', async () => {
    const sandbox = await Sandbox.create('base', { ...opts, secure: true });
    const info = await Sandbox.getInfo(sandbox.sandboxId, opts);
    expect(info.envdAccessToken).toMatch(/^\w{32}$/);
    // The SDK sends the token it got at create time (and connect looks it up).
    expect((await sandbox.commands.run('echo ok')).stdout).toBe('ok\n');
    const reconnected = await Sandbox.connect(sandbox.sandboxId, opts);
    await reconnected.files.write('note.txt', 'kept');
    expect(await reconnected.files.read('note.txt')).toBe('kept');

    const envd = `https://${sandbox.getHost(49983)}`;
    const list = (token?: string) =>
      fetch(`${envd}/process.Process/List`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token !== undefined && { 'x-access-token': token }),
        },
        body: '{}',
      });
    for (const token of [
      undefined,
      '',
      'wrong-token',
      `${info.envdAccessToken}x`,
    ]) {
      const res = await list(token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 401 });
    }
    const files = await fetch(`${envd}/files?path=note.txt`);
    expect(files.status).toBe(401);
    await files.arrayBuffer();

    // Another secure sandbox's token opens nothing here.
    const neighbour = await Sandbox.create('base', { ...opts, secure: true });
    const neighbourInfo = await Sandbox.getInfo(neighbour.sandboxId, opts);
    expect((await list(neighbourInfo.envdAccessToken)).status).toBe(401);

    const right = await list(info.envdAccessToken);
    expect(right.status).toBe(200);
    await right.json();
    await Promise.all([sandbox.kill(), neighbour.kill()]);
  });

  it("hands files written through envd to the sandbox's user", async () => {
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.write('deep/dir/notes.txt', 'first\n');
    const result = await sandbox.commands.run(
      'echo second >> deep/dir/notes.txt && touch deep/dir/new && cat deep/dir/notes.txt && id -u && stat -c %u deep deep/dir deep/dir/notes.txt',
    );
    const uid = result.stdout.split('\n')[2];
    expect(result.stdout).toBe(
      `first\nsecond\n${uid}\n${uid}\n${uid}\n${uid}\n`,
    );
    await sandbox.kill();
  });

  it('keeps each sandbox in its own home directory', async () => {
    const [a, b] = await Promise.all([
      Sandbox.create('base', opts),
      Sandbox.create('base', opts),
    ]);
    await a.files.write('only-in-a.txt', 'a');
    expect((await a.commands.run('ls')).stdout).toContain('only-in-a.txt');
    expect((await b.commands.run('ls')).stdout).not.toContain('only-in-a.txt');
    await Promise.all([a.kill(), b.kill()]);
  });

  it('removes a path that does not exist without an error, as envd does', async () => {
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.write('gone/file.txt', 'x');
    await sandbox.files.remove('gone');
    expect(await sandbox.files.exists('gone/file.txt')).toBe(false);
    await expect(sandbox.files.remove('gone')).resolves.toBeUndefined();
    await expect(
      sandbox.files.remove('/home/user/never/was'),
    ).resolves.toBeUndefined();
    await sandbox.kill();
  });

  it('serves file URLs signed as the SDK signs them, and refuses wrong, expired or unsigned ones', async () => {
    const sandbox = await Sandbox.create('base', { ...opts, secure: true });
    await sandbox.files.write('report.txt', 'signed content');
    const get = async (url: string) => {
      const res = await fetch(url);
      return { status: res.status, body: await res.text() };
    };

    expect(
      await get(
        await sandbox.downloadUrl('report.txt', { useSignature: true }),
      ),
    ).toEqual({ status: 200, body: 'signed content' });
    expect(
      await get(
        await sandbox.downloadUrl('report.txt', {
          useSignature: true,
          useSignatureExpiration: 60,
        }),
      ),
    ).toEqual({ status: 200, body: 'signed content' });

    const refusal = (message: string) => ({
      status: 401,
      body: JSON.stringify({ code: 401, message }),
    });
    const valid = new URL(
      await sandbox.downloadUrl('report.txt', { useSignature: true }),
    );
    // Another path, another user or a changed signature: the signature no longer fits.
    for (const [key, value] of [
      ['path', 'other.txt'],
      ['username', 'root'],
      ['signature', `${valid.searchParams.get('signature')}x`],
    ]) {
      const tampered = new URL(valid);
      tampered.searchParams.set(key, value);
      expect(await get(tampered.toString())).toEqual(
        refusal('invalid signature'),
      );
    }
    expect(
      await get(
        await sandbox.downloadUrl('report.txt', {
          useSignature: true,
          useSignatureExpiration: -60,
        }),
      ),
    ).toEqual(refusal('signature is already expired'));
    expect(await get(await sandbox.downloadUrl('report.txt'))).toEqual(
      refusal('missing signature query parameter'),
    );

    // Upload through a signed URL; a read signature does not allow a write.
    const upload = (url: string) => {
      const form = new FormData();
      form.append('file', new Blob(['uploaded']), 'uploaded.txt');
      return fetch(url, { method: 'POST', body: form });
    };
    const readOnly = await upload(
      await sandbox.downloadUrl('uploaded.txt', { useSignature: true }),
    );
    expect(readOnly.status).toBe(401);
    await readOnly.arrayBuffer();
    const written = await upload(
      await sandbox.uploadUrl('uploaded.txt', { useSignature: true }),
    );
    expect(written.status).toBe(200);
    await written.arrayBuffer();
    expect(await sandbox.files.read('uploaded.txt')).toBe('uploaded');
    await sandbox.kill();
  });

  it("resolves paths against the home of the user the SDK names: root's is /root", async () => {
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.write('where.txt', 'as root', { user: 'root' });
    await sandbox.files.write('where.txt', 'as user');
    expect(await sandbox.files.read('/root/where.txt')).toBe('as root');
    expect(await sandbox.files.read('/home/user/where.txt')).toBe('as user');
    expect(await sandbox.files.read('where.txt', { user: 'root' })).toBe(
      'as root',
    );
    expect(
      (await sandbox.files.list('.', { user: 'root' })).map(e => e.path),
    ).toEqual(['/root/where.txt']);
    expect(
      (await sandbox.commands.run('pwd && echo $HOME $USER', { user: 'root' }))
        .stdout,
    ).toBe('/root\n/root root\n');
    expect(
      (await sandbox.commands.run('pwd && cat /root/where.txt')).stdout,
    ).toBe('/home/user\nas root');

    const unknown = await fetch(
      `https://${sandbox.getHost(49983)}/files?path=where.txt&username=nobody`,
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      code: 400,
      message:
        "user 'nobody' does not exist: the sandbox has the users user and root",
    });
    await sandbox.kill();
  });

  it('watches a directory, recursively on request, with the event types the protocol names', async () => {
    const sandbox = await Sandbox.create('base', opts);
    await sandbox.files.makeDir('watched/sub');
    await sandbox.files.write('watched/existing.txt', 'old');
    const events: { name: string; type: string }[] = [];
    const until = async (name: string, type: string) => {
      while (!events.some(e => e.name === name && e.type === type)) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
    };

    const flat = await sandbox.files.watchDir('watched', event => {
      events.push({ name: event.name, type: event.type });
    });
    await sandbox.commands.run(
      'cd watched && echo new > new.txt && chmod 600 existing.txt && echo more >> existing.txt && rm new.txt && echo deep > sub/deep.txt && touch done',
    );
    // Events come in order, so once `done` is in, everything before it is.
    await until('done', 'create');
    await flat.stop();
    expect(events).toEqual(
      expect.arrayContaining([
        { name: 'new.txt', type: 'create' },
        { name: 'new.txt', type: 'write' },
        { name: 'existing.txt', type: 'chmod' },
        { name: 'existing.txt', type: 'write' },
        { name: 'new.txt', type: 'remove' },
      ]),
    );
    expect(events.map(e => e.name)).not.toContain('sub/deep.txt');

    events.length = 0;
    const deep = await sandbox.files.watchDir(
      'watched',
      event => {
        events.push({ name: event.name, type: event.type });
      },
      { recursive: true },
    );
    await sandbox.commands.run(
      'echo deeper > watched/sub/deeper.txt && touch watched/done-again',
    );
    await until('done-again', 'create');
    await deep.stop();
    expect(events).toContainEqual({ name: 'sub/deeper.txt', type: 'create' });

    await expect(
      sandbox.files.watchDir('missing', () => undefined),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      sandbox.files.watchDir('watched/existing.txt', () => undefined),
    ).rejects.toMatchObject({ name: 'InvalidArgumentError' });
    await sandbox.kill();
  });

  /** What a terminal has shown so far, and a way to wait until it shows something. */
  function terminalScreen() {
    const decoder = new TextDecoder();
    const changed = new EventEmitter();
    const screen = {
      text: '',
      onData: (data: Uint8Array) => {
        screen.text += decoder.decode(data, { stream: true });
        changed.emit('data');
      },
      /** Resolves with the first match of `pattern` in what was shown after `from`. */
      until: (pattern: RegExp, from = 0) =>
        new Promise<RegExpExecArray>(resolve => {
          const check = () => {
            const match = pattern.exec(screen.text.slice(from));
            if (match) {
              changed.off('data', check);
              resolve(match);
            }
          };
          changed.on('data', check);
          check();
        }),
    };
    return screen;
  }

  it('runs a terminal: typed input is echoed and run, Ctrl+C interrupts, a resize reaches the process, kill ends it', async () => {
    const sandbox = await Sandbox.create('base', opts);
    const screen = terminalScreen();
    const terminal = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      timeoutMs: 0,
      onData: screen.onData,
    });
    expect(terminal.pid).toBeGreaterThan(0);
    const type = (text: string) =>
      sandbox.pty.sendInput(terminal.pid, new TextEncoder().encode(text));

    // The shell's output arrives as terminal data: the typed line, echoed by the terminal,
    // then what the command printed, with the terminal's CR LF line ends (and, between them,
    // whatever escape sequences the shell writes).
    let from = screen.text.length;
    await type('echo hello\n');
    await screen.until(/[\r\n]hello\r\n/, from);

    from = screen.text.length;
    await type('test -t 0 && test -t 1 && echo "tty: $(stty size)"\n');
    expect((await screen.until(/[\r\n]tty: (\d+ \d+)\r\n/, from))[1]).toBe(
      '24 80',
    );

    // A resize is seen by the process in the terminal (SIGWINCH) and by stty.
    from = screen.text.length;
    await type(
      `node -e 'setInterval(() => {}, 60000); process.stdout.on("resize", () => { console.log("resized to " + process.stdout.columns + "x" + process.stdout.rows); process.exit(0); }); console.log("waiting")'\n`,
    );
    await screen.until(/[\r\n]waiting\r\n/, from);
    await sandbox.pty.resize(terminal.pid, { cols: 100, rows: 30 });
    await screen.until(/resized to 100x30/, from);
    from = screen.text.length;
    await type('stty size\n');
    expect((await screen.until(/[\r\n](\d+ \d+)\r\n/, from))[1]).toBe('30 100');

    // Ctrl+C is typed as \x03: the terminal turns it into SIGINT for the foreground job.
    from = screen.text.length;
    await type(`sh -c 'echo sleeping; exec sleep 30'\n`);
    await screen.until(/[\r\n]sleeping\r\n/, from);
    await type('\x03');
    await type('echo "status $?"\n');
    await screen.until(/[\r\n]status 130\r\n/, from);

    expect(await sandbox.pty.kill(terminal.pid)).toBe(true);
    await expect(terminal.wait()).rejects.toMatchObject({
      exitCode: -1,
      error: 'signal: killed',
    });
    expect((await sandbox.commands.list()).map(p => p.pid)).not.toContain(
      terminal.pid,
    );
    expect(await sandbox.pty.kill(terminal.pid)).toBe(false);
    await sandbox.kill();
  }, 60_000);

  it('answers terminal calls for unknown pids and for processes without a terminal as envd does', async () => {
    const sandbox = await Sandbox.create('base', opts);
    const input = new TextEncoder().encode('ls\n');
    await expect(sandbox.pty.sendInput(424242, input)).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('process with pid 424242 not found'),
    });
    await expect(
      sandbox.pty.resize(424242, { cols: 80, rows: 24 }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('process with pid 424242 not found'),
    });
    expect(await sandbox.pty.kill(424242)).toBe(false);

    // A process started without a terminal has none to type into or resize.
    const piped = await sandbox.commands.run('sleep 60', {
      background: true,
      timeoutMs: 0,
    });
    await expect(sandbox.pty.sendInput(piped.pid, input)).rejects.toThrow(
      '[internal] error writing to tty: tty not assigned to process',
    );
    await expect(
      sandbox.pty.resize(piped.pid, { cols: 80, rows: 24 }),
    ).rejects.toThrow(
      '[internal] error resizing tty: tty not assigned to process',
    );

    // ... and a terminal has no stdin apart from it.
    const screen = terminalScreen();
    const terminal = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      timeoutMs: 0,
      onData: screen.onData,
    });
    await expect(
      sandbox.commands.sendStdin(terminal.pid, 'ls\n'),
    ).rejects.toThrow(
      '[internal] error writing to stdin: tty assigned to process',
    );

    // A size the terminal cannot have is refused, naming the field.
    await expect(
      sandbox.pty.resize(terminal.pid, { cols: 0, rows: 24 }),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      message: expect.stringContaining('pty.size.cols'),
    });
    await expect(
      sandbox.pty.create({ cols: 80, rows: 70000, onData: () => undefined }),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      message: expect.stringContaining('pty.size.rows'),
    });
    await expect(
      sandbox.pty.create({
        cols: 80,
        rows: 24,
        cwd: '/home/user/missing',
        onData: () => undefined,
      }),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      message: expect.stringContaining(
        "cwd '/home/user/missing' does not exist",
      ),
    });

    // What the SDK has no method for, straight on envd: closing a terminal's stdin, and a
    // terminal whose command cannot be executed.
    const envd = `https://${sandbox.getHost(49983)}`;
    const closeStdin = await fetch(`${envd}/process.Process/CloseStdin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ process: { pid: terminal.pid } }),
    });
    expect(closeStdin.status).toBe(500);
    expect(await closeStdin.json()).toEqual({
      code: 'unknown',
      message:
        'error closing stdin: cannot close stdin for PTY process — send Ctrl+D (0x04) instead',
    });
    const start = await fetch(`${envd}/process.Process/Start`, {
      method: 'POST',
      headers: { 'content-type': 'application/connect+json' },
      body: connectEnvelope({
        process: { cmd: '/bin/nope', args: ['-x'] },
        pty: { size: { cols: 80, rows: 24 } },
      }),
    });
    const body = Buffer.from(await start.arrayBuffer());
    expect(body.readUInt8(0)).toBe(2);
    expect(JSON.parse(body.subarray(5).toString())).toEqual({
      error: {
        code: 'invalid_argument',
        message:
          "error starting pty with command '/bin/nope -x' in dir '/home/user' with '80' cols and '24' rows: fork/exec /bin/nope: no such file or directory",
      },
    });

    await Promise.all([piped.kill(), terminal.kill()]);
    await sandbox.kill();
  }, 60_000);

  it('streams 20,000 lines through a terminal with none lost or reordered', async () => {
    const sandbox = await Sandbox.create('base', opts);
    const screen = terminalScreen();
    const terminal = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      timeoutMs: 0,
      onData: screen.onData,
    });
    await sandbox.pty.sendInput(
      terminal.pid,
      new TextEncoder().encode('seq 1 20000; echo "seq $((1 + 1))"\n'),
    );
    const done = await screen.until(/[\r\n]seq 2\r\n/);
    const numbers = screen.text
      .slice(0, done.index + 1)
      .split('\r\n')
      .map(line => line.replace(/^.*\r/, ''))
      .filter(line => /^\d+$/.test(line));
    expect(numbers).toEqual(
      Array.from({ length: 20000 }, (_, i) => String(i + 1)),
    );
    await terminal.kill();
    await sandbox.kill();
  }, 60_000);

  it("runs a terminal inside the sandbox's isolation: same user, namespaces and seccomp as its other processes, its own devpts", async () => {
    const [sandbox, neighbour] = await Promise.all([
      Sandbox.create('base', opts),
      Sandbox.create('base', opts),
    ]);
    const probe =
      'echo "probe: $(id -u) $(hostname) $(readlink /proc/self/ns/net /proc/self/ns/pid /proc/self/ns/mnt /proc/self/ns/user | tr "\\n" " ")$(grep -E "^(NoNewPrivs|Seccomp|CapEff|CapBnd):" /proc/self/status | tr -s "\\t\\n" "  ")"';
    const piped = (await sandbox.commands.run(probe)).stdout.trim();
    expect(piped).toMatch(/^probe: 1000 /);
    // Not the host's namespaces.
    expect(piped).not.toContain(fs.readlinkSync('/proc/self/ns/net'));

    const screen = terminalScreen();
    const terminal = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      timeoutMs: 0,
      onData: screen.onData,
    });
    const type = (text: string) =>
      sandbox.pty.sendInput(terminal.pid, new TextEncoder().encode(text));
    let from = screen.text.length;
    await type(`${probe}\n`);
    const inTerminal = await screen.until(/[\r\n](probe: [^\r\n]*)\r\n/, from);
    expect(inTerminal[1].trim()).toBe(piped);

    // The shell leads its own session on a terminal of the sandbox's own devpts: the
    // sandbox sees no other terminal, and its piped processes still have none at all.
    from = screen.text.length;
    await type(
      'echo "session: $(tty) $(ls /dev/pts | tr "\\n" " ")$(cut -d" " -f6 /proc/$$/stat) $$"\n',
    );
    const session = (
      await screen.until(/[\r\n]session: ([^\r\n]*)\r\n/, from)
    )[1];
    const [tty, pts0, ptmx, sid, shell] = session.split(' ');
    expect([tty, pts0, ptmx]).toEqual(['/dev/pts/0', '0', 'ptmx']);
    expect(sid).toBe(shell);
    await expect(
      sandbox.commands.run('ls /dev/pts; cat /dev/tty'),
    ).rejects.toMatchObject({
      stdout: '0\nptmx\n',
      stderr: expect.stringContaining('/dev/tty: No such device or address'),
    });
    // Another sandbox's devpts has none of this one's terminals.
    expect((await neighbour.commands.run('ls /dev/pts')).stdout).toBe('ptmx\n');
    // node-pty, which every sandbox's agent loads, cannot be changed from inside one: it is
    // bound read-only, and when the emulator runs as root it is not even the sandbox user's.
    await expect(
      sandbox.commands.run(
        'touch /run/agentsphere-lib/node-pty/build/Release/pty.node',
      ),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/Read-only file system|Permission denied/),
    });

    await terminal.kill();
    await Promise.all([sandbox.kill(), neighbour.kill()]);
  }, 60_000);

  it('re-attaches to a running terminal with Connect and ends with its exit code', async () => {
    const sandbox = await Sandbox.create('base', opts);
    const screen = terminalScreen();
    const terminal = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      timeoutMs: 0,
      onData: screen.onData,
    });
    const type = (text: string) =>
      sandbox.pty.sendInput(terminal.pid, new TextEncoder().encode(text));
    await type('echo first\n');
    await screen.until(/[\r\n]first\r\n/);

    // The SDK's commands.connect attaches (it passes terminal data to no callback) ...
    const reattached = await sandbox.commands.connect(terminal.pid, {
      timeoutMs: 0,
    });
    expect(reattached.pid).toBe(terminal.pid);

    // ... and Connect itself streams the terminal's data from then on.
    const connect = await fetch(
      `https://${sandbox.getHost(49983)}/process.Process/Connect`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/connect+json' },
        body: connectEnvelope({ process: { pid: terminal.pid } }),
      },
    );
    const events = readConnectStream(connect);
    expect((await events.next()).value).toEqual({
      event: { start: { pid: terminal.pid } },
    });
    await type('echo $((40 + 2))-again\n');
    let attachedText = '';
    while (!/[\r\n]42-again\r\n/.test(attachedText)) {
      const { value } = await events.next();
      expect(Object.keys(value.event)).toEqual(['data']);
      attachedText += Buffer.from(value.event.data.pty, 'base64').toString();
    }

    await type('exit 3\n');
    await expect(terminal.wait()).rejects.toMatchObject({
      exitCode: 3,
      error: 'exit status 3',
    });
    await expect(reattached.wait()).rejects.toMatchObject({ exitCode: 3 });
    let end;
    for await (const message of events) {
      if (message.event?.end) {
        end = message.event.end;
      }
    }
    expect(end).toEqual({
      exitCode: 3,
      exited: true,
      status: 'exit status 3',
      error: 'exit status 3',
    });
    await sandbox.kill();
  }, 60_000);
});
