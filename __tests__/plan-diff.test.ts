import { attributeChanges, KNOWN_AFTER_APPLY, SENSITIVE } from '../scripts/lib/plan-diff';
import { ChangeJson } from '../scripts/lib/plan-json';
import { LADDER_AFTER, LADDER_BEFORE } from './support/plan-json';

describe('attributeChanges', () => {
  it.each<[string, ChangeJson, { path: string; before: string; after: string }[]]>([
    [
      'a scalar update',
      { actions: ['update'], before: { timeout: 60 }, after: { timeout: 90 } },
      [{ path: 'timeout', before: '60', after: '90' }],
    ],
    [
      'a value in a one-element block, without [0]',
      {
        actions: ['update'],
        before: { environment: [{ variables: { STAGE: 'a' } }] },
        after: { environment: [{ variables: { STAGE: 'b' } }] },
      },
      [{ path: 'environment.variables.STAGE', before: '"a"', after: '"b"' }],
    ],
    [
      'a change inside a JSON document held in a string',
      {
        actions: ['update'],
        before: { environment: [{ variables: { ENCODING_LADDER: LADDER_BEFORE } }] },
        after: { environment: [{ variables: { ENCODING_LADDER: LADDER_AFTER } }] },
      },
      [{ path: 'environment.variables.ENCODING_LADDER › rungs.maxBitrate', before: '6000000', after: '5000000' }],
    ],
    [
      'an unknown value as known after apply',
      { actions: ['update'], before: { policy: '{"a":1}' }, after: {}, after_unknown: { policy: true } },
      [{ path: 'policy', before: '"{\\"a\\":1}"', after: KNOWN_AFTER_APPLY }],
    ],
    [
      'a sensitive value on both sides, masked',
      {
        actions: ['update'],
        before: { environment: [{ variables: { TOKEN: 'old-secret-1' } }] },
        after: { environment: [{ variables: { TOKEN: 'new-secret-2' } }] },
        before_sensitive: { environment: [{ variables: { TOKEN: true } }] },
        after_sensitive: { environment: [{ variables: { TOKEN: true } }] },
      },
      [{ path: 'environment.variables.TOKEN', before: SENSITIVE, after: SENSITIVE }],
    ],
    [
      'a whole sensitive block, masked without looking inside',
      {
        actions: ['update'],
        before: { secret: { key: 'k1', value: '{"x":"hidden-1"}' } },
        after: { secret: { key: 'k2', value: '{"x":"hidden-2"}' } },
        before_sensitive: { secret: true },
        after_sensitive: { secret: true },
      },
      [{ path: 'secret', before: SENSITIVE, after: SENSITIVE }],
    ],
    [
      'an equal sensitive value as no change',
      {
        actions: ['update'],
        before: { password: 'same', size: 1 },
        after: { password: 'same', size: 2 },
        before_sensitive: { password: true },
        after_sensitive: { password: true },
      },
      [{ path: 'size', before: '1', after: '2' }],
    ],
    [
      'an added and a removed attribute',
      { actions: ['update'], before: { tags: { a: '1' } }, after: { tags: { b: '2' } } },
      [
        { path: 'tags.a', before: '"1"', after: '(none)' },
        { path: 'tags.b', before: '(none)', after: '"2"' },
      ],
    ],
  ])('reports %s', (_name, change, expected) => {
    // Act
    const changes = attributeChanges(change);

    // Assess
    expect(changes.map(({ path, before, after }) => ({ path, before, after }))).toEqual(expected);
  });

  it('marks the paths that force a replacement', () => {
    const [rename] = attributeChanges({
      actions: ['delete', 'create'],
      before: { bucket: 'old-name' },
      after: { bucket: 'new-name' },
      replace_paths: [['bucket']],
    });

    expect(rename).toEqual({ path: 'bucket', before: '"old-name"', after: '"new-name"', forcesReplacement: true });
  });

  it('cuts very long values with an ellipsis', () => {
    const [change] = attributeChanges({ actions: ['update'], before: { code: 'a'.repeat(500) }, after: { code: 'b'.repeat(500) } });

    expect(change!.before.length).toBeLessThanOrEqual(160);
    expect(change!.before.endsWith('…')).toBe(true);
  });
});
