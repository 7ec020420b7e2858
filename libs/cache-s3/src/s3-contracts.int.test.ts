import { describeBlobStoreContract } from '../../ports/src/test-support/blob-store-contract.js';
import { describeStepCacheContract } from '../../ports/src/test-support/step-cache-contract.js';
import { useS3rver } from './test-support/s3rver-fixture.js';

const s3 = useS3rver();

describeStepCacheContract('S3StepCache', async () => (await s3.store()).stepCache());
describeStepCacheContract('S3StepCache (no conditional writes, prefix without slash)', async () =>
  (await s3.store({ conditionalWrites: false, prefix: `nested/p${Date.now()}` })).stepCache(),
);
describeBlobStoreContract('S3BlobStore', async () => (await s3.store()).blobs);
describeBlobStoreContract('CachingBlobStore over S3', async () => (await s3.store()).cachingBlobs(await s3.tempDir()));
