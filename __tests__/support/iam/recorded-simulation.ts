/**
 * Simulates recorded API calls against a role: each call mapped to its IAM requests
 * (terraform-calls.ts), each request decided by the IAM simulator (simulate.ts).
 */
import type { ProxiedCall } from '../faults/proxy';
import { PolicyDocument } from './ci-roles';
import { iamActionsOf } from './actions';
import { CallMemory, CallScope, iamRequestsOf, newCallMemory } from './terraform-calls';
import { Decision, IamRequest, Principal, decide } from './simulate';

/** One simulated request. */
export interface SimulatedRequest {
  readonly request: IamRequest;
  readonly decision: Decision;
}

/** The outcome of simulating a set of calls against one principal. */
export interface RecordedSimulation {
  readonly requests: readonly SimulatedRequest[];
  /** Requests the role does not allow, as `action resource (decision)`, each once. */
  readonly denied: readonly string[];
  /** Every distinct action the calls needed. */
  readonly exercised: ReadonlySet<string>;
}

/** Simulates every call in order (the memory carries each role's boundary from its CreateRole on). */
export async function simulateCalls(
  calls: readonly ProxiedCall[],
  principal: Principal,
  scope: CallScope,
  memory: CallMemory = newCallMemory(),
): Promise<RecordedSimulation> {
  const requests: SimulatedRequest[] = [];
  const cache = new Map<string, Decision>();
  for (const call of calls) {
    for (const request of iamRequestsOf(call, scope, memory)) {
      const key = JSON.stringify(request);
      const decision = cache.get(key) ?? (await decide(principal, request));
      cache.set(key, decision);
      requests.push({ request, decision });
    }
  }
  const denied = [
    ...new Set(requests.filter((r) => r.decision !== 'Allowed').map((r) => `${r.request.action} ${r.request.resource} (${r.decision})`)),
  ];
  return { requests, denied, exercised: new Set(requests.map((r) => r.request.action.toLowerCase())) };
}

/** Actions a policy allows that no recorded call needed: least privilege, shown from the other side. */
export function neverExercised(policy: PolicyDocument, exercised: ReadonlySet<string>): string[] {
  return iamActionsOf(policy)
    .map((a) => a.action)
    .filter((a) => !exercised.has(a.toLowerCase()));
}
