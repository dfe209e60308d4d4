import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  BadRequestException,
  ConflictException,
  CreateJobCommand,
  type CreateJobCommandInput,
  CreateQueueCommand,
  DescribeEndpointsCommand,
  GetJobCommand,
  GetQueueCommand,
  type H264Settings,
  ListTagsForResourceCommand,
  MediaConvertClient,
  NotFoundException,
  SearchJobsCommand,
  ProbeCommand,
  TagResourceCommand,
  UntagResourceCommand,
  paginateSearchJobs,
} from '@aws-sdk/client-mediaconvert';
import { type MediaConvertStub, startMediaConvertStub } from './support/mediaconvert/server';
import { readMediaFixture } from './support/media-fixtures';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const ROLE = 'arn:aws:iam::123456789012:role/vod-mediaconvert';

/** A job shaped like the pipeline's: an HLS ladder of two rungs plus a thumbnail group. */
function jobInput(overrides: Partial<CreateJobCommandInput> = {}): CreateJobCommandInput {
  return {
    Role: ROLE,
    UserMetadata: { assetId: 'asset-1' },
    AccelerationSettings: { Mode: 'PREFERRED' },
    StatusUpdateInterval: 'SECONDS_60',
    Settings: {
      Inputs: [{ FileInput: 's3://source-bucket/source/talk.mp4' }],
      OutputGroups: [
        {
          Name: 'HLS',
          OutputGroupSettings: {
            Type: 'HLS_GROUP_SETTINGS',
            HlsGroupSettings: { Destination: 's3://output-bucket/output/asset-1/hls/', SegmentLength: 6, MinSegmentLength: 0 },
          },
          Outputs: [720, 360].map((height) => ({
            NameModifier: `_${height}p`,
            ContainerSettings: { Container: 'M3U8' },
            VideoDescription: {
              Width: height === 720 ? 1280 : 640,
              Height: height,
              CodecSettings: {
                Codec: 'H_264',
                H264Settings: {
                  RateControlMode: 'QVBR',
                  MaxBitrate: height === 720 ? 4_000_000 : 800_000,
                  QvbrSettings: { QvbrQualityLevel: 7 },
                },
              },
            },
          })),
        },
        {
          Name: 'Thumbnails',
          OutputGroupSettings: {
            Type: 'FILE_GROUP_SETTINGS',
            FileGroupSettings: { Destination: 's3://output-bucket/output/asset-1/thumbs/' },
          },
          Outputs: [
            {
              ContainerSettings: { Container: 'RAW' },
              VideoDescription: {
                CodecSettings: {
                  Codec: 'FRAME_CAPTURE',
                  FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: 5, MaxCaptures: 10, Quality: 80 },
                },
              },
            },
          ],
        },
      ],
    },
    ...overrides,
  };
}

describe('MediaConvert stub', () => {
  let stub: MediaConvertStub;
  let client: MediaConvertClient;
  let tokenCounter = 0;
  const uniqueToken = (): string => `token-${Date.now()}-${(tokenCounter += 1)}`;
  const requestsWithToken = (token: string): unknown[] => stub.createJobRequests.filter((r) => r.clientRequestToken === token);
  const jobsWithToken = (token: string): unknown[] => [...stub.jobs.values()].filter((j) => j.clientRequestToken === token);
  const stubLog = jest.fn<void, [string]>();

  beforeAll(async () => {
    stub = await startMediaConvertStub({ log: stubLog });
    client = new MediaConvertClient({ region: 'us-east-1', endpoint: stub.url, credentials });
  });

  afterAll(async () => {
    client.destroy();
    await stub.close();
  });

  describe('queues', () => {
    it('creates a queue and reads it back with its ARN and on-demand defaults', async () => {
      // Prepare
      const name = 'vod-create-get';

      // Act
      const created = await client.send(new CreateQueueCommand({ Name: name, Description: 'VOD jobs' }));
      const fetched = await client.send(new GetQueueCommand({ Name: name }));

      // Assess
      expect(created.Queue?.Arn).toBe(`arn:aws:mediaconvert:us-east-1:123456789012:queues/${name}`);
      expect(fetched.Queue).toMatchObject({
        Name: name,
        Arn: created.Queue?.Arn,
        Description: 'VOD jobs',
        PricingPlan: 'ON_DEMAND',
        Status: 'ACTIVE',
        Type: 'CUSTOM',
      });
      expect(fetched.Queue?.CreatedAt).toBeInstanceOf(Date);
    });

    it('rejects a second queue with the same name with ConflictException', async () => {
      // Prepare
      await client.send(new CreateQueueCommand({ Name: 'vod-conflict' }));

      // Act
      const again = client.send(new CreateQueueCommand({ Name: 'vod-conflict' }));

      // Assess
      await expect(again).rejects.toBeInstanceOf(ConflictException);
    });

    it('answers GetQueue for an unknown queue with NotFoundException', async () => {
      // Act
      const missing = client.send(new GetQueueCommand({ Name: 'no-such-queue' }));

      // Assess
      await expect(missing).rejects.toBeInstanceOf(NotFoundException);
    });

    it('keeps tags sent at creation and by TagResource/UntagResource, addressed by the URL-encoded ARN', async () => {
      // Prepare
      const { Queue } = await client.send(new CreateQueueCommand({ Name: 'vod-tagged', Tags: { Project: 'vod', Owner: 'media' } }));
      const arn = Queue?.Arn as string;

      // Act
      await client.send(new TagResourceCommand({ Arn: arn, Tags: { Stage: 'local' } }));
      await client.send(new UntagResourceCommand({ Arn: arn, TagKeys: ['Owner'] }));
      const { ResourceTags } = await client.send(new ListTagsForResourceCommand({ Arn: arn }));

      // Assess
      expect(ResourceTags).toEqual({ Arn: arn, Tags: { Project: 'vod', Stage: 'local' } });
      expect(stub.requests).toContainEqual({ method: 'GET', path: `/2017-08-29/tags/${arn}` });
    });
  });

  describe('jobs', () => {
    it('round-trips CreateJob and GetJob with the settings members preserved', async () => {
      // Prepare
      const input = jobInput({ ClientRequestToken: uniqueToken() });

      // Act
      const { Job: created } = await client.send(new CreateJobCommand(input));
      const { Job: fetched } = await client.send(new GetJobCommand({ Id: created?.Id }));

      // Assess
      expect(created?.Id).toMatch(/^\d{13}-[0-9a-z]{6}$/);
      expect(fetched).toMatchObject({
        Id: created?.Id,
        Arn: `arn:aws:mediaconvert:us-east-1:123456789012:jobs/${created?.Id}`,
        Status: 'SUBMITTED',
        Role: ROLE,
        Queue: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/Default',
        UserMetadata: { assetId: 'asset-1' },
        AccelerationSettings: { Mode: 'PREFERRED' },
        StatusUpdateInterval: 'SECONDS_60',
        ClientRequestToken: input.ClientRequestToken,
        Settings: input.Settings,
      });
      expect(fetched?.Settings?.Inputs?.[0]?.FileInput).toBe('s3://source-bucket/source/talk.mp4');
      expect(fetched?.CreatedAt).toBeInstanceOf(Date);
    });

    it('records the camelCase body the SDK sends', async () => {
      // Prepare
      const token = uniqueToken();

      // Act
      await client.send(new CreateJobCommand(jobInput({ ClientRequestToken: token })));

      // Assess
      expect(requestsWithToken(token)).toEqual([
        expect.objectContaining({
          role: ROLE,
          settings: expect.objectContaining({ inputs: [{ fileInput: 's3://source-bucket/source/talk.mp4' }] }),
        }),
      ]);
    });

    it('accepts a custom queue by ARN and reports it on the job', async () => {
      // Prepare
      const { Queue } = await client.send(new CreateQueueCommand({ Name: 'vod-jobs' }));

      // Act
      const { Job } = await client.send(new CreateJobCommand(jobInput({ Queue: Queue?.Arn })));

      // Assess
      expect(Job?.Queue).toBe(Queue?.Arn);
    });

    it('rejects a job without Role with a BadRequestException that names role', async () => {
      // Prepare
      const input = jobInput({ Role: undefined });

      // Act
      const result = client.send(new CreateJobCommand(input));

      // Assess
      await expect(result).rejects.toThrow(BadRequestException);
      await expect(result).rejects.toThrow(/\/role: required/);
    });

    const settings = jobInput().Settings;
    const [hls, thumbnails] = settings?.OutputGroups ?? [];
    /** The HLS group with `h264` merged into each output's H.264 settings. */
    const withH264 = (group: typeof hls, h264: H264Settings) => ({
      ...group,
      Outputs: group?.Outputs?.map((o) => ({
        ...o,
        VideoDescription: {
          ...o.VideoDescription,
          CodecSettings: { Codec: 'H_264' as const, H264Settings: { ...o.VideoDescription?.CodecSettings?.H264Settings, ...h264 } },
        },
      })),
    });
    it.each<[string, Partial<CreateJobCommandInput>, RegExp]>([
      ['a role that is not an IAM role ARN', { Role: 'arn:aws:iam::123456789012:user/alice' }, /\/role:/],
      [
        'a non-S3 input',
        { Settings: { ...settings, Inputs: [{ FileInput: 'https://example.com/a.mp4' }] } },
        /\/settings\/inputs\/0\/fileInput/,
      ],
      ['no output groups', { Settings: { ...settings, OutputGroups: [] } }, /\/settings\/outputGroups: required/],
      [
        'a destination outside S3',
        {
          Settings: {
            ...settings,
            OutputGroups: [
              { ...thumbnails, OutputGroupSettings: { Type: 'FILE_GROUP_SETTINGS', FileGroupSettings: { Destination: 'file:///out/' } } },
            ],
          },
        },
        /fileGroupSettings\/destination/,
      ],
      ['only frame-capture outputs', { Settings: { ...settings, OutputGroups: [thumbnails ?? {}] } }, /only frame-capture outputs/],
      [
        'two outputs without a name modifier',
        { Settings: { ...settings, OutputGroups: [{ ...hls, Outputs: hls?.Outputs?.map((o) => ({ ...o, NameModifier: undefined })) }] } },
        /outputs\/0\/nameModifier/,
      ],
      ['an unknown queue', { Queue: 'arn:aws:mediaconvert:us-east-1:123456789012:queues/nope' }, /\/queue:/],
      [
        'eleven userMetadata entries',
        { UserMetadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
        /\/userMetadata: at most 10/,
      ],
      ['a userMetadata value over 256 characters', { UserMetadata: { note: 'x'.repeat(257) } }, /\/userMetadata\/note/],
      ['a ClientRequestToken over 64 characters', { ClientRequestToken: 't'.repeat(65) }, /\/clientRequestToken/],
      [
        'a codec level the model does not know',
        { Settings: { ...settings, OutputGroups: [withH264(hls, { CodecLevel: 'LEVEL_6' as 'AUTO' }), thumbnails ?? {}] } },
        /h264Settings\/codecLevel: one of AUTO/,
      ],
      [
        'a SPECIFIED pixel aspect ratio without its fraction',
        { Settings: { ...settings, OutputGroups: [withH264(hls, { ParControl: 'SPECIFIED' }), thumbnails ?? {}] } },
        /parControl: SPECIFIED requires parNumerator and parDenominator/,
      ],
      [
        'a frame rate of 0',
        {
          Settings: {
            ...settings,
            OutputGroups: [
              withH264(hls, { FramerateControl: 'SPECIFIED', FramerateNumerator: 0, FramerateDenominator: 1 }),
              thumbnails ?? {},
            ],
          },
        },
        /framerateNumerator: must be an integer from 1/,
      ],
      [
        'an unknown HLS manifest duration format',
        {
          Settings: {
            ...settings,
            OutputGroups: [
              {
                ...hls,
                OutputGroupSettings: {
                  Type: 'HLS_GROUP_SETTINGS',
                  HlsGroupSettings: {
                    ...hls?.OutputGroupSettings?.HlsGroupSettings,
                    ManifestDurationFormat: 'SECONDS' as 'INTEGER',
                  },
                },
              },
              thumbnails ?? {},
            ],
          },
        },
        /manifestDurationFormat: one of FLOATING_POINT, INTEGER/,
      ],
      [
        'an unknown rotation',
        {
          Settings: { ...settings, Inputs: [{ FileInput: 's3://source-bucket/a.mp4', VideoSelector: { Rotate: 'DEGREES_45' as 'AUTO' } }] },
        },
        /videoSelector\/rotate: one of/,
      ],
    ])('rejects %s with a BadRequestException naming the member', async (_case, overrides, message) => {
      // Act
      const result = client.send(new CreateJobCommand(jobInput(overrides)));

      // Assess
      await expect(result).rejects.toThrow(BadRequestException);
      await expect(result).rejects.toThrow(message);
    });

    it('returns the original job for a repeated ClientRequestToken and creates only one', async () => {
      // Prepare
      const token = uniqueToken();
      const before = stub.createdJobCount;

      // Act
      const first = await client.send(new CreateJobCommand(jobInput({ ClientRequestToken: token })));
      const second = await client.send(new CreateJobCommand(jobInput({ ClientRequestToken: token })));

      // Assess
      expect(second.Job?.Id).toBe(first.Job?.Id);
      expect(requestsWithToken(token)).toHaveLength(2);
      expect(jobsWithToken(token)).toHaveLength(1);
      expect(stub.createdJobCount).toBe(before + 1);
    });

    it('creates a new job for a token repeated after the idempotency window', async () => {
      // Prepare
      const shortWindow = await startMediaConvertStub({ idempotencyWindowMs: 0 });
      const shortClient = new MediaConvertClient({ region: 'us-east-1', endpoint: shortWindow.url, credentials });
      const input = jobInput({ ClientRequestToken: 'late-repeat' });

      try {
        // Act
        const first = await shortClient.send(new CreateJobCommand(input));
        await new Promise((resolve) => setTimeout(resolve, 5));
        const second = await shortClient.send(new CreateJobCommand(input));

        // Assess
        expect(second.Job?.Id).not.toBe(first.Job?.Id);
        expect(shortWindow.createdJobCount).toBe(2);
      } finally {
        shortClient.destroy();
        await shortWindow.close();
      }
    });
  });

  describe('searching jobs', () => {
    it('finds the jobs of one exact input file and queue, newest first, with their user metadata', async () => {
      // Prepare: two uploads, the first submitted twice, plus a job of the same file on another queue.
      const searchStub = await startMediaConvertStub({ log: stubLog });
      const searchClient = new MediaConvertClient({ region: 'us-east-1', endpoint: searchStub.url, credentials });
      const queue = (await searchClient.send(new CreateQueueCommand({ Name: 'vod-search' }))).Queue!.Arn!;
      const job = (file: string, assetId: string, jobQueue?: string) =>
        jobInput({
          UserMetadata: { assetId },
          ...(jobQueue !== undefined ? { Queue: jobQueue } : {}),
          Settings: { ...jobInput().Settings, Inputs: [{ FileInput: file }] },
        });
      try {
        const first = await searchClient.send(new CreateJobCommand(job('s3://source/a.mp4', 'a-1', queue)));
        await searchClient.send(new CreateJobCommand(job('s3://source/b.mp4', 'b-1', queue)));
        const again = await searchClient.send(new CreateJobCommand(job('s3://source/a.mp4', 'a-1', queue)));
        await searchClient.send(new CreateJobCommand(job('s3://source/a.mp4', 'a-1')));

        // Act
        const found = await searchClient.send(new SearchJobsCommand({ InputFile: 's3://source/a.mp4', Queue: queue }));

        // Assess
        expect(found.Jobs?.map((j) => j.Id)).toEqual([again.Job?.Id, first.Job?.Id]);
        expect(found.Jobs?.[0]?.UserMetadata).toEqual({ assetId: 'a-1' });
        expect(found.NextToken).toBeUndefined();
      } finally {
        searchClient.destroy();
        await searchStub.close();
      }
    });

    it('pages through more than 20 matches with nextToken', async () => {
      // Prepare
      const searchStub = await startMediaConvertStub({ log: stubLog });
      const searchClient = new MediaConvertClient({ region: 'us-east-1', endpoint: searchStub.url, credentials });
      try {
        for (let i = 0; i < 23; i += 1) await searchClient.send(new CreateJobCommand(jobInput()));

        // Act
        const pages = [];
        for await (const page of paginateSearchJobs({ client: searchClient }, { InputFile: 'talk.mp4' })) pages.push(page.Jobs?.length);

        // Assess
        expect(pages).toEqual([20, 3]);
      } finally {
        searchClient.destroy();
        await searchStub.close();
      }
    });
  });

  describe('clock', () => {
    it('measures the ClientRequestToken window on the clock it is given', async () => {
      // Prepare
      let now = Date.parse('2026-11-25T10:00:00Z');
      const clocked = await startMediaConvertStub({ clock: () => now, log: stubLog });
      const clockedClient = new MediaConvertClient({ region: 'us-east-1', endpoint: clocked.url, credentials });
      const input = jobInput({ ClientRequestToken: 'clocked-token' });
      try {
        // Act
        const first = await clockedClient.send(new CreateJobCommand(input));
        now += 59_000;
        const within = await clockedClient.send(new CreateJobCommand(input));
        now += 2_000;
        const after = await clockedClient.send(new CreateJobCommand(input));

        // Assess
        expect(within.Job?.Id).toBe(first.Job?.Id);
        expect(after.Job?.Id).not.toBe(first.Job?.Id);
        expect(first.Job?.CreatedAt?.toISOString()).toBe('2026-11-25T10:00:00.000Z');
      } finally {
        clockedClient.destroy();
        await clocked.close();
      }
    });
  });

  describe('probe', () => {
    let probing: MediaConvertStub;
    let probeClient: MediaConvertClient;
    const objects = new Map<string, Uint8Array>([
      ['s3://src/clip.mp4', readMediaFixture('webcam-640x480.mp4')],
      ['s3://src/noise.bin', Buffer.alloc(1024, 7)],
    ]);

    beforeAll(async () => {
      probing = await startMediaConvertStub({
        log: () => undefined,
        reader: async (bucket, key) => {
          const bytes = objects.get(`s3://${bucket}/${key}`);
          if (!bytes) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
          return bytes;
        },
      });
      probeClient = new MediaConvertClient({ region: 'us-east-1', endpoint: probing.url, credentials, maxAttempts: 3 });
    });

    afterAll(async () => {
      probeClient.destroy();
      await probing.close();
    });

    const probeUrl = (url: string) => probeClient.send(new ProbeCommand({ InputFiles: [{ FileUrl: url }] }));

    it('answers a fixture from its ffprobe record: container, tracks and track mappings', async () => {
      const [result] = (await probeUrl('s3://src/clip.mp4')).ProbeResults ?? [];

      expect(result?.Container).toEqual(expect.objectContaining({ Format: 'mp4', Duration: 3 }));
      expect(result?.Container?.Tracks?.map((t) => [t.TrackType, t.Codec, t.Index])).toEqual([
        ['video', 'AVC', 1],
        ['audio', 'AAC', 2],
      ]);
      expect(result?.TrackMappings).toEqual([{ VideoTrackIndexes: [1], AudioTrackIndexes: [2], DataTrackIndexes: [] }]);
      expect(result?.Metadata?.FileSize).toBe(objects.get('s3://src/clip.mp4')?.length);
    });

    it('answers unknown bytes as an unrecognized format: no format, no tracks', async () => {
      const [result] = (await probeUrl('s3://src/noise.bin')).ProbeResults ?? [];

      expect(result?.Container).toEqual({ Tracks: [] });
    });

    it.each([
      ['a missing object', 's3://src/gone.mp4', /Unable to read s3:\/\/src\/gone\.mp4: NoSuchKey/],
      ['a non-S3 URL', 'https://example.com/a.mp4', /fileUrl: an s3:\/\/bucket\/key URL/],
    ])('rejects %s with a BadRequestException', async (_case, url, message) => {
      await expect(probeUrl(url)).rejects.toThrow(message);
    });

    it('answers an injected throttle, which the SDK retries', async () => {
      probing.failNextProbe({ status: 429, code: 'TooManyRequestsException' });

      const response = await probeUrl('s3://src/clip.mp4');

      expect(response.ProbeResults).toHaveLength(1);
      expect(probing.probeRequests.length).toBeGreaterThanOrEqual(2);
    });
  });

  describe('fault injection', () => {
    it.each([
      { status: 429, code: 'TooManyRequestsException' },
      { status: 500, code: 'InternalServerErrorException' },
    ])('lets the SDK retry a $status $code and then creates one job', async (fault) => {
      // Prepare
      const token = uniqueToken();
      stub.failNext(fault);

      // Act
      const { Job } = await client.send(new CreateJobCommand(jobInput({ ClientRequestToken: token })));

      // Assess
      expect(Job?.Status).toBe('SUBMITTED');
      expect(requestsWithToken(token)).toHaveLength(2);
      expect(jobsWithToken(token)).toHaveLength(1);
    });

    it('surfaces an injected 400 as a BadRequestException without a retry', async () => {
      // Prepare
      const token = uniqueToken();
      stub.failNext({ status: 400, code: 'BadRequestException', message: 'injected: bad settings' });

      // Act
      const result = client.send(new CreateJobCommand(jobInput({ ClientRequestToken: token })));

      // Assess
      await expect(result).rejects.toBeInstanceOf(BadRequestException);
      await expect(result).rejects.toThrow('injected: bad settings');
      expect(requestsWithToken(token)).toHaveLength(1);
      expect(jobsWithToken(token)).toHaveLength(0);
    });
  });

  describe('routing', () => {
    it('is reached through AWS_ENDPOINT_URL_MEDIACONVERT without an endpoint option', async () => {
      // Prepare
      const saved = { ...process.env };
      process.env.AWS_ENDPOINT_URL_MEDIACONVERT = stub.url;
      delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
      const envClient = new MediaConvertClient({ region: 'us-east-1', credentials });

      try {
        // Act
        const { Queue } = await envClient.send(new GetQueueCommand({ Name: 'Default' }));

        // Assess
        expect(Queue?.Arn).toBe('arn:aws:mediaconvert:us-east-1:123456789012:queues/Default');
      } finally {
        envClient.destroy();
        process.env = saved;
      }
    });

    it('answers an unknown route with NotFoundException and logs the route', async () => {
      // Prepare
      stubLog.mockClear();

      // Act
      const result = client.send(new DescribeEndpointsCommand({}));

      // Assess
      await expect(result).rejects.toBeInstanceOf(NotFoundException);
      expect(stubLog).toHaveBeenCalledWith(expect.stringContaining('no route for POST /2017-08-29/endpoints'));
    });

    it('runs as a CLI that prints its URL as JSON and exits cleanly on SIGTERM', async () => {
      // Prepare
      const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
      const script = path.join(__dirname, 'support', 'mediaconvert', 'cli.ts');
      const child = spawn(tsx, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

      // Act
      const firstLine = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
        });
        child.once('exit', (code) => reject(new Error(`CLI exited with ${code} before printing its URL`)));
      });
      const { url } = JSON.parse(firstLine) as { url: string };
      const response = await fetch(`${url}/2017-08-29/queues/Default`);
      await response.text();
      child.kill('SIGTERM');

      // Assess
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(response.status).toBe(200);
      expect(await exited).toBe(0);
    });
  });
});
