import { describe, expect, it } from 'vitest';
import { formatRowsMarkdown, formatRowsText, pass, summarise, summaryLine, timed, warn, type Row } from '../../generator/verify/rows.ts';

const rows: Row[] = [
  { id: 'etcd-proxy:put-get', check: 'etcd proxy: put and get', endpoint: 'etcd', status: 'pass', elapsedMs: 81, reason: 'ok' },
  { id: 'minio:bucket:b', check: 'minio bucket b', endpoint: 's3', status: 'warn', elapsedMs: 1500, reason: 'public | risky' },
  { id: 'minio:console', check: 'minio: console', endpoint: 'console', status: 'fail', elapsedMs: 5000, reason: 'no answer' },
];

describe('rows', () => {
  it('times a check and turns what it throws into a one-line fail', async () => {
    let clock = 0;
    const row = await timed({ id: 'x:c', check: 'c', endpoint: 's3' }, async () => {
      clock = 250;
      throw new Error('first\nsecond');
    }, () => clock);
    expect(row).toEqual({ id: 'x:c', check: 'c', endpoint: 's3', status: 'fail', elapsedMs: 250, reason: 'first | second' });
    expect((await timed({ id: 'x:c', check: 'c' }, async () => warn('w'))).status).toBe('warn');
  });

  it('summarises: any fail fails, else any warn warns', () => {
    expect(summarise(rows)).toEqual({ pass: 1, warn: 1, fail: 1, status: 'fail' });
    expect(summarise(rows.slice(0, 2)).status).toBe('warn');
    expect(summarise([]).status).toBe('pass');
    expect(summaryLine('local', summarise(rows), 2345)).toBe('verify local: FAIL — 1 pass, 1 warn, 1 fail in 2.35s');
  });

  it('prints aligned text and escaped markdown', () => {
    expect(formatRowsText(rows).split('\n')).toEqual([
      'STATUS  TIME   CHECK                    REASON',
      'PASS    0.08s  etcd proxy: put and get  ok',
      'WARN    1.50s  minio bucket b           public | risky',
      'FAIL    5.00s  minio: console           no answer',
    ]);
    expect(formatRowsMarkdown(rows)).toContain('| ⚠️ warn | 1.50s | minio bucket b | public \\| risky |');
    expect(pass('x').status).toBe('pass');
  });
});
