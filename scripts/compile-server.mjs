// Compiles the server's TypeScript (everything under src/ but the web app, which Vite
// builds) to plain JavaScript in build/app, so production runs on node alone. Running
// through tsx costs about 100 MB of resident memory in the server process. Types are
// checked by `npm run typecheck`, not here: this is a per-file transpile and takes a second.
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

export const OUT_DIR = 'build/app';
/** Everything under src/ except the web app (built by Vite into build/server). */
const SKIP = new Set(['src/web']);

function* files(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (SKIP.has(p)) continue;
    if (e.isDirectory()) yield* files(p);
    else if (!e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.md')) yield p;
  }
}

export function compileServer() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  const compilerOptions = {
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    // './db.ts' → './db.js' in the output.
    rewriteRelativeImportExtensions: true,
    allowImportingTsExtensions: true,
    isolatedModules: true,
    sourceMap: false,
  };
  for (const file of files('src')) {
    const isTs = file.endsWith('.ts');
    const target = join(OUT_DIR, isTs ? file.replace(/\.ts$/, '.js') : file);
    mkdirSync(dirname(target), { recursive: true });
    if (!isTs) {
      // Data files a module reads or imports (JSON, templates) go along as they are.
      copyFileSync(file, target);
      continue;
    }
    const out = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file, reportDiagnostics: false });
    writeFileSync(target, out.outputText);
  }
  // The same layout as the repository, so paths relative to a module (migrations) hold.
  cpSync('migrations', join(OUT_DIR, 'migrations'), { recursive: true });
  writeFileSync(join(OUT_DIR, 'package.json'), JSON.stringify({ type: 'module', private: true }) + '\n');
  return join(OUT_DIR, 'src/server/main.js');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const entry = compileServer();
  console.log(`Compiled the server to ${relative('.', entry)}`);
}
