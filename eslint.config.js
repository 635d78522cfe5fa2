// @ts-check
const { defineConfig } = require('eslint/config');
const tseslint = require('typescript-eslint');

const TS_FILES = ['{src,handlers,blocks,db,test,bench,scripts}/**/*.ts'];

/**
 * The three rings (STYLE principle 1, DESIGN §2): edges and blocks never touch storage, queues or db/;
 * blocks are pure (no Slack clients, no services, no I/O); db/ never talks to Slack.
 * A relative import is matched by path segment, so `../../db/client` is caught from any depth.
 */
const STORAGE_PATHS = [
  { name: 'postgres', message: 'Storage belongs in db/ (three rings: STYLE principle 1).' },
  { name: 'ioredis', message: 'Redis belongs in src/queue/ (three rings: STYLE principle 1).' },
  { name: 'bullmq', message: 'Queues belong in src/queue/ (three rings: STYLE principle 1).' },
];
const STORAGE_PATTERNS = [
  {
    group: ['drizzle-orm', 'drizzle-orm/*', '@electric-sql/pglite', '@electric-sql/pglite/*'],
    message: 'Storage belongs in db/ (three rings: STYLE principle 1).',
  },
  {
    regex: '^\\.\\.?/(?:.*/)?db(?:/|$)',
    message: 'Handlers and blocks reach the database through src/services/ (three rings: STYLE principle 1).',
  },
];
const IMPURE_BLOCK_PATTERNS = [
  {
    group: ['@slack/web-api', '@slack/web-api/*', '@slack/bolt', '@slack/bolt/*'],
    message: 'blocks/ builds Block Kit from data; type it with @slack/types (three rings: STYLE principle 1).',
  },
  {
    regex: '^\\.\\.?/(?:.*/)?src/services(?:/|$)',
    message: 'blocks/ is pure: pass it data, do not call services (three rings: STYLE principle 1).',
  },
  {
    regex: '^(?:node:)?(?:fs|fs/promises|http|https|net)$',
    message: 'blocks/ is pure: no file or network I/O (three rings: STYLE principle 1).',
  },
];

module.exports = defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'db/migrations/', 'coverage/', 'scratch/', 'jest.config.js'],
  },
  {
    files: TS_FILES,
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: __dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Bolt listeners and the delivery engine are promise code: an unawaited promise loses errors and acks.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // One pino logger (STYLE Conventions); the composition root may print a startup failure before it exists.
    files: ['{src,handlers,blocks,db}/**/*.ts'],
    ignores: ['src/index.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['handlers/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: STORAGE_PATHS, patterns: STORAGE_PATTERNS }],
    },
  },
  {
    files: ['blocks/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: STORAGE_PATHS, patterns: [...STORAGE_PATTERNS, ...IMPURE_BLOCK_PATTERNS] },
      ],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@slack/*'], message: 'db/ is an adapter for Postgres only (three rings: STYLE principle 1).' },
          ],
        },
      ],
    },
  },
);
