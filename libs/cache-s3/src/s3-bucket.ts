import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Creates the bucket unless it exists (tests, development; production
 * buckets come from infrastructure code). Racing creators all succeed: a
 * bucket that appeared meanwhile is checked with HEAD, which fails unless
 * these credentials can use it.
 */
export async function ensureBucket(client: S3Client, bucket: string): Promise<void> {
  if (await bucketAnswers(client, bucket)) return;
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const name = typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  }
}

async function bucketAnswers(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) return false;
    throw error;
  }
}
