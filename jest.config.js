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
  // One worker more than the cores: an end-to-end file still spends part of its time waiting on its app and the
  // emulators, and the extra worker fills that idle time (on 2 cores: 164 s with 2 workers, 128 s with 3, in one
  // session). Two per core (4 here) once saturated the machine and made end-to-end waits on Postgres + Redis time out.
  maxWorkers: require('node:os').availableParallelism() + 1,
};
