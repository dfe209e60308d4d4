import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateJobCommand, MediaConvertClient, TooManyRequestsException } from '@aws-sdk/client-mediaconvert';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { createJobsTable } from '../support/aws/jobs-table';
import { FaultProxy, startFaultProxy } from '../support/faults/proxy';
import { MediaConvertStub, startMediaConvertStub } from '../support/mediaconvert/server';
import { describeWithTools } from '../support/tiers';

const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const TABLE = 'proxy-test';

// The fault proxy itself: what each fault does to a real SDK call against the real emulators.
describeWithTools('fault proxy', ['moto'], () => {
  let moto: MotoServer;
  let stub: MediaConvertStub;
  let awsProxy: FaultProxy;
  let mediaconvertProxy: FaultProxy;
  let direct: DynamoDBClient;
  const proxied = (maxAttempts: number) =>
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: awsProxy.url,
      credentials: CREDENTIALS,
      maxAttempts,
      // 3 s: long enough that a busy machine never times out a normal call; hangs wait it out.
      requestHandler: { requestTimeout: 3_000, throwOnRequestTimeout: true },
    });
  const put = (id: string) => new PutItemCommand({ TableName: TABLE, Item: { assetId: { S: id } } });
  const stored = async (id: string) => (await direct.send(new GetItemCommand({ TableName: TABLE, Key: { assetId: { S: id } } }))).Item;

  beforeAll(async () => {
    moto = await startMoto();
    stub = await startMediaConvertStub({ log: () => undefined });
    awsProxy = await startFaultProxy(moto.url);
    mediaconvertProxy = await startFaultProxy(stub.url);
    direct = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.url, credentials: CREDENTIALS });
    await createJobsTable(direct, TABLE);
  });

  afterAll(async () => {
    direct.destroy();
    await awsProxy.close();
    await mediaconvertProxy.close();
    await stub.close();
    await moto.stop();
  });

  beforeEach(() => {
    awsProxy.reset();
    mediaconvertProxy.reset();
  });

  it.each([
    ['throttle', ProvisionedThroughputExceededException],
    ['server-error', InternalServerError],
  ] as const)('answers a DynamoDB %s in DynamoDB’s own protocol, without forwarding', async (kind, expected) => {
    // Prepare
    const client = proxied(1);
    awsProxy.inject({ match: { service: 'dynamodb', operation: 'PutItem' }, action: { kind } });

    // Act
    const result = client.send(put(`refused-${kind}`));

    // Assess
    await expect(result).rejects.toBeInstanceOf(expected);
    expect(await stored(`refused-${kind}`)).toBeUndefined();
    expect(awsProxy.calls).toEqual([{ service: 'dynamodb', operation: 'PutItem', outcome: kind }]);
  });

  it('answers a MediaConvert throttle with a 429 TooManyRequestsException', async () => {
    // Prepare
    const client = new MediaConvertClient({
      region: 'us-east-1',
      endpoint: mediaconvertProxy.url,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    mediaconvertProxy.inject({ match: { method: 'POST', path: /\/jobs$/ }, action: { kind: 'throttle' } });

    // Act
    const result = client.send(new CreateJobCommand({ Role: 'arn:aws:iam::123456789012:role/r', Settings: {} }));

    // Assess
    await expect(result).rejects.toBeInstanceOf(TooManyRequestsException);
    expect(mediaconvertProxy.calls).toEqual([{ service: 'mediaconvert', operation: 'CreateJob', outcome: 'throttle' }]);
  });

  it('applies a call whose answer it loses, so the caller cannot tell it happened', async () => {
    // Prepare
    const client = proxied(1);
    awsProxy.inject({ match: { operation: 'PutItem' }, action: { kind: 'lose-answer' } });

    // Act
    const result = client.send(put('applied-unanswered'));

    // Assess
    await expect(result).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(await stored('applied-unanswered')).toEqual({ assetId: { S: 'applied-unanswered' } });
  });

  it('holds a hung call until the caller times out, with or without applying it', async () => {
    // Prepare
    const client = proxied(1);
    awsProxy.inject({
      match: { operation: 'PutItem', where: (call) => call.body.includes('hung-applied') },
      action: { kind: 'hang', apply: true },
    });
    awsProxy.inject({ match: { operation: 'PutItem' }, action: { kind: 'hang' } });

    // Act
    const applied = client.send(put('hung-applied'));
    const dropped = client.send(put('hung-dropped'));

    // Assess
    await expect(applied).rejects.toThrow(/requestTimeout/);
    await expect(dropped).rejects.toThrow(/requestTimeout/);
    expect(await stored('hung-applied')).toBeDefined();
    expect(await stored('hung-dropped')).toBeUndefined();
  });

  it('faults only the given number of matching calls after the ones it skips', async () => {
    // Prepare
    const client = proxied(1);
    const rule = awsProxy.inject({ match: { operation: 'PutItem' }, action: { kind: 'server-error' }, skip: 1, times: 1 });

    // Act
    const outcomes = [];
    for (const id of ['first', 'second', 'third'])
      outcomes.push(
        await client.send(put(id)).then(
          () => 'ok',
          (e: Error) => e.name,
        ),
      );

    // Assess
    expect(outcomes).toEqual(['ok', 'InternalServerError', 'ok']);
    expect(rule.hits).toBe(1);
  });
});
