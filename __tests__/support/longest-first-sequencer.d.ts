import Sequencer from '@jest/test-sequencer';

/** The long real-tool files (paths under __tests__/), longest first. */
export declare const LONGEST_FIRST: readonly string[];

/** Jest's sequencer, with {@link LONGEST_FIRST} started first. */
export default class LongestFirstSequencer extends Sequencer {}
