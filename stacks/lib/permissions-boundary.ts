import { Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';

/**
 * Sets `permissions_boundary` on every IAM role in a stack, including roles of constructs added
 * later: the CI deploy role may create and change roles only when they carry its environment's
 * boundary (examples/ci-roles), so a role without it would fail the deploy.
 */
export class PermissionsBoundaryAspect implements IAspect {
  constructor(readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.boundaryArn;
  }
}

/** Adds a {@link PermissionsBoundaryAspect} to `stack` when `boundaryArn` is set. */
export function applyPermissionsBoundary(stack: TerraformStack, boundaryArn: string | undefined): void {
  if (boundaryArn !== undefined) Aspects.of(stack).add(new PermissionsBoundaryAspect(boundaryArn));
}
