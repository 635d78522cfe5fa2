/** @type {import('jest').Config} */
const swc = (syntax) => ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax } }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Fault tests kill processes and need real Postgres and Redis: `npm run test:faults` (.ci/run runs both).
  testPathIgnorePatterns: ['/node_modules/', '/test/faults/'],
  transform: {
    '^.+\\.ts$': swc('typescript'),
    // PGlite's CJS build calls import("fs") etc.; rewriting those to require() avoids --experimental-vm-modules
    // (../shared/reference/stack-notes.md §2).
    '^.+\\.c?js$': swc('ecmascript'),
  },
  transformIgnorePatterns: ['/node_modules/(?!@electric-sql/pglite/)'],
  testTimeout: 30000,
  // One migrated database per run that every test database is copied from (test/helpers/database-templates.ts).
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  // One worker per core. Two per core filled the cores' idle time (an end-to-end file mostly waits on Slack's pace of
  // one post per second per channel) and cut the wall time further, but with the end-to-end suites on Postgres and
  // Redis a saturated machine made their waits time out now and then; a newcomer's run must be green every time.
  maxWorkers: Math.max(2, require('node:os').availableParallelism()),
};
