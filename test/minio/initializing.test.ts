// deploy's patience with a MinIO that answers "Server not initialized" (generator/minio/initializing.ts): retried
// while MinIO says so, bounded, and never for any other answer.
import { describe, expect, it } from 'vitest';
import { isStillInitializing, whileMinioInitializes } from '../../generator/minio/initializing.ts';

// The answer the staging swarm's first deploy met (verify's user, through nginx, right after every node ran).
const SEEN = 'MinIO admin add-canned-policy: 500 InternalError: We encountered an internal error, please try again. (Server not initialized, please try again)';

describe('whileMinioInitializes', () => {
  it('knows MinIO\'s words for it, from the admin API and from S3, and nothing else', () => {
    expect(isStillInitializing(SEEN)).toBe(true);
    expect(isStillInitializing('S3 Error: XMinioServerNotInitialized')).toBe(true);
    expect(isStillInitializing('MinIO admin add-canned-policy: 403 AccessDenied: Access Denied.')).toBe(false);
  });

  it('tries again while MinIO initializes, and says how long it waited', async () => {
    const answers = [SEEN, SEEN, 'done'];
    const { outcome, waitedMs, attempts } = await whileMinioInitializes(async () => answers.shift()!, isStillInitializing, 5_000, 10);
    expect(outcome).toBe('done');
    expect(attempts).toBe(3);
    expect(waitedMs).toBeGreaterThan(0);
  });

  it('answers at once, with no wait counted, when the first attempt is not MinIO initializing', async () => {
    const other = 'MinIO admin add-canned-policy: 403 AccessDenied: Access Denied.';
    expect(await whileMinioInitializes(async () => other, isStillInitializing, 5_000, 10)).toEqual({ outcome: other, waitedMs: 0, attempts: 1 });
  });

  it('gives up after its bound with the last answer', async () => {
    let calls = 0;
    const { outcome, attempts } = await whileMinioInitializes(async () => (calls++, SEEN), isStillInitializing, 100, 20);
    expect(outcome).toBe(SEEN);
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThan(10);
  });
});
