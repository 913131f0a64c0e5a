// The three images the local topology names, made with `docker import` from root file systems assembled here: no
// registry, no Dockerfile, nothing from the internet. Each image carries a label with the hash of its inputs (the
// recipe and every file's content) and is rebuilt only when that hash changes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docker, firstLines, runCommand } from '../../../generator/docker/cli.ts';
import type { Binaries } from './binaries.ts';
import { ensurePackages, packageFiles } from './debian.ts';
import { CACHE_DIR } from './paths.ts';

/** Bump when the recipe changes in a way the entries below do not show (e.g. tar flags). */
const RECIPE_VERSION = 1;
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
  built: boolean;
  ms: number;
  sizeBytes: number;
}

// Busybox's applets for the rendered healthchecks (`wget -q -O /dev/null URL`), for deploy's host-preparation jobs
// (`mkdir -p -m MODE`, run with the image of the services that own the directories), and a shell when debugging.
const BUSYBOX_APPLETS = ['sh', 'wget', 'sleep', 'cat', 'ls', 'mkdir'];
const NSSWITCH = 'passwd: files\ngroup: files\nhosts: files dns\n';
const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

function baseEntries(busybox: string): Entry[] {
  return [
    { kind: 'dir', path: 'bin', mode: 0o755 },
    { kind: 'file', path: 'bin/busybox', source: busybox, mode: 0o755 },
    ...BUSYBOX_APPLETS.map((applet): Entry => ({ kind: 'link', path: `bin/${applet}`, target: 'busybox' })),
    { kind: 'dir', path: 'etc', mode: 0o755 },
    // Names resolve from /etc/hosts first (a container's own hostname), then swarm's DNS.
    { kind: 'text', path: 'etc/nsswitch.conf', text: NSSWITCH, mode: 0o644 },
    { kind: 'text', path: 'etc/passwd', text: PASSWD, mode: 0o644 },
    { kind: 'text', path: 'etc/group', text: GROUP, mode: 0o644 },
    { kind: 'dir', path: 'root', mode: 0o700 },
    { kind: 'dir', path: 'tmp', mode: 0o1777 },
  ];
}

export async function imageRecipes(tags: { etcd: string; minio: string; nginx: string }, binaries: Binaries): Promise<ImageRecipe[]> {
  await ensurePackages(['busybox-static', 'nginx-light']);
  const busybox = (await packageFiles('busybox-static')).find((file) => /\/bin\/busybox$/.test(file));
  if (!busybox) throw new Error('busybox-static is installed but has no bin/busybox');
  const base = baseEntries(busybox);
  const path_ = 'ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/bin';
  return [
    {
      tag: tags.etcd,
      entries: [
        ...base,
        { kind: 'dir', path: 'usr/local/bin', mode: 0o755 },
        { kind: 'file', path: 'usr/local/bin/etcd', source: binaries.etcd, mode: 0o755 },
        { kind: 'file', path: 'usr/local/bin/etcdctl', source: binaries.etcdctl, mode: 0o755 },
        { kind: 'dir', path: 'var/lib/etcd', mode: 0o700 },
      ],
      changes: [path_, 'CMD ["etcd"]'],
    },
    {
      tag: tags.minio,
      entries: [...base, { kind: 'dir', path: 'usr/bin', mode: 0o755 }, { kind: 'file', path: 'usr/bin/minio', source: binaries.minio, mode: 0o755 }],
      changes: [path_, 'CMD ["minio"]'],
    },
    { tag: tags.nginx, entries: [...base, ...(await nginxEntries())], changes: [path_, 'CMD ["nginx", "-g", "daemon off;"]'] },
  ];
}

/** Debian's nginx: the binary, the libraries ldd lists, mime.types, and the folders it opens at start. */
async function nginxEntries(): Promise<Entry[]> {
  const nginx = '/usr/sbin/nginx';
  const ldd = await runCommand('ldd', [nginx], { timeoutMs: 15_000 });
  if (ldd.code !== 0) throw new Error(`ldd ${nginx}: ${ldd.stderr.trim()}`);
  const libraries = [...ldd.stdout.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1]!);
  const entries: Entry[] = [{ kind: 'dir', path: 'usr/sbin', mode: 0o755 }, { kind: 'file', path: 'usr/sbin/nginx', source: nginx, mode: 0o755 }];
  const unique = [...new Set(libraries)].sort();
  for (const dir of [...new Set(unique.map((library) => path.dirname(library)))]) entries.push({ kind: 'dir', path: dir.slice(1), mode: 0o755 });
  for (const library of unique) entries.push({ kind: 'file', path: library.slice(1), source: library, mode: 0o755 });
  entries.push(
    { kind: 'dir', path: 'etc/nginx', mode: 0o755 },
    { kind: 'file', path: 'etc/nginx/mime.types', source: '/etc/nginx/mime.types', mode: 0o644 },
    // Compiled-in paths (nginx -V): the access log dir, the temp dirs' parent, the pid and lock dirs.
    { kind: 'dir', path: 'var/log/nginx', mode: 0o755 },
    { kind: 'dir', path: 'var/lib/nginx', mode: 0o755 },
    { kind: 'dir', path: 'var/lock', mode: 0o755 },
    { kind: 'dir', path: 'run', mode: 0o755 },
  );
  return entries;
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

/** Imports the image unless one with this tag and the same inputs hash exists. */
export async function ensureImage(recipe: ImageRecipe): Promise<ImageReport> {
  const started = performance.now();
  const inputs = await inputsHash(recipe);
  const existing = await docker(['image', 'inspect', recipe.tag, '--format', `{{index .Config.Labels "${INPUTS_LABEL}"}} {{.Id}} {{.Size}}`], {
    timeoutMs: 15_000,
  });
  const [label, previousId, size] = existing.code === 0 ? existing.stdout.trim().split(' ') : [];
  if (label === inputs) return { tag: recipe.tag, built: false, ms: Math.round(performance.now() - started), sizeBytes: Number(size) };

  const workDir = path.join(CACHE_DIR, 'images', recipe.tag.replace(/[^A-Za-z0-9.-]/g, '_'));
  const rootfs = path.join(workDir, 'rootfs');
  const tarball = path.join(workDir, 'rootfs.tar');
  await rm(workDir, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  await assemble(rootfs, recipe.entries);
  // Stable order, owners and times: the same inputs give the same layer.
  const tar = await runCommand(
    'tar',
    ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', tarball, '.'],
    { timeoutMs: 5 * 60_000 },
  );
  if (tar.code !== 0) throw new Error(`tar of ${rootfs}: ${firstLines(tar.stderr, 3)}`);
  const changes = [...recipe.changes, `LABEL ${INPUTS_LABEL}=${inputs}`].flatMap((change) => ['--change', change]);
  const imported = await docker(['import', ...changes, tarball, recipe.tag], { timeoutMs: 10 * 60_000 });
  if (imported.code !== 0) throw new Error(`docker import ${recipe.tag}: ${firstLines(imported.stderr, 3)}`);
  // The rootfs and tarball are only inputs to the import; the image is the cache.
  await rm(workDir, { recursive: true, force: true });
  // The replaced image is now untagged: remove it unless a container still uses it (then docker refuses; fine).
  if (previousId) await docker(['image', 'rm', previousId], { timeoutMs: 60_000 });
  const inspect = await docker(['image', 'inspect', recipe.tag, '--format', '{{.Size}}'], { timeoutMs: 15_000 });
  return { tag: recipe.tag, built: true, ms: Math.round(performance.now() - started), sizeBytes: Number(inspect.stdout.trim()) };
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
