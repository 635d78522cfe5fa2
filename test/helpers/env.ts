/** Real servers for the suites that also run against them (DESIGN §1: `npm test` with DATABASE_URL / REDIS_URL). */
export const TEST_DATABASE_URL = process.env.DATABASE_URL || undefined;
export const TEST_REDIS_URL = process.env.REDIS_URL || undefined;
