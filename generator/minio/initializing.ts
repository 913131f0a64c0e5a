// MinIO answers "Server not initialized" for a while after every node runs and /minio/health/cluster says 200: each
// node loads its IAM (users, policies) and bucket metadata after it joined, and the load balancer may send a call to
// a node that has not yet. Seen on the staging swarm's first deploy (verify's user: add-canned-policy 500 "Server not
// initialized, please try again") and after a MinIO-wide restart. The answer itself says to try again; deploy does,
// bounded, for the steps that sign in to MinIO after convergence. Every one of them is idempotent (read, then change
// what differs), so a retry after a half-done attempt finishes it.

/** MinIO's own words for it: the admin API's and S3's. */
const NOT_INITIALIZED = /Server not initialized|XMinioServerNotInitialized/i;

export const isStillInitializing = (text: string): boolean => NOT_INITIALIZED.test(text);

export const INITIALIZING_PATIENCE_MS = 60_000;
const POLL_MS = 1_000;

/**
 * Runs `attempt` until its outcome is not MinIO still initializing, or `timeoutMs` passed (the last outcome then).
 * `waitedMs` is how long it waited on MinIO: 0 when the first attempt was answered.
 */
export async function whileMinioInitializes<T>(attempt: () => Promise<T>, initializing: (outcome: T) => boolean, timeoutMs = INITIALIZING_PATIENCE_MS, pollMs = POLL_MS): Promise<{ outcome: T; waitedMs: number; attempts: number }> {
  const started = performance.now();
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt();
    const waitedMs = Math.round(performance.now() - started);
    if (!initializing(outcome) || waitedMs + pollMs > timeoutMs) return { outcome, waitedMs: attempts === 1 ? 0 : waitedMs, attempts };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
