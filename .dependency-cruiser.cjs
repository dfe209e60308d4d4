/**
 * The layers, declared (CONTRIBUTING.md explains them). Arrows point down only:
 *   contracts  ←  lambda-src domain folders  ←  lambda-src/io  ←  lambda-src/functions/<name>
 *   contracts  ←  stacks  ←  scripts, testing
 * `npm run lint` fails on an upward import, a cycle, or scripts/ reaching into __tests__/.
 */
const DOMAIN = '^lambda-src/(core|encoding|jobs|delivery|cost|analysis|metrics)/';
const OURS = '^(contracts|lambda-src|stacks|scripts|testing|__tests__|examples)/|^main\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'A cycle makes two modules one: merge them or move the shared fact down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'contracts-import-only-contracts',
      severity: 'error',
      comment: 'contracts/ is the bottom layer: facts shared by stacks, handlers and scripts. It imports nothing of ours above it.',
      from: { path: '^contracts/' },
      to: { path: OURS, pathNot: '^contracts/' },
    },
    {
      name: 'contracts-no-sdk-no-cdktf',
      severity: 'error',
      comment: 'contracts/ loads in stacks, scripts and handlers alike: no AWS SDK, no cdktf, no constructs.',
      from: { path: '^contracts/' },
      to: { path: '(^|/)node_modules/(@aws-sdk|@smithy|cdktf|@cdktf|constructs|@aws-lambda-powertools)/' },
    },
    {
      name: 'domain-imports-contracts-and-domain',
      severity: 'error',
      comment: 'Domain folders are pure: they import contracts and other domain folders, never adapters, functions, stacks or scripts.',
      from: { path: DOMAIN },
      to: { path: OURS, pathNot: [DOMAIN, '^contracts/'] },
    },
    {
      name: 'domain-no-sdk-at-run-time',
      severity: 'error',
      comment:
        'Domain code may name SDK shapes (import type) but never calls the SDK: that is io/. util-dynamodb is allowed: marshall/unmarshall convert plain values, no client, no I/O.',
      from: { path: DOMAIN },
      to: {
        path: '(^|/)node_modules/(@aws-sdk|@smithy|@aws-lambda-powertools)/',
        pathNot: '(^|/)node_modules/@aws-sdk/util-dynamodb/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'io-below-functions',
      severity: 'error',
      comment: 'Adapters in lambda-src/io import domain and contracts only.',
      from: { path: '^lambda-src/io/' },
      to: { path: OURS, pathNot: [DOMAIN, '^contracts/', '^lambda-src/io/'] },
    },
    {
      name: 'functions-do-not-import-each-other',
      severity: 'error',
      comment: 'What two functions share belongs in a domain folder or contracts/.',
      from: { path: '^lambda-src/functions/([^/]+)/' },
      to: { path: '^lambda-src/functions/', pathNot: '^lambda-src/functions/$1/' },
    },
    {
      name: 'lambda-src-stays-in-lambda-src',
      severity: 'error',
      comment: 'Handlers never load stacks, scripts or tests.',
      from: { path: '^lambda-src/' },
      to: { path: '^(stacks|scripts|testing|__tests__|examples)/' },
    },
    {
      name: 'stacks-import-contracts-only',
      severity: 'error',
      comment: "Stacks take what they share with handlers from contracts/ (and the handlers' bundles by path, never their code).",
      from: { path: '^(stacks|testing)/|^main\\.ts$' },
      to: { path: '^(lambda-src|scripts|__tests__)/' },
    },
    {
      name: 'scripts-never-import-tests',
      severity: 'error',
      comment: 'What a user runs must not depend on test doubles.',
      from: { path: '^scripts/' },
      to: { path: '^(__tests__|lambda-src/io|lambda-src/functions)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|cdktf\\.out|\\.local|\\.gen)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
