// MinIO's published nginx configuration (https://min.io/docs/minio/linux/integrations/setup-nginx-proxy-with-minio.html,
// "dedicated DNS" model, S3 API at /), for the load balancer benchmark's comparison. Its upstream and server
// blocks are MinIO's, directive for directive; only the frame around them (process, events, logging) is the
// rendered config's, so that the comparison measures MinIO's blocks against ours and nothing else.
import type { ClusterModel } from '../../../generator/model/types.ts';

export function minioPublishedNginxConf(model: ClusterModel, listenPort: number): string {
  const nodes = model.minio.pools.flatMap((pool) => pool.nodes.map((node) => `${node.name}:${model.minio.apiPort}`));
  return `# MinIO's published nginx config (S3 part), for npm run bench:lb. Not used by the stack.
user nobody nogroup;
worker_processes auto;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;

events {
    worker_connections 4096;
}

http {
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;

    upstream minio_s3 {
        least_conn;
${nodes.map((node) => `        server ${node};`).join('\n')}
    }

    server {
        listen ${listenPort};
        server_name _;

        # Allow special characters in headers
        ignore_invalid_headers off;
        # Allow any size file to be uploaded.
        client_max_body_size 0;
        # Disable buffering
        proxy_buffering off;
        proxy_request_buffering off;

        location / {
            proxy_set_header Host $http_host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;

            proxy_connect_timeout 300;
            # Default is HTTP/1, keepalive is only enabled in HTTP/1.1
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            chunked_transfer_encoding off;

            proxy_pass http://minio_s3;
        }
    }
}
`;
}
