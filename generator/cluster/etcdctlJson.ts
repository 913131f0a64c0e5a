// Reading `etcdctl -w json` output (etcd 3.5). Member and cluster ids are uint64 and printed as bare JSON numbers,
// which JSON.parse rounds (7056769341622263998 is not a double): ids are read as decimal strings instead.

/** JSON.parse, except that integers too long for a double (16+ digits) outside strings become strings. */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  let out = '';
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++index] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
      continue;
    }
    if (/[-0-9]/.test(char)) {
      let end = index + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end++;
      const token = text.slice(index, end);
      out += /^-?\d{16,}$/.test(token) ? `"${token}"` : token;
      index = end - 1;
      continue;
    }
    out += char;
  }
  return JSON.parse(out);
}

/** An id as a decimal string, whichever way it was printed. */
const id = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

export interface EndpointStatus {
  endpoint: string;
  clusterId: string;
  memberId: string;
  leader: string;
  raftIndex: number;
  raftAppliedIndex: number;
  raftTerm: number;
  version: string;
  isLearner: boolean;
  /** The backend file's size in bytes, free pages included. */
  dbSize: number;
}

/** `etcdctl endpoint status -w json`: a JSON array of the endpoints that answered. */
export function parseEndpointStatus(stdout: string): EndpointStatus[] {
  const text = stdout.trim();
  if (text === '') return [];
  const parsed = parseJsonKeepingBigIntegers(text);
  if (!Array.isArray(parsed)) throw new Error('endpoint status: expected a JSON array');
  return parsed.map((entry: Record<string, any>) => {
    const status = entry.Status ?? {};
    const header = status.header ?? {};
    return {
      endpoint: String(entry.Endpoint ?? ''),
      clusterId: id(header.cluster_id),
      memberId: id(header.member_id),
      leader: id(status.leader),
      raftIndex: num(status.raftIndex),
      raftAppliedIndex: num(status.raftAppliedIndex),
      raftTerm: num(status.raftTerm),
      version: String(status.version ?? ''),
      isLearner: status.isLearner === true,
      dbSize: num(status.dbSize),
    };
  });
}

/**
 * Why endpoints did not answer, from etcdctl's stderr: "Failed to get the status of endpoint etcd3:2379 (context
 * deadline exceeded)", sharpened by the client's last dial error for that endpoint when it logged one
 * ("no such host" when swarm has dropped a stopped task's name, "connection refused" while it restarts).
 */
export function parseEndpointFailures(stderr: string): Map<string, string> {
  const failures = new Map<string, string>();
  for (const match of stderr.matchAll(/Failed to get the status of endpoint (\S+) \(([^)]*)\)/g)) {
    failures.set(match[1]!, match[2]!);
  }
  for (const [endpoint, reason] of failures) {
    const host = endpoint.replace(/:\d+$/, '');
    const dial = dialError(stderr, endpoint, host);
    if (dial) failures.set(endpoint, `${dial} (${reason})`);
  }
  return failures;
}

function dialError(stderr: string, endpoint: string, host: string): string | undefined {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`lookup ${escaped(host)}[^"]*?no such host`).test(stderr)) return 'no such host';
  if (new RegExp(`dial tcp ${escaped(endpoint)}: connect: connection refused`).test(stderr)) return 'connection refused';
  if (new RegExp(`dial tcp [^ ]*${escaped(host)}[^ ]*: i/o timeout`).test(stderr)) return 'i/o timeout';
  return undefined;
}

export interface Member {
  id: string;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  isLearner: boolean;
}

/** `etcdctl member list -w json`. A member added but never started has an empty name. */
export function parseMemberList(stdout: string): Member[] {
  const parsed = parseJsonKeepingBigIntegers(stdout.trim()) as { members?: Record<string, any>[] };
  if (typeof parsed !== 'object' || parsed === null) throw new Error('member list: expected a JSON object');
  return (parsed.members ?? []).map((member) => ({
    id: id(member.ID),
    name: String(member.name ?? ''),
    peerUrls: (member.peerURLs ?? []) as string[],
    clientUrls: (member.clientURLs ?? []) as string[],
    isLearner: member.isLearner === true,
  }));
}

/** `etcdctl get KEY -w json`: the values found (keys and values are base64 in etcdctl's JSON). */
export function parseGet(stdout: string): { key: string; value: string }[] {
  const parsed = parseJsonKeepingBigIntegers(stdout.trim()) as { kvs?: { key: string; value?: string }[] };
  if (typeof parsed !== 'object' || parsed === null) throw new Error('get: expected a JSON object');
  const decode = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');
  return (parsed.kvs ?? []).map((kv) => ({ key: decode(kv.key), value: decode(kv.value) }));
}
