// cdktf declares its Jest matchers on `jest.Matchers<R>`; @types/jest 30 declares
// `Matchers<R, T>`, so the augmentation does not merge. Re-declare it with both parameters.
import type { TerraformConstructor } from 'cdktf/lib/testing/matchers';

declare global {
  namespace jest {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars -- T must match @types/jest to merge
    interface Matchers<R, T> {
      toHaveResource(resourceConstructor: TerraformConstructor): R;
      toHaveResourceWithProperties(resourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveDataSource(dataSourceConstructor: TerraformConstructor): R;
      toHaveDataSourceWithProperties(dataSourceConstructor: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveProvider(providerConstructor: TerraformConstructor): R;
      toBeValidTerraform(): R;
    }
  }
}
