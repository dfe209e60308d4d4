import { synthPipelineApp } from './stacks/app';
import { ENVIRONMENTS } from './stacks/environments';

// This repository's app: the environments of stacks/environments.ts, overridable from
// process.env (PIPELINE_ENVIRONMENTS, TF_STATE_BUCKET…; see docs/deploying.md).
synthPipelineApp(ENVIRONMENTS);
