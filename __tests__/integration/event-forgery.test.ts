import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { completedJobPattern } from '../../contracts/functions/content-analysis';
import { jobStateChangePattern } from '../../contracts/functions/job-events';
import { MotoServer, startMoto } from '../../scripts/lib/local-env';
import { PIPELINE, QUEUE_ARN, REGION, completeEvent } from '../fixtures/mediaconvert-events';
import { describeWithTools } from '../support/tiers';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

// The rules' patterns on moto's EventBridge (routing works there; TestEventPattern does not): a job
// that claims this pipeline in its metadata but ran on another queue never reaches the functions.
describeWithTools('job-state rules against forged metadata', ['moto'], () => {
  let moto: MotoServer;
  let events: EventBridgeClient;
  let sqs: SQSClient;

  /** A rule with `pattern` whose only target is a fresh queue; returns a reader of the job ids delivered. */
  async function ruleWithInbox(name: string, pattern: Record<string, unknown>): Promise<() => Promise<string[]>> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-inbox` }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await events.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify(pattern) }));
    await events.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'inbox', Arn: Attributes!.QueueArn }] }));
    return async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle! }));
      return Messages.map((m) => (JSON.parse(m.Body!) as { detail: { jobId: string } }).detail.jobId);
    };
  }

  /** Puts a COMPLETE event of job `jobId` on `queue`, as MediaConvert would send it. */
  async function putComplete(jobId: string, queue: string): Promise<void> {
    const event = completeEvent('my-trip', { jobId, queue }) as { source: string; 'detail-type': string; detail: unknown };
    const { FailedEntryCount } = await events.send(
      new PutEventsCommand({
        Entries: [{ Source: event.source, DetailType: event['detail-type'], Detail: JSON.stringify(event.detail) }],
      }),
    );
    expect(FailedEntryCount).toBe(0);
  }

  beforeAll(async () => {
    moto = await startMoto();
    events = new EventBridgeClient({ region: REGION, endpoint: moto.url, credentials });
    sqs = new SQSClient({ region: REGION, endpoint: moto.url, credentials });
  });

  afterAll(async () => {
    events.destroy();
    sqs.destroy();
    await moto.stop();
  });

  it.each([
    ['job-state', jobStateChangePattern(PIPELINE, QUEUE_ARN)],
    ['content-analysis', completedJobPattern(PIPELINE, QUEUE_ARN)],
  ])('the %s rule delivers a job on the pipeline queue and not one with the same metadata on another queue', async (name, pattern) => {
    // Prepare
    const delivered = await ruleWithInbox(name, pattern);

    // Act
    await putComplete('genuine-job', QUEUE_ARN);
    await putComplete('forged-job', QUEUE_ARN.replace(`queues/${PIPELINE}`, 'queues/Default'));

    // Assess
    expect(await delivered()).toEqual(['genuine-job']);
  });
});
