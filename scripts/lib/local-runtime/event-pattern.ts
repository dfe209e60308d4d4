/**
 * EventBridge event-pattern matching for the local runtime (moto's TestEventPattern answers with
 * an empty body): exact values, nested objects, and the prefix, exists and anything-but operators.
 */
type Json = Record<string, unknown>;

function matchesValue(condition: unknown, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (condition !== null && typeof condition === 'object') {
    const op = condition as Json;
    if ('exists' in op) return op.exists === (value !== undefined);
    if (value === undefined) return false;
    if ('prefix' in op) return values.some((v) => typeof v === 'string' && v.startsWith(String(op.prefix)));
    if ('anything-but' in op) {
      const excluded = Array.isArray(op['anything-but']) ? (op['anything-but'] as unknown[]) : [op['anything-but']];
      return values.every((v) => !excluded.includes(v));
    }
    throw new Error(`local runtime: event-pattern operator ${JSON.stringify(op)} is not supported`);
  }
  return values.some((v) => v === condition);
}

/** True when `event` matches `pattern` (both parsed JSON). */
export function matchesEventPattern(pattern: Json, event: Json): boolean {
  return Object.entries(pattern).every(([field, condition]) => {
    const value = event[field];
    if (Array.isArray(condition)) return condition.some((c) => matchesValue(c, value));
    if (condition !== null && typeof condition === 'object') {
      return value !== null && typeof value === 'object' && !Array.isArray(value) && matchesEventPattern(condition as Json, value as Json);
    }
    return false;
  });
}
