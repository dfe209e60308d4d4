import { App } from 'cdktf';
import { buildApp } from './stacks/app';
import { loadEnvironments } from './stacks/environments';

// Environments come from stacks/environments.ts, with overrides from process.env (see README).
const app = new App();
buildApp(app, loadEnvironments(process.env));
app.synth();
