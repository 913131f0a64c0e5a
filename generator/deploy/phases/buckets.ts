// Once MinIO serves: every topology bucket exists with the topology's policy — the runbook's console steps (create
// milvus-bucket, set its access policy). Deploy's, signed as root, because verify only reads (its user holds no
// bucket-creation or bucket-policy right: model/verifyPolicy.ts). Idempotent: each bucket is read first and changed
// only when it differs, and the notes say what changed (a policy changed by hand is named, then set back).
import { isStillInitializing, whileMinioInitializes } from '../../minio/initializing.ts';
import type { Client } from 'minio';
import { minioClient } from '../../backup/sites.ts';
import type { BucketPolicy } from '../../topology/schema.ts';
import { cannedPolicyDocument, describeMeaning, policyMeaning, sameMeaning } from '../../cluster/bucketPolicy.ts';
import { PASSWORD_VARIABLE, redact, USER_VARIABLE } from '../../cluster/credentials.ts';
import { endpointsFromModel, formatHostPort } from '../../cluster/endpoints.ts';
import { readPolicy } from '../../verify/minioChecks.ts';
import { locateProxies } from '../../cluster/proxyLocations.ts';
import { passed, stopped, type Phase } from '../runner/contract.ts';
import { resumeDeploy } from '../moves/stopPoints.ts';

const LOCATE_MS = 5_000;

/**
 * MinIO's answer when the bucket exists and root owns it: our own create, retried. minio-js retries a 503 (the load
 * balancer's, while a node restarts), and the first attempt may have created the bucket before its answer was lost —
 * the staging swarm's first deploy once stopped on "Your previous request to create the named bucket succeeded and
 * you already own it". The bucket is there, as the topology wants.
 */
const alreadyOurs = (error: unknown): boolean => (error as { code?: unknown } | undefined)?.code === 'BucketAlreadyOwnedByYou';

/** What was done to the buckets, one line per change ([] when every bucket was as the topology says). */
export async function ensureBuckets(client: Client, buckets: readonly { name: string; policy: BucketPolicy }[]): Promise<string[]> {
  const changes: string[] = [];
  for (const { name, policy } of buckets) {
    const found = await readPolicy(client, name);
    if (found === undefined) {
      await client.makeBucket(name).catch((error: unknown) => {
        if (!alreadyOurs(error)) throw error;
      });
      changes.push(`${name}: created`);
    }
    const meaning = policyMeaning(name, found ?? '');
    if (sameMeaning(meaning, policy)) continue;
    // minio-js deletes the policy for '' (private).
    await client.setBucketPolicy(name, cannedPolicyDocument(name, policy));
    const after = policyMeaning(name, (await readPolicy(client, name)) ?? '');
    if (!sameMeaning(after, policy)) throw new Error(`${name}: set the policy to ${policy}, but MinIO now reports ${describeMeaning(after)}`);
    changes.push(found === undefined || found.trim() === '' ? `${name}: policy set to ${policy}` : `${name}: policy was ${describeMeaning(meaning)} (changed outside the topology), set back to ${policy}`);
  }
  return changes;
}

export const buckets: Phase = {
  name: 'buckets',
  stage: 'converge',
  async run(context) {
    const { model } = context;
    const wanted = model.minio.buckets;
    if (wanted.length === 0) return passed();
    const names = wanted.map((bucket) => bucket.name).join(', ');
    const root = context.options.minio?.root;
    if (!root) {
      return passed({ notes: [`buckets ${names} left as they are: ${USER_VARIABLE}/${PASSWORD_VARIABLE} are not set (deploy.yml sets them; --env-file FILE by hand); verify reports a missing bucket or another policy`] });
    }
    // Host-mode ports answer only where a proxy task runs: the same lookup verify makes.
    const located = await locateProxies(context.runner, model, endpointsFromModel(model), [], LOCATE_MS);
    const client = minioClient(located.endpoints.s3, root);
    const changes: string[] = [];
    const { outcome, waitedMs } = await whileMinioInitializes(
      async () => {
        try {
          changes.push(...(await ensureBuckets(client, wanted)));
          return undefined;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
      (problem) => problem !== undefined && isStillInitializing(problem),
    );
    const waited = waitedMs > 0 ? [`buckets: waited ${(waitedMs / 1000).toFixed(1)} s for MinIO to finish initializing (it answered "Server not initialized")`] : [];
    if (outcome !== undefined) {
      return stopped([redact(`buckets (through ${formatHostPort(located.endpoints.s3)}): ${outcome}`, [root.secretKey])], {
        notes: [...located.notes, ...waited, ...changes.map((change) => `bucket ${change}`)],
        stopped: { state: `the stack converged; the buckets ${names} are not all what the topology says (verify names which)`, resume: resumeDeploy(context.environment) },
      });
    }
    return passed({ notes: [...located.notes, ...waited, ...(changes.length > 0 ? changes.map((change) => `bucket ${change}`) : [`buckets ${names}: as the topology says`])] });
  },
};
