import { ChangeKind, changeKind, isDestructive, PlanAction } from '../scripts/lib/plan-json';

describe('changeKind', () => {
  it.each<[PlanAction[], string | undefined]>([
    [['create'], 'create'],
    [['update'], 'update'],
    [['delete'], 'delete'],
    [['delete', 'create'], 'replace'],
    [['create', 'delete'], 'replace'],
    [['no-op'], undefined],
    [['read'], undefined],
    [['forget'], undefined],
  ])('classifies %j as %s', (actions, kind) => {
    expect(changeKind(actions)).toBe(kind);
  });
});

describe('isDestructive', () => {
  it.each<[ChangeKind, boolean]>([
    ['delete', true],
    ['replace', true],
    ['update', false],
    ['create', false],
  ])('a %s is destructive: %s', (kind, expected) => {
    expect(isDestructive({ kind })).toBe(expected);
  });
});
