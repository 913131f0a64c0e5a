// Host paths (etcd's data dir, MinIO's drives): the one check every path passes before it reaches prepare-hosts.sh,
// the stack's bind mounts and deploy's `docker service create --mount type=bind,source=…` argument.
import { codePoint } from './text.ts';

/** The one placeholder a host path may hold: the member's or node's name. */
export const NAME_PLACEHOLDER = '{name}';

/** Long enough for any real mount point; far below PATH_MAX (4096). */
export const HOST_PATH_MAX_LENGTH = 1024;

/**
 * Letters, digits, `.`, `_`, `-` and `/`, and braces for the `{name}` placeholder (the known-placeholders rule refuses
 * any other brace, with a better message than a character set can give). Nothing a shell, docker's comma-separated
 * `--mount` syntax (a `,` adds a field: `source=/mnt/data,source=/etc/cron.d`) or compose's `$` interpolation would
 * read differently, and no control, zero-width or bidi character that shows one path and means another.
 */
const ALLOWED = /[A-Za-z0-9._/{}-]/;

/** Why `path` is not an acceptable host path, or undefined. The form is already normal: nothing is left to normalise. */
export function hostPathProblem(path: string): string | undefined {
  const shape = 'expected an absolute path without "." or ".." segments or a trailing "/"';
  if (!path.startsWith('/')) return shape;
  if (path.length > HOST_PATH_MAX_LENGTH) return `expected at most ${HOST_PATH_MAX_LENGTH} characters, got ${path.length}`;
  const bad = [...path].find((character) => !ALLOWED.test(character));
  if (bad !== undefined) return `${describeCharacter(bad)} is not allowed in a host path: use letters, digits, ".", "_", "-", "/" and ${NAME_PLACEHOLDER}`;
  // `/` is a well-formed path; data-dirs-not-system refuses it with the other system directories.
  if (path === '/') return undefined;
  if (path.endsWith('/')) return `expected no trailing "/": write ${normalizeHostPath(path)}`;
  if (path.includes('//')) return `expected no empty segment ("//"): write ${normalizeHostPath(path)}`;
  const segments = path.slice(1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..')) return shape;
  return undefined;
}

/** `/mnt//data/disk1/` → `/mnt/data/disk1`: what the kernel resolves it to (`.` and `..` are refused, not resolved). */
export function normalizeHostPath(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  return `/${segments.join('/')}`;
}

/**
 * Directories that must never be a data directory: prepare-hosts.sh chmods a data dir (0700 for etcd: `chmod 0700 /`
 * locks every user out; `/tmp` loses its sticky bit), deploy bind-mounts it read-write into a container, and etcd and
 * MinIO fill it. The system's own trees are refused whole (kernel interfaces, devices, configuration, boot files,
 * programs, run-time tmpfs that is lost on reboot); the shared top-level folders and their direct children only
 * themselves (`/var/lib/milvus` is fine, `/var/lib` is not; `/mnt/data/disk1` is fine, `/mnt` is not).
 */
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/etc', '/boot', '/run', '/bin', '/sbin', '/usr'];
const SYSTEM_DIRECTORIES = ['/', '/tmp', '/var', '/root', '/home', '/mnt', '/media', '/opt', '/srv'];
/** `/var/*` themselves: /var/tmp, /var/lib, /var/log, /var/cache, /var/spool… */
const SYSTEM_PARENTS = ['/var'];

export function systemPathProblem(path: string): string | undefined {
  const normal = normalizeHostPath(path);
  const top = `/${normal.slice(1).split('/')[0]}`;
  const tree = SYSTEM_TREES.find((root) => normal === root || normal.startsWith(`${root}/`)) ?? (/^\/lib/.test(top) ? top : undefined);
  if (tree) return `${normal} is inside ${tree}, which belongs to the system: put data directories on a data volume, such as /mnt/data/...`;
  const depth = normal.split('/').length - 1;
  if (SYSTEM_DIRECTORIES.includes(normal) || (depth === 2 && SYSTEM_PARENTS.includes(top))) {
    return `${normal} is a system directory: data needs a directory of its own, such as /mnt/data/...`;
  }
  return undefined;
}

/** `"$" (U+0024)` for a visible character, `character U+200B` for an invisible one. */
export function describeCharacter(character: string): string {
  return /^[\p{L}\p{N}\p{P}\p{S} ]$/u.test(character) ? `"${character}" (${codePoint(character)})` : `character ${codePoint(character)}`;
}
