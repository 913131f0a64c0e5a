// The staging site's resolver (test/e2e/harness/siteResolverServer.ts): a real server on loopback, asked by Node's own
// resolver, answers NXDOMAIN at once — the behaviour staging's engines rely on instead of a 5 s timeout.
import { spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { nxdomainReply } from '../e2e/harness/siteResolverServer.ts';

const SERVER = path.resolve(import.meta.dirname, '../e2e/harness/siteResolverServer.ts');

it('answers a query with its id and question, NXDOMAIN and no records', () => {
  // id 0x1234, RD, one question: minio3 A IN, then an EDNS record the reply must not echo.
  const question = Buffer.from([6, ...Buffer.from('minio3'), 0, 0, 1, 0, 1]);
  const edns = Buffer.from([0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0]);
  const query = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]), question, edns]);
  const reply = nxdomainReply(query)!;
  expect(reply.subarray(0, 2)).toEqual(Buffer.from([0x12, 0x34]));
  expect(reply[2]! & 0x80).toBe(0x80);
  expect(reply[3]! & 0x0f).toBe(3);
  expect([reply.readUInt16BE(4), reply.readUInt16BE(6), reply.readUInt16BE(8), reply.readUInt16BE(10)]).toEqual([1, 0, 0, 0]);
  expect(reply.subarray(12)).toEqual(question);
  expect(nxdomainReply(Buffer.from([1, 2, 3]))).toBeUndefined();
});

it('a lookup through the running server fails with ENOTFOUND within a second', async () => {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const server = spawn(process.execPath, ['--import', 'tsx', SERVER, '127.0.0.1', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('answering NXDOMAIN') && resolve());
      server.on('exit', (code) => reject(new Error(`the server exited ${code}`)));
    });
    const resolver = new Resolver({ timeout: 5_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${port}`]);
    const started = performance.now();
    await expect(resolver.resolve4('minio3')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(performance.now() - started).toBeLessThan(1_000);
  } finally {
    server.kill();
  }
});
