/** Plan JSON built in tests: one resource change, and the ladder values a cost flag reads. */
import type { ChangeJson, PlanAction } from '../../scripts/lib/plan-json';

export const LADDER_BEFORE = JSON.stringify({ rungs: [{ name: '1080p', maxBitrate: 6_000_000 }], mp4Rung: '1080p' });
export const LADDER_AFTER = JSON.stringify({ rungs: [{ name: '1080p', maxBitrate: 5_000_000 }], mp4Rung: '1080p' });

export function resource(address: string, actions: PlanAction[], change: Omit<ChangeJson, 'actions'> = {}, actionReason?: string) {
  return {
    address,
    mode: 'managed' as const,
    type: address.split('.')[0]!,
    change: { actions, ...change },
    ...(actionReason ? { action_reason: actionReason } : {}),
  };
}
