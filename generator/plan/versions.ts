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

/**
 * The oldest 3.5 patch release a rolling upgrade to 3.6 may start from: etcd's 3.5 → 3.6 upgrade guide and its post
 * on zombie members (https://etcd.io/blog/2025/zombie_members_upgrade/, Dec 2025): below 3.5.26 members added as
 * learners and promoted (how this cluster grows) can come back on 3.6 as zombies, with "no safe workaround". The one
 * place the floor is written: the plan's texts and tests read it from here.
 */
export const ETCD_36_NEEDS_35_PATCH = 26;
/** 3.4 members join a 3.5 cluster (a downgrade) only from this release, with --next-cluster-version-compatible. */
export const ETCD_34_DOWNGRADE_PATCH = 32;

/**
 * What kind of step an etcd image change is: `patch` within one minor; `minor` one minor up (`minor-after-patch`
 * when the running patch release is too old for it, as for 3.5 → 3.6 before 3.5.26); `skip` past a minor;
 * `downgrade` to an older minor; `repository` the same version from another image; `unreadable` without a version.
 */
export type EtcdUpgrade = 'same' | 'unreadable' | 'repository' | 'patch' | 'minor' | 'minor-after-patch' | 'skip' | 'downgrade';

export function etcdUpgrade(from: string, to: string): EtcdUpgrade {
  if (from === to) return 'same';
  const [was, is] = [etcdVersion(from), etcdVersion(to)];
  if (!was || !is) return 'unreadable';
  const minorStep = is.major !== was.major ? Number.POSITIVE_INFINITY * Math.sign(is.major - was.major) : is.minor - was.minor;
  if (minorStep === 0) return imageRepository(from) !== imageRepository(to) ? 'repository' : 'patch';
  if (minorStep === 1) return was.major === 3 && was.minor === 5 && was.patch < ETCD_36_NEEDS_35_PATCH ? 'minor-after-patch' : 'minor';
  return minorStep > 1 ? 'skip' : 'downgrade';
}
