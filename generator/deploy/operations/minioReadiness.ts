// Whether MinIO serves through its load balancer: S3 with write quorum (/minio/health/cluster 200) and the console
// answering. Convergence cannot say so: a MinIO task is running and live (its healthcheck) while it still resolves its
// peers and waits for them, and its console listens only seconds after the server is up (staging, measured: the
// console refused connections 8 s after "MinIO Object Storage Server" was logged). Deploy waits for this before it
// signs in to MinIO and before deploy.yml's verify runs, so a fresh deploy is not reported broken for a start-up.
import { formatHostPort, type Endpoints } from '../../cluster/endpoints.ts';
import { httpGet } from '../../cluster/http.ts';
import { HEALTH_PATH } from '../../cluster/minioAccess.ts';

export interface ServingResult {
  ok: boolean;
  ms: number;
  /** The last answer of each check, for the problem line when it never served. */
  last: { s3: string; console: string };
}

const CALL_MS = 3_000;
const POLL_MS = 1_000;

export async function waitUntilMinioServes(endpoints: Pick<Endpoints, 's3' | 'console'>, timeoutMs: number, now: () => number = () => performance.now()): Promise<ServingResult> {
  const started = now();
  const s3 = `http://${formatHostPort(endpoints.s3)}${HEALTH_PATH}`;
  const console = `http://${formatHostPort(endpoints.console)}/`;
  const last = { s3: 'not asked', console: 'not asked' };
  for (;;) {
    const [s3Answer, consoleAnswer] = await Promise.all([answerOf(s3), answerOf(console)]);
    last.s3 = `${s3}: ${s3Answer.text}`;
    last.console = `${console}: ${consoleAnswer.text}`;
    // S3 must have write quorum; the console any non-error answer (it redirects to its login page).
    if (s3Answer.status === 200 && consoleAnswer.status !== undefined && consoleAnswer.status < 400) return { ok: true, ms: Math.round(now() - started), last };
    if (now() - started + POLL_MS > timeoutMs) return { ok: false, ms: Math.round(now() - started), last };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function answerOf(url: string): Promise<{ status?: number; text: string }> {
  try {
    const answer = await httpGet(url, CALL_MS);
    return { status: answer.status, text: String(answer.status) };
  } catch (error) {
    return { text: error instanceof Error ? error.message.replace(`GET ${url}: `, '') : String(error) };
  }
}
