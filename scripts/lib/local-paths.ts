import path from 'node:path';
import { PROJECT_ROOT } from '../../stacks/lib/project-paths';

/** Where `npm run local:up` keeps its servers' pids, the synth output and terraform state. */
export const LOCAL_WORK_DIR = path.join(PROJECT_ROOT, '.local', 'emulator');
/** The document `local:up` prints, also written here for `npm run upload -- --env local`. */
export const LOCAL_DOCUMENT = path.join(LOCAL_WORK_DIR, 'local.json');

/** What `local:up` prints on stdout once the stack is up. */
export interface LocalDocument {
  readonly environment: 'local';
  readonly region: string;
  /** moto's endpoint: every AWS service but MediaConvert. */
  readonly emulator: string;
  readonly mediaconvert: string;
  /** The local distribution stand-in's origin (`http://127.0.0.1:PORT`). */
  readonly distribution: string;
  /** The player page on the local distribution, when the stack publishes one. */
  readonly player?: string;
  /** Stack outputs by name. */
  readonly outputs: Record<string, string>;
}
