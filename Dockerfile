# syntax=docker/dockerfile:1
#
# The course bot for Discord. Build:  docker build -t k8s-course-bot .
#                               Run:  docker run --env-file .env -p 8080:8080 k8s-course-bot
# The token comes from the environment at run time; nothing secret is baked in.
# Without DISCORD_TOKEN the bot would run console mode on standard input, which a
# detached container does not have: it would exit at once. The image is for Discord mode.
#
# glibc (Debian bookworm), not Alpine: @node-rs/jieba ships a prebuilt linux-*-gnu binary.

# --- production dependencies only -------------------------------------------------
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- compile TypeScript and build the search index from corpus/ ---------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY corpus ./corpus
RUN npm run build
# The index fingerprints the corpus by content, so the runtime stage's copy of corpus/ matches it.
RUN node dist/scripts/index.js

# --- runtime ----------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/corpus ./corpus
# data/ belongs to the runtime user: the bot rebuilds the index there at start-up when a
# different corpus is mounted over /app/corpus.
COPY --from=build --chown=node:node /app/data ./data
# The node user (uid 1000) of the official image. Kubernetes needs the number to check
# runAsNonRoot: the manifests in deploy/kubernetes set runAsUser: 1000.
USER node
EXPOSE 8080
# No curl in the slim image: ask Node. 200 once the library is loaded and Discord is connected.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# V8 flags: see src/ops/node-flags.ts.
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
