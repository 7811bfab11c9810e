# Awasi production image: Node 24 LTS, compiled JavaScript (dist/) and production dependencies only (no tsx, no
# TypeScript), non-root, migrations applied at start.

# 1. Build: all dependencies (postinstall generates the Prisma client into generated/), then `npm run build`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY bot ./bot
COPY handlers ./handlers
COPY domain ./domain
COPY locales ./locales
RUN npm run build

# 2. Production dependencies only.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma ./prisma
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. The image: dist/ (the compiled bot, the compiled Prisma client, locales and migrations) and node_modules.
FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=8080 DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm; `exec` replaces the shell) so SIGTERM reaches the bot and it can finish in-flight updates.
# The V8 flags come from bot/node-flags.ts (printed by its compiled module), as for `npm start` and the benchmarks.
# Migrations alone: docker compose run --rm bot node dist/scripts/db-migrate.js
CMD ["/bin/sh", "-c", "exec node $(node dist/bot/node-flags.js) dist/bot/main.js"]
