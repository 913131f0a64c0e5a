// The staging site's DNS resolver: answers every query at once with NXDOMAIN, as a site's resolver answers a bare name
// it does not know (`minio3` while that MinIO task is not in swarm's DNS). Swarm's embedded DNS forwards the names it
// does not hold to the engines' resolver (dockerd --dns); without this one the staging engines had only this machine's
// resolver, which their namespaces cannot reach, and every such lookup waited 5 s for nothing — a MinIO node dialling a
// stopped peer stalled writes for 20 s, which production, where the resolver answers, does not see.
//
// Run detached by siteResolver.ts: `node --import tsx siteResolverServer.ts ADDRESS PORT`. Plain UDP (swarm's DNS asks
// upstream over UDP; an answer without records is never truncated).
import { createSocket } from 'node:dgram';

const [address = '10.77.0.1', port = '53'] = process.argv.slice(2);
const HEADER_BYTES = 12;

/** The reply to one query: its id and question, QR set, RD kept, RA set, RCODE 3 (NXDOMAIN), no records. */
export function nxdomainReply(query: Buffer): Buffer | undefined {
  if (query.length < HEADER_BYTES) return undefined;
  // The question: labels up to the zero byte, then type and class (4 bytes). Compression cannot occur in a question.
  let offset = HEADER_BYTES;
  while (offset < query.length && query[offset] !== 0) offset += query[offset]! + 1;
  const questionEnd = offset + 1 + 4;
  if (questionEnd > query.length || query.readUInt16BE(4) !== 1) return undefined;
  const reply = Buffer.from(query.subarray(0, questionEnd));
  const recursionDesired = query[2]! & 0x01;
  reply[2] = 0x80 | (query[2]! & 0x78) | recursionDesired; // QR, the query's opcode, RD
  reply[3] = 0x80 | 0x03; // RA, NXDOMAIN
  reply.writeUInt16BE(0, 6); // no answers
  reply.writeUInt16BE(0, 8); // no authority
  reply.writeUInt16BE(0, 10); // no additional records (the query's EDNS record is not echoed)
  return reply;
}

if (process.argv[1]?.endsWith('siteResolverServer.ts')) {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const reply = nxdomainReply(query);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  socket.on('error', (error) => {
    process.stderr.write(`site resolver on ${address}:${port}: ${error.message}\n`);
    process.exit(1);
  });
  socket.bind(Number(port), address, () => process.stdout.write(`site resolver answering NXDOMAIN on ${address}:${port}\n`));
}
