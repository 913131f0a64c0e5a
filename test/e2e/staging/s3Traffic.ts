// Milvus's bucket through the load balancer while a deploy changes things under it: a write, then a read of the same
// bytes, every `everyMs`. The longest gap between successes is the S3 pause — one that lasts until stop() counts too,
// from the last success to then. The load balancer's host-mode ports answer only on the managers where a proxy task
// runs, and a deploy may move them (a takeover turns the runbook's three nginx replicas into the topology's two): after
// FOLLOW_AFTER failures in a row the client asks where they run now and follows, as Milvus's client on the overlay
// network follows the service's name. Without that, a client left on a manager without a proxy measured a takeover's
// "pause" as 1.2 s — the gap before its successes stopped, never the time after (CI run of 2026-12-07 02:55).
import { randomBytes } from 'node:crypto';
import { endpoints, s3Client, type Staging } from './support.ts';

const FOLLOW_AFTER = 3;

export interface S3TrafficFigures {
  ok: number;
  failures: number;
  firstFailure?: string;
  longestGapMs: number;
  /** Times the client followed the load balancer to another manager. */
  moves: number;
}

export function s3Traffic(context: Staging, options: { prefix: string; everyMs?: number }) {
  const bucket = context.model.milvus.bucketName;
  let running = true;
  let ok = 0;
  let moves = 0;
  const failures: string[] = [];
  let longestGapMs = 0;
  let lastOk = performance.now();
  const loop = (async () => {
    let at = (await endpoints(context)).s3;
    let client = s3Client(context, at);
    let streak = 0;
    for (let index = 0; running; index++) {
      const body = randomBytes(4096);
      const key = `${options.prefix}/traffic-${index % 20}`;
      try {
        await client.putObject(bucket, key, body);
        const read = await readAll(await client.getObject(bucket, key));
        if (!read.equals(body)) throw new Error('read other bytes than written');
        ok++;
        streak = 0;
        longestGapMs = Math.max(longestGapMs, performance.now() - lastOk);
        lastOk = performance.now();
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
        if (++streak >= FOLLOW_AFTER) {
          streak = 0;
          const now = await endpoints(context).then((found) => found.s3, () => at);
          if (now !== at) {
            at = now;
            client = s3Client(context, at);
            moves++;
          }
        }
      }
      await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 200));
    }
  })();
  return {
    async stop(): Promise<S3TrafficFigures> {
      running = false;
      await loop;
      longestGapMs = Math.max(longestGapMs, performance.now() - lastOk);
      return { ok, failures: failures.length, ...(failures[0] ? { firstFailure: failures[0] } : {}), longestGapMs: Math.round(longestGapMs), moves };
    },
  };
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
