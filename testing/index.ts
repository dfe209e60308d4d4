/**
 * Test helpers for users of the constructs: `import { setupJest } from 'cdktf-video-pipeline/testing'`
 * in a Jest setup file (or at the top of a test) adds cdktf's matchers to `expect()` and their types.
 */
import { Testing } from 'cdktf';
import './matchers';

export { Template, addressOf, refOf } from './template';

/** Adds cdktf's matchers (toHaveResourceWithProperties, toHaveResource…) to Jest's `expect`. */
export function setupJest(): void {
  Testing.setupJest();
}
