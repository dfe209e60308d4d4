import { PlanAction } from '../scripts/lib/plan-json';
import { PlannedChange, plannedChanges, unexplainedChanges } from './support/emulator-gaps';

function change(
  address: string,
  actions: PlanAction[],
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  afterUnknown: Record<string, unknown> = {},
) {
  return { address, type: address.split('.')[0]!, change: { actions, before, after, after_unknown: afterUnknown } };
}

describe('plannedChanges', () => {
  it('lists the differing top-level attributes and ignores no-ops and reads', () => {
    const changes = plannedChanges({
      resource_changes: [
        change(
          'aws_lambda_function.f',
          ['update'],
          { dead_letter_config: [], timeout: 60 },
          { dead_letter_config: [{ target_arn: 'q' }], timeout: 60 },
        ),
        change('aws_s3_bucket.b', ['no-op'], { bucket: 'b' }, { bucket: 'b' }),
        change('aws_iam_policy_document.d', ['read'], {}, {}),
      ],
    });

    expect(changes).toEqual([
      {
        address: 'aws_lambda_function.f',
        type: 'aws_lambda_function',
        actions: ['update'],
        attributes: ['dead_letter_config'],
        derived: false,
      },
    ]);
  });

  it('marks a change whose values are only unknown until apply as derived', () => {
    const [policy] = plannedChanges({
      resource_changes: [change('aws_s3_bucket_policy.p', ['update'], { policy: '{}' }, {}, { policy: true })],
    });

    expect(policy).toEqual(expect.objectContaining({ attributes: ['policy'], derived: true }));
  });
});

describe('unexplainedChanges', () => {
  const gapChange: PlannedChange = {
    address: 'aws_lambda_function.f',
    type: 'aws_lambda_function',
    actions: ['update'],
    attributes: ['dead_letter_config'],
    derived: false,
  };

  it('excuses in-place updates of listed attributes only', () => {
    expect(unexplainedChanges([gapChange])).toEqual([]);
    const real = { ...gapChange, attributes: ['dead_letter_config', 'timeout'] };
    expect(unexplainedChanges([real])).toEqual([real]);
  });

  it('never excuses a replacement or a resource type without a listed gap', () => {
    const replace = { ...gapChange, actions: ['delete', 'create'] };
    const other = { ...gapChange, address: 'aws_sqs_queue.q', type: 'aws_sqs_queue' };

    expect(unexplainedChanges([replace, other])).toEqual([replace, other]);
  });

  it('excuses a derived update only next to an excused gap', () => {
    const derived: PlannedChange = {
      address: 'aws_s3_bucket_policy.p',
      type: 'aws_s3_bucket_policy',
      actions: ['update'],
      attributes: ['policy'],
      derived: true,
    };

    expect(unexplainedChanges([gapChange, derived])).toEqual([]);
    expect(unexplainedChanges([derived])).toEqual([derived]);
  });
});
