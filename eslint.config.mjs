import constructProps from './eslint-rules/construct-props-jsdoc.mjs';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'dist/', '.gen/', '.local/', 'jest.config.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      // The provider barrel costs ~4 s and ~500 MB per synth: deep imports only.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-aws', message: 'Use a deep import, e.g. @cdktf/provider-aws/lib/s3-bucket.' },
            { name: '@cdktf/provider-archive', message: 'Use a deep import, e.g. @cdktf/provider-archive/lib/data-archive-file.' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Jest loads its plug-ins (the test sequencer) with require: they are CommonJS.
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Construct props are the public API: every prop says what it is, every optional prop its default.
    files: ['stacks/**/*.ts'],
    plugins: { local: constructProps },
    rules: { 'local/construct-props-jsdoc': 'error' },
  },
);
