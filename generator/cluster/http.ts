// One HTTP GET with its own deadline (AbortSignal), for MinIO's health, metrics and console endpoints.
import { DeadlineError } from './deadline.ts';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export async function httpGet(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) throw new DeadlineError(`GET ${url}`, timeoutMs);
    throw new Error(`GET ${url}: ${networkReason(error)}`);
  }
}

/** fetch's "fetch failed" hides the cause; the socket error's code is what an operator can act on. */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return 'host not found';
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') return 'connection reset';
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.message : String(error);
}
