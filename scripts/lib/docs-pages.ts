/**
 * The generated parts of docs/: the configuration page, from the zod schema's JSON Schema (field
 * descriptions, defaults and limits), and the metrics table, from the metric catalog. The schema
 * and the catalog own the facts; the pages only render them, and a test compares the committed
 * pages with what these functions make.
 */
import { z } from 'zod';
import { EXTRA_DIMENSIONS, PIPELINE_METRICS, type MetricDefinition } from '../../contracts/metrics';
import { PipelineConfigSchema, parsePipelineConfig } from '../../stacks/config';

/** A JSON Schema node as zod's `toJSONSchema` writes it (the parts rendered here). */
interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
}

/** One row of a field table. */
interface FieldRow {
  readonly path: string;
  readonly node: SchemaNode;
  readonly required: boolean;
}

/** Longer defaults go below their table, as JSON, instead of into a cell. */
const MAX_INLINE_DEFAULT = 60;

const code = (text: string) => `\`${text}\``;
/** A table cell: pipes escaped, newlines folded. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function isObject(node: SchemaNode): boolean {
  return node.type === 'object' && node.properties !== undefined;
}

function typeOf(node: SchemaNode): string {
  if (node.const !== undefined) return code(JSON.stringify(node.const));
  if (node.enum !== undefined) return node.enum.map((v) => code(JSON.stringify(v))).join(', ');
  if (node.type === 'array') return `array of ${node.items === undefined ? 'any' : isObject(node.items) ? 'objects' : typeOf(node.items)}`;
  if (node.type === 'object' && node.properties === undefined && typeof node.additionalProperties === 'object') {
    return `map of ${typeOf(node.additionalProperties)}`;
  }
  if (node.format !== undefined) return `${node.type ?? 'string'} (${node.format})`;
  return node.type ?? 'any';
}

function limitsOf(node: SchemaNode): string {
  const limits: string[] = [];
  // zod writes Number.MAX_SAFE_INTEGER as the maximum of every integer; it says nothing.
  if (node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER) limits.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) limits.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER) limits.push(`≤ ${node.maximum}`);
  if (node.minItems !== undefined) limits.push(`at least ${node.minItems} item(s)`);
  if (node.maxItems !== undefined) limits.push(`at most ${node.maxItems} items`);
  if (node.minLength !== undefined) limits.push(`length ≥ ${node.minLength}`);
  if (node.maxLength !== undefined) limits.push(`length ≤ ${node.maxLength}`);
  if (node.pattern !== undefined && node.format === undefined) limits.push(`matches ${code(node.pattern)}`);
  return limits.join(', ');
}

function defaultOf(row: FieldRow): string {
  const value = row.node.default;
  if (value === undefined) return row.required ? '(required)' : '(unset)';
  const json = JSON.stringify(value);
  if (isObject(row.node) && json === '{}') return '(each field its default)';
  return json.length > MAX_INLINE_DEFAULT ? '(below the table)' : code(json);
}

/** The rows of an object's fields, nested objects and arrays of objects flattened into dotted paths. */
function rowsOf(node: SchemaNode, prefix: string): FieldRow[] {
  const rows: FieldRow[] = [];
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${name}`;
    const row: FieldRow = { path, node: child, required: (node.required ?? []).includes(name) };
    rows.push(row);
    if (isObject(child)) rows.push(...rowsOf(child, `${path}.`));
    if (child.type === 'array' && child.items !== undefined && isObject(child.items)) rows.push(...rowsOf(child.items, `${path}[].`));
  }
  return rows;
}

function fieldTable(rows: readonly FieldRow[]): string {
  const lines = ['| field | type | default | limits | meaning |', '|---|---|---|---|---|'];
  for (const row of rows) {
    if (row.node.description === undefined) {
      throw new Error(
        `config field ${row.path} has no description: add .describe('…') to it in the schema (stacks/config.ts or contracts/)`,
      );
    }
    lines.push(`| ${[code(row.path), typeOf(row.node), defaultOf(row), limitsOf(row.node), row.node.description].map(cell).join(' | ')} |`);
  }
  const long = rows.filter((row) => defaultOf(row) === '(below the table)');
  const defaults = long.map((row) => `Default of ${code(row.path)}:\n\n\`\`\`json\n${JSON.stringify(row.node.default, null, 2)}\n\`\`\``);
  return [lines.join('\n'), ...defaults].join('\n\n');
}

/** The synth error an invalid field gives, as the page quotes it. */
function sampleError(): string {
  try {
    parsePipelineConfig({ environment: 'dev', backend: { type: 'local' }, delivery: { priceClass: 'PriceClass_1' } }, 'environment dev');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the sample invalid config was accepted; choose another invalid value for the configuration page');
}

/** docs/configuration.md: every field of an environment, from the schema. */
export function renderConfigurationPage(): string {
  const schema = z.toJSONSchema(PipelineConfigSchema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  const properties = schema.properties ?? {};
  const topLevel: FieldRow[] = [];
  const groups: string[] = [];
  for (const [name, node] of Object.entries(properties)) {
    const required = (schema.required ?? []).includes(name);
    const variants = node.oneOf ?? node.anyOf;
    if (isObject(node)) {
      const presence = node.default === undefined ? ' Optional: unset, none of it applies.' : '';
      groups.push(`## ${code(name)}\n\n${node.description ?? ''}${presence}\n\n${fieldTable(rowsOf(node, `${name}.`))}`);
    } else if (variants !== undefined) {
      const tables = variants.map((variant) => {
        const kind = variant.properties?.type?.const;
        return `### ${code(name)} of type ${code(JSON.stringify(kind))}\n\n${fieldTable(rowsOf(variant, `${name}.`))}`;
      });
      groups.push(`## ${code(name)}\n\n${node.description ?? ''}${required ? ' Required.' : ''}\n\n${tables.join('\n\n')}`);
    } else {
      topLevel.push({ path: name, node, required });
    }
  }
  return `${[
    "<!-- Generated by `npm run docs:config` from the schema in stacks/config.ts (and the ladder and price schemas in contracts/). Do not edit: change the schema's .describe() texts and run the script; a test fails when this page differs. -->",
    '# Configuration',
    'For whoever declares an environment: every field of a `PipelineConfig`, the zod schema in [`stacks/config.ts`](../stacks/config.ts), with its type, default and limits. An environment sets only what it changes; every unset field takes the default, which is the secure choice. Which environments exist and how to choose them is in [Deploying and state](deploying.md#where-state-lives); the package takes the same input in your own `main.ts` ([Using the package](using-the-package.md)).',
    'In the tables, "(required)" inside an object means: required when you set that object; "(unset)" means the field is optional and has no default.',
    'An invalid config fails the synth with every offending field and no stack trace, e.g.:',
    `\`\`\`text\n${sampleError()}\n\`\`\``,
    '## Top-level fields',
    fieldTable(topLevel),
    ...groups,
  ].join('\n\n')}\n`;
}

/** Where the generated metrics table sits in docs/operating.md. */
export const METRICS_TABLE_MARKERS = { start: '<!-- generated: metrics (npm run docs:metrics) -->', end: '<!-- /generated -->' } as const;

function dimensionsOf(definition: MetricDefinition): string {
  const by = (set: readonly (keyof typeof EXTRA_DIMENSIONS)[]) =>
    set.map((d) => `${code(d)} (${EXTRA_DIMENSIONS[d].join(', ')})`).join(', ');
  return definition.dimensionSets.map((set) => (set.length === 0 ? 'total' : `by ${by(set)}`)).join('; ');
}

/** The metrics table, one row per metric of the catalog. */
export function renderMetricsTable(): string {
  const rows = Object.entries(PIPELINE_METRICS).map(([name, definition]: [string, MetricDefinition]) =>
    [code(name), definition.emitter, definition.unit, dimensionsOf(definition), definition.description].map(cell).join(' | '),
  );
  return ['| metric | from | unit | emitted | one data point is |', '|---|---|---|---|---|', ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** The page with the region between the markers replaced by `table`. */
export function withMetricsTable(page: string, table: string): string {
  const start = page.indexOf(METRICS_TABLE_MARKERS.start);
  const end = page.indexOf(METRICS_TABLE_MARKERS.end, start);
  if (start === -1 || end === -1) {
    throw new Error(`the page has no ${METRICS_TABLE_MARKERS.start} … ${METRICS_TABLE_MARKERS.end} region for the metrics table`);
  }
  return `${page.slice(0, start + METRICS_TABLE_MARKERS.start.length)}\n${table}\n${page.slice(end)}`;
}
