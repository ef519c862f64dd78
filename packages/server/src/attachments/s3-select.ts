import { FsBlobStore, type BlobStore } from './blobs.js';
import { S3BlobStore, type S3BlobSettings } from './s3.js';

/**
 * The one place the server picks where image bytes go: the S3-compatible bucket when ATTACHMENT_S3_BUCKET
 * is set, else the folder `dir` (ATTACHMENT_DIR or its default).
 */
export function chooseBlobStore(s3: S3BlobSettings | undefined, dir: string): BlobStore {
  return s3 ? new S3BlobStore(s3) : new FsBlobStore(dir);
}

/**
 * Reads ATTACHMENT_S3_BUCKET, ATTACHMENT_S3_ENDPOINT (http/https URL), ATTACHMENT_S3_REGION (else AWS_REGION)
 * and ATTACHMENT_S3_PREFIX; undefined without a bucket. Credentials stay with the AWS SDK's own chain.
 */
export function parseS3Settings(get: (name: string) => string | undefined): S3BlobSettings | undefined {
  const bucket = get('ATTACHMENT_S3_BUCKET');
  const endpoint = get('ATTACHMENT_S3_ENDPOINT');
  const region = get('ATTACHMENT_S3_REGION') ?? get('AWS_REGION');
  const prefix = get('ATTACHMENT_S3_PREFIX');
  if (!bucket) {
    if (endpoint || prefix) throw new Error('ATTACHMENT_S3_ENDPOINT and ATTACHMENT_S3_PREFIX need ATTACHMENT_S3_BUCKET.');
    return undefined;
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new Error(`ATTACHMENT_S3_BUCKET "${bucket}" is not a bucket name (3–63 of a-z 0-9 . -).`);
  }
  if (endpoint && !/^https?:$/.test(URL.canParse(endpoint) ? new URL(endpoint).protocol : '')) {
    throw new Error(`ATTACHMENT_S3_ENDPOINT "${endpoint}" must be an http:// or https:// URL.`);
  }
  return { bucket, ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}), ...(prefix ? { prefix } : {}) };
}

/** Releases what a chosen store holds open (the S3 client's sockets); the folder store holds nothing. */
export async function closeBlobStore(blobs: BlobStore): Promise<void> {
  if (blobs instanceof S3BlobStore) await blobs.close();
}
