// madmin's EncryptData / DecryptData: MinIO's admin API takes some bodies (add-user, policy attach/detach) and sends
// some answers (policy-entities, list-users, newer servers' attach/detach) encrypted with the requester's secret key.
// argon2id from hash-wasm (WebAssembly), everything else from node:crypto.
// Read in github.com/minio/madmin-go/v2@v2.0.16 encrypt.go (the version MinIO RELEASE.2023-03-20T20-16-18Z vendors;
// v3.0.109 is the same format, only a mutex around argon2 added) and github.com/secure-io/sio-go@v0.3.1 (sio.go,
// writer.go, reader.go):
//
//   salt (32 random bytes) | algorithm id (1 byte) | nonce (8 random bytes) | sio stream of the plaintext
//
//   id 0x00: key = argon2id(secret key, salt, t=1, m=64 MiB, p=4, 32 bytes), AES-256-GCM   (madmin with AES-NI)
//   id 0x01: the same key, ChaCha20-Poly1305                                                (madmin without AES-NI)
//   id 0x02: key = PBKDF2-HMAC-SHA256(secret key, salt, 8192 iterations, 32 bytes), AES-256-GCM (FIPS builds)
//
// The sio stream cuts the plaintext into fragments of 16 KiB (sio.BufSize); fragment i (from 1) is sealed by the AEAD
// with the nonce `nonce | uint32 little-endian i` and the associated data `flag | tag`, where tag is the AEAD's
// seal of nothing under sequence number 0 (sio binds the stream's own associated data, empty here, that way) and
// flag is 0x00, or 0x80 on the last fragment. The last fragment holds 0..16 KiB (a plaintext of exactly n × 16 KiB
// ends with a full last fragment, never an empty one after it), so in a ciphertext every fragment but the last is
// exactly 16 KiB + 16 bytes.
import { argon2id } from 'hash-wasm';
import { createCipheriv, createDecipheriv, pbkdf2, randomBytes, type CipherGCM, type DecipherGCM } from 'node:crypto';
import { promisify } from 'node:util';

export const ENCRYPTION_ALGORITHMS = {
  'argon2id-aes-256-gcm': 0x00,
  'argon2id-chacha20-poly1305': 0x01,
  'pbkdf2-aes-256-gcm': 0x02,
} as const;
export type EncryptionAlgorithm = keyof typeof ENCRYPTION_ALGORITHMS;

const SALT_BYTES = 32;
const NONCE_BYTES = 8;
const HEADER_BYTES = SALT_BYTES + 1 + NONCE_BYTES;
const TAG_BYTES = 16;
/** sio.BufSize: the plaintext bytes of one fragment. */
export const FRAGMENT_BYTES = 1 << 14;
const FINAL_FLAG = 0x80;

/** madmin's argon2id cost (argon2idTime, argon2idMemory in KiB, argon2idThreads) and pbkdf2Cost. */
const ARGON2ID = { iterations: 1, memorySize: 64 * 1024, parallelism: 4, hashLength: 32 } as const;
const PBKDF2_ITERATIONS = 8192;

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/** Random bytes; a parameter so a test can fix the salt and nonce. */
export type RandomSource = (size: number) => Buffer;

export async function encryptData(
  secretKey: string,
  plaintext: Uint8Array,
  algorithm: EncryptionAlgorithm = 'argon2id-aes-256-gcm',
  random: RandomSource = randomBytes,
): Promise<Buffer> {
  const id = ENCRYPTION_ALGORITHMS[algorithm];
  const salt = random(SALT_BYTES);
  const nonce = random(NONCE_BYTES);
  const aead = aeadFor(id, await deriveKey(id, secretKey, salt));
  const parts: Buffer[] = [salt, Buffer.of(id), nonce];
  const associated = streamAssociatedData(aead, nonce);
  let sequence = 1;
  let offset = 0;
  // Full fragments while more than one fragment's worth is left; what remains (0..16 KiB) is the last.
  while (plaintext.length - offset > FRAGMENT_BYTES) {
    parts.push(aead.seal(fragmentNonce(nonce, sequence++), associated, plaintext.subarray(offset, offset + FRAGMENT_BYTES)));
    offset += FRAGMENT_BYTES;
  }
  associated[0] = FINAL_FLAG;
  parts.push(aead.seal(fragmentNonce(nonce, sequence), associated, plaintext.subarray(offset)));
  return Buffer.concat(parts);
}

export async function decryptData(secretKey: string, data: Uint8Array): Promise<Buffer> {
  if (data.length < HEADER_BYTES + TAG_BYTES) throw new DecryptionError(`not madmin-encrypted data: ${data.length} bytes, fewer than a header and one fragment`);
  const salt = data.subarray(0, SALT_BYTES);
  const id = data[SALT_BYTES]!;
  const nonce = data.subarray(SALT_BYTES + 1, HEADER_BYTES);
  if (!Object.values(ENCRYPTION_ALGORITHMS).includes(id as 0 | 1 | 2)) throw new DecryptionError(`unknown madmin encryption algorithm id ${id}`);
  const aead = aeadFor(id, await deriveKey(id, secretKey, salt));
  const associated = streamAssociatedData(aead, nonce);
  const sealedFragment = FRAGMENT_BYTES + TAG_BYTES;
  const parts: Buffer[] = [];
  let sequence = 1;
  let offset = HEADER_BYTES;
  for (;;) {
    const last = data.length - offset <= sealedFragment;
    if (last) associated[0] = FINAL_FLAG;
    const end = last ? data.length : offset + sealedFragment;
    const plain = aead.open(fragmentNonce(nonce, sequence++), associated, data.subarray(offset, end));
    if (!plain) throw new DecryptionError('not authentic: the secret key is not the one it was encrypted with, or the data was changed');
    parts.push(plain);
    if (last) return Buffer.concat(parts);
    offset = end;
  }
}

async function deriveKey(id: number, secretKey: string, salt: Uint8Array): Promise<Buffer> {
  const password = Buffer.from(secretKey, 'utf8');
  if (id === ENCRYPTION_ALGORITHMS['pbkdf2-aes-256-gcm']) return promisify(pbkdf2)(password, salt, PBKDF2_ITERATIONS, 32, 'sha256');
  // WebAssembly (hash-wasm): 0.3-1 s for madmin's 64 MiB here, where pure JavaScript (@noble/hashes) took 1.5-8 s
  // depending on the machine's load: too slow for a deploy step that decrypts on every run, and for its tests.
  return Buffer.from(await argon2id({ password, salt, ...ARGON2ID, outputType: 'binary' }));
}

interface Aead {
  seal(nonce: Buffer, associated: Buffer, plaintext: Uint8Array): Buffer;
  /** The plaintext, or undefined when the tag does not verify. */
  open(nonce: Buffer, associated: Buffer, sealed: Uint8Array): Buffer | undefined;
}

function aeadFor(id: number, key: Buffer): Aead {
  // Both AEADs have GCM's interface in node (setAAD, getAuthTag, setAuthTag) and its 12-byte nonce and 16-byte tag.
  const cipher = (id === ENCRYPTION_ALGORITHMS['argon2id-chacha20-poly1305'] ? 'chacha20-poly1305' : 'aes-256-gcm') as 'aes-256-gcm';
  return {
    seal(nonce, associated, plaintext) {
      const sealer = createCipheriv(cipher, key, nonce, { authTagLength: TAG_BYTES }) as CipherGCM;
      sealer.setAAD(associated, { plaintextLength: plaintext.length });
      return Buffer.concat([sealer.update(plaintext), sealer.final(), sealer.getAuthTag()]);
    },
    open(nonce, associated, sealed) {
      if (sealed.length < TAG_BYTES) return undefined;
      const opener = createDecipheriv(cipher, key, nonce, { authTagLength: TAG_BYTES }) as DecipherGCM;
      opener.setAAD(associated, { plaintextLength: sealed.length - TAG_BYTES });
      opener.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      try {
        return Buffer.concat([opener.update(sealed.subarray(0, sealed.length - TAG_BYTES)), opener.final()]);
      } catch {
        return undefined;
      }
    },
  };
}

/** The 12-byte AEAD nonce of fragment `sequence`: the stream's 8-byte nonce, then the sequence number (LE). */
function fragmentNonce(nonce: Uint8Array, sequence: number): Buffer {
  const full = Buffer.alloc(NONCE_BYTES + 4);
  full.set(nonce);
  full.writeUInt32LE(sequence, NONCE_BYTES);
  return full;
}

/** sio's per-fragment associated data: a flag byte, then the seal of nothing (the stream's empty associated data) under sequence 0. */
function streamAssociatedData(aead: Aead, nonce: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(0x00), aead.seal(fragmentNonce(nonce, 0), Buffer.alloc(0), Buffer.alloc(0))]);
}
