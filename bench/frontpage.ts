import { type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CONNECTIONS, freePort, get, HOST, SECONDS, spawnAukio, spawnHello, stop, waitFor, WARMUP_SECONDS } from './harness.ts';

/**
 * npm run bench: requests per second of the resident front page (anonymous, /fi) against
 * a bare node:http hello-world, same load tool and settings, one after the other on this
 * machine. Both servers run as child processes so neither shares a CPU with autocannon's
 * event loop, and the RSS measured is the Aukio server's alone. Prints one line:
 *   frontpage_vs_hello=<ratio> rss_mb=<Aukio's resident memory after the run>
 * Details go to stderr. Targets (issue 2): ratio ≥ 0.25, RSS ≤ 300 MB.
 */
async function load(url: string) {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, headers: { host: HOST } });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: { host: HOST } });
  if (r.non2xx || r.errors || r.timeouts) {
    throw new Error(`${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts — not a valid measurement`);
  }
  return r;
}

/** The server's own resident set size in MB, as it reports it on /metrics. */
async function serverRssMb(port: number): Promise<number> {
  const { body } = await get(port, '/metrics');
  const bytes = Number(/^aukio_process_resident_memory_bytes (\S+)$/m.exec(body)?.[1] ?? NaN);
  if (!Number.isFinite(bytes)) throw new Error('no aukio_process_resident_memory_bytes on /metrics');
  return bytes / 1024 / 1024;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'aukio-bench-'));
  const children: ChildProcess[] = [];
  try {
    // Aukio as it runs in production, on a fresh seeded embedded database.
    const aukioPort = await freePort();
    const aukio = spawnAukio(aukioPort, dataDir, randomBytes(32).toString('hex'));
    children.push(aukio);
    await waitFor(aukioPort, '/readyz', aukio, 180);
    const page = await get(aukioPort, '/fi');
    if (page.status !== 200 || !page.body.includes('Esimerkkilän kaupunki')) throw new Error(`front page answered ${page.status}`);

    const { port: helloPort, child: hello } = await spawnHello();
    children.push(hello);

    const front = await load(`http://127.0.0.1:${aukioPort}/fi`);
    const rss = await serverRssMb(aukioPort);
    const base = await load(`http://127.0.0.1:${helloPort}/`);

    const ratio = front.requests.average / base.requests.average;
    console.error(
      `front page: ${front.requests.average.toFixed(0)} req/s (p50 ${front.latency.p50} ms, p99 ${front.latency.p99} ms, ${(page.body.length / 1024).toFixed(1)} kB); ` +
        `hello: ${base.requests.average.toFixed(0)} req/s; ${CONNECTIONS} connections × ${SECONDS} s each`,
    );
    console.log(`frontpage_vs_hello=${ratio.toFixed(2)} rss_mb=${Math.round(rss)}`);
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
