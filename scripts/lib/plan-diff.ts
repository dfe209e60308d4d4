/**
 * The recursive diff of one planned change: every changed leaf value, rendered for display
 * (sensitive values masked, unknown values marked, JSON documents in strings diffed inside).
 */
import type { ChangeJson } from './plan-json';

/** Shown instead of any value Terraform marks sensitive. */
export const SENSITIVE = '(sensitive value)';
/** Shown instead of a value Terraform will only know after apply. */
export const KNOWN_AFTER_APPLY = '(known after apply)';
/** Shown for an attribute that is absent on one side. */
export const ABSENT = '(none)';
/** Joins an attribute path and a path inside the JSON document the attribute holds. */
const DOCUMENT_STEP = ' › ';
/** Longest value printed before it is cut with an ellipsis. */
const MAX_VALUE_LENGTH = 160;

type Marks = unknown;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The mark below `key`, where `true` on a parent covers every child. */
function childMark(marks: Marks, key: string | number): Marks {
  if (marks === true) return true;
  if (Array.isArray(marks) && typeof key === 'number') return marks[key];
  if (isRecord(marks)) return marks[String(key)];
  return undefined;
}

/** True when any mark at or below this point is `true`. */
function anyMark(marks: Marks): boolean {
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(anyMark);
  if (isRecord(marks)) return Object.values(marks).some(anyMark);
  return false;
}

/**
 * Top-level attributes whose planned value differs from the prior one, including those
 * that are (partly) unknown until apply. Shared with the emulator-gap check of the e2e tier.
 */
export function changedAttributeNames(change: ChangeJson): string[] {
  const before = isRecord(change.before) ? change.before : {};
  const after = isRecord(change.after) ? change.after : {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys]
    .filter((k) => anyMark(childMark(change.after_unknown, k)) || JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
}

/** One changed leaf value, already rendered for display (sensitive and unknown values masked). */
export interface AttributeChange {
  /** Dotted path; `›` steps into a JSON document held in a string (a policy, the ladder). */
  readonly path: string;
  readonly before: string;
  readonly after: string;
  /** This path (or a parent) forces the replacement of the resource. */
  readonly forcesReplacement: boolean;
}

/** null, "", [] and {} (and absent) all mean "not set": the API and the plan write them differently. */
function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

export function display(value: unknown): string {
  if (value === undefined) return ABSENT;
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text;
}

function parseJsonDocument(value: unknown): unknown {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' || parent.endsWith(DOCUMENT_STEP) ? `${parent}${key}` : `${parent}.${key}`;
}

interface Side {
  readonly value: unknown;
  readonly sensitive: Marks;
}

/**
 * Walks before and after in step and returns every leaf that differs. Values under a
 * sensitive mark are never rendered (not even parsed); unknown values are marked.
 */
function diffValues(before: Side, after: Side & { readonly unknown: Marks }, path: string, out: AttributeChange[]): void {
  const beforeHidden = before.sensitive === true;
  const afterHidden = after.sensitive === true;
  if (after.unknown === true) {
    out.push({ path, before: beforeHidden ? SENSITIVE : display(before.value), after: KNOWN_AFTER_APPLY, forcesReplacement: false });
    return;
  }
  if (!beforeHidden && !afterHidden) {
    const b = before.value;
    const a = after.value;
    // One-element block lists (`environment`, `versioning_configuration`) read better without "[0]".
    if (Array.isArray(b) && Array.isArray(a) && b.length <= 1 && a.length <= 1 && (b.length === 1 || a.length === 1)) {
      diffValues(
        { value: b[0], sensitive: childMark(before.sensitive, 0) },
        { value: a[0], sensitive: childMark(after.sensitive, 0), unknown: childMark(after.unknown, 0) },
        path,
        out,
      );
      return;
    }
    if ((isRecord(b) && isRecord(a)) || (Array.isArray(b) && Array.isArray(a))) {
      const keys: (string | number)[] = Array.isArray(b)
        ? Array.from({ length: Math.max(b.length, (a as unknown[]).length) }, (_, i) => i)
        : [...new Set([...Object.keys(b), ...Object.keys(a as Record<string, unknown>)])].sort();
      for (const key of keys) {
        diffValues(
          { value: (b as Record<string | number, unknown>)[key], sensitive: childMark(before.sensitive, key) },
          {
            value: (a as Record<string | number, unknown>)[key],
            sensitive: childMark(after.sensitive, key),
            unknown: childMark(after.unknown, key),
          },
          joinPath(path, key),
          out,
        );
      }
      return;
    }
    if (JSON.stringify(b) === JSON.stringify(a) || (isEmpty(b) && isEmpty(a))) return;
    const [bDoc, aDoc] = [parseJsonDocument(b), parseJsonDocument(a)];
    if (bDoc !== undefined && aDoc !== undefined) {
      // A JSON document in a string (IAM policy, ENCODING_LADDER): diff inside it.
      diffValues(
        { value: bDoc, sensitive: undefined },
        { value: aDoc, sensitive: undefined, unknown: undefined },
        `${path}${DOCUMENT_STEP}`,
        out,
      );
      return;
    }
    out.push({ path, before: display(b), after: display(a), forcesReplacement: false });
    return;
  }
  // One side is sensitive: say that it changed, never what it is.
  if (JSON.stringify(before.value) === JSON.stringify(after.value) && beforeHidden === afterHidden) return;
  out.push({
    path,
    before: beforeHidden ? SENSITIVE : display(before.value),
    after: afterHidden ? SENSITIVE : display(after.value),
    forcesReplacement: false,
  });
}

/** Leaf-level changes of one resource change, with replacement-forcing paths marked; unset-to-unset (null, "", [], {}) is no change. */
export function attributeChanges(change: ChangeJson): AttributeChange[] {
  const out: AttributeChange[] = [];
  diffValues(
    { value: change.before ?? {}, sensitive: change.before_sensitive },
    { value: change.after ?? {}, sensitive: change.after_sensitive, unknown: change.after_unknown },
    '',
    out,
  );
  const forcing = (change.replace_paths ?? []).map((p) => p.filter((s): s is string => typeof s === 'string').join('.'));
  return out
    .map((c) => ({ ...c, path: c.path.replace(/^ › | › $/g, '') }))
    .map((c) => ({ ...c, forcesReplacement: forcing.some((f) => f !== '' && (c.path === f || c.path.startsWith(`${f}.`))) }));
}
