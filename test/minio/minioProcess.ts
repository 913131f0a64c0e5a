// A real MinIO (RELEASE.2023-03-20, the release the stacks run) for one test file, in the shape the admin-client
// tests use: a URL endpoint and the root pair. The process itself is test/processes/support's (loopback, a free
// port, one drive in a temporary folder, random root credentials); stop() also removes its folder.
import { removeScratch, scratchDir, startMinio as startLocalMinio } from '../processes/support/processes.ts';

export interface MinioProcess {
  endpoint: string;
  host: string;
  port: number;
  root: { accessKey: string; secretKey: string };
  stop(): Promise<void>;
}

export async function startMinio(): Promise<MinioProcess> {
  const directory = scratchDir('minio');
  try {
    const minio = await startLocalMinio(directory);
    return {
      endpoint: `http://${minio.endpoint}`,
      host: '127.0.0.1',
      port: minio.port,
      root: { accessKey: minio.accessKey, secretKey: minio.secretKey },
      stop: async () => {
        await minio.stop();
        removeScratch(directory);
      },
    };
  } catch (error) {
    removeScratch(directory);
    throw error;
  }
}
