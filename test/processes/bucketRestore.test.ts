// The MinIO cut against a real MinIO process: objects written, overwritten and deleted around a cut, the bucket
// brought back to it (every key's bytes as they were), then the restore itself undone from the moment before it.
import { createHash, randomBytes } from 'node:crypto';
import type { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStateAt, isReserved, planBucketRestore } from '../../generator/backup/bucketCut.ts';
import { applyBucketRestore, ensureRecoveryWindow, listObjectVersions, markCut, readRecoveryWindow, RECOVERY_WINDOW_RULE_ID } from '../../generator/backup/s3.ts';
import { readObject, removeScratch, scratchDir, startMinio, type LocalMinio } from './support/processes.ts';

const BUCKET = 'milvus-bucket';
let directory: string;
let minio: LocalMinio;
let client: Client;

beforeAll(async () => {
  directory = scratchDir('bucket-restore');
  minio = await startMinio(directory);
  client = minio.client();
  await client.makeBucket(BUCKET);
});

afterAll(async () => {
  await minio?.stop();
  removeScratch(directory);
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Every key Milvus would see and the sha256 of its bytes, read back from MinIO (not from the listing). */
async function contents(): Promise<Record<string, string>> {
  const keys: string[] = [];
  for await (const item of client.listObjectsV2(BUCKET, '', true)) if (item.name && !isReserved(item.name)) keys.push(item.name);
  const result: Record<string, string> = {};
  for (const key of keys.sort()) result[key] = sha256(await readObject(client, BUCKET, key));
  return result;
}

const put = (key: string, bytes: Buffer | string) => client.putObject(BUCKET, key, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);

describe('a versioned bucket brought back to a cut', () => {
  it('turns versioning on with a lifecycle rule that keeps noncurrent versions for the window, keeping other rules', async () => {
    await client.setBucketLifecycle(BUCKET, { Rule: [{ ID: 'someone-elses', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }] });
    await ensureRecoveryWindow(client, BUCKET, 3);
    await ensureRecoveryWindow(client, BUCKET, 7);
    expect(await readRecoveryWindow(client, BUCKET)).toEqual({ versioning: 'Enabled', windowDays: 7 });
    const rules = (await client.getBucketLifecycle(BUCKET))!.Rule as unknown as { ID: string }[];
    expect(rules.map((rule) => rule.ID).sort()).toEqual([RECOVERY_WINDOW_RULE_ID, 'someone-elses']);
  });

  it('restores every key to its bytes at the cut, and undoes the restore from the moment before it', async () => {
    // Before the cut: Milvus-like segment files, some overwritten, one deleted, odd key names, one 6 MiB object.
    for (let index = 0; index < 30; index++) await put(`files/insert_log/1/2/${index}`, randomBytes(1 + index * 97));
    await put('files/index_files/big', randomBytes(6 * 1024 * 1024));
    await put('files/stats_log/overwritten', 'first');
    await put('files/stats_log/overwritten', 'second, current at the cut');
    await put('files/deleted before the cut', 'gone');
    await client.removeObject(BUCKET, 'files/deleted before the cut');
    await put('files/odd name+with (parens)?&#.bin', 'odd');
    const atCut = await contents();
    const { cut } = await markCut(client, BUCKET, 'test-point');

    // After the cut: the mistakes.
    await put('files/stats_log/overwritten', 'third, after the cut');
    for (let index = 0; index < 30; index += 3) await client.removeObject(BUCKET, `files/insert_log/1/2/${index}`);
    await put('files/deleted before the cut', 'back again after the cut');
    await put('files/created after the cut', 'new');
    await put('files/odd name+with (parens)?&#.bin', 'odd, overwritten');
    await put('files/index_files/big', randomBytes(1024));
    const mutated = await contents();
    expect(mutated).not.toEqual(atCut);

    // Small pages, so paging (and MinIO's markers for keys like the odd one) is part of what is tested.
    const versions = await listObjectVersions(client, BUCKET, { pageSize: 7 });
    const target = bucketStateAt(versions, cut);
    expect([...target.keys()].sort()).toEqual(Object.keys(atCut));
    const plan = planBucketRestore(versions, target);
    expect(plan.missing).toEqual([]);
    expect(plan.hidden).toEqual({ objects: 2, bytes: 'new'.length + 'back again after the cut'.length });
    // 10 deleted segments, the overwritten stats log, the odd key and the big object (part by part: the limit is lowered).
    expect(plan.copied.objects).toBe(13);

    const { cut: beforeRestore } = await markCut(client, BUCKET, 'undo-point');
    const applied = await applyBucketRestore(client, BUCKET, plan, { concurrency: 4, singleCopyLimit: 5 * 1024 * 1024 });
    expect(applied).toEqual({ done: 15, failed: [] });
    expect(await contents()).toEqual(atCut);

    // Running the same restore again changes nothing.
    expect(planBucketRestore(await listObjectVersions(client, BUCKET), target).actions).toEqual([]);

    // Nothing was destroyed: the moment before the restore can be brought back, mistakes included.
    const afterRestore = await listObjectVersions(client, BUCKET);
    const undo = planBucketRestore(afterRestore, bucketStateAt(afterRestore, beforeRestore));
    expect(undo.missing).toEqual([]);
    expect(await applyBucketRestore(client, BUCKET, undo)).toMatchObject({ failed: [] });
    expect(await contents()).toEqual(mutated);
  });
});
