import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/** One IAM policy statement, as the provider's policy-document data source takes it. */
export type PolicyStatement = DataAwsIamPolicyDocumentStatement;

/**
 * A policy document rendered by the provider (`data.aws_iam_policy_document`), so
 * `terraform plan` shows policies as readable JSON. Statements can be added until synth.
 */
export class PolicyDocument extends Construct {
  /** The rendered JSON, for `policy` and `assume_role_policy` arguments. */
  readonly json: string;
  private readonly statements: PolicyStatement[] = [];
  private readonly document: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, statements: readonly PolicyStatement[] = []) {
    super(scope, id);
    this.document = new DataAwsIamPolicyDocument(this, 'Document', { statement: [] });
    this.json = this.document.json;
    this.addStatements(...statements);
  }

  /** Appends statements; the document is re-rendered with all of them. */
  addStatements(...statements: PolicyStatement[]): void {
    this.statements.push(...statements);
    this.document.putStatement([...this.statements]);
  }
}

/** Deny every request that does not use TLS (FSBP S3.5, cdk-nag AwsSolutions-S10). */
export function denyInsecureTransport(resources: string[]): PolicyStatement {
  return {
    sid: 'DenyInsecureTransport',
    effect: 'Deny',
    // {"AWS": "*"} is IAM's equivalent of "*" (and what moto's logging check can parse).
    principals: [{ type: 'AWS', identifiers: ['*'] }],
    actions: ['s3:*'],
    resources,
    condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
  };
}

/** Trust policy statement letting one AWS service assume a role. */
export function serviceTrust(service: string, sourceAccount?: string): PolicyStatement {
  return {
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [service] }],
    actions: ['sts:AssumeRole'],
    ...(sourceAccount ? { condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [sourceAccount] }] } : {}),
  };
}
