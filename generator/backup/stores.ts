// Where recovery points are kept: a directory on the manager and/or an S3 bucket elsewhere (the topology's
// backup.targets). Each point is a folder ID/ holding the snapshot, the bucket inventory and manifest.json; the
// manifest is written last, so a folder without one is an unfinished point and is never listed or restored.
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from 'minio';
import { isPointId, MANIFEST_FILE } from './manifest.ts';

export interface PointStore {
  /** `directory /var/backups/milvus` or `s3 https://backup.example.com/points/prod`: where, in an operator's words. */
  readonly where: string;
  /** Ids of the points whose manifest is there, in no order. */
  listPoints(): Promise<string[]>;
  readManifest(id: string): Promise<string>;
  /** Writes a point: the files, then the manifest. A point with this id must not exist yet. */
  writePoint(id: string, files: readonly { name: string; path: string }[], manifest: string): Promise<void>;
  /** Copies one file of a point to `destination` on this machine. */
  fetchFile(id: string, name: string, destination: string): Promise<void>;
  removePoint(id: string): Promise<void>;
}

/** A directory on this machine: each point written into a hidden folder and renamed into place (atomic). */
export function directoryStore(directory: string): PointStore {
  const folder = (id: string) => path.join(directory, id);
  return {
    where: `directory ${directory}`,
    async listPoints() {
      const entries = await readdir(directory, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      const ids = entries.filter((entry) => entry.isDirectory() && isPointId(entry.name)).map((entry) => entry.name);
      const complete = await Promise.all(ids.map(async (id) => ((await stat(path.join(folder(id), MANIFEST_FILE)).catch(() => undefined)) ? id : undefined)));
      return complete.filter((id): id is string => id !== undefined);
    },
    readManifest: (id) => readFile(path.join(folder(id), MANIFEST_FILE), 'utf8'),
    async writePoint(id, files, manifest) {
      await mkdir(directory, { recursive: true, mode: 0o700 });
      if (await stat(folder(id)).catch(() => undefined)) throw new Error(`${folder(id)} exists already`);
      const partial = path.join(directory, `.${id}.partial`);
      await rm(partial, { recursive: true, force: true });
      await mkdir(partial, { mode: 0o700 });
      for (const file of files) await copyFile(file.path, path.join(partial, file.name));
      await writeFile(path.join(partial, MANIFEST_FILE), manifest, { mode: 0o600 });
      await rename(partial, folder(id));
    },
    fetchFile: (id, name, destination) => copyFile(path.join(folder(id), name), destination),
    removePoint: (id) => rm(folder(id), { recursive: true, force: true }),
  };
}

export interface S3StoreOptions {
  bucket: string;
  /** Folder inside the bucket, without a trailing "/" ("" for the bucket's root). */
  prefix: string;
  /** How the endpoint is named in messages (never with credentials). */
  endpoint: string;
}

/** An S3 bucket (another MinIO, or S3): PREFIX/ID/NAME objects, the manifest uploaded last. */
export function s3Store(client: Client, options: S3StoreOptions): PointStore {
  const base = options.prefix === '' ? '' : `${options.prefix}/`;
  const key = (id: string, name: string) => `${base}${id}/${name}`;
  return {
    where: `s3 ${options.endpoint.replace(/\/$/, '')}/${options.bucket}${options.prefix ? `/${options.prefix}` : ''}`,
    async listPoints() {
      const ids: string[] = [];
      // Delimiter listing: one entry per point folder; then the manifest's presence decides.
      for await (const item of client.listObjectsV2(options.bucket, base, false)) {
        const folder = item.prefix?.slice(base.length).replace(/\/$/, '');
        if (folder && isPointId(folder)) ids.push(folder);
      }
      const complete = await Promise.all(
        ids.map(async (id) =>
          (await client.statObject(options.bucket, key(id, MANIFEST_FILE)).then(
            () => true,
            () => false,
          ))
            ? id
            : undefined,
        ),
      );
      return complete.filter((id): id is string => id !== undefined);
    },
    async readManifest(id) {
      const chunks: Buffer[] = [];
      for await (const chunk of await client.getObject(options.bucket, key(id, MANIFEST_FILE))) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
      return Buffer.concat(chunks).toString('utf8');
    },
    async writePoint(id, files, manifest) {
      const exists = await client.statObject(options.bucket, key(id, MANIFEST_FILE)).then(
        () => true,
        () => false,
      );
      if (exists) throw new Error(`${key(id, MANIFEST_FILE)} exists already in ${options.bucket}`);
      for (const file of files) {
        const { size } = await stat(file.path);
        await client.putObject(options.bucket, key(id, file.name), createReadStream(file.path), size);
      }
      await client.putObject(options.bucket, key(id, MANIFEST_FILE), Buffer.from(manifest), undefined, { 'Content-Type': 'application/json' });
    },
    fetchFile: (id, name, destination) => client.fGetObject(options.bucket, key(id, name), destination),
    async removePoint(id) {
      // The manifest first: a half-removed point is an unfinished one, never a broken listed one.
      await client.removeObject(options.bucket, key(id, MANIFEST_FILE));
      const names: string[] = [];
      for await (const item of client.listObjectsV2(options.bucket, `${base}${id}/`, true)) if (item.name) names.push(item.name);
      if (names.length > 0) await client.removeObjects(options.bucket, names);
    },
  };
}
