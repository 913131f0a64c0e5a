// A FAKE GitHub REST API server — the one stand-in of the suite: GitHub cannot be reached from the machines the tests
// run on, and the issue that a red run opens is GitHub's. It serves the four calls the red-run issue makes
// (.github/actions/shared/src/githubIssues.ts), shaped as GitHub's REST API documents them (docs.github.com/rest/issues):
//   GET   /repos/{owner}/{repo}/issues?state=open&per_page=N&page=P   (pull requests listed too, as GitHub does;
//                                                                     a Link header with rel="next" while more remain)
//   POST  /repos/{owner}/{repo}/issues                    {title, body}             → 201 the issue
//   POST  /repos/{owner}/{repo}/issues/{number}/comments  {body}                    → 201 the comment
//   PATCH /repos/{owner}/{repo}/issues/{number}           {state, state_reason}     → 200 the issue
// Every call must carry the token it was started with (`authorization: token …` or `Bearer …`), else 401.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  state_reason?: string | null;
  comments: string[];
  /** Set on a pull request (the issues list holds them too). */
  pull_request?: { url: string };
  repository: string;
}

export interface FakeGitHub {
  /** http://HOST:PORT, for GITHUB_API_URL. */
  url: string;
  issues: FakeIssue[];
  /** `METHOD /path` of every call, in order. */
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeGitHub(options: { token: string; host?: string; pageSize?: number }): Promise<FakeGitHub> {
  const issues: FakeIssue[] = [];
  const calls: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      calls.push(`${request.method} ${url.pathname}`);
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        response.end(JSON.stringify(value));
      };
      const auth = request.headers.authorization ?? '';
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}`) return send(401, { message: 'Bad credentials' });
      const body = chunks.length > 0 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      const match = /^\/repos\/([^/]+\/[^/]+)\/issues(?:\/(\d+))?(\/comments)?$/.exec(url.pathname);
      if (!match) return send(404, { message: 'Not Found' });
      const [, repository, number, comments] = match;
      const issue = number ? issues.find((entry) => entry.repository === repository && entry.number === Number(number)) : undefined;
      const shown = (entry: FakeIssue) => ({ number: entry.number, title: entry.title, body: entry.body, state: entry.state, state_reason: entry.state_reason ?? null, comments: entry.comments.length, ...(entry.pull_request ? { pull_request: entry.pull_request } : {}) });
      if (request.method === 'GET' && !number) {
        const state = url.searchParams.get('state') ?? 'open';
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), options.pageSize ?? 100);
        const page = Number(url.searchParams.get('page') ?? 1);
        const listed = issues.filter((entry) => entry.repository === repository && (state === 'all' || entry.state === state)).sort((a, b) => b.number - a.number);
        const slice = listed.slice((page - 1) * perPage, page * perPage);
        const next: Record<string, string> = listed.length > page * perPage ? { link: `<http://${request.headers.host}${url.pathname}?state=${state}&per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
        return send(200, slice.map(shown), next);
      }
      if (request.method === 'POST' && !number) {
        const created: FakeIssue = { number: issues.length + 1, title: String(body.title ?? ''), body: String(body.body ?? ''), state: 'open', comments: [], repository: repository! };
        issues.push(created);
        return send(201, shown(created));
      }
      if (!issue) return send(404, { message: 'Not Found' });
      if (request.method === 'POST' && comments) {
        issue.comments.push(String(body.body ?? ''));
        return send(201, { id: issue.comments.length, body: body.body });
      }
      if (request.method === 'PATCH' && !comments) {
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
        if (body.state_reason !== undefined) issue.state_reason = body.state_reason as string;
        return send(200, shown(issue));
      }
      return send(404, { message: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    issues,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
