// madmin's EncryptData format (generator/minio/encryption.ts). Decryption against vectors madmin-go v2.0.16 itself
// made (fixtures/madmin-vectors/main.go: madmin.EncryptData, and sio-go for the ids madmin did not pick there), and
// encryption by round trip; test/minio/admin.test.ts shows a real MinIO reading what we encrypt. argon2id costs
// up to a second each, so most cases use the pbkdf2 id, whose stream is the same.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptData, DecryptionError, encryptData, FRAGMENT_BYTES } from '../../generator/minio/encryption.ts';

interface Vector {
  name: string;
  password: string;
  plaintext?: string;
  pattern?: number;
  ciphertext: string;
}

const vectors: Vector[] = JSON.parse(readFileSync(path.join(import.meta.dirname, 'fixtures', 'madmin-encrypted.json'), 'utf8'));
const pattern = (length: number) => Buffer.from(Array.from({ length }, (_, index) => index % 251));
const plaintextOf = (vector: Vector) => (vector.pattern !== undefined ? pattern(vector.pattern) : Buffer.from(vector.plaintext ?? '', 'base64'));
/** Fixed salt and nonce, so two encryptions can be compared byte for byte. */
const fixedRandom = (size: number) => Buffer.alloc(size, 7);

describe("decryptData reads what madmin-go's EncryptData writes", () => {
  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_, vector) => {
    const plain = await decryptData(vector.password, Buffer.from(vector.ciphertext, 'base64'));
    expect(plain.equals(plaintextOf(vector))).toBe(true);
  });

  it('the vectors cover every algorithm id and the fragment boundaries', () => {
    const ids = new Set(vectors.map((vector) => Buffer.from(vector.ciphertext, 'base64')[32]));
    expect([...ids].sort()).toEqual([0, 1, 2]);
    expect(vectors.map((vector) => plaintextOf(vector).length)).toEqual(expect.arrayContaining([0, FRAGMENT_BYTES, FRAGMENT_BYTES + 1000, 2 * FRAGMENT_BYTES]));
  });
});

describe('encryptData', () => {
  it.each([0, 1, 100, FRAGMENT_BYTES - 1, FRAGMENT_BYTES, FRAGMENT_BYTES + 1, 2 * FRAGMENT_BYTES, 3 * FRAGMENT_BYTES + 5])('round-trips %i bytes', async (length) => {
    const plain = pattern(length);
    const sealed = await encryptData('secret-key', plain, 'pbkdf2-aes-256-gcm');
    // salt, id, nonce; then one 16-byte tag per fragment, a last fragment always present (even for no data).
    const fragments = Math.max(1, Math.ceil(length / FRAGMENT_BYTES));
    expect(sealed.length).toBe(32 + 1 + 8 + length + 16 * fragments);
    expect((await decryptData('secret-key', sealed)).equals(plain)).toBe(true);
  });

  it('writes what madmin writes for the same salt and nonce (the vector, re-encrypted)', async () => {
    const vector = vectors.find((entry) => entry.name.includes('exactly two fragments'))!;
    const original = Buffer.from(vector.ciphertext, 'base64');
    const salt = original.subarray(0, 32);
    const nonce = original.subarray(33, 41);
    const replay = (size: number) => Buffer.from(size === 32 ? salt : nonce);
    expect((await encryptData(vector.password, plaintextOf(vector), 'pbkdf2-aes-256-gcm', replay)).equals(original)).toBe(true);
  });

  it('round-trips with argon2id and ChaCha20-Poly1305 (madmin without AES-NI)', async () => {
    const plain = Buffer.from('{"secretKey":"s","status":"enabled"}');
    const sealed = await encryptData('secret-key', plain, 'argon2id-chacha20-poly1305');
    expect(sealed[32]).toBe(1);
    expect((await decryptData('secret-key', sealed)).equals(plain)).toBe(true);
  });
});

describe('decryptData refuses', () => {
  const plain = pattern(FRAGMENT_BYTES + 10);
  const sealed = encryptData('secret-key', plain, 'pbkdf2-aes-256-gcm', fixedRandom);

  it('another secret key', async () => {
    await expect(decryptData('other-key', await sealed)).rejects.toThrow(new DecryptionError('not authentic: the secret key is not the one it was encrypted with, or the data was changed'));
  });

  it.each([
    ['a flipped byte in the first fragment', (data: Buffer) => (data[41 + 5]! ^= 1)],
    ['a flipped byte in the last fragment', (data: Buffer) => (data[data.length - 20]! ^= 1)],
    ['a flipped byte in the salt', (data: Buffer) => (data[3]! ^= 1)],
    ['a flipped byte in the nonce', (data: Buffer) => (data[36]! ^= 1)],
  ])('%s', async (_, mutate) => {
    const data = Buffer.from(await sealed);
    mutate(data);
    await expect(decryptData('secret-key', data)).rejects.toThrow(/not authentic/);
  });

  it('a stream cut after a full fragment (its last fragment lost)', async () => {
    const data = await sealed;
    await expect(decryptData('secret-key', data.subarray(0, 41 + FRAGMENT_BYTES + 16))).rejects.toThrow(/not authentic/);
  });

  it('an unknown algorithm id and a short header', async () => {
    const data = Buffer.from(await sealed);
    data[32] = 3;
    await expect(decryptData('secret-key', data)).rejects.toThrow('unknown madmin encryption algorithm id 3');
    await expect(decryptData('secret-key', Buffer.alloc(40))).rejects.toThrow('not madmin-encrypted data: 40 bytes, fewer than a header and one fragment');
  });
});
