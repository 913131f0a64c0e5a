// The cluster the runbook builds by hand (shared/seed, DESIGN.md §1), written as its `etcd-minio.yaml` would be, for
// the takeover drill: etcd members with their data in /mnt/data/etcd (mounted at /etcd-data), the etcd gRPC proxy on
// the managers, MinIO's published 4-node × 2-drive compose (root credentials inline, drives /mnt/data/disk1..2 at
// /data1..2, curl healthcheck every 30 s), nginx with the runbook's bind-mounted nginx.conf (MinIO's published
// config), all in the stack `milvus`; Milvus itself (a stand-in) from a compose file of its own. Only what this
// kernel forces differs from the runbook: endpoint_mode dnsrr and host-mode ports (no IPVS), images by their local
// tags, MINIO_CI_CD (every "host" shares this machine's disk).
import type { ClusterModel } from '../../../generator/model/types.ts';

export interface RunbookVariant {
  /** etcd's --data-dir inside the mount (/etcd-data): bitnami-style images keep the data one level down. */
  etcdDataDir: string;
  rootUser: string;
  rootPassword: string;
  /** Where the runbook's nginx.conf is on every manager (it bind-mounted it by relative path; here one host path). */
  nginxConf: string;
  /**
   * The etcd half alone (members and proxy): enough where the drill only needs deploy to look at etcd's layout and
   * refuse, without waiting for four MinIO nodes and nginx to come up (about half a minute of the takeover file).
   */
  etcdOnly?: boolean;
}

export const RUNBOOK_TOKEN = 'etcd-cluster-runbook';

/** Both proxies' placement in the runbook: two replicas on the managers, one per manager. */
const ON_MANAGERS = `    networks: [milvus-cluster-net]
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      placement:
        constraints: [node.role == manager]
        max_replicas_per_node: 1
`;

export function runbookStack(model: ClusterModel, variant: RunbookVariant): string {
  const members = model.etcd.members.map((member) => member.name);
  const initialCluster = members.map((name) => `${name}=http://${name}:2380`).join(',');
  const etcd = model.etcd.members
    .map((member) => {
      const host = model.hosts.find((entry) => entry.name === member.host)!;
      const label = Object.keys(host.labels)[0]!;
      return `  ${member.name}:
    image: ${model.etcd.image}
    command:
      - etcd
      - --name=${member.name}
      - --data-dir=${variant.etcdDataDir}
      - --listen-client-urls=http://0.0.0.0:2379
      - --advertise-client-urls=http://${member.name}:2379
      - --listen-peer-urls=http://0.0.0.0:2380
      - --initial-advertise-peer-urls=http://${member.name}:2380
      - --initial-cluster=${initialCluster}
      - --initial-cluster-state=new
      - --initial-cluster-token=${RUNBOOK_TOKEN}
    volumes:
      - /mnt/data/etcd:/etcd-data
    networks: [milvus-cluster-net]
    deploy:
      endpoint_mode: dnsrr
      placement:
        constraints: [node.labels.${label} == true]
`;
    })
    .join('');
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes);
  const minio = nodes
    .map(
      (node) => `  ${node.name}:
    <<: *minio-common
    hostname: ${node.name}
    volumes:
      - /mnt/data/disk1:/data1
      - /mnt/data/disk2:/data2
    deploy:
      endpoint_mode: dnsrr
      placement:
        constraints: [node.hostname == ${node.host}]
`,
    )
    .join('');
  const minioCommon = `x-minio-common: &minio-common
  image: ${model.minio.image}
  # The published image runs this through its entrypoint script, which prepends \`minio\`; this image has none.
  command: minio server --console-address ":9090" http://minio{1...${nodes.length}}/data{1...2}
  environment:
    MINIO_ROOT_USER: ${JSON.stringify(variant.rootUser)}
    MINIO_ROOT_PASSWORD: ${JSON.stringify(variant.rootPassword)}
    MINIO_CI_CD: "1"
  networks: [milvus-cluster-net]
  healthcheck:
    test: ["CMD", "curl", "-f", "http://localhost:9000/minio/health/live"]
    interval: 30s
    timeout: 20s
    retries: 3
`;
  const minioServices = `${minio}  minio-proxy:
    image: ${model.minio.proxy.image}
    volumes:
      - ${variant.nginxConf}:/etc/nginx/nginx.conf:ro
    ports:
      - { target: 9000, published: ${model.minio.proxy.s3Port}, mode: host }
      - { target: 9090, published: ${model.minio.proxy.consolePort}, mode: host }
${ON_MANAGERS}`;
  return `version: "3.8"
${variant.etcdOnly ? '' : minioCommon}services:
${etcd}  etcd-proxy:
    image: ${model.etcd.image}
    command:
      - etcd
      - grpc-proxy
      - start
      - --endpoints=${members.map((name) => `${name}:2379`).join(',')}
      - --listen-addr=0.0.0.0:23790
      - --advertise-client-url=etcd-proxy:23790
    ports:
      - { target: 23790, published: ${model.etcd.proxy.publishedPort}, mode: host }
${ON_MANAGERS}${variant.etcdOnly ? '' : minioServices}networks:
  milvus-cluster-net:
    driver: overlay
    attachable: true
`;
}

/**
 * MinIO's published nginx.conf (its docs' "dedicated DNS" model: S3 at /, the console on its own port). The frame
 * (user, pid, error log) is this image's: it has no `nginx` user, no mime.types and no /var/log/nginx.
 */
export function runbookNginxConf(model: ClusterModel): string {
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes.map((node) => node.name));
  return `user nobody nogroup;
worker_processes auto;
error_log /dev/stderr warn;
pid /tmp/nginx.pid;
events {
    worker_connections 4096;
}
http {
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 65;

    upstream minio {
${nodes.map((node) => `        server ${node}:9000;`).join('\n')}
    }
    upstream console {
        ip_hash;
${nodes.map((node) => `        server ${node}:9090;`).join('\n')}
    }
    server {
        listen 9000;
        listen [::]:9000;
        server_name localhost;
        ignore_invalid_headers off;
        client_max_body_size 0;
        proxy_buffering off;
        proxy_request_buffering off;
        location / {
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 300;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            chunked_transfer_encoding off;
            proxy_pass http://minio;
        }
    }
    server {
        listen 9090;
        listen [::]:9090;
        server_name localhost;
        ignore_invalid_headers off;
        client_max_body_size 0;
        proxy_buffering off;
        proxy_request_buffering off;
        location / {
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-NginX-Proxy true;
            real_ip_header X-Real-IP;
            proxy_connect_timeout 300;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            chunked_transfer_encoding off;
            proxy_pass http://console;
        }
    }
}
`;
}

/** Milvus itself, a stand-in from a compose file of its own in the same stack (the runbook's milvus_milvus-proxy). */
export const milvusStandIn = (helperImage: string) => `version: "3.8"
services:
  milvus-proxy:
    image: ${helperImage}
    command: [sleep, "86400"]
    networks: [milvus-cluster-net]
    deploy: { replicas: 1, placement: { constraints: [node.role == manager] } }
networks:
  milvus-cluster-net: { external: true, name: milvus_milvus-cluster-net }
`;
