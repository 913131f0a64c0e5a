// The images the test topologies name, made with `docker import` from root file systems assembled here: no
// registry, no Dockerfile, nothing from the internet. Each image carries a label with the hash of its inputs (the
// recipe and every file's content) and is imported again only when that hash changes. The tarball is kept by that
// hash, so the ten engines of the staging swarm import one file instead of assembling ten.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docker, runCommand } from '../../../generator/docker/cli.ts';
import { firstLines } from '../support/docker.ts';
import type { ClusterModel } from '../../../generator/model/types.ts';
import type { Binaries } from './binaries.ts';
import { ensureMonitoringBinaries } from './prometheusBinaries.ts';
import { ensurePackages, packageFiles } from './debian.ts';
import { CACHE_DIR } from './paths.ts';

/** Bump when the recipe changes in a way the entries below do not show (e.g. tar flags). */
const RECIPE_VERSION = 2;
export const INPUTS_LABEL = 'io.milvus-swarm.inputs';

type Entry =
  | { kind: 'dir'; path: string; mode: number }
  | { kind: 'file'; path: string; source: string; mode: number }
  | { kind: 'text'; path: string; text: string; mode: number }
  | { kind: 'link'; path: string; target: string };

export interface ImageRecipe {
  tag: string;
  entries: Entry[];
  /** Dockerfile instructions applied by `docker import --change`. */
  changes: string[];
}

export interface ImageReport {
  tag: string;
  /** The tarball was assembled now (not taken from the cache). */
  built: boolean;
  /** Engines the image was imported into now (the others had it, current). */
  importedInto: string[];
  ms: number;
  sizeBytes: number;
}

/** A Docker engine to import into: its name for the report and the environment its docker CLI runs with. */
export interface Engine {
  name: string;
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_ENGINE: Engine = { name: 'local', env: process.env };

// What the upstream images hold, and nothing more, so that a healthcheck or helper step that needs a tool the
// operators' images lack fails here first (issue 14):
//   etcd  = etcd, etcdctl, etcdutl on a root without a shell (quay.io/coreos/etcd:v3.5.x is distroless);
//   MinIO = minio and curl on a small root with a shell and core tools (RELEASE.2023-03-20's image was ubi-micro:
//           bash and coreutils; later ones dropped curl);
//   nginx = Debian's nginx with curl, getent, a shell and core tools (nginx:1.2x is Debian-based);
//   helper = busybox with every applet (busybox:1.x): deploy's host-preparation jobs run in it, never in a service image;
//   Prometheus, Alertmanager = their binary in /bin on a busybox root (prom/prometheus and prom/alertmanager are
//           quay.io/prometheus/busybox with the binary, `nobody`, ENTRYPOINT the binary): only when a topology runs them.
const NSSWITCH = 'passwd: files\ngroup: files\nhosts: files dns\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';
const PATH_ENV = 'ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** What a base image with a shell offers (busybox applets standing in for bash and coreutils). */
const CORE_TOOLS = ['sh', 'cat', 'ls', 'mkdir', 'sleep', 'ps'];

/** What every image has, shell or not (distroless images carry these too): users, name resolution, /tmp. */
const rootEntries: Entry[] = [
  { kind: 'dir', path: 'etc', mode: 0o755 },
  // Names resolve from /etc/hosts first (a container's own hostname), then swarm's DNS.
  { kind: 'text', path: 'etc/nsswitch.conf', text: NSSWITCH, mode: 0o644 },
  { kind: 'text', path: 'etc/passwd', text: PASSWD, mode: 0o644 },
  { kind: 'text', path: 'etc/group', text: GROUP, mode: 0o644 },
  { kind: 'dir', path: 'root', mode: 0o700 },
  { kind: 'dir', path: 'tmp', mode: 0o1777 },
];

/** busybox as /bin/sh and the given applets (a shell image); `all` links every applet (the helper image). */
async function busyboxEntries(applets: readonly string[] | 'all'): Promise<Entry[]> {
  const busybox = (await packageFiles('busybox-static')).find((file) => /\/bin\/busybox$/.test(file));
  if (!busybox) throw new Error('busybox-static is installed but has no bin/busybox');
  let names = applets === 'all' ? [] : [...applets];
  if (applets === 'all') {
    const list = await runCommand(busybox, ['--list'], { timeoutMs: 10_000 });
    if (list.code !== 0) throw new Error(`${busybox} --list: ${list.stderr.trim()}`);
    names = list.stdout.split('\n').filter((name) => /^[a-z0-9_.-]+$/.test(name) && name !== 'busybox');
  }
  return [
    { kind: 'dir', path: 'bin', mode: 0o755 },
    { kind: 'file', path: 'bin/busybox', source: busybox, mode: 0o755 },
    ...names.map((applet): Entry => ({ kind: 'link', path: `bin/${applet}`, target: 'busybox' })),
  ];
}

export interface ImageTags {
  etcd: string;
  minio: string;
  nginx: string;
  helper: string;
  /** Only when the topology runs them in the stack (monitoring.prometheus / .alertmanager). */
  prometheus?: string;
  alertmanager?: string;
}

/** The tags a topology names: what the recipes below are imported as. */
export const imageTags = (model: ClusterModel): ImageTags => ({
  etcd: model.etcd.image,
  minio: model.minio.image,
  nginx: model.minio.proxy.image,
  helper: model.swarm.helperImage,
  ...(model.monitoring.prometheus ? { prometheus: model.monitoring.prometheus.image } : {}),
  ...(model.monitoring.alertmanager ? { alertmanager: model.monitoring.alertmanager.image } : {}),
});

export async function imageRecipes(tags: ImageTags, binaries: Binaries): Promise<ImageRecipe[]> {
  return [...(await clusterRecipes(tags, binaries)), ...(await monitoringRecipes(tags))];
}

/**
 * Prometheus and Alertmanager as their upstream images hold them: the binary on a busybox root with a shell and core
 * tools, its data dir, `nobody` (the stack runs them as root on root's data dirs: model/monitoring.ts). Built (once,
 * minutes; prometheusBinaries.ts) only when a topology names them.
 */
async function monitoringRecipes(tags: ImageTags): Promise<ImageRecipe[]> {
  if (!tags.prometheus && !tags.alertmanager) return [];
  const { binaries } = await ensureMonitoringBinaries();
  const shell = await busyboxEntries(CORE_TOOLS);
  const recipes: ImageRecipe[] = [];
  if (tags.prometheus) {
    recipes.push({
      tag: tags.prometheus,
      entries: [...rootEntries, ...shell, { kind: 'file', path: 'bin/prometheus', source: binaries.prometheus, mode: 0o755 }, { kind: 'file', path: 'bin/promtool', source: binaries.promtool, mode: 0o755 }, { kind: 'dir', path: 'prometheus', mode: 0o777 }],
      changes: [PATH_ENV, 'USER nobody', 'WORKDIR /prometheus', 'ENTRYPOINT ["/bin/prometheus"]'],
    });
  }
  if (tags.alertmanager) {
    recipes.push({
      tag: tags.alertmanager,
      entries: [...rootEntries, ...shell, { kind: 'file', path: 'bin/alertmanager', source: binaries.alertmanager, mode: 0o755 }, { kind: 'dir', path: 'alertmanager', mode: 0o777 }],
      changes: [PATH_ENV, 'USER nobody', 'WORKDIR /alertmanager', 'ENTRYPOINT ["/bin/alertmanager"]'],
    });
  }
  return recipes;
}

async function clusterRecipes(tags: ImageTags, binaries: Binaries): Promise<ImageRecipe[]> {
  await ensurePackages(['busybox-static', 'nginx-light', 'curl']);
  const curl = await dynamicBinaryEntries('/usr/bin/curl');
  return [
    {
      tag: tags.etcd,
      entries: [
        ...rootEntries,
        { kind: 'dir', path: 'usr/local/bin', mode: 0o755 },
        { kind: 'file', path: 'usr/local/bin/etcd', source: binaries.etcd, mode: 0o755 },
        { kind: 'file', path: 'usr/local/bin/etcdctl', source: binaries.etcdctl, mode: 0o755 },
        { kind: 'file', path: 'usr/local/bin/etcdutl', source: binaries.etcdutl, mode: 0o755 },
        { kind: 'dir', path: 'var/lib/etcd', mode: 0o700 },
      ],
      changes: [PATH_ENV, 'CMD ["/usr/local/bin/etcd"]'],
    },
    {
      tag: tags.minio,
      entries: [
        ...rootEntries,
        ...(await busyboxEntries(CORE_TOOLS)),
        ...curl,
        { kind: 'dir', path: 'usr/bin', mode: 0o755 },
        { kind: 'file', path: 'usr/bin/minio', source: binaries.minio, mode: 0o755 },
      ],
      changes: [PATH_ENV, 'CMD ["minio"]'],
    },
    {
      tag: tags.nginx,
      // getent, as Debian's nginx image has it (libc-bin): the proxy's entrypoint waits with it for the MinIO names.
      entries: dedupe([...rootEntries, ...(await busyboxEntries(CORE_TOOLS)), ...curl, ...(await dynamicBinaryEntries('/usr/bin/getent')), ...(await nginxEntries())]),
      changes: [PATH_ENV, 'CMD ["nginx", "-g", "daemon off;"]'],
    },
    { tag: tags.helper, entries: [...rootEntries, ...(await busyboxEntries('all'))], changes: [PATH_ENV, 'CMD ["sh"]'] },
  ];
}

/** A dynamically linked Debian binary at the same path, with every library ldd lists. */
async function dynamicBinaryEntries(binary: string): Promise<Entry[]> {
  const ldd = await runCommand('ldd', [binary], { timeoutMs: 15_000 });
  if (ldd.code !== 0) throw new Error(`ldd ${binary}: ${ldd.stderr.trim()}`);
  const libraries = [...new Set([...ldd.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1]!))].sort();
  const entries: Entry[] = [];
  for (const dir of [...new Set([path.dirname(binary), ...libraries.map((library) => path.dirname(library))])]) {
    entries.push({ kind: 'dir', path: dir.slice(1), mode: 0o755 });
  }
  entries.push({ kind: 'file', path: binary.slice(1), source: binary, mode: 0o755 });
  for (const library of libraries) entries.push({ kind: 'file', path: library.slice(1), source: library, mode: 0o755 });
  return entries;
}

/** Debian's nginx: the binary and its libraries, mime.types, and the folders it opens at start. */
async function nginxEntries(): Promise<Entry[]> {
  return [
    ...(await dynamicBinaryEntries('/usr/sbin/nginx')),
    { kind: 'dir', path: 'etc/nginx', mode: 0o755 },
    { kind: 'file', path: 'etc/nginx/mime.types', source: '/etc/nginx/mime.types', mode: 0o644 },
    // Compiled-in paths (nginx -V): the access log dir, the temp dirs' parent, the pid and lock dirs.
    { kind: 'dir', path: 'var/log/nginx', mode: 0o755 },
    { kind: 'dir', path: 'var/lib/nginx', mode: 0o755 },
    { kind: 'dir', path: 'var/lock', mode: 0o755 },
    { kind: 'dir', path: 'run', mode: 0o755 },
  ];
}

/** Two binaries share libraries: each path once (the first entry wins), so the hash and the tarball are stable. */
function dedupe(entries: Entry[]): Entry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => (seen.has(entry.path) ? false : (seen.add(entry.path), true)));
}

/** The hash of everything that ends up in the image: the recipe, and each file's content. */
export async function inputsHash(recipe: ImageRecipe): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify({ RECIPE_VERSION, changes: recipe.changes }));
  for (const entry of recipe.entries) {
    hash.update(JSON.stringify({ ...entry, ...(entry.kind === 'file' ? { source: undefined } : {}) }));
    if (entry.kind === 'file') hash.update(await fileHash(entry.source));
  }
  return hash.digest('hex').slice(0, 16);
}

async function fileHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Imports the image into every engine that lacks it (this tag with the same inputs hash). */
export async function ensureImage(recipe: ImageRecipe, engines: readonly Engine[] = [DEFAULT_ENGINE]): Promise<ImageReport> {
  const started = performance.now();
  const inputs = await inputsHash(recipe);
  const inspect = (engine: Engine) =>
    docker(['image', 'inspect', recipe.tag, '--format', `{{index .Config.Labels "${INPUTS_LABEL}"}} {{.Id}} {{.Size}}`], { timeoutMs: 15_000, env: engine.env });
  const states = await Promise.all(
    engines.map(async (engine) => {
      const result = await inspect(engine);
      const [label, id, size] = result.code === 0 ? result.stdout.trim().split(' ') : [];
      return { engine, current: label === inputs, previousId: id, size: Number(size ?? 0) };
    }),
  );
  const stale = states.filter((state) => !state.current);
  if (stale.length === 0) return { tag: recipe.tag, built: false, importedInto: [], ms: Math.round(performance.now() - started), sizeBytes: states[0]?.size ?? 0 };

  const { tarball, built } = await imageTarball(recipe, inputs);
  const changes = [...recipe.changes, `LABEL ${INPUTS_LABEL}=${inputs}`].flatMap((change) => ['--change', change]);
  // Two at a time: an import is disk- and CPU-bound (vfs unpacks the layer), and these machines have two cores.
  await inBatches(stale, 2, async ({ engine, previousId }) => {
    const imported = await docker(['import', ...changes, tarball, recipe.tag], { timeoutMs: 10 * 60_000, env: engine.env });
    if (imported.code !== 0) throw new Error(`docker import ${recipe.tag} into ${engine.name}: ${firstLines(imported.stderr, 3)}`);
    // The replaced image is now untagged: remove it unless a container still uses it (then docker refuses; fine).
    if (previousId) await docker(['image', 'rm', previousId], { timeoutMs: 60_000, env: engine.env });
  });
  const size = await inspect(stale[0]!.engine);
  return {
    tag: recipe.tag,
    built,
    importedInto: stale.map((state) => state.engine.name),
    ms: Math.round(performance.now() - started),
    sizeBytes: Number(size.stdout.trim().split(' ')[2] ?? 0),
  };
}

/** The image's root file system as a tarball named by its inputs hash, assembled only when it is not cached. */
async function imageTarball(recipe: ImageRecipe, inputs: string): Promise<{ tarball: string; built: boolean }> {
  const directory = path.join(CACHE_DIR, 'images');
  const stem = recipe.tag.replace(/[^A-Za-z0-9.-]/g, '_');
  const tarball = path.join(directory, `${stem}-${inputs}.tar`);
  if (existsSync(tarball)) return { tarball, built: false };
  // Per process: the e2e and staging projects run side by side in `npm test` and may assemble the same image at once.
  const workDir = path.join(directory, `${stem}.build-${process.pid}`);
  const rootfs = path.join(workDir, 'rootfs');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  await assemble(rootfs, recipe.entries);
  // Stable order, owners and times: the same inputs give the same layer.
  const partial = path.join(workDir, 'rootfs.tar');
  const tar = await runCommand('tar', ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', partial, '.'], {
    timeoutMs: 5 * 60_000,
  });
  if (tar.code !== 0) throw new Error(`tar of ${rootfs}: ${firstLines(tar.stderr, 3)}`);
  // Older tarballs of this tag are stale by definition; the new one is renamed into place whole.
  for (const old of (await readdir(directory)).filter((name) => name.startsWith(`${stem}-`) && name.endsWith('.tar'))) await rm(path.join(directory, old), { force: true });
  await rename(partial, tarball);
  await rm(workDir, { recursive: true, force: true });
  return { tarball, built: true };
}

async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>): Promise<void> {
  for (let index = 0; index < items.length; index += size) await Promise.all(items.slice(index, index + size).map(run));
}

async function assemble(rootfs: string, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    const target = path.join(rootfs, entry.path);
    switch (entry.kind) {
      case 'dir':
        await mkdir(target, { recursive: true });
        await chmod(target, entry.mode);
        break;
      case 'file':
        await mkdir(path.dirname(target), { recursive: true });
        // copyFile follows symlinks (Debian's libraries are links to versioned files): the image gets the content.
        await copyFile(entry.source, target);
        await chmod(target, entry.mode);
        break;
      case 'text':
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, entry.text);
        await chmod(target, entry.mode);
        break;
      case 'link':
        await mkdir(path.dirname(target), { recursive: true });
        if (await readlink(target).catch(() => undefined)) await rm(target);
        await symlink(entry.target, target);
        break;
    }
  }
}
