// Recovery points are authenticated, not trusted because they exist: whoever can write a target (the directory on
// the manager, the S3 bucket) would otherwise decide what etcd becomes on the next `restore --point latest`. Each
// manifest carries an HMAC-SHA256 made with a key only the runner holds (the secret MILVUS_SWARM_POINT_KEY); the
// manifest names the snapshot's and the inventory's sha256, so the signature covers the point's files too.
//
// What happens without a key, or to points made before signing (README: "Recovery points", Security):
// - making a point without MILVUS_SWARM_POINT_KEY is refused (backup, deploy's point, a restore's undo point);
// - listing without it shows signed points as "not checked"; nothing is authentic, so nothing is counted or pruned;
// - restore takes only authentic points; an unsigned or unchecked one only by its id with --allow-unsigned; a point
//   whose signature does not match never, flag or not.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UsageError } from '../usageError.ts';

export const POINT_KEY_VARIABLE = 'MILVUS_SWARM_POINT_KEY';
/** 32 characters: `openssl rand -hex 32` gives 64; anything shorter is guessable or a placeholder. */
export const POINT_KEY_MIN_LENGTH = 32;
const SIGNATURE_SCHEME = 'hmac-sha256';
export const SIGNATURE_PATTERN = /^hmac-sha256:[0-9a-f]{64}$/;

/** The key, opaque: it is never printed, and only this module reads its bytes. */
export interface PointKey {
  readonly kind: 'point-key';
  readonly bytes: Buffer;
}

/** The key from the first source that has one, earliest first (an --env-file beats the environment). */
export function pointKeyFrom(...sources: Record<string, string | undefined>[]): PointKey | undefined {
  const value = sources.map((source) => source[POINT_KEY_VARIABLE]).find((candidate) => candidate !== undefined && candidate !== '');
  if (value === undefined) return undefined;
  if (value.length < POINT_KEY_MIN_LENGTH) {
    throw new UsageError(`${POINT_KEY_VARIABLE} is ${value.length} characters: it needs at least ${POINT_KEY_MIN_LENGTH} (openssl rand -hex 32)`);
  }
  return { kind: 'point-key', bytes: Buffer.from(value, 'utf8') };
}

export const MISSING_POINT_KEY = `${POINT_KEY_VARIABLE} is not set: recovery points are signed with it (a runner secret of at least ${POINT_KEY_MIN_LENGTH} characters, e.g. openssl rand -hex 32; export it or put it in --env-file)`;

/** JSON with every object's keys sorted: one text per value, whatever order a writer used. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** `hmac-sha256:<hex>` over the manifest without its signature; `format` binds it to the manifest's version. */
export function signatureOf<T extends { format: string; signature?: string }>(manifest: T, key: PointKey): string {
  const { signature: _ignored, ...signed } = manifest;
  const mac = createHmac('sha256', key.bytes).update(`${manifest.format}\n${canonicalJson(signed)}`).digest('hex');
  return `${SIGNATURE_SCHEME}:${mac}`;
}

export type Authenticity = 'authentic' | 'forged' | 'unsigned' | 'unchecked';

/**
 * authentic: signed with this key; forged: signed, but not with this key (or changed since); unsigned: no signature
 * (a point made before signing); unchecked: signed, and no key here to check it with.
 */
export function authenticate<T extends { format: string; signature?: string }>(manifest: T, key: PointKey | undefined): Authenticity {
  if (manifest.signature === undefined) return 'unsigned';
  if (!key) return 'unchecked';
  const expected = Buffer.from(signatureOf(manifest, key));
  const given = Buffer.from(manifest.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'authentic' : 'forged';
}
