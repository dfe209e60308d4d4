import { TerraformResource, Testing } from 'cdktf';
import { Construct } from 'constructs';

type Block = Record<string, unknown>;

/** A parsed synth result with lookups by resource type, in the spirit of aws-cdk's Template. */
export class Template {
  constructor(readonly json: Block) {}

  /** Synthesizes whatever `build` adds to a fresh test stack. */
  static synth(build: (scope: Construct) => void): Template {
    return new Template(JSON.parse(Testing.synthScope(build)) as Block);
  }

  /**
   * Like {@link synth}, and returns what `build` returned, so a test can take references from
   * the constructs' exposed fields: `refOf(built.deadLetterQueue, 'arn')`.
   */
  static synthBuilt<T>(build: (scope: Construct) => T): { template: Template; built: T } {
    let built: T | undefined;
    const template = Template.synth((scope) => {
      built = build(scope);
    });
    return { template, built: built as T };
  }

  /** Parses an already synthesized stack (e.g. from Testing.synth). */
  static parse(synthesized: string): Template {
    return new Template(JSON.parse(synthesized) as Block);
  }

  /** Resources of one type, keyed by logical id. */
  resources(type: string): Record<string, Block> {
    return ((this.json.resource as Block | undefined)?.[type] as Record<string, Block> | undefined) ?? {};
  }

  /** Data sources of one type, keyed by logical id. */
  dataSources(type: string): Record<string, Block> {
    return ((this.json.data as Block | undefined)?.[type] as Record<string, Block> | undefined) ?? {};
  }

  /** The only resource of a type, or a failure that says how many there were. */
  onlyResource(type: string): Block {
    const all = Object.values(this.resources(type));
    if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
    return all[0]!;
  }

  /** The one resource of a type whose logical id contains `idPart`. */
  resource(type: string, idPart: string): Block {
    const matches = Object.entries(this.resources(type)).filter(([id]) => id.includes(idPart));
    if (matches.length !== 1)
      throw new Error(`expected one ${type} with id containing "${idPart}", found ${matches.map(([id]) => id).join(', ') || 'none'}`);
    return matches[0]![1];
  }

  /**
   * The statements of the policy document that an argument refers to, e.g. a bucket
   * policy's `policy` = "${data.aws_iam_policy_document.X.json}".
   */
  statementsOf(reference: unknown): Block[] {
    const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(reference));
    if (!match) throw new Error(`not a policy document reference: ${String(reference)}`);
    const document = this.dataSources('aws_iam_policy_document')[match[1]!];
    if (!document) throw new Error(`no aws_iam_policy_document ${match[1]}`);
    return (document.statement as Block[] | undefined) ?? [];
  }

  /** The statement with a given sid in the policy an argument refers to. */
  statement(reference: unknown, sid: string): Block {
    const found = this.statementsOf(reference).find((s) => s.sid === sid);
    if (!found) throw new Error(`no statement "${sid}" in ${String(reference)}`);
    return found;
  }
}

/**
 * The reference cdktf synthesizes for an attribute of a resource, e.g.
 * `refOf(ingest.submitFunction.fn, 'arn')` → `${aws_lambda_function.Ingest_SubmitJob_Function_1A2B3C4D.arn}`.
 * Take the resource from the construct's exposed fields, so a test says which resource it means.
 */
export function refOf(resource: TerraformResource, attribute: string): string {
  return `\${${addressOf(resource)}.${attribute}}`;
}

/** A resource's address as `depends_on` and references spell it: `<type>.<logical id>`. */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
