import type { S3Client } from '@aws-sdk/client-s3';
import { checkKey, type BlobStore } from './blobs.js';

/** Where an S3-compatible bucket is (ATTACHMENT_S3_*); credentials come from the standard AWS environment. */
export interface S3BlobSettings {
  /** The bucket (ATTACHMENT_S3_BUCKET); it must exist. */
  bucket: string;
  /** An S3-compatible endpoint (ATTACHMENT_S3_ENDPOINT, e.g. MinIO); set, requests use path-style URLs. @default AWS S3 */
  endpoint?: string;
  /** The region (ATTACHMENT_S3_REGION, else AWS_REGION). @default 'us-east-1' */
  region?: string;
  /** Prepended to every key (ATTACHMENT_S3_PREFIX, e.g. `chat/`), so one bucket can hold several deployments. @default '' */
  prefix?: string;
  /**
   * Explicit credentials (tests against a local S3). @default the AWS SDK's chain: AWS_ACCESS_KEY_ID /
   * AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE, web identity, instance roles
   */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * A BlobStore on an S3-compatible bucket (issue 12): one object per blob under `prefix + key`, its
 * Content-Type set. The AWS SDK is imported on first use, so a server on the folder store never loads it.
 */
export class S3BlobStore implements BlobStore {
  private client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | null = null;

  constructor(private readonly settings: S3BlobSettings) {}

  async put(key: string, data: Buffer, contentType: string): Promise<void> {
    const { s3, sdk } = await this.connect();
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key), Body: data, ContentType: contentType }));
  }

  async get(key: string): Promise<Buffer | null> {
    const { s3, sdk } = await this.connect();
    try {
      const out = await s3.send(new sdk.GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key) }));
      return out.Body ? Buffer.from(await out.Body.transformToByteArray()) : null;
    } catch (err) {
      if (err instanceof sdk.NoSuchKey || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return null;
      }
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const { s3, sdk } = await this.connect();
    // DeleteObject answers 204 for a missing key too: no error to swallow.
    await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(key) }));
  }

  /** Releases the SDK's connections. */
  async close(): Promise<void> {
    if (this.client) (await this.client).s3.destroy();
    this.client = null;
  }

  private key(key: string): string {
    return `${this.settings.prefix ?? ''}${checkKey(key)}`;
  }

  private connect(): Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> {
    const { endpoint, region, credentials } = this.settings;
    return (this.client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        region: region ?? 'us-east-1',
        ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
        ...(credentials ? { credentials } : {}),
      }),
    })));
  }
}
