/**
 * The package's own Lambda handlers, listed: each is `lambda-src/functions/<name>/index.ts`.
 * The bundler, `npm run build` and the package's manifest of prebuilt bundles read this list;
 * a folder of lambda-src/functions that is not on it is not a handler (a test keeps them equal).
 */
export const PIPELINE_HANDLERS = ['content-analysis', 'job-events', 'job-sweep', 'submit-job'] as const;
export type PipelineHandler = (typeof PIPELINE_HANDLERS)[number];

/** True for the name of one of the package's handlers (as opposed to a path to a user's own file). */
export function isPipelineHandler(entry: string): entry is PipelineHandler {
  return (PIPELINE_HANDLERS as readonly string[]).includes(entry);
}
