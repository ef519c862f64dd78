// s3rver ships no types; this is the part of its README's API the S3 blob store test uses.
declare module 's3rver' {
  /** How to start the fake S3 server. */
  export interface S3rverOptions {
    port?: number;
    address?: string;
    silent?: boolean;
    directory?: string;
    configureBuckets?: { name: string; configs?: string[] }[];
  }
  /** An S3-compatible server on a local folder. */
  export default class S3rver {
    constructor(options: S3rverOptions);
    /** Listens; resolves with the bound address and port. */
    run(): Promise<{ address: string; port: number }>;
    /** Stops listening. */
    close(): Promise<void>;
  }
}
