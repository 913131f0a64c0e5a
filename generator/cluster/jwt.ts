// The bearer token MinIO's metrics endpoints accept (what `mc admin prometheus generate` prints): a JWT signed with
// HS512 by the secret key, with sub = the access key and iss = "prometheus" (MinIO cmd/metrics-router.go,
// cmd/jwt.go). Ours expires after a few minutes instead of mc's hundred years.
import { createHmac } from 'node:crypto';

export const PROMETHEUS_ISSUER = 'prometheus';
export const TOKEN_LIFETIME_SECONDS = 300;

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function prometheusToken(accessKey: string, secretKey: string, nowSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ exp: nowSeconds + TOKEN_LIFETIME_SECONDS, sub: accessKey, iss: PROMETHEUS_ISSUER }));
  const signature = createHmac('sha512', secretKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
