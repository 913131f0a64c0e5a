// Builds the committed bundles with esbuild — the actions' (.github/actions/<name>/dist/) and the CLI's
// (generator/bin/dist/, which bin/milvus-swarm runs) — or with --check compares a fresh build with what is committed
// and fails on any difference, like `milvus-swarm check` does for rendered/.
//
// Run: npm run bundle (write) / npm run bundle:check (compare; CI).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

export const ACTIONS = ['backup', 'deploy', 'diff', 'verify'] as const;
const ACTIONS_DIR = import.meta.dirname;
const REPO_ROOT = path.resolve(ACTIONS_DIR, '..', '..');

/**
 * npm etcd3 loads its gRPC definitions at run time from `${__dirname}/../proto/rpc.proto`. In the bundle, __dirname is
 * dist/ and the .proto files are shipped in dist/proto/: rewrite that one path, and fail loudly if etcd3 changes it.
 */
const etcd3Protos: Plugin = {
  name: 'etcd3-protos',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]etcd3[\\/]lib[\\/]connection-pool\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const from = '`${__dirname}/../proto/rpc.proto`';
      if (!source.includes(from)) throw new Error(`etcd3 no longer loads ${from}: update .github/actions/bundle.ts`);
      return { contents: source.replace(from, '`${__dirname}/proto/rpc.proto`'), loader: 'js' };
    });
  },
};

/** ESM output with CommonJS dependencies (grpc, etcd3): give them require, __filename and __dirname. */
const BANNER = [
  "import { createRequire as __createRequire } from 'node:module';",
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __pathDirname } from 'node:path';",
  'const require = __createRequire(import.meta.url);',
  'const __filename = __fileURLToPath(import.meta.url);',
  'const __dirname = __pathDirname(__filename);',
].join('\n');

export async function bundleAction(name: string, outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(ACTIONS_DIR, name, 'src', 'index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    // The actions run on node24 (action.yml); node20 syntax keeps the bundle runnable where act v0.2.89 says node20.
    target: 'node20',
    format: 'esm',
    banner: { js: BANNER },
    plugins: [etcd3Protos],
    legalComments: 'none',
    // Paths in the bundle's comments are relative to the repository, so a build anywhere is byte-identical.
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  });
  if (name === 'verify') cpSync(path.join(REPO_ROOT, 'node_modules', 'etcd3', 'proto'), path.join(outDir, 'proto'), { recursive: true });
}

export const CLI_DIST = 'generator/bin/dist';

/**
 * The CLI: ESM split into chunks, so `--help` and `--version` load the command line alone and each command loads its
 * own code when it runs (cli.ts imports them dynamically); etcd3's .proto files beside the chunks, as for verify.
 */
export async function bundleCli(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { cli: path.join(REPO_ROOT, 'generator', 'bin', 'main.ts') },
    outdir: outDir,
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: BANNER },
    plugins: [etcd3Protos],
    legalComments: 'none',
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  });
  cpSync(path.join(REPO_ROOT, 'node_modules', 'etcd3', 'proto'), path.join(outDir, 'proto'), { recursive: true });
}

/** Every bundle: where its committed copy lives, and how to build it into a folder. */
const BUNDLES: readonly { where: string; build: (outDir: string) => Promise<void> }[] = [
  ...ACTIONS.map((name) => ({ where: `.github/actions/${name}/dist`, build: (outDir: string) => bundleAction(name, outDir) })),
  { where: CLI_DIST, build: bundleCli },
];

function filesUnder(directory: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  if (!existsSync(directory)) return files;
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(directory, full), readFileSync(full));
  }
  return files;
}

/** Differences between the committed dist/ folders and a fresh build, one line each. */
export async function staleBundles(): Promise<string[]> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'milvus-swarm-bundle-'));
  const problems: string[] = [];
  try {
    for (const [index, bundle] of BUNDLES.entries()) {
      const fresh = path.join(scratch, String(index));
      await bundle.build(fresh);
      const expected = filesUnder(fresh);
      const committed = filesUnder(path.join(REPO_ROOT, bundle.where));
      for (const [file, content] of expected) {
        const found = committed.get(file);
        if (!found) problems.push(`missing: ${bundle.where}/${file}`);
        else if (!found.equals(content)) problems.push(`stale: ${bundle.where}/${file}`);
      }
      for (const file of committed.keys()) if (!expected.has(file)) problems.push(`stray: ${bundle.where}/${file}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  if (process.argv.includes('--check')) {
    const problems = await staleBundles();
    for (const problem of problems) console.error(problem);
    if (problems.length > 0) {
      console.error(`${problems.length} bundle file(s) differ from a fresh build: run \`npm run bundle\` and commit ${BUNDLES.map((bundle) => bundle.where).join(', ')}`);
      process.exitCode = 1;
    } else console.log(`${BUNDLES.map((bundle) => bundle.where).join(', ')} match a fresh build`);
  } else {
    for (const bundle of BUNDLES) await bundle.build(path.join(REPO_ROOT, bundle.where));
    console.log(`bundled ${BUNDLES.map((bundle) => bundle.where).join(', ')}`);
  }
}
