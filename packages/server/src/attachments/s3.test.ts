import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { describeBlobStoreContract } from '../test-support/blob-contract.js';
import { createRoom, startTestServer, tokenFor, type TestServer } from '../test-support/harness.js';
import { png, upload } from '../test-support/uploads.js';
import { FsBlobStore } from './blobs.js';
import { S3BlobStore, type S3BlobSettings } from './s3.js';
import { parseS3Settings } from './s3-select.js';

// The BlobStore contract on the folder store and on S3BlobStore against s3rver, an S3-compatible server on
// loopback (there is no S3 here); then a whole server keeping its images in that bucket.

const BUCKET = 'groupbuy-test';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let s3rver: S3rver;
let s3dir: string;
let endpoint: string;

beforeAll(async () => {
  s3dir = mkdtempSync(join(tmpdir(), 'groupbuy-s3rver-'));
  s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await s3rver.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await s3rver.close();
  rmSync(s3dir, { recursive: true, force: true });
});

const settings = (prefix: string): S3BlobSettings => ({ bucket: BUCKET, endpoint, region: 'us-east-1', prefix, credentials: CREDENTIALS });

describeBlobStoreContract('FsBlobStore', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'groupbuy-blobs-'));
  return { blobs: new FsBlobStore(dir), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

let run = 0;
describeBlobStoreContract('S3BlobStore (s3rver on loopback)', async () => {
  const blobs = new S3BlobStore(settings(`contract-${run++}/`));
  return { blobs, cleanup: () => blobs.close() };
});

describe('a server with ATTACHMENT_S3_BUCKET', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ attachmentS3: settings('chat/') });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('stores an upload’s full image and preview in the bucket and serves them from there', async () => {
    const room = await createRoom(server);
    const up = await upload(server, room.productId, await tokenFor('minsu'), await png(300, 200), 'shoes.png');
    expect(up.status).toBe(201);
    const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS });
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `chat/${up.body.id}` }));
      expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual([`chat/${up.body.id}.full`, `chat/${up.body.id}.preview`]);
    } finally {
      client.destroy();
    }
    const res = await fetch(`${server.url}${up.body.previewUrl}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});

describe('ATTACHMENT_S3_* settings', () => {
  const env = { JWT_SECRET: 'x'.repeat(32) };

  it('reads bucket, endpoint, region (else AWS_REGION) and prefix; no bucket, no S3', () => {
    expect(
      loadConfig([], {
        ...env,
        ATTACHMENT_S3_BUCKET: 'shop-chat',
        ATTACHMENT_S3_ENDPOINT: 'http://127.0.0.1:9000',
        AWS_REGION: 'ap-northeast-2',
        ATTACHMENT_S3_PREFIX: 'images/',
      }).attachmentS3,
    ).toEqual({ bucket: 'shop-chat', endpoint: 'http://127.0.0.1:9000', region: 'ap-northeast-2', prefix: 'images/' });
    expect(loadConfig([], env).attachmentS3).toBeUndefined();
  });

  it('refuses a bad bucket, a bad endpoint, and an endpoint without a bucket', () => {
    const get = (vars: Record<string, string>) => (name: string) => vars[name];
    expect(() => parseS3Settings(get({ ATTACHMENT_S3_BUCKET: 'Bad_Bucket' }))).toThrow(/not a bucket name/);
    expect(() => parseS3Settings(get({ ATTACHMENT_S3_BUCKET: 'ok-bucket', ATTACHMENT_S3_ENDPOINT: 'ftp://x' }))).toThrow(/http/);
    expect(() => parseS3Settings(get({ ATTACHMENT_S3_ENDPOINT: 'http://x' }))).toThrow(/need ATTACHMENT_S3_BUCKET/);
  });
});
