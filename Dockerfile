# syntax=docker/dockerfile:1
# pmo-bot runs its TypeScript sources directly on Node 24 (type stripping): no build step, only
# production dependencies. The native better-sqlite3 addon is compiled in the first stage.

FROM node:24-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

FROM node:24-slim
ENV NODE_ENV=production
# The young-generation cap bin/pmo-bot.js starts Node with (its shebang does not apply to `node bin/…`).
ENV NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY src ./src
COPY connectors ./connectors
COPY rules ./rules
COPY config ./config
# The store, its lock and the console transport's JSON live here; mount it to keep them.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
# Mount your config at /app/config/pmo-bot.yaml (or set PMO_BOT_CONFIG); without one the bundled demo runs.
CMD ["node", "bin/pmo-bot.js", "run"]
