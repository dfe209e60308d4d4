import type { UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { JobStateChange } from '../lambda-src/lib/job-event';
import { JobStatus, STATUS_RANK, buildNotifiedUpdate, buildStatusUpdate, isTerminal } from '../lambda-src/lib/job-status';
import type { MappedOutputs } from '../lambda-src/lib/outputs';

const TABLE = 'vod-test-jobs';
const NOW = new Date('2026-11-25T10:00:00.000Z');
const JOB_ID = '1536964333549-opn151';

const change = (status: JobStateChange['status'], overrides: Partial<JobStateChange> = {}): JobStateChange => ({
  jobId: JOB_ID,
  status,
  timestamp: 1536964380391,
  queue: 'arn:aws:mediaconvert:us-west-2:111122223333:queues/Default',
  assetId: 'my-trip-3f2a9c0d1e4b',
  source: 's3://vod-test-source/uploads/my-trip.mp4',
  pipeline: 'vod-test',
  outputGroupDetails: [],
  outputGroupDetailsMissing: false,
  ...overrides,
});

const OUTPUTS: MappedOutputs = {
  hls: { master: 'https://d1.cloudfront.net/a/hls/x.m3u8', variants: ['https://d1.cloudfront.net/a/hls/x_720p.m3u8'] },
  mp4: ['https://d1.cloudfront.net/a/mp4/x_1080p.mp4'],
  thumbnails: { urls: ['https://d1.cloudfront.net/a/t/x_thumb.0000000.jpg'], count: 1 },
  poster: 'https://d1.cloudfront.net/a/t/x_poster.0000000.jpg',
  durationMs: 180_041,
  skipped: [{ path: 's3://elsewhere/x.mp4', reason: 'other-bucket' }],
};

/** The SET clause as `{ attribute: value }`, resolved through the expression's names and values. */
function setFields(input: UpdateItemCommandInput): Record<string, unknown> {
  const names = input.ExpressionAttributeNames ?? {};
  const values = unmarshall(input.ExpressionAttributeValues ?? {});
  const assignments = (input.UpdateExpression ?? '').replace(/^SET /, '').split(', ');
  return Object.fromEntries(
    assignments.map((assignment) => {
      const [name = '', value = ''] = assignment.split(' = ');
      return [names[name], values[value]];
    }),
  );
}

/**
 * Evaluates a ConditionExpression against an item (undefined: no item) the way DynamoDB
 * does for the operators used here: attribute_(not_)exists, = < <= > >= <>, AND, OR, NOT
 * and parentheses. A comparison with an absent attribute is false.
 */
function conditionHolds(input: UpdateItemCommandInput, item: Record<string, unknown> | undefined): boolean {
  const expression = input.ConditionExpression ?? '';
  const names = input.ExpressionAttributeNames ?? {};
  const values = unmarshall(input.ExpressionAttributeValues ?? {});
  const tokens = expression.match(/attribute_not_exists|attribute_exists|AND|OR|NOT|<=|>=|<>|[()=<>,]|[#:][A-Za-z0-9_]+/g) ?? [];
  expect(tokens.join('')).toBe(expression.replace(/\s+/g, ''));
  let position = 0;
  const next = (): string => tokens[position++] ?? '';
  const attribute = (token: string): unknown => {
    expect(names).toHaveProperty([token]);
    return item?.[names[token] ?? ''];
  };
  const operand = (token: string): unknown => (token.startsWith('#') ? attribute(token) : values[token]);
  const primary = (): boolean => {
    const token = next();
    if (token === 'NOT') return !primary();
    if (token === '(') {
      const inner = or();
      expect(next()).toBe(')');
      return inner;
    }
    if (token === 'attribute_exists' || token === 'attribute_not_exists') {
      expect(next()).toBe('(');
      const exists = attribute(next()) !== undefined;
      expect(next()).toBe(')');
      return token === 'attribute_exists' ? exists : !exists;
    }
    const left = operand(token) as number | string | undefined;
    const operator = next();
    const right = operand(next()) as number | string | undefined;
    if (left === undefined || right === undefined) return false;
    const comparisons: Record<string, boolean> = {
      '=': left === right,
      '<>': left !== right,
      '<': left < right,
      '<=': left <= right,
      '>': left > right,
      '>=': left >= right,
    };
    expect(comparisons).toHaveProperty([operator]);
    return comparisons[operator] ?? false;
  };
  const and = (): boolean => {
    let result = primary();
    while (tokens[position] === 'AND') {
      next();
      result = primary() && result;
    }
    return result;
  };
  const or = (): boolean => {
    let result = and();
    while (tokens[position] === 'OR') {
      next();
      result = and() || result;
    }
    return result;
  };
  const result = or();
  expect(position).toBe(tokens.length);
  return result;
}

/** Names and values DynamoDB would reject: every one given must be used, and vice versa. */
function expectExpressionsConsistent(input: UpdateItemCommandInput): void {
  const text = `${input.UpdateExpression} ${input.ConditionExpression ?? ''}`;
  const used = new Set(text.match(/[#:][A-Za-z0-9_]+/g));
  expect(new Set([...Object.keys(input.ExpressionAttributeNames ?? {}), ...Object.keys(input.ExpressionAttributeValues ?? {})])).toEqual(
    used,
  );
}

describe('STATUS_RANK and isTerminal', () => {
  it.each([
    ['SUBMITTING', 0, false],
    ['RETRYABLE', 0, false],
    ['SUBMITTED', 0, false],
    ['PROGRESSING', 1, false],
    ['COMPLETE', 2, true],
    ['ERROR', 2, true],
    ['CANCELED', 2, true],
    ['FAILED', 2, true],
  ] as [JobStatus, number, boolean][])('ranks %s as %i (terminal: %s)', (status, rank, terminal) => {
    expect(STATUS_RANK[status]).toBe(rank);
    expect(isTerminal(status)).toBe(terminal);
  });
});

describe('buildStatusUpdate', () => {
  it('records a COMPLETE job with its outputs, duration and completion time', () => {
    // Act
    const input = buildStatusUpdate({ table: TABLE, change: change('COMPLETE'), outputs: OUTPUTS, now: NOW });

    // Assess
    expect(input.TableName).toBe(TABLE);
    expect(unmarshall(input.Key ?? {})).toEqual({ assetId: 'my-trip-3f2a9c0d1e4b' });
    expect(setFields(input)).toEqual({
      status: 'COMPLETE',
      statusRank: 2,
      jobId: JOB_ID,
      updatedAt: '2026-11-25T10:00:00.000Z',
      pipeline: 'vod-test',
      source: 's3://vod-test-source/uploads/my-trip.mp4',
      completedAt: '2018-09-14T22:33:00.391Z',
      outputs: { hls: OUTPUTS.hls, mp4: OUTPUTS.mp4, thumbnails: OUTPUTS.thumbnails, poster: OUTPUTS.poster },
      durationMs: 180_041,
    });
    expectExpressionsConsistent(input);
  });

  it('records a COMPLETE job without output groups with empty outputs', () => {
    // Act
    const fields = setFields(
      buildStatusUpdate({
        table: TABLE,
        change: change('COMPLETE', { outputGroupDetailsMissing: true }),
        outputs: { mp4: [], skipped: [] },
        now: NOW,
      }),
    );

    // Assess
    expect(fields.outputs).toEqual({ mp4: [] });
    expect(fields).not.toHaveProperty('durationMs');
  });

  it.each([
    ['code and message', { errorCode: 1040, errorMessage: 'Unsupported input' }, { code: 1040, message: 'Unsupported input' }],
    ['a code only', { errorCode: 1040 }, { code: 1040 }],
    ['a string code', { errorCode: 'E_INPUT' }, { code: 'E_INPUT' }],
  ])('records an ERROR with %s', (_case, fields, expected) => {
    // Act
    const input = buildStatusUpdate({ table: TABLE, change: change('ERROR', fields), now: NOW });

    // Assess
    expect(setFields(input)).toEqual(
      expect.objectContaining({ status: 'ERROR', statusRank: 2, error: expected, completedAt: '2018-09-14T22:33:00.391Z' }),
    );
    expect(setFields(input)).not.toHaveProperty('outputs');
    expectExpressionsConsistent(input);
  });

  it('records PROGRESSING without completion fields', () => {
    // Act
    const input = buildStatusUpdate({ table: TABLE, change: change('PROGRESSING'), now: NOW });

    // Assess
    expect(Object.keys(setFields(input)).sort()).toEqual(['jobId', 'pipeline', 'source', 'status', 'statusRank', 'updatedAt']);
    expect(input.ConditionExpression).not.toMatch(/notifiedAt/);
    expectExpressionsConsistent(input);
  });

  it('leaves source out when the job metadata has none', () => {
    // Act
    const input = buildStatusUpdate({ table: TABLE, change: change('CANCELED', { source: undefined }), now: NOW });

    // Assess
    expect(setFields(input)).not.toHaveProperty('source');
    expectExpressionsConsistent(input);
  });

  const progressing = { assetId: 'a', status: 'PROGRESSING', statusRank: 1, jobId: JOB_ID };
  const completed = { assetId: 'a', status: 'COMPLETE', statusRank: 2, jobId: JOB_ID };
  it.each([
    ['creates a record that does not exist yet', undefined, 'PROGRESSING', true],
    ['moves a submitted record (no statusRank) on', { assetId: 'a', status: 'SUBMITTED', jobId: JOB_ID }, 'PROGRESSING', true],
    ['completes a job whose PROGRESSING event never came', { assetId: 'a', status: 'SUBMITTING' }, 'COMPLETE', true],
    ['completes a progressing job', progressing, 'COMPLETE', true],
    ['fails a progressing job', progressing, 'ERROR', true],
    ['refuses a duplicate PROGRESSING', progressing, 'PROGRESSING', false],
    ['refuses a PROGRESSING that arrives after COMPLETE', completed, 'PROGRESSING', false],
    ['allows a repeated COMPLETE while it is not notified (publish retry)', completed, 'COMPLETE', true],
    ['refuses a repeated COMPLETE once notified', { ...completed, notifiedAt: '2026-11-25T09:00:00.000Z' }, 'COMPLETE', false],
    ['refuses another terminal state after COMPLETE', completed, 'ERROR', false],
    ['refuses CANCELED after a notified ERROR', { ...completed, status: 'ERROR', notifiedAt: 'x' }, 'CANCELED', false],
  ] as [string, Record<string, unknown> | undefined, JobStateChange['status'], boolean][])('%s', (_case, item, status, allowed) => {
    // Act
    const input = buildStatusUpdate({ table: TABLE, change: change(status), outputs: { mp4: [], skipped: [] }, now: NOW });

    // Assess
    expect(conditionHolds(input, item)).toBe(allowed);
  });
});

describe('buildNotifiedUpdate', () => {
  it('sets notifiedAt on the asset record', () => {
    // Act
    const input = buildNotifiedUpdate({ table: TABLE, assetId: 'a', jobId: JOB_ID, status: 'COMPLETE', now: NOW });

    // Assess
    expect(unmarshall(input.Key ?? {})).toEqual({ assetId: 'a' });
    expect(setFields(input)).toEqual({ notifiedAt: '2026-11-25T10:00:00.000Z' });
    expectExpressionsConsistent(input);
  });

  it.each([
    ['the same job in the same state', { status: 'COMPLETE', jobId: JOB_ID }, true],
    ['another job of the asset', { status: 'COMPLETE', jobId: 'other-job' }, false],
    ['another state', { status: 'ERROR', jobId: JOB_ID }, false],
    ['no record', undefined, false],
  ])('marks the record only when it still holds %s', (_case, item, allowed) => {
    // Act
    const input = buildNotifiedUpdate({ table: TABLE, assetId: 'a', jobId: JOB_ID, status: 'COMPLETE', now: NOW });

    // Assess
    expect(conditionHolds(input, item)).toBe(allowed);
  });
});
