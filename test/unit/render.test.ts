// Golden tests: the committed rendered/ is the snapshot of the committed environments, and exact assertions on what
// matters in each file are made on the frozen copies (../frozen.ts), so an operator's edit breaks only the snapshot.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_FILES, renderEnvironment } from '../../generator/render/index.ts';
import { renderSource } from '../../generator/workspace/pipeline.ts';
import { readTemplates } from '../../generator/workspace/repository.ts';
import { frozenText } from '../frozen.ts';
import { committedEnvironments, parseStack, renderFile, renderFrozen } from './renderedFiles.ts';
import { readRepoFile } from './support.ts';

describe.each(committedEnvironments())('rendered/%s (golden)', (environment) => {
  it.each(ENVIRONMENT_FILES)('%s is byte-identical to the committed file', async (file) => {
    const rendered = await renderFile(`environments/${environment}.yaml`);
    expect(rendered.files.get(file)).toBe(readRepoFile(`rendered/${environment}/${file}`));
  });
});

describe('determinism', () => {
  it('renders byte-identical output twice', async () => {
    const first = await renderFrozen('production');
    const second = renderEnvironment(first.model, await readTemplates());
    expect([...second]).toEqual([...first.files]);
  });
});

describe('production stack.yaml (the frozen copy: the runbook\'s cluster)', async () => {
  const production = await renderFrozen('production');
  const templates = await readTemplates();
  const stack = parseStack(production);

  it('runs the runbook\'s nine services, and an idle task on every node that keeps it in the stack network (model/networkAnchor.ts)', () => {
    expect(Object.keys(stack.services)).toEqual(['etcd1', 'etcd2', 'etcd3', 'etcd-proxy', 'minio1', 'minio2', 'minio3', 'minio4', 'minio-proxy', 'network-anchor']);
    const anchor = stack.services['network-anchor'];
    expect(anchor.deploy.mode).toBe('global');
    expect(anchor.deploy.replicas).toBeUndefined();
    expect(anchor.networks).toEqual(['milvus-cluster-net']);
    expect(anchor.volumes ?? anchor.ports ?? anchor.secrets).toBeUndefined();
    expect(anchor.image).toBe('busybox:1.36.1');
  });

  it('gives each etcd member its name, data dir, listen and advertised URLs and the initial cluster', () => {
    const etcd2 = stack.services.etcd2;
    expect(etcd2.entrypoint).toEqual(['etcd']);
    expect(etcd2.command).toEqual([
      '--name=etcd2',
      '--data-dir=/var/lib/etcd',
      '--listen-client-urls=http://0.0.0.0:2379',
      '--advertise-client-urls=http://etcd2:2379',
      '--listen-peer-urls=http://0.0.0.0:2380',
      '--initial-advertise-peer-urls=http://etcd2:2380',
      '--initial-cluster=etcd1=http://etcd1:2380,etcd2=http://etcd2:2380,etcd3=http://etcd3:2380',
      '--initial-cluster-token=milvus-etcd',
      '--initial-cluster-state=new',
      '--auto-compaction-mode=revision',
      '--auto-compaction-retention=1000',
      '--quota-backend-bytes=4294967296',
      '--snapshot-count=50000',
    ]);
    expect(etcd2.volumes).toEqual([{ type: 'bind', source: '/mnt/data/etcd', target: '/var/lib/etcd' }]);
    expect(etcd2.deploy.placement.constraints).toEqual(['node.id == lwzi92s62589xhej0y4o40xkk']);
  });

  it('never sets an etcd setting both as flag and ETCD_* variable (etcd 3.5 exits)', () => {
    for (const name of ['etcd1', 'etcd2', 'etcd3', 'etcd-proxy']) expect(stack.services[name].environment).toBeUndefined();
  });

  it('probes what the upstream images can run: members none (distroless, and quorum would deadlock), the proxy etcdctl, MinIO and nginx curl', () => {
    expect(stack.services.etcd1.healthcheck).toEqual({ disable: true });
    expect(stack.services['etcd-proxy'].healthcheck.test).toEqual(['CMD', 'etcdctl', '--endpoints=127.0.0.1:23790', '--dial-timeout=2s', '--command-timeout=3s', 'endpoint', 'health']);
    // MinIO's probe also passes while its entrypoint waits for the peers' names (model/minioPeerWait.ts).
    expect(stack.services.minio1.healthcheck.test).toEqual(['CMD', 'sh', '-c', 'curl -fsS -o /dev/null --max-time 3 http://127.0.0.1:9000/minio/health/live || [ -e /tmp/minio-start.waiting ]']);
    expect(stack.services['minio-proxy'].healthcheck.test).toEqual(['CMD', 'curl', '-fsS', '-o', '/dev/null', '--max-time', '3', 'http://127.0.0.1:9000/.nginx/health']);
  });

  it('lets the proxies give up a dead backend connection in seconds, not the kernel\'s 15 minutes (model/proxyNetwork.ts)', () => {
    for (const proxy of ['etcd-proxy', 'minio-proxy']) expect(stack.services[proxy].sysctls).toEqual({ 'net.ipv4.tcp_retries2': '5' });
    expect(stack.services.etcd1.sysctls).toBeUndefined();
  });

  it('lets MinIO nodes give a dead peer up after 3 s, not MinIO\'s fixed 10 s dial timeout (model/proxyNetwork.ts)', () => {
    for (const node of ['minio1', 'minio4']) expect(stack.services[node].sysctls).toEqual({ 'net.ipv4.tcp_syn_retries': '1', 'net.ipv4.tcp_retries2': '5' });
  });

  // With dnsrr only, the stack network's interface gives a departed peer up in about 0.4 s (model/proxyNetwork.ts).
  const neighbour = {
    'net.ipv4.neigh.eth0.mcast_solicit': '2',
    'net.ipv4.neigh.eth0.retrans_time_ms': '200',
    'net.ipv4.neigh.eth0.base_reachable_time_ms': '1000',
    'net.ipv4.neigh.eth0.delay_first_probe_time': '0',
  };
  const withSwarm = (endpointMode: string, publishMode: string) => {
    const text = frozenText('production').replace('  endpointMode: vip\n  publishMode: ingress\n', `  endpointMode: ${endpointMode}\n  publishMode: ${publishMode}\n`);
    const result = renderSource({ environment: 'production', file: 'environments/production.yaml', text }, templates);
    if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('; '));
    return parse(result.files.get('stack.yaml')!).services;
  };

  it('sets the neighbour settings with dnsrr (host-mode ports: eth0 is the stack network) on the MinIO nodes and the proxies', () => {
    const services = withSwarm('dnsrr', 'host');
    for (const node of ['minio1', 'minio4']) expect(services[node].sysctls).toEqual({ 'net.ipv4.tcp_syn_retries': '1', 'net.ipv4.tcp_retries2': '5', ...neighbour });
    for (const proxy of ['etcd-proxy', 'minio-proxy']) expect(services[proxy].sysctls).toEqual({ 'net.ipv4.tcp_retries2': '5', ...neighbour });
    expect(services.etcd1.sysctls).toBeUndefined();
  });

  it('leaves them off with vip (virtual IPs, a path staging cannot run: not measured)', () => {
    const vip = withSwarm('vip', 'host');
    expect(vip.minio1.sysctls).toEqual({ 'net.ipv4.tcp_syn_retries': '1', 'net.ipv4.tcp_retries2': '5' });
    for (const proxy of ['etcd-proxy', 'minio-proxy']) expect(vip[proxy].sysctls).toEqual({ 'net.ipv4.tcp_retries2': '5' });
  });

  it('gives etcd members an http probe that passes before quorum (the peer port\'s /version), when the image has curl', () => {
    const text = frozenText('production').replace('  dataDir: /mnt/data/etcd\n', '  dataDir: /mnt/data/etcd\n  healthcheck: { probe: http, command: [curl, -fsS] }\n');
    const result = renderSource({ environment: 'production', file: 'environments/production.yaml', text }, templates);
    if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('; '));
    const etcd1 = parse(result.files.get('stack.yaml')!).services.etcd1;
    expect(etcd1.healthcheck.test).toEqual(['CMD', 'curl', '-fsS', 'http://127.0.0.1:2380/version']);
  });

  it('updates every stateful service stop-first, one at a time', () => {
    for (const name of ['etcd1', 'etcd2', 'etcd3', 'minio1', 'minio2', 'minio3', 'minio4']) {
      expect(stack.services[name].deploy.update_config).toMatchObject({ order: 'stop-first', parallelism: 1 });
      expect(stack.services[name].deploy.restart_policy.condition).toBe('any');
    }
  });

  it('advertises the gRPC proxy by service name and publishes 2379 → 23790', () => {
    const proxy = stack.services['etcd-proxy'];
    expect(proxy.command).toEqual([
      'grpc-proxy',
      'start',
      '--endpoints=etcd1:2379,etcd2:2379,etcd3:2379',
      '--listen-addr=0.0.0.0:23790',
      '--advertise-client-url=etcd-proxy:23790',
    ]);
    expect(proxy.ports).toEqual([{ target: 23790, published: 2379, protocol: 'tcp', mode: 'ingress' }]);
    expect(proxy.deploy).toMatchObject({ replicas: 2, placement: { constraints: ['node.role == manager'] } });
  });

  it('starts MinIO nodes with their hostname, the {1...n} server argument, both drives and file-based credentials', () => {
    const minio3 = stack.services.minio3;
    expect(minio3.hostname).toBe('minio3');
    expect(minio3.entrypoint.slice(0, 2)).toEqual(['sh', '-c']);
    expect(minio3.entrypoint.at(-1)).toBe('minio-start');
    expect(minio3.command).toEqual(['minio', 'server', '--address', ':9000', '--console-address', ':9090', 'http://minio{1...4}:9000/data{1...2}']);
    expect(minio3.volumes).toEqual([
      { type: 'bind', source: '/mnt/data/disk1', target: '/data1' },
      { type: 'bind', source: '/mnt/data/disk2', target: '/data2' },
    ]);
    expect(minio3.environment).toEqual({
      MINIO_ROOT_USER_FILE: '/run/secrets/minio_root_user',
      MINIO_ROOT_PASSWORD_FILE: '/run/secrets/minio_root_password',
      MINIO_BROWSER_REDIRECT_URL: 'http://29.16.21.80:9090',
    });
    expect(minio3.secrets.map((secret: { source: string }) => secret.source)).toEqual(['minio_root_user', 'minio_root_password']);
    expect(minio3.healthcheck.test.at(-1)).toContain('http://127.0.0.1:9000/minio/health/live');
  });

  it("declares the secrets the nodes mount external, by the names the topology gives; not verify's user's, which no service mounts", () => {
    expect(stack.secrets).toEqual({
      minio_root_user: { external: true, name: 'milvus_minio_root_user' },
      minio_root_password: { external: true, name: 'milvus_minio_root_password' },
    });
  });

  it('ships nginx.conf as a swarm config whose name carries its content hash', () => {
    const hash = createHash('sha256').update(production.files.get('nginx.conf')!).digest('hex').slice(0, 12);
    expect(stack.configs).toEqual({ nginx_conf: { name: `milvus_nginx_conf_${hash}`, file: './nginx.conf' } });
    expect(stack.services['minio-proxy'].configs).toEqual([{ source: 'nginx_conf', target: '/etc/nginx/nginx.conf', mode: 0o444 }]);
    expect(stack.services['minio-proxy'].volumes).toBeUndefined();
  });

  it('declares the attachable overlay network', () => {
    expect(stack.networks).toEqual({ 'milvus-cluster-net': { driver: 'overlay', attachable: true } });
  });

  it('folds no line, whatever its length', () => {
    expect(production.files.get('stack.yaml')).toContain('--initial-cluster=etcd1=http://etcd1:2380,etcd2=http://etcd2:2380,etcd3=http://etcd3:2380\n');
  });

  it('never contains credentials', () => {
    for (const text of production.files.values()) expect(text).not.toMatch(/MINIO_ROOT_PASSWORD=|MINIO_ROOT_PASSWORD:|secretAccessKey:|accessKeyID:/);
  });
});

describe('local stack.yaml (the frozen copy: a one-node swarm)', async () => {
  const stack = parseStack(await renderFrozen('local'));
  it('uses DNS round robin, host-mode ports and no node pinning', () => {
    expect(stack.services['minio-proxy'].ports.map((port: { mode: string }) => port.mode)).toEqual(['host', 'host']);
    for (const service of Object.values(stack.services) as { deploy: { endpoint_mode: string } }[]) expect(service.deploy.endpoint_mode).toBe('dnsrr');
    expect(stack.services.etcd1.deploy.placement).toBeUndefined();
  });
  it('gives co-located members their own directories and sets MINIO_CI_CD', () => {
    expect(stack.services.etcd2.volumes[0].source).toBe('/var/lib/milvus-swarm/local/etcd/etcd2');
    expect(stack.services.minio4.volumes[1].source).toBe('/var/lib/milvus-swarm/local/minio/minio4/disk2');
    expect(stack.services.minio1.environment.MINIO_CI_CD).toBe('1');
  });
});

describe('nginx.conf', async () => {
  const conf = (await renderFrozen('production')).files.get('nginx.conf')!;
  it.each([
    'proxy_set_header Host $http_host;',
    'client_max_body_size 0;',
    'proxy_buffering off;',
    'proxy_request_buffering off;',
    'ignore_invalid_headers off;',
    'proxy_http_version 1.1;',
    'proxy_set_header Connection "";',
    'proxy_set_header Upgrade $http_upgrade;',
    'least_conn;',
    'ip_hash;',
    'keepalive 64;',
  ])('follows MinIO\'s recommended config: %s', (directive) => {
    expect(conf).toContain(directive);
  });
  it('balances S3 and console over all four nodes', () => {
    for (const node of ['minio1', 'minio2', 'minio3', 'minio4']) {
      expect(conf).toContain(`server "${node}:9000" `);
      expect(conf).toContain(`server "${node}:9090" `);
    }
  });
  it('never uses $host for the Host header (it drops the port and breaks signatures)', () => {
    expect(conf).not.toMatch(/Host \$host;/);
  });
});

describe('milvus.yaml', async () => {
  const text = (await renderFrozen('production')).files.get('milvus.yaml')!;
  it('holds the Milvus 2.3 keys and no credentials; etcd is the members themselves', () => {
    expect(parse(text)).toEqual({
      etcd: { endpoints: ['etcd1:2379', 'etcd2:2379', 'etcd3:2379'], rootPath: 'by-dev' },
      minio: { address: 'minio-proxy', port: 9000, bucketName: 'milvus-bucket', useSSL: false, rootPath: 'files' },
    });
  });
  it('gives Milvus the gRPC proxy when the topology chooses it (milvus.etcdEndpoints: proxy)', async () => {
    const text = frozenText('production').replace('  etcdRootPath: by-dev\n', '  etcdRootPath: by-dev\n  etcdEndpoints: proxy\n');
    const result = renderSource({ environment: 'production', file: 'environments/production.yaml', text }, await readTemplates());
    if (!result.ok) throw new Error(result.problems.map((problem) => problem.message).join('; '));
    expect(parse(result.files.get('milvus.yaml')!).etcd.endpoints).toEqual(['etcd-proxy:23790']);
  });
});

describe('README.md', async () => {
  const readme = (await renderFrozen('production')).files.get('README.md')!;
  it('has the runbook\'s host table rows', () => {
    expect(readme).toContain('| gp22aitppapcsve | 29.16.21.75 | feat9cenkv7h5itauklaueqp6 | zk1, etcd1 | etcd1 |');
    expect(readme).toContain('| gp22aitppapnch3 | 29.16.21.86 | t2ka3dmgb9o30vynhdqzo35cd | minio4 | minio4 |');
    expect(readme).toContain('| — | 29.16.21.80 | — | manager | etcd-proxy ×2, minio-proxy ×2 |');
  });
  it('tables the published ports and the erasure layout', () => {
    expect(readme).toContain('| 2379 | `etcd-proxy` | 23790 | ingress | etcd gRPC (proxy) |');
    expect(readme).toContain('| 1 | 4 × 2 | `http://minio{1...4}:9000/data{1...2}` | 1 × 8 drives | EC:4 | 1 / 2 |');
  });
  it('tables the four secrets, the variables their values come from and who reads them', () => {
    expect(readme).toContain('| `milvus_minio_root_user` | MinIO root user | `MINIO_ROOT_USER` | every MinIO node (`/run/secrets/minio_root_user`); deploy, to create verify\'s user |');
    // The frozen production topology names none: the defaults.
    expect(readme).toContain('| `minio_verify_user` | access key of verify\'s MinIO user | `MINIO_VERIFY_USER` | deploy (creates the user); verify |');
    expect(readme).toContain('| `minio_verify_password` | secret key of verify\'s MinIO user | `MINIO_VERIFY_PASSWORD` | deploy (creates the user); verify |');
  });
  it("tables verify's MinIO policy: Milvus's objects only under verify's prefix", () => {
    expect(readme).toContain('| ProbeListing | `s3:ListBucket` | `arn:aws:s3:::milvus-bucket` | `s3:prefix` StringLike `milvus-swarm/verify/*` |');
    expect(readme).toContain('| ProbeObjects | `s3:DeleteObject`, `s3:GetObject`, `s3:PutObject` | `arn:aws:s3:::milvus-bucket/milvus-swarm/verify/*` | — |');
  });
});

describe('acceptance: 5 etcd members and two MinIO pools', async () => {
  const rendered = await renderFile('test/fixtures/topologies/five-members-two-pools.yaml');
  const stack = parseStack(rendered);
  it('puts all five members in --initial-cluster', () => {
    const flag = stack.services.etcd4.command.find((arg: string) => arg.startsWith('--initial-cluster='));
    expect(flag).toBe(`--initial-cluster=${[1, 2, 3, 4, 5].map((n) => `etcd${n}=http://etcd${n}:2380`).join(',')}`);
    expect(stack.services['etcd-proxy'].command[2]).toBe('--endpoints=etcd1:2379,etcd2:2379,etcd3:2379,etcd4:2379,etcd5:2379');
  });
  it('passes both pools to every MinIO node, one argument per pool', () => {
    for (const node of ['minio1', 'minio8']) {
      expect(stack.services[node].command.slice(-2)).toEqual(['http://minio{1...4}:9000/data{1...2}', 'http://minio{5...8}:9000/data{1...4}']);
    }
    expect(stack.services.minio8.volumes.map((volume: { target: string }) => volume.target)).toEqual(['/data1', '/data2', '/data3', '/data4']);
  });
  it('balances over all eight nodes', () => {
    expect(rendered.files.get('nginx.conf')!.match(/server "minio\d:9000" /g)).toHaveLength(8);
  });
});
