// Whether a folder in a target is a recovery point this tool may count, prune or restore. Pure: the stores read, this
// judges. A point is trusted only when everything about it agrees: its folder names a moment that has happened, its
// manifest parses, names that folder and this environment, and carries the signature of the runner's key
// (pointKey.ts). Everything else is listed with the reason and never counted (so planted points can neither make a
// backup prune its own point nor keep verify's row green) and never restored; an unsigned point only by its id, with
// --allow-unsigned.
import { parseManifest, pointIdTime, type Manifest } from './manifest.ts';
import { authenticate, POINT_KEY_VARIABLE, type PointKey } from './pointKey.ts';

/** authentic: counted and restorable; unsigned / unchecked: restorable by id with --allow-unsigned; refused: never. */
export type PointTrust = 'authentic' | 'unchecked' | 'unsigned' | 'refused';

/** Best first: when two stores disagree about one id, the better one speaks for the point. */
export const TRUST_ORDER: readonly PointTrust[] = ['authentic', 'unchecked', 'unsigned', 'refused'];

export interface TrustContext {
  key: PointKey | undefined;
  environment: string;
  now: Date;
}

export interface StoreEntry {
  trust: PointTrust;
  manifest?: Manifest;
  /** Why it is not authentic, in an operator's words. */
  reason?: string;
}

/**
 * How far ahead of this machine's clock a point may be dated: the id is the backup runner's clock, the cut MinIO's.
 * Clocks under NTP agree to well within this; a point further ahead was not made by a backup that has run.
 */
export const FUTURE_SKEW_MS = 5 * 60_000;

/** Refused before anything is read: a folder whose name is no moment, or a moment still to come. */
export function judgeFolder(id: string, now: Date): string | undefined {
  const time = pointIdTime(id);
  if (!time) return `${id} is not a moment`;
  if (time.getTime() > now.getTime() + FUTURE_SKEW_MS) return `dated in the future (this machine's clock says ${now.toISOString()})`;
  return undefined;
}

/** One store's manifest for folder `id`: read (text) or not (problem), then judged. */
export function judgeManifest(id: string, read: { text: string } | { problem: string }, context: TrustContext): StoreEntry {
  const refused = (reason: string): StoreEntry => ({ trust: 'refused', reason });
  const early = judgeFolder(id, context.now);
  if (early) return refused(early);
  if ('problem' in read) return refused(`manifest.json unreadable: ${read.problem}`);
  const parsed = parseManifest(read.text);
  if (!parsed.ok) return refused(`manifest.json ${parsed.problem}`);
  const manifest = parsed.manifest;
  if (manifest.id !== id) return refused(`its manifest names point ${manifest.id}, not its folder ${id}`);
  if (manifest.environment !== context.environment) return refused(`a point of environment ${manifest.environment}, not ${context.environment}`);
  const latest = Math.max(...[manifest.cut, manifest.etcd.startedAt, manifest.etcd.endedAt].map((time) => new Date(time).getTime()));
  if (latest > context.now.getTime() + FUTURE_SKEW_MS) return refused(`its manifest is dated in the future (this machine's clock says ${context.now.toISOString()})`);
  switch (authenticate(manifest, context.key)) {
    case 'authentic':
      return { trust: 'authentic', manifest };
    case 'forged':
      return refused(`its signature does not match ${POINT_KEY_VARIABLE} (changed since it was made, or made with another key)`);
    case 'unsigned':
      return { trust: 'unsigned', manifest, reason: 'not signed (made before points were signed, or by hand)' };
    case 'unchecked':
      return { trust: 'unchecked', manifest, reason: `signed, but ${POINT_KEY_VARIABLE} is not set here to check it` };
  }
}
