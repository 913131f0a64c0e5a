// Where recovery points are kept: a directory on the manager and/or an S3 bucket elsewhere (the topology's
// backup.targets). Each point is a folder ID/ holding the snapshot, the bucket inventory and manifest.json; the
// manifest is written last, so a folder without one is an unfinished point and is never listed or restored.
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { copyFile, lstat, mkdir, open, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'minio';
import { isPointId, MANIFEST_FILE, MANIFEST_MAX_BYTES } from './manifest.ts';

export interface PointStore {
  /** `directory /var/backups/milvus` or `s3 https://backup.example.com/points/prod`: where, in an operator's words. */
  readonly where: string;
  /** Ids of the points whose manifest is there, in no order. */
  listPoints(): Promise<string[]>;
  /** The manifest's text, at most MANIFEST_MAX_BYTES; a throw says why not, never what the file holds. */
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
    readManifest: (id) => readOwnFile(folder(id), MANIFEST_FILE, MANIFEST_MAX_BYTES).then((bytes) => bytes.toString('utf8')),
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
    async fetchFile(id, name, destination) {
      const handle = await openOwnFile(folder(id), name);
      await pipeline(handle.createReadStream(), createWriteStream(destination, { mode: 0o600 }));
    },
    removePoint: (id) => rm(folder(id), { recursive: true, force: true }),
  };
}

/**
 * A point's file, opened only if it is what it looks like: the point's folder a real directory and the file a
 * regular file, neither a symbolic link (O_NOFOLLOW). A planted manifest.json linking to a credentials file is
 * refused here, before anything reads it.
 */
async function openOwnFile(folder: string, name: string) {
  const where = await lstat(folder);
  if (!where.isDirectory()) throw new Error(`${folder} is not a directory (a symbolic link?)`);
  const handle = await open(path.join(folder, name), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw new Error(error.code === 'ELOOP' ? `${name} is a symbolic link` : `${name}: ${error.code ?? error.message}`);
  });
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    throw new Error(`${name} is not a regular file`);
  }
  return handle;
}

async function readOwnFile(folder: string, name: string, maxBytes: number): Promise<Buffer> {
  const handle = await openOwnFile(folder, name);
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new Error(`${name} is ${size} bytes, more than a manifest can be`);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
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
      const { size } = await client.statObject(options.bucket, key(id, MANIFEST_FILE));
      if (size > MANIFEST_MAX_BYTES) throw new Error(`${MANIFEST_FILE} is ${size} bytes, more than a manifest can be`);
      const chunks: Buffer[] = [];
      let read = 0;
      for await (const chunk of await client.getObject(options.bucket, key(id, MANIFEST_FILE))) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        read += bytes.length;
        if (read > MANIFEST_MAX_BYTES) throw new Error(`${MANIFEST_FILE} grew past ${MANIFEST_MAX_BYTES} bytes while it was read`);
        chunks.push(bytes);
      }
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
