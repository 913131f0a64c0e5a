// Versions read from image references: etcd's semantic versions, and an order for other release tags.
import { imageTag } from '../topology/rules/images.ts';

export interface EtcdVersion {
  major: number;
  minor: number;
  patch: number;
}

/** `etcd:v3.5.5`, `quay.io/coreos/etcd:v3.5.5`, `bitnami/etcd:3.5.5-debian-11-r0`; undefined for latest or a digest. */
export function etcdVersion(image: string): EtcdVersion | undefined {
  const tag = imageTag(image);
  if (tag === undefined || image.includes('@')) return undefined;
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(tag);
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export const formatEtcdVersion = (version: EtcdVersion): string => `v${version.major}.${version.minor}.${version.patch}`;

/** The image without its tag or digest: `quay.io/coreos/etcd:v3.5.5` → `quay.io/coreos/etcd`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
}

/**
 * Orders two release tags of one scheme by their numbers: `v23.03` < `v23.10`, `RELEASE.2023-03-20T20-16-18Z` <
 * `RELEASE.2023-08-04T17-40-21Z`. undefined when either has no numbers or the schemes differ (v23.03 vs RELEASE.…).
 */
export function compareReleaseTags(before: string, after: string): -1 | 0 | 1 | undefined {
  const scheme = (tag: string) => tag.replace(/\d+/g, '#');
  const numbers = (tag: string) => (tag.match(/\d+/g) ?? []).map(Number);
  if (scheme(before) !== scheme(after)) return undefined;
  const [a, b] = [numbers(before), numbers(after)];
  if (a.length === 0) return undefined;
  for (let index = 0; index < a.length; index++) {
    if (a[index]! !== b[index]!) return a[index]! < b[index]! ? -1 : 1;
  }
  return 0;
}
