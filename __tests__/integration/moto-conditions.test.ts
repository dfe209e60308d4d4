/**
 * local:up's moto launcher (scripts/lib/moto_server.py) evaluates bucket-policy conditions as AWS
 * does, so the stacks' policies stay deployed: the TLS-only Deny does not block the emulator's
 * loopback requests, and a Deny whose condition holds still denies.
 */
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { describeWithTools } from '../support/tiers';

const policy = (bucket: string, statements: Record<string, unknown>[]) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({ Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], ...s })),
  });

describeWithTools('moto launcher of local:up', ['moto'], () => {
  let moto: MotoServer;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto({ awsConditionRule: true });
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: moto.url,
      forcePathStyle: true,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  it("keeps the stacks' TLS-only Deny and CloudFront's SourceArn Allow in place while the emulator's own requests read and write", async () => {
    // Prepare: the statements SecureBucket and Delivery deploy.
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'kept',
        Policy: policy('kept', [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
          {
            Sid: 'AllowCloudFrontReadThroughOAC',
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': 'arn:aws:cloudfront::123456789012:distribution/E1' } },
          },
        ]),
      }),
    );
    // Act
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'a.txt', Body: 'hello' }));
    const read = await s3.send(new GetObjectCommand({ Bucket: 'kept', Key: 'a.txt' }));
    // Assess
    expect(await read.Body!.transformToString()).toBe('hello');
  });

  it('still denies when a Deny statement’s condition holds', async () => {
    // Prepare
    await s3.send(new CreateBucketCommand({ Bucket: 'denied' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: 'denied',
        Policy: policy('denied', [
          { Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
        ]),
      }),
    );
    // Act, Assess
    await expect(s3.send(new PutObjectCommand({ Bucket: 'denied', Key: 'a.txt', Body: 'x' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
  });
});
