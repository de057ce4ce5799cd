// npm start: build the web app if it is missing or older than its sources, then run Aukio.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { compileServer, OUT_DIR } from './compile-server.mjs';

const entry = 'build/server/index.js';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest('src'), newest('public'), statSync('package-lock.json').mtimeMs);
if (!existsSync(entry) || statSync(entry).mtimeMs < sources) {
  console.log('Building the web app…');
  const r = spawnSync('npx', ['react-router', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The server runs as plain JavaScript (see compile-server.mjs); tsx only if that fails.
let args = ['--import', 'tsx', 'src/server/main.ts'];
try {
  const serverEntry = join(OUT_DIR, 'src/server/main.js');
  const serverSources = Math.max(newest('src'), newest('migrations'), statSync('package-lock.json').mtimeMs);
  if (!existsSync(serverEntry) || statSync(serverEntry).mtimeMs < serverSources) compileServer();
  args = [serverEntry];
} catch (e) {
  console.error(`Running through tsx: compiling the server failed (${e instanceof Error ? e.message : e})`);
}
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
