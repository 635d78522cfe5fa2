# syntax=docker/dockerfile:1

# Node 22 LTS (Node 20 is end of life). The code also runs on Node 20 (package.json engines), so it uses no
# Node-22-only APIs.

# deps: every dependency, for the build
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# build: TypeScript to dist/, migrations copied to dist/db/migrations (db/client.ts looks for them there)
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY handlers ./handlers
COPY blocks ./blocks
COPY db ./db
COPY manifest.json ./
RUN npm run build

# runtime: production dependencies and the compiled app, run as the unprivileged node user
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# emoji-datasource ships 25 MB of sprite sheets next to the emoji.json threadline reads: they stay out of the image.
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf node_modules/emoji-datasource/img && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
# Embedded Postgres (PGlite) keeps its files here when DATABASE_URL is unset.
VOLUME ["/data"]
EXPOSE 3000
# The slim image has no curl; Node's global fetch does the probe.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A small young generation and a 128 MB old-space cap keep the resident set near 130 MB at 1,000 webhooks/s
# (bench/results.json): V8 otherwise grows its heap lazily to well past what threadline keeps live. Raise the cap
# here (or override CMD) if you run very large batches of work in one process.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=128", "--liftoff-only", "dist/src/index.js"]
