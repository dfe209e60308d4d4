/**
 * EventBridge for the local runtime: the MediaConvert stand-in posts its job events here (moto's
 * PutEvents fails when a matching rule targets a Lambda), and each is routed by the rules deployed
 * on the emulator's default bus (their patterns, their Lambda targets). Scheduled rules fire
 * on their rate.
 */
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, Rule } from '@aws-sdk/client-eventbridge';
import { matchesEventPattern } from './event-pattern';

/** The minutes of a `rate(N minute[s])` or `rate(N hour[s])` expression; undefined for others. */
export function rateMinutes(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2]!.startsWith('hour') ? n * 60 : match[2]!.startsWith('day') ? n * 1440 : n;
}

async function rulesOf(events: EventBridgeClient): Promise<Rule[]> {
  const rules: Rule[] = [];
  let NextToken: string | undefined;
  do {
    const page = await events.send(new ListRulesCommand({ EventBusName: 'default', NextToken }));
    rules.push(...(page.Rules ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rules.filter((r) => r.State !== 'DISABLED');
}

async function lambdaTargets(events: EventBridgeClient, rule: string): Promise<string[]> {
  const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: 'default' }));
  return (Targets ?? []).map((t) => t.Arn ?? '').filter((arn) => arn.includes(':lambda:'));
}

/** The local bus: an HTTP endpoint taking one event per POST, and the scheduled rules' timers. */
export interface LocalEventBus {
  readonly url: string;
  /** Where matched events go: set once the functions are known (after the deploy). Until then events are only observed. */
  setDeliver(deliver: (functionArn: string, event: Record<string, unknown>, rule: string) => void): void;
  close(): Promise<void>;
}

/**
 * Starts the bus endpoint. Rules are read from the emulator for each event, so the bus can start
 * before the stack is deployed (the MediaConvert stand-in needs its URL at start).
 */
export async function startEventBus(args: {
  events: EventBridgeClient;
  onError: (error: Error) => void;
  /** Sees every event posted, matched or not (the live status lines). */
  observe?: (event: Record<string, unknown>) => void;
}): Promise<LocalEventBus> {
  let deliver: ((functionArn: string, event: Record<string, unknown>, rule: string) => void) | undefined;
  const route = async (event: Record<string, unknown>): Promise<void> => {
    if (!deliver) return;
    for (const rule of await rulesOf(args.events)) {
      if (!rule.EventPattern || !rule.Name) continue;
      if (!matchesEventPattern(JSON.parse(rule.EventPattern) as Record<string, unknown>, event)) continue;
      for (const arn of await lambdaTargets(args.events, rule.Name)) deliver(arn, event, rule.Name);
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end('not JSON');
        return;
      }
      res.writeHead(202).end();
      args.observe?.(event);
      route(event).catch((error: Error) => args.onError(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setDeliver: (next) => {
      deliver = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Fires each deployed scheduled rule (`rate(...)`) on its rate, to its Lambda targets; returns a stop function. */
export async function startSchedules(args: {
  events: EventBridgeClient;
  deliver: (functionArn: string, event: Record<string, unknown>, rule: string) => void;
  onError: (error: Error) => void;
  region: string;
  accountId: string;
}): Promise<() => void> {
  const timers: NodeJS.Timeout[] = [];
  for (const rule of await rulesOf(args.events)) {
    const minutes = rule.ScheduleExpression ? rateMinutes(rule.ScheduleExpression) : undefined;
    if (minutes === undefined || !rule.Name) continue;
    const name = rule.Name;
    const fire = (): void => {
      const event = {
        version: '0',
        id: `local-${Date.now()}`,
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: args.accountId,
        time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        region: args.region,
        resources: [rule.Arn ?? name],
        detail: {},
      };
      lambdaTargets(args.events, name).then(
        (arns) => arns.forEach((arn) => args.deliver(arn, event, name)),
        (error: Error) => args.onError(error),
      );
    };
    timers.push(setInterval(fire, minutes * 60_000));
  }
  return () => timers.forEach(clearInterval);
}
