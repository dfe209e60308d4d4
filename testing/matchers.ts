// cdktf declares its Jest matchers on `jest.Matchers<R>`; @types/jest 30 declares
// `Matchers<R, T>`, so that augmentation does not merge. This one declares both parameters.
import type { TerraformConstructor } from 'cdktf/lib/testing/matchers';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- augmenting Jest's global namespace
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- T must match @types/jest to merge
    interface Matchers<R, T> {
      /** The synthesized JSON has a resource of this provider class. */
      toHaveResource(resourceConstructor: TerraformConstructor): R;
      /** ...with these properties (partial at the top level; snake_case keys as synthesized). */
      toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      /** The synthesized JSON has a data source of this provider class. */
      toHaveDataSource(dataSourceConstructor: TerraformConstructor): R;
      /** ...with these properties. */
      toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      /** The synthesized JSON configures this provider. */
      toHaveProvider(providerConstructor: TerraformConstructor): R;
      /** `terraform validate` accepts the synthesized directory (needs terraform on PATH). */
      toBeValidTerraform(): R;
    }
  }
}

export {};
