/** `npm run test:faults`: kills processes and cuts connections, so it needs DATABASE_URL and REDIS_URL. */
const base = require('./jest.config.js');
module.exports = { ...base, roots: ['<rootDir>/test/faults'], testPathIgnorePatterns: ['/node_modules/'], testTimeout: 240000, maxWorkers: 1 };
