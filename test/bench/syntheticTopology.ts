// A synthetic topology of a given size, for the render benchmark: etcd hosts plus MinIO pools of
// `nodesPerPool` nodes × `drivesPerNode` drives, each node on its own host.
export interface SyntheticShape {
  etcdMembers: number;
  pools: number;
  nodesPerPool: number;
  drivesPerNode: number;
  spareHosts: number;
}

export function syntheticTopology(shape: SyntheticShape): { text: string; hosts: number } {
  const hosts: string[] = [];
  const ip = (index: number) => `10.${Math.floor(index / 250) % 250}.0.${(index % 250) + 1}`;
  const addHost = (name: string) => {
    hosts.push(`  - { name: ${name}, ip: ${ip(hosts.length)} }`);
    return name;
  };
  const members = Array.from({ length: shape.etcdMembers }, (_, i) => `    - { name: etcd${i + 1}, host: ${addHost(`etcd-host-${i + 1}`)} }`);
  const drives = Array.from({ length: shape.drivesPerNode }, (_, i) => `/mnt/disk${i + 1}`).join(', ');
  const pools = Array.from({ length: shape.pools }, (_, pool) => {
    const nodes = Array.from({ length: shape.nodesPerPool }, (_, n) => {
      const number = pool * shape.nodesPerPool + n + 1;
      return `        - { name: minio${number}, host: ${addHost(`minio-host-${number}`)} }`;
    });
    return [`    - drives: [${drives}]`, '      nodes:', ...nodes].join('\n');
  });
  for (let i = 0; i < shape.spareHosts; i++) addHost(`spare-${i + 1}`);
  const text = `stack: synthetic
network: { name: synthetic-net }
managers:
  - { ip: 10.255.0.1 }
  - { ip: 10.255.0.2 }
  - { ip: 10.255.0.3 }
hosts:
${hosts.join('\n')}
etcd:
  image: etcd:v3.5.5
  dataDir: /mnt/etcd
  members:
${members.join('\n')}
minio:
  image: minio:v23.03
  rootUserSecret: synthetic_user
  rootPasswordSecret: synthetic_password
  consoleUrl: http://10.255.0.1:9090
  pools:
${pools.join('\n')}
  proxy:
    image: nginx:1.22.1
  buckets:
    - { name: milvus-bucket }
milvus:
  bucket: milvus-bucket
`;
  return { text, hosts: hosts.length };
}
